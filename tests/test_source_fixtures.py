"""Every source kind that starts containers with commands or code: `fixtures/sources/<kind>/`, linted as a whole.

Each folder is a small repository of one kind of file (shell scripts, Makefiles, PowerShell, Markdown, GitHub
Actions, GitLab CI, dev containers, Python), with a comment at each case saying what Docker does and why a finding
is expected or not. The folder is linted with every rule, from the folder (root and working directory), and
the text report must be exactly its `expected.txt`, apart from the lines of its `gaps.txt`; its `codes.txt`
lists, one a line, the codes the folder must show.

`gaps.txt` holds findings the linter reports today that are wrong (a false finding, a message in Compose's
words for a command), each after `#` lines that say what is wrong and what it should be: they are never
accepted as expected, and the test fails when one of them changes or goes away, so that the gap is closed
on purpose. `pytest --update-expected` rewrites `expected.txt` from what the rules find now, gaps left out:
review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerstore_lint.inputs import BUILTIN, load_builtin
from dockerstore_lint.registry import all_rules
from tests.linting import lint_paths, text_lines

SOURCES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def folders() -> list:
    return [pytest.param(folder, id=folder.name) for folder in sorted(SOURCES.iterdir()) if folder.is_dir()]


def findings_for(folder: Path) -> list[str]:
    findings, loader = lint_paths([folder], cwd=folder, select=[rule.code for rule in all_rules()], root=folder)
    return text_lines(findings, loader)


def listed(folder: Path, name: str) -> list[str]:
    """The lines of one of the folder's lists, without `#` comments and blank lines."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_every_source_kind_of_containers_has_a_folder():
    """Every built-in kind but Dockerfiles and Compose files (which have the rules' fixtures) starts containers
    from commands or code: each has its folder here."""
    kinds = {load_builtin(reference).name for reference in BUILTIN} - {"dockerfile", "compose"}
    assert kinds == {folder.name for folder in SOURCES.iterdir() if folder.is_dir()}


@pytest.mark.parametrize("folder", folders())
def test_source_fixture(folder, request):
    found = findings_for(folder)
    gaps = listed(folder, "gaps.txt")
    judged = [line for line in found if line not in gaps]
    if request.config.getoption("--update-expected"):
        (folder / "expected.txt").write_text("".join(line + "\n" for line in judged), encoding="utf-8")
    assert judged, "a source folder must show at least one finding"
    codes = listed(folder, "codes.txt")
    assert codes, "codes.txt lists the codes the folder must show"
    shown = {line.rsplit("[", 1)[-1].rstrip("]") for line in found}
    assert sorted(set(codes) - shown) == [], "codes listed in codes.txt that no finding shows"
    assert [gap for gap in gaps if gap not in found] == [], \
        "a known gap changed or was closed: update gaps.txt (and expected.txt) on purpose"
    assert judged == listed(folder, "expected.txt")
