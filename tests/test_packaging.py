"""The wheel holds every package of the source tree: setuptools is given an explicit list."""

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def test_every_package_directory_is_listed_in_pyproject():
    tomllib = pytest.importorskip("tomllib")
    settings = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(settings["packages"])
    renamed = {directory: package for package, directory in settings.get("package-dir", {}).items()}
    found = set()
    for init in [*(REPOSITORY / "dockerstore_lint").rglob("__init__.py"), *(REPOSITORY / "rules").rglob("__init__.py")]:
        directory = init.parent.relative_to(REPOSITORY).as_posix()
        found.add(renamed.get(directory, directory.replace("/", ".")))
    assert found == listed
