"""Dev containers -> the container they declare, with the Dev Containers variables resolved."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from dockerstore_lint.inputs.devcontainer import DevMount, claims, read_devcontainer, repository_root
from dockerstore_lint.text.shell import HOME
from dockerstore_lint.text.sources import Source
from tests.command_words import position

FILE = ".devcontainer/devcontainer.json"


def read(text: str, file: str = FILE):
    return read_devcontainer(Source(Path("/work/proj") / file, file, text))


def test_every_field_with_values_and_positions():
    text = ('// dev\n{\n'
            '  "build": {"dockerfile": "Dockerfile", "context": "..", "target": "dev"},\n'
            '  "workspaceFolder": "/src/${localWorkspaceFolderBasename}",\n'
            '  "workspaceMount": "source=${localWorkspaceFolder},target=${containerWorkspaceFolder},type=bind",\n'
            '  "mounts": [\n'
            '    "source=${localEnv:HOME}${localEnv:USERPROFILE}/.ssh,target=/root/.ssh,type=bind",\n'
            '    {"source": "cache", "target": "/cache", "type": "volume"},\n'
            '    "source=${localEnv:DATA},target=/d,type=bind",\n'
            '  ],\n'
            '  "runArgs": ["-v", "${localWorkspaceFolder}/data:/data", "--read-only"],\n'
            '  "containerUser": "root", "remoteUser": "vscode", "updateRemoteUserUID": false,\n'
            '}\n')
    result = read(text)
    assert result.problems == ()
    container = result.container
    assert container.directory == Path("/work/proj")
    assert (container.dockerfile.value, container.context.value, container.target.value) == ("Dockerfile", "..", "dev")
    assert container.workspace_folder.value == "/src/proj"
    assert container.workspace_mount.value == "source=\ue000,target=/src/proj,type=bind"
    ssh, cache, data = container.mounts
    assert ssh.value == f"source={HOME}/.ssh,target=/root/.ssh,type=bind" and position(ssh) == (7, 6, 7, 85)
    assert isinstance(cache, DevMount)
    assert cache.as_mount_word().value == "type=volume,source=cache,target=/cache"
    assert position(cache.as_mount_word()) == (8, 5, 8, 62)
    assert (data.resolved, data.value) == (False, "source=${localEnv:DATA},target=/d,type=bind")
    assert [word.value for word in container.run_args] == ["-v", "\ue000/data:/data", "--read-only"]
    assert position(container.run_args[1]) == (11, 22, 11, 56)
    assert (container.container_user.value, container.remote_user.value) == ("root", "vscode")
    assert container.update_remote_user_uid is False and container.image is None


def test_image_compose_and_the_default_workspace_folder():
    text = ('{"dockerComposeFile": ["../compose.yaml", "compose.dev.yaml"], "service": "app",\n'
            ' "runServices": ["app", "db"], "workspaceMount": "target=${containerWorkspaceFolder}"}')
    container = read(text).container
    assert [word.value for word in container.compose_files] == ["../compose.yaml", "compose.dev.yaml"]
    assert container.service.value == "app" and [w.value for w in container.run_services] == ["app", "db"]
    assert container.workspace_mount.value == "target=/"  # with Compose the default is the root
    image = read('{"image": "mcr.microsoft.com/devcontainers/base", "mounts": ["target=${containerWorkspaceFolder}"]}')
    assert image.container.mounts[0].value == "target=/workspaces/proj"


def test_the_older_dockerfile_key():
    assert read('{"dockerFile": "Dockerfile.dev"}').container.dockerfile.value == "Dockerfile.dev"


def test_an_empty_file_declares_nothing():
    assert read("  \n") == (None, ())


def test_invalid_json_is_a_problem():
    result = read('{"image": "x",, }')
    assert result.container is None and result.problems[0].code == "DSL001"
    assert read("[1]").problems[0].message == "invalid devcontainer.json: the top level is not an object"


@pytest.mark.parametrize(("path", "claimed", "root"), [
    (".devcontainer/devcontainer.json", True, "."),
    (".devcontainer.json", True, "."),
    (".devcontainer/python/devcontainer.json", True, "."),
    ("sub/.devcontainer/devcontainer.json", True, "sub"),
    ("devcontainer.json", False, None),
    (".devcontainer/a/b/devcontainer.json", False, None),
])
def test_names_and_the_repository(path, claimed, root):
    assert claims(PurePath(path)) is claimed
    if root is not None:
        assert repository_root(Path("/r") / path) == Path("/r") / root
