"""Every rule's fixtures: `fixtures/<rule stem>/bad_*` and `good_*`, with exact findings in `expected.txt`.

Each fixture (a file, or a folder holding a small project) is linted on its own with only the folder's
rule selected. `bad_*` fixtures must produce findings, `good_*` ones none, and the findings must be
exactly the `expected.txt` lines that belong to the fixture. `pytest --update-expected` rewrites
`expected.txt` from what the rules find now: review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerstore_lint.docs import stem
from dockerstore_lint.registry import all_rules
from tests.linting import lint_paths, text_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def rule_folders() -> list[tuple[str, Path]]:
    stems = {stem(rule): rule.code for rule in all_rules()}
    return [(stems[folder.name], folder) for folder in sorted(FIXTURES.iterdir())
            if folder.is_dir() and folder.name in stems]


def cases() -> list:
    found = []
    for code, folder in rule_folders():
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(("bad_", "good_")):
                found.append(pytest.param(code, folder, entry, id=f"{folder.name}/{entry.name}"))
    return found


def findings_for(code: str, folder: Path, fixture: Path) -> list[str]:
    findings, loader = lint_paths([fixture], cwd=folder, select=[code], root=folder)
    return text_lines(findings, loader)


def expected_for(folder: Path, fixture: Path) -> list[str]:
    expected = folder / "expected.txt"
    lines = expected.read_text(encoding="utf-8").splitlines() if expected.is_file() else []
    prefix = fixture.name + ("/" if fixture.is_dir() else ":")
    return [line for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize(("code", "folder", "fixture"), cases())
def test_fixture(code, folder, fixture, request):
    found = findings_for(code, folder, fixture)
    if request.config.getoption("--update-expected"):
        _update(folder, fixture, found)
    if fixture.name.startswith("good_"):
        assert found == [], "a good_ fixture must produce no finding"
        return
    assert found, "a bad_ fixture must produce at least one finding"
    assert all(line.endswith(f"[{code}]") for line in found)
    assert found == expected_for(folder, fixture)


def _update(folder: Path, fixture: Path, found: list[str]) -> None:
    expected = folder / "expected.txt"
    lines = expected.read_text(encoding="utf-8").splitlines() if expected.is_file() else []
    prefix = fixture.name + ("/" if fixture.is_dir() else ":")
    kept = [line for line in lines if not line.startswith(prefix)]
    expected.write_text("\n".join(sorted(kept + found, key=_position)) + "\n", encoding="utf-8")


def _position(line: str) -> tuple:
    """`path:line:col: ...` sorted as the engine sorts findings: by path, then numerically."""
    path, line_number, column, _ = line.split(":", 3)
    return path, int(line_number), int(column), line
