"""How messages name what a user types, for the tool that started a container: Compose keys for a service,
`docker run` flags for a command, SDK arguments for code. Rules judge containers alike; only these words
change with where the container was defined."""

from __future__ import annotations

from dockerstore_lint.model.container import Container, Mount

_REMOVAL = {"compose": "`docker compose down`"}
_USER = {"compose": "`user:`", "python": "`user=`", "devcontainer": "`containerUser`"}


def removal(container: Container) -> str:
    """What removes the container, and with it the link to its anonymous volumes."""
    return _REMOVAL.get(container.origin, "`docker rm`")


def user_setting(container: Container) -> str:
    """Where the user sets who the container runs as."""
    return _USER.get(container.origin, "`-u`/`--user`")


def read_only_hint(mount: Mount) -> str:
    """How to make the mount read-only where it is written."""
    if mount.written_as == "compose-long":
        return "`read_only: true`"
    if mount.written_as == "docker-mount":
        return "`,readonly`"
    if mount.written_as == "sdk":
        return '`"mode": "ro"`'
    return ":ro"


def named_volume_hint(container: Container, name: str, target: str) -> str:
    """How to put a path in a named volume where the container is defined."""
    if container.origin == "compose":
        return f"'{name}:{target}', declared under top-level volumes"
    if container.origin == "python":
        return f"`volumes={{'{name}': {{'bind': '{target}'}}}}`"
    return f"`-v {name}:{target}`"
