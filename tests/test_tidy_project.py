"""Quiet when things are right: a tidy project gets no finding at all, not even a note."""

from pathlib import Path

from tests.linting import lint_paths, text_lines

TIDY = Path(__file__).resolve().parents[1] / "fixtures" / "tidy"


def test_tidy_project_has_no_finding():
    findings, loader = lint_paths([TIDY], cwd=TIDY)
    assert text_lines(findings, loader) == []
    # the silence is not for lack of looking: the whole project was modelled
    workspace = loader.load([TIDY])
    (project,) = workspace.groups
    assert sorted(project.containers) == ["app", "cache", "db", "proxy"]
    assert project.containers["app"].stage is not None and len(workspace.dockerfiles) == 1


def test_each_tidy_file_alone_has_no_finding():
    for path in (TIDY / "compose.yaml", TIDY / "app" / "Dockerfile"):
        findings, loader = lint_paths([path], cwd=TIDY)
        assert text_lines(findings, loader) == [], path
