"""Which Compose files make one project: defaults with their override, COMPOSE_FILE, files written to be
merged onto a base, included fragments, and everything else on its own."""

from __future__ import annotations

from pathlib import Path

from dockerstore_lint.loader import Options, WorkspaceLoader


def projects(root: Path, files: dict[str, str]) -> list[list[str]]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    workspace = WorkspaceLoader(root, root, Options(environ={})).load([root])
    return sorted(list(group.files) for group in workspace.groups)


def test_a_default_file_and_its_override_are_one_project(tmp_path):
    assert projects(tmp_path, {"compose.yaml": "services:\n  a:\n    image: x\n",
                               "compose.override.yaml": "services:\n  a:\n    user: '1000'\n"}) == [
        ["compose.yaml", "compose.override.yaml"]]


def test_compose_file_in_env_names_the_project(tmp_path):
    found = projects(tmp_path, {".env": "COMPOSE_FILE=compose.yaml;compose.dev.yaml\n",
                                "compose.yaml": "services:\n  a:\n    image: x\n",
                                "compose.dev.yaml": "services:\n  a:\n    volumes: [./src:/src]\n"})
    assert found == [["compose.yaml", "compose.dev.yaml"]]


def test_an_overlay_in_a_sub_folder_is_merged_onto_the_base_above(tmp_path):
    found = projects(tmp_path, {
        "compose.yaml": "services:\n  app:\n    image: x\n  db:\n    image: postgres:16\n",
        "ci/tls/compose.yaml": "services:\n  app:\n    volumes: !override\n      - ./ci/tls/certs:/certs\n"
                               "  pebble:\n    image: ghcr.io/letsencrypt/pebble\n",
        "deploy/compose.prod.yml": "services:\n  db:\n    restart: always\n"})
    assert found == [["compose.yaml"], ["compose.yaml", "ci/tls/compose.yaml"],
                     ["compose.yaml", "deploy/compose.prod.yml"]]


def test_files_with_their_own_services_or_includes_stand_alone(tmp_path):
    found = projects(tmp_path, {
        "compose.yaml": "services:\n  app:\n    image: x\n",
        "stack.yml": "services:\n  app:\n    image: y\n",
        "dev/compose.yaml": "include:\n  - ../parts/db.yaml\nservices:\n  app:\n    ports: ['80:80']\n",
        "parts/db.yaml": "services:\n  db:\n    image: postgres:16\n"})
    # parts/db.yaml is recognised by its content, and included: part of dev/'s project, not one of its own
    assert found == [["compose.yaml"], ["dev/compose.yaml"], ["stack.yml"]]


def test_inspect_names_the_base_an_overlay_was_merged_onto(tmp_path, capsys, monkeypatch):
    from dockerstore_lint.run import LintRequest, run_inspect

    projects(tmp_path, {"compose.yaml": "services:\n  app:\n    image: x\n",
                        "ci/compose.yaml": "services:\n  app:\n    volumes: !override [./data:/data]\n"})
    monkeypatch.chdir(tmp_path)
    run_inspect(LintRequest(paths=[Path(".")]))
    out = capsys.readouterr().out
    assert "project " in out and ": compose.yaml, ci/compose.yaml" in out
