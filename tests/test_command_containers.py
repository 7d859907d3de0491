"""What the rules are told about containers started by commands: how a refused command, a known directory and
an unnamed container reach the messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerstore_lint.facts.wording import anonymous_volume_hint, named_volume_hint, removal, volume_name
from dockerstore_lint.model.container import VOLUME, Container, Mount
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.model.span import Span
from tests.linting import lint_paths, text_lines


def report(tmp_path: Path, files: dict[str, str], select: list[str]) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    findings, loader = lint_paths([tmp_path], cwd=tmp_path, select=select)
    return text_lines(findings, loader)


def test_a_mount_split_by_the_shell_is_refused_with_what_docker_gets(tmp_path):
    script = 's="$PWD/conf"\ndocker run -d --mount type=bind, source=$s, target=/x alpine\n'
    found = report(tmp_path, {"run.sh": script}, ["DSL002"])
    assert found == [
        "run.sh:2:23: error: the container of `docker run source=$PWD/conf,`: the shell split this --mount value at a "
        "space: Docker gets `type=bind,` as the whole mount and refuses it (invalid field '' must be a key=value "
        "pair); `source=$PWD/conf,` is a separate argument, which it would take as the image name: Docker refuses it "
        "and the container does not start; fix the mount [DSL002]"]


def test_a_split_after_a_complete_mount_is_refused_too(tmp_path):
    # the mount itself is valid: Docker refuses `,readonly` as an image name
    found = report(tmp_path, {"run.sh": "docker run -d --mount type=volume,source=v,target=/x ,readonly alpine\n"},
                   ["DSL002"])
    assert [line.split(": ", 1)[0] for line in found] == ["run.sh:1:23"]
    assert "`,readonly` is a separate argument, which it would take as the image name" in found[0]


def test_a_dev_container_names_the_repository_as_it_writes_it(tmp_path):
    found = report(tmp_path, {".devcontainer/devcontainer.json":
                              '{"image": "alpine:3.20", "mounts": ['
                              '"type=bind,source=${localWorkspaceFolder}/missing,target=/x"]}\n'}, ["DSL002"])
    assert len(found) == 1 and "bind-mounts ${localWorkspaceFolder}/missing, which does not exist" in found[0]


def container(origin: str, name: str = "") -> Container:
    return Container(label="c", name=name, origin=origin, span=Span("f", 1, 1, 1, 2))


@pytest.mark.parametrize(("name", "shown"), [
    ("db-data", "db-data"),  # a container's name and the path's
    ("-data", "data"),  # no container name: not a name Docker accepts
    ("-x", "x-data"),  # too short once cleaned
    ("web-my cache", "web-my-cache"),
    ("-", "data"),
])
def test_a_suggested_volume_name_is_one_docker_accepts(name, shown):
    assert volume_name(name) == shown


def test_dev_containers_are_rebuilt_and_take_mounts_entries():
    dev = container("devcontainer")
    assert removal(dev) == "rebuilding the dev container"
    cache = Mount(VOLUME, container_path("/home/vscode/.cache"), Span("f", 1, 1, 1, 2), written_as="docker-mount")
    assert named_volume_hint(dev, volume_name("-cache"), cache) == \
        '`"source=cache,target=/home/vscode/.cache,type=volume"` in `mounts`'


def test_volume_hints_for_a_command_follow_the_syntax_the_mount_is_written_in():
    command = container("command")
    target = container_path("/cache")
    mounted = Mount(VOLUME, target, Span("f", 1, 1, 1, 2), written_as="docker-mount")
    flagged = mounted._replace(written_as="docker-v")
    assert named_volume_hint(command, "cache", mounted) == "`--mount type=volume,source=cache,target=/cache`"
    assert named_volume_hint(command, "cache", flagged) == "`-v cache:/cache`"
    assert anonymous_volume_hint(command, "/app/vendor", mounted) == "`--mount type=volume,target=/app/vendor`"
    assert anonymous_volume_hint(command, "/app/vendor", flagged) == "`-v /app/vendor`"


def test_the_throwaway_globs_apply_to_scripts_as_to_compose_files(tmp_path):
    from dockerstore_lint.config import Config
    from dockerstore_lint.engine import lint
    from dockerstore_lint.loader import Options, WorkspaceLoader

    for folder in ("tests", "scripts"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "db.sh").write_text("docker run -d -v /data postgres:16\n")
    config = Config(base=tmp_path)
    loader = WorkspaceLoader(tmp_path, tmp_path, Options(environ={}), throwaway=config.is_throwaway)
    findings = lint(loader.load([tmp_path]), config, loader.lines_of)
    assert sorted({(f.span.file, f.code) for f in findings}) == [("scripts/db.sh", "DSL102"),
                                                                 ("scripts/db.sh", "DSL103")]


def test_a_ci_build_context_is_relative_to_the_checkout_whatever_the_scanned_root(tmp_path):
    repository = tmp_path / "services" / "shop"
    (repository / "docker").mkdir(parents=True)
    (repository / "docker" / "Dockerfile").write_text("FROM node:20\nWORKDIR /app\nCOPY package.json .\n"
                                                      "RUN npm ci\n")
    (repository / ".github" / "workflows").mkdir(parents=True)
    (repository / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          docker build -t shop docker\n"
        "          docker run --rm -v \"$PWD/docker\":/app shop\n")
    for root in (repository, tmp_path):
        findings, loader = lint_paths([repository], cwd=root, select=["DSL301"], root=root)
        assert [f.code for f in findings] == ["DSL301"], root
