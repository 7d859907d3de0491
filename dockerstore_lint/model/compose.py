"""Compose projects: services, their mounts, and the named volumes they declare."""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every string annotation it is
# given, which for the fields of this module would add more than a millisecond to every run.
from pathlib import Path
from typing import Mapping, NamedTuple, Optional

from dockerstore_lint.model import EMPTY as _EMPTY
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Dockerfile, Setting, Stage
from dockerstore_lint.model.span import Problem, Span


class HostPath(NamedTuple):
    """What the host side of a bind mount is, as far as the repository can tell."""

    kind: str  # relative | absolute | home | windows | unc | npipe | unresolved
    exists: Optional[bool] = None  # only known for paths inside the scanned root
    is_file: Optional[bool] = None
    inside_root: bool = False


class Mount(NamedTuple):
    type: str  # bind | volume | tmpfs | npipe | image | cluster (or what was written, if unknown)
    source: Optional[str]  # volume name; absolute host path for binds; None for anonymous
    target: Optional[ContainerPath]
    read_only: bool
    span: Span
    origin: str = "volumes"  # volumes | tmpfs | secret | config
    syntax: str = "short"  # short | long
    source_written: Optional[str] = None  # the source after interpolation, before path resolution
    host: Optional[HostPath] = None  # for binds
    options: Mapping[str, object] = _EMPTY  # bind/volume/tmpfs sub-options
    invalid: Optional[str] = None  # why Docker or Compose would reject it
    resolved: bool = True  # False when the source or target used an unset variable

    @property
    def anonymous(self) -> bool:
        return self.type == "volume" and not self.source


class VolumesFrom(NamedTuple):
    ref: str  # service name, or container:NAME
    read_only: bool
    span: Span


class Build(NamedTuple):
    context: Path  # absolute
    dockerfile: Optional[Path]  # absolute; None with dockerfile_inline
    target: Optional[str]
    inline: bool
    span: Span
    args: Mapping[str, str] = _EMPTY


class Service(NamedTuple):
    name: str
    span: Span  # the service key
    image: Optional[str]
    image_span: Optional[Span]
    build: Optional[Build]
    user: Optional[Setting]
    platform: Optional[str]
    read_only: bool
    mounts: tuple[Mount, ...]
    volumes_from: tuple[VolumesFrom, ...]
    environment: Mapping[str, str]
    command: tuple[str, ...]
    image_resolved: bool = True  # False when `image:` used an unset variable: the image is not known
    dockerfile: Optional[Dockerfile] = None  # the Dockerfile `build` builds, parsed
    stage: Optional[Stage] = None  # the stage actually built

    @property
    def anchor(self) -> Span:
        """Where findings about the service's image go: its image: or build: line, else its key."""
        if self.image_span is not None:
            return self.image_span
        if self.build is not None:
            return self.build.span
        return self.span


class NamedVolume(NamedTuple):
    name: str
    span: Span
    driver: Optional[str]
    driver_opts: Mapping[str, str]
    external: bool
    real_name: Optional[str]


class Project(NamedTuple):
    name: str
    directory: Path
    files: tuple[str, ...]  # display paths, the first one is the project's main file
    services: Mapping[str, Service]
    volumes: Mapping[str, NamedVolume]
    problems: tuple[Problem, ...] = ()
    dotenv: Optional[str] = None  # display path of the `.env` (or the stand-in for it) the variables come from
