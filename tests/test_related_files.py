"""Named files (pre-commit's changed files, an editor's buffer) are judged with the rest of their project.

pre-commit passes only the files that changed, maybe split over several processes: a changed
Dockerfile must still be judged with the Compose projects that build it, a changed override file with
its base file, and only findings that concern the named files are reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerstore_lint.config import Config
from dockerstore_lint.engine import lint
from dockerstore_lint.inputs import kind_of_path
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.related import concerns, related_files
from dockerstore_lint.run import LintRequest, run_check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

NODE_DOCKERFILE = "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n"
# the live-reload bind mount hides the node_modules that `npm ci` installs (DSL301), plus an
# anonymous volume (DSL102) that has nothing to do with the Dockerfile
NODE_COMPOSE = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n      - /cache\n"


def check(paths: list[str], cwd: Path, monkeypatch, tmp_path: Path) -> list[tuple[str, int, str]]:
    """(file, line, code) of every unsuppressed finding `dockerstore-lint check --format json PATHS` reports."""
    monkeypatch.chdir(cwd)
    report = tmp_path / "report.json"
    run_check(LintRequest(paths=[Path(p) for p in paths], output_format="json", output=report, exit_zero=True))
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    return sorted((f["file"], f["line"], f["code"]) for f in findings if f["suppressed"] is None)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def loader_for(root: Path) -> WorkspaceLoader:
    return WorkspaceLoader(root, root, Options(environ={}))


def test_a_changed_dockerfile_is_judged_with_the_compose_file_that_mounts_over_its_npm_ci_output(
        tmp_path, monkeypatch):
    project = write(tmp_path / "p", {"Dockerfile": NODE_DOCKERFILE, "compose.yaml": NODE_COMPOSE})
    found = check(["Dockerfile"], project, monkeypatch, tmp_path)
    # located in compose.yaml, but it is about what the Dockerfile's `RUN npm ci` installs
    assert ("compose.yaml", 5, "DSL301") in found
    # the anonymous volume concerns only compose.yaml, which was not named
    assert not [f for f in found if f[2] == "DSL102"]
    # without the project nothing hides the node_modules: the finding comes from loading it
    alone = loader_for(project)
    assert [d.file for d in alone.load([project / "Dockerfile"]).dockerfiles] == ["Dockerfile"]
    assert alone.load([project / "Dockerfile"]).groups == ()


def test_findings_of_files_not_named_are_not_reported(tmp_path, monkeypatch):
    project = write(tmp_path / "p", {"Dockerfile": NODE_DOCKERFILE + "VOLUME /data\n", "compose.yaml": NODE_COMPOSE})
    dockerfile_only = check(["Dockerfile"], project, monkeypatch, tmp_path)
    compose_only = check(["compose.yaml"], project, monkeypatch, tmp_path)
    everything = check(["."], project, monkeypatch, tmp_path)
    assert ("Dockerfile", 6, "DSL101") in dockerfile_only
    assert ("Dockerfile", 6, "DSL101") not in compose_only
    assert ("compose.yaml", 6, "DSL102") in compose_only
    assert ("compose.yaml", 6, "DSL102") not in dockerfile_only
    # both halves together are what a scan of the directory finds
    assert sorted(set(dockerfile_only) | set(compose_only)) == everything


def test_a_changed_override_file_gets_its_base(tmp_path, monkeypatch):
    fixture = FIXTURES / "dsl301_bind_mount_hides_image_content" / "bad_override_adds_bind"
    assert related_files(loader_for(fixture), [fixture / "compose.override.yaml"]) == [fixture / "compose.yaml"]
    found = check(["compose.override.yaml"], fixture, monkeypatch, tmp_path)
    # the override alone has no `build:`; merged into its base it binds over the built binary
    assert ("compose.override.yaml", 5, "DSL301") in found
    assert all(file == "compose.override.yaml" for file, _, _ in found)


def test_a_base_file_brings_its_override(tmp_path):
    fixture = FIXTURES / "dsl301_bind_mount_hides_image_content" / "bad_override_adds_bind"
    loader = loader_for(fixture)
    extra = related_files(loader, [fixture / "compose.yaml"])
    assert extra == [fixture / "compose.override.yaml"]
    [project] = loader.load([fixture / "compose.yaml", *extra]).groups
    assert project.files == ("compose.yaml", "compose.override.yaml")


def test_a_compose_file_is_judged_with_the_other_compose_files_of_its_directory(tmp_path):
    project = write(tmp_path, {"compose.yaml": "services:\n  a:\n    image: alpine\n",
                               "docker-compose.yml": "services:\n  b:\n    image: alpine\n",
                               "compose.override.yaml": "services:\n  a:\n    read_only: true\n",
                               "notes.yaml": "services: {}\n", "sub/compose.yaml": "services: {}\n"})
    loader = loader_for(project)
    extra = related_files(loader, [project / "docker-compose.yml"])
    assert extra == [project / "compose.override.yaml", project / "compose.yaml"]
    files = sorted(p.files for p in loader.load([project / "docker-compose.yml", *extra]).groups)
    assert files == [("compose.yaml", "compose.override.yaml"), ("docker-compose.yml",)]


def test_dockerfiles_find_the_projects_that_build_them_in_parent_directories(tmp_path):
    root = write(tmp_path, {
        "compose.yaml": "services:\n  api:\n    build: ./services/api\n",
        "compose.prod.yaml":
            "services:\n  api:\n    build:\n      context: services\n      dockerfile: api/Dockerfile\n",
        "compose.other.yaml": "services:\n  web:\n    build: ./services/web\n",
        "services/api/Dockerfile": "FROM alpine:3.20\n",
        "services/web/Dockerfile": "FROM alpine:3.20\n",
        # beside the Dockerfile but building another one
        "services/api/compose.yaml":
            "services:\n  tool:\n    build:\n      context: .\n      dockerfile: Tool.Dockerfile\n",
        "services/api/Tool.Dockerfile": "FROM alpine:3.20\n",
    })
    loader = loader_for(root)
    assert related_files(loader, [root / "services/api/Dockerfile"]) == [root / "compose.prod.yaml",
                                                                         root / "compose.yaml"]
    assert related_files(loader, [root / "services/api/Tool.Dockerfile"]) == [root / "services/api/compose.yaml"]
    assert related_files(loader, [root / "services/web/Dockerfile"]) == [root / "compose.other.yaml"]
    # pre-commit's batch of several Dockerfiles: each candidate is loaded once, for all of them
    assert related_files(loader, [root / "services/web/Dockerfile", root / "services/api/Tool.Dockerfile"]) == [
        root / "compose.other.yaml", root / "services/api/compose.yaml"]


def test_the_search_stops_at_the_root(tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  api:\n    build: ./inner\n", "inner/Dockerfile": "FROM alpine\n"})
    inner = tmp_path / "inner"
    assert related_files(loader_for(tmp_path), [inner / "Dockerfile"]) == [tmp_path / "compose.yaml"]
    assert related_files(loader_for(inner), [inner / "Dockerfile"]) == []


def test_config_excludes_apply_to_related_files(tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  api:\n    build: .\n", "Dockerfile": "FROM alpine\n"})
    loader = WorkspaceLoader(tmp_path, tmp_path, Options(environ={}), exclude=lambda path: path.name == "compose.yaml")
    assert related_files(loader, [tmp_path / "Dockerfile"]) == []


def fixture_projects() -> list:
    """Each Dockerfile and Compose file (the names pre-commit passes) of every multi-file fixture project."""
    cases = []
    for folder in sorted(p for p in FIXTURES.glob("*/bad_*") if p.is_dir()):
        files = sorted(p for p in folder.rglob("*") if p.is_file() and kind_of_path(p))
        if len(files) > 1:
            cases.extend(pytest.param(folder, f.relative_to(folder).as_posix(),
                                      id=f"{folder.parent.name}/{folder.name}/{f.relative_to(folder).as_posix()}")
                         for f in files)
    return cases


@pytest.mark.parametrize(("folder", "name"), fixture_projects())
def test_one_named_file_gets_what_a_scan_of_its_project_says_about_it(folder, name, tmp_path, monkeypatch):
    """What pre-commit reports for one changed file is what a whole scan reports that concerns it."""
    loader = WorkspaceLoader(folder, folder, Options())
    scanned = lint(loader.load([folder]), Config(base=folder), loader.lines_of)
    expected = sorted((f.span.file, f.span.line, f.code) for f in scanned
                      if f.suppressed is None and concerns(f, {name}))
    assert check([name], folder, monkeypatch, tmp_path) == expected
