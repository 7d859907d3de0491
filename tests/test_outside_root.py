"""Nothing from outside the root: named symlinks, configuration links, and what configuration errors quote.

The root is computed from the paths as given, never from where a named symlink leads (that made the
common parent of the project and the link's target, `/`, the root, after which any `extends` was
followed); a named file outside the root is a DSL004 note and is not read. A configuration file that
is a link out of the repository is not read, and a configuration error names keys, never values.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_process import run_cli

MARKER = "MARKER-c81e-NEVER-PRINTED"


@pytest.fixture
def layout(tmp_path):
    """tmp/outside holds the marker; tmp/repo is the project, with links out of it."""
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    outside.mkdir()
    (repo / ".git").mkdir(parents=True)
    (outside / "compose.yaml").write_text(f"services:\n  {MARKER}:\n    image: {MARKER}\n    volumes: [/{MARKER}]\n")
    (outside / "Dockerfile").write_text(f"FROM {MARKER}\nVOLUME /{MARKER}\n")
    os.symlink(outside / "compose.yaml", repo / "compose.yaml")
    os.symlink(outside / "Dockerfile", repo / "Dockerfile")
    (repo / "other.yaml").write_text("services:\n  app:\n    extends: {file: ../outside/compose.yaml, service: x}\n")
    return repo


@pytest.mark.parametrize("args", [["compose.yaml", "other.yaml"], ["Dockerfile"], ["--root", ".", "Dockerfile"],
                                  ["--root", ".", "compose.yaml"]])
def test_a_named_link_out_of_the_repository_is_reported_not_read(layout, args):
    done = run_cli(["--format", "json", *args], cwd=layout)
    assert done.status in (0, 1) and MARKER not in done.stdout + done.stderr, done.stdout + done.stderr
    findings = json.loads(done.stdout)["findings"]
    named = args[-2] if args[-1] == "other.yaml" else args[-1]
    assert [(f["file"], f["code"], f["message"]) for f in findings if f["file"] == named] == [
        (named, "DSL004", f"not followed: {named} is outside the scanned root")]
    if "other.yaml" in args:
        assert [f["message"] for f in findings if f["file"] == "other.yaml"] == [
            "not followed: extends file ../outside/compose.yaml is outside the scanned root"]


def test_the_root_comes_from_the_paths_as_given(tmp_path):
    from dockerstore_lint.loader import choose_root

    (tmp_path / "repo").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere" / "x.yaml", tmp_path / "repo" / "x.yaml")
    assert choose_root([Path("x.yaml"), Path("y.yaml")], tmp_path / "repo") == tmp_path / "repo"
    assert choose_root([tmp_path / "repo" / "x.yaml"], tmp_path / "elsewhere") == tmp_path / "repo"


@pytest.mark.parametrize("name", [".dockerstore-lint.yaml", "pyproject.toml"])
def test_a_configuration_linked_out_of_the_repository_is_not_read(layout, name):
    secret = layout.parent / "outside" / "secret"
    secret.write_text(f"[tool.dockerstore-lint]\nselect = ['{MARKER}']\n" if name == "pyproject.toml"
                      else f"select: [{MARKER}]\n")
    os.symlink(secret, layout / name)
    (layout / "app.Dockerfile").write_text("FROM busybox\nVOLUME /data\n")
    done = run_cli(["app.Dockerfile"], cwd=layout)
    assert MARKER not in done.stdout + done.stderr
    if name == "pyproject.toml":  # not ours to judge: passed over, and the search goes on
        assert done.status == 0 and "DSL101" in done.stdout  # a note
    else:
        assert done.status == 2
        assert done.stderr == f"Error: {layout / name}: not read: a link to a file outside the repository\n"


BAD_SETTINGS = {
    "unknown setting": (f"selct: [{MARKER}]\n", ".dockerstore-lint.yaml: unknown setting 'selct'"),
    "unknown code": (f"select: [DSL1, {MARKER}]\n", ".dockerstore-lint.yaml: select[1] is not a rule code"),
    "unknown code in a string": (f"ignore: 'DSL1, {MARKER}'\n", ".dockerstore-lint.yaml: ignore[1] is not a rule"),
    "unknown level": (f"levels: {{DSL101: {MARKER}}}\n", ".dockerstore-lint.yaml: levels.DSL101 is not one of"),
    "unknown fail level": (f"fail-level: {MARKER}\n", ".dockerstore-lint.yaml: fail-level is not one of"),
    "bad size": (f"max-file-size: {MARKER}\n", ".dockerstore-lint.yaml: max-file-size is not a size"),
    "per-path code": (f"per-path-ignores: {{'*.yaml': [{MARKER}]}}\n", "per-path-ignores.*.yaml[0] is not a rule"),
    "bad tag": (f"select: !!python/object:{MARKER} x\n", ".dockerstore-lint.yaml: invalid YAML: could not"),
    "undefined alias": (f"select: *{MARKER}\n", "invalid YAML: found undefined alias"),
}


@pytest.mark.parametrize("case", sorted(BAD_SETTINGS))
def test_a_configuration_error_names_the_key_not_the_value(tmp_path, case):
    text, expected = BAD_SETTINGS[case]
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dockerstore-lint.yaml").write_text(text)
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    done = run_cli(["Dockerfile"], cwd=tmp_path)
    assert done.status == 2
    assert MARKER not in done.stderr and expected in done.stderr, done.stderr


def test_a_toml_error_does_not_quote_the_file(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(f"[tool.dockerstore-lint]\nselect = [{MARKER}]\n")
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    done = run_cli(["Dockerfile"], cwd=tmp_path)
    assert done.status == 2 and "invalid TOML" in done.stderr and MARKER not in done.stderr, done.stderr


@pytest.mark.parametrize("name", ["entrypoint.sh", "config.json"])
def test_a_file_read_beside_a_dockerfile_that_links_out_of_the_repository_is_not_read(tmp_path, name):
    """An entrypoint script that steps down (`exec gosu`) or a plugin config would silence DSL202: read from
    outside the root, they must not."""
    outside, repo = tmp_path / "outside", tmp_path / "repo"
    outside.mkdir()
    (repo / ".git").mkdir(parents=True)
    (outside / "entrypoint.sh").write_text('#!/bin/sh\nexec gosu app "$@"\n')
    (outside / "config.json").write_text('{"interface": {"types": ["docker.logdriver/1.0"]}}\n')
    (repo / "Dockerfile").write_text('FROM debian:bookworm-slim\nCOPY entrypoint.sh /entrypoint.sh\n'
                                     'ENTRYPOINT ["/entrypoint.sh"]\n')
    (repo / "entrypoint.sh").write_text("#!/bin/sh\nexec server\n")
    assert [f["code"] for f in json.loads(run_cli(["--format", "json", "."], cwd=repo).stdout)["findings"]] \
        == ["DSL202"]
    (repo / name).unlink(missing_ok=True)
    os.symlink(outside / name, repo / name)
    assert [f["code"] for f in json.loads(run_cli(["--format", "json", "."], cwd=repo).stdout)["findings"]] \
        == ["DSL202"]
    (repo / name).unlink()
    (repo / name).write_text((outside / name).read_text())
    assert json.loads(run_cli(["--format", "json", "."], cwd=repo).stdout)["findings"] == []
