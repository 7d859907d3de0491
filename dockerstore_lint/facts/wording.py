"""How messages name what a user types, for the tool that started a container: Compose keys for a service,
`docker run` flags for a command, SDK arguments for code. Rules judge containers alike; only these words
change with where the container was defined."""

from __future__ import annotations

import re

from dockerstore_lint.model.container import Container, Mount

# a local volume's name matches [a-zA-Z0-9][a-zA-Z0-9_.-]+ (moby daemon/names/names.go)
_NOT_IN_VOLUME_NAME = re.compile(r"[^a-zA-Z0-9_.-]+")
_NOT_FIRST_IN_VOLUME_NAME = re.compile(r"^[^a-zA-Z0-9]+")

# the Dev Containers CLI replaces a dev container on a rebuild with `docker rm -f`, which keeps its anonymous volumes
_REMOVAL = {"compose": "`docker compose down`", "devcontainer": "rebuilding the dev container"}
_USER = {"compose": "`user:`", "python": "`user=`", "devcontainer": "`containerUser`"}
_ENTRYPOINT = {"compose": "`entrypoint:`", "python": "`entrypoint=`"}


def removal(container: Container) -> str:
    """What removes the container, and with it the link to its anonymous volumes."""
    return _REMOVAL.get(container.origin, f"`{container.engine} rm`")


def volumes_from_setting(container: Container) -> str:
    return "volumes_from" if container.origin == "compose" else "--volumes-from"


def anonymous_volume_hint(container: Container, path: str, like: Mount) -> str:
    """How to write an anonymous volume at `path` where the container is defined, in the syntax of the mount `like`
    (`--mount` for a command that wrote it with `--mount`)."""
    if container.origin == "compose":
        return f"`- {path}`"
    if container.origin == "devcontainer":
        return f'`"target={path},type=volume"` in `mounts`'
    if container.origin == "python":
        return f"`Mount('{path}', None, type='volume')` in `mounts=`"
    if like.written_as == "docker-mount":
        return f"`--mount type=volume,target={path}`"
    return f"`-v {path}`"


def volume_option(volume_origin: str, key: str, value: str) -> str:
    """A driver option of a named volume, as it was given: Compose's `driver_opts`, or `--opt` of
    `docker volume create` (`volume_origin` is the group's kind)."""
    return f"driver_opts {key}: {value}" if volume_origin == "compose" else f"`--opt {key}={value}`"


def user_setting(container: Container) -> str:
    """Where the user sets who the container runs as."""
    return _USER.get(container.origin, "`-u`/`--user`")


def entrypoint_setting(container: Container) -> str:
    """Where the user replaces the image's entrypoint."""
    return _ENTRYPOINT.get(container.origin, "`--entrypoint`")


def read_only_hint(mount: Mount) -> str:
    """How to make the mount read-only where it is written."""
    if mount.written_as == "compose-long":
        return "`read_only: true`"
    if mount.written_as == "docker-mount":
        return "`,readonly`"
    if mount.written_as == "sdk":
        return '`"mode": "ro"`'
    if mount.written_as == "sdk-mount":
        return "`read_only=True`"
    return ":ro"


def volume_name(wanted: str) -> str:
    """`wanted` as a name Docker accepts for a volume (a container without a name gives `-data` for `/data`)."""
    name = _NOT_FIRST_IN_VOLUME_NAME.sub("", _NOT_IN_VOLUME_NAME.sub("-", wanted))
    if len(name) < 2:  # "names should be at least two alphanumeric characters"
        name = f"{name}-data" if name else "data"
    return name


def named_volume_hint(container: Container, name: str, mount: Mount) -> str:
    """How to put the mount's target in a named volume (`name`, see `volume_name`) where the container is defined,
    in the syntax the mount is written in (`--mount` or `-v` for a command)."""
    target = str(mount.target)
    if container.origin == "compose":
        return f"'{name}:{target}', declared under top-level volumes"
    if container.origin == "python":
        return f"`volumes={{'{name}': {{'bind': '{target}'}}}}`"
    if container.origin == "devcontainer":
        return f'`"source={name},target={target},type=volume"` in `mounts`'
    if mount.written_as == "docker-mount":
        return f"`--mount type=volume,source={name},target={target}`"
    return f"`-v {name}:{target}`"
