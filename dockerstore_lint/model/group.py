"""Groups of containers that share a volume namespace: a Compose project, the commands of one script, a CI job."""

# No `from __future__ import annotations` here (see model/container.py).
from pathlib import Path
from typing import Mapping, NamedTuple, Optional

from dockerstore_lint.model import EMPTY
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.span import Problem, Span


class NamedVolume(NamedTuple):
    """A volume declared by name: a Compose top-level `volumes:` entry, a `docker volume create`."""

    name: str
    span: Span
    driver: Optional[str] = None
    driver_opts: Mapping[str, str] = EMPTY
    external: bool = False
    real_name: Optional[str] = None  # the volume's name in the engine, when it differs


class Group(NamedTuple):
    label: str  # how messages name it: "project 'shop'", "script run.sh"
    kind: str  # compose | script | ci | devcontainer | python...
    name: str
    directory: Optional[Path]  # where relative host paths start; None when that is a command's working directory
    files: tuple[str, ...]  # display paths, the main file first
    containers: Mapping[str, Container]  # by a key unique in the group: the service name, the command's position
    volumes: Mapping[str, NamedVolume] = EMPTY  # declared named volumes
    # Compose refuses a named volume its project does not declare; `docker run` creates it on first use
    volumes_on_demand: bool = False
    problems: tuple[Problem, ...] = ()
    volumes_key: Optional[Span] = None  # the top-level `volumes:` key of the main file, where new ones go
    dotenv: Optional[str] = None  # a Compose project's `.env` (or the example standing in for it), display path
    # the operating system of the machine whose Docker starts the containers, when the source tells ("windows" for
    # a PowerShell script: Docker Desktop, where bind-mounted host files belong to the Windows user); None: not known
    host_os: Optional[str] = None

    def container(self, name: str) -> Optional[Container]:
        """The container other containers of the group refer to as `name`."""
        found = self.containers.get(name)
        if found is not None and found.name == name:
            return found
        return next((c for c in self.containers.values() if c.name == name), None)
