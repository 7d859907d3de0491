"""Containers, wherever they are defined, and what their filesystems are made of.

A `Container` is the unit rules judge: a Compose service, a `docker run` line, a CI job's service, a
dev container, a container started from Python. Where it came from is data on it (`origin`, `label`),
not a type of its own. A `Mount` says what storage is attached and how Docker treats it, not which
syntax wrote it (that is `written_as`, for messages and fixes).
"""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every string annotation it is
# given, which for the fields of this module would add more than a millisecond to every run.
from pathlib import Path
from typing import Mapping, NamedTuple, Optional

from dockerstore_lint.model import EMPTY
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.host_paths import HostPath
from dockerstore_lint.model.span import Setting, Span

# Mount kinds, as Docker names them.
BIND, VOLUME, TMPFS, NPIPE, IMAGE, CLUSTER = "bind", "volume", "tmpfs", "npipe", "image", "cluster"
MOUNT_KINDS = (BIND, VOLUME, TMPFS, NPIPE, IMAGE, CLUSTER)

# What a mount is for: storage the user asked for, or a file Compose mounts for a secret or config.
STORAGE, SECRET, CONFIG = "storage", "secret", "config"

# What Docker does when a bind mount's host path does not exist.
CREATE = "create"  # `-v`, Compose: an empty directory owned by root is made there
REFUSE = "refuse"  # `--mount type=bind`: "bind source path does not exist", the container does not start


class Mount(NamedTuple):
    kind: str  # one of MOUNT_KINDS, or what was written when Docker would refuse it
    target: Optional[ContainerPath]
    span: Span  # the whole entry
    source: Optional[str] = None  # a volume's name (None: anonymous), a bind's host path as written
    host: Optional[HostPath] = None  # binds and named pipes
    read_only: bool = False
    purpose: str = STORAGE
    written_as: str = "compose-short"  # compose-short | compose-long | compose-tmpfs | compose-file | docker-v | ...
    missing_source: str = CREATE
    options: Mapping[str, object] = EMPTY  # bind/volume/tmpfs sub-options
    invalid: Optional[str] = None  # why Docker or Compose would refuse it
    resolved: bool = True  # False when the source or target uses a variable that is not set
    target_span: Optional[Span] = None  # where the target is written, when it has a place of its own (`target:`)
    unknown_modes: tuple[str, ...] = ()  # short-syntax modes Docker or Compose does not know, as written

    @property
    def anonymous(self) -> bool:
        return self.kind == VOLUME and not self.source


class VolumesFrom(NamedTuple):
    ref: str  # a container of the same group by name, or `container:NAME`
    read_only: bool
    span: Span


class Build(NamedTuple):
    """How the container's image is built from a Dockerfile of the repository."""

    context: Path  # absolute
    dockerfile: Optional[Path]  # absolute; None with an inline Dockerfile
    target: Optional[str]
    inline: bool
    span: Span
    args: Mapping[str, str] = EMPTY
    # False when the Dockerfile is missing from the repository: the image cannot be built from here
    dockerfile_exists: Optional[bool] = None


class Container(NamedTuple):
    label: str  # how messages name it: "service 'web'", "`docker run` of postgres:16 (run.sh:12)"
    name: str  # what other containers of its group call it (a service name, `--name`), "" when nothing
    origin: str  # compose | command | ci | devcontainer | python: where it is defined
    span: Span  # where it is defined: the service's key, the command's first word
    image: Optional[Setting] = None  # the image reference as written
    build: Optional[Build] = None
    dockerfile: Optional[Dockerfile] = None  # the Dockerfile `build` builds, parsed
    stage: Optional[Stage] = None  # the stage actually built
    user: Optional[Setting] = None
    platform: Optional[str] = None
    read_only: bool = False
    environment: Mapping[str, str] = EMPTY
    command: tuple[str, ...] = ()
    # the container's own entrypoint (`entrypoint:`, `--entrypoint`), which replaces the image's and its CMD; None:
    # the image's
    entrypoint: Optional[tuple[str, ...]] = None
    workdir: Optional[str] = None  # where the command runs, when the container sets it (`working_dir:`, `-w`)
    mounts: tuple[Mount, ...] = ()
    volumes_from: tuple[VolumesFrom, ...] = ()
    throwaway: bool = False  # removed when it stops (`--rm`, CI services, test containers): its state is not kept
    engine: str = "docker"  # the command line that manages it: `docker`, or `podman` for a command that says so

    @property
    def anchor(self) -> Span:
        """Where findings about the container's image go: its image or build, else where it is defined."""
        if self.image is not None:
            return self.image.span
        if self.build is not None:
            return self.build.span
        return self.span
