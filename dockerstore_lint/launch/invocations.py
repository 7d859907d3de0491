"""What `docker_cli` reads from a command: the syntax-level facts of one docker/podman invocation.

Each value keeps the `Word`s it came from, so that every fact has its exact position. A value read
from an unresolved word is kept as written (`Word.resolved` is false) and never interpreted further.
`complete` is false when the reading stopped early (an unknown option, an option missing its value,
an argument that may stand for several): the fields then hold only what came before that point.
"""

from typing import NamedTuple, Optional, Union

from dockerstore_lint.launch.mount_spec import MountSpec
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import Word
from dockerstore_lint.text.shell_words import Diagnostic


class Flag(NamedTuple):
    """One option as parsed: `name` is its long name (aliases and shorthands mapped to it)."""

    name: str
    value: Optional[Word]  # None for a switch given without `=value`
    word: Word  # the word the option is in (for `-itd`, the whole bundle)


class VolumesFrom(NamedTuple):
    container: str
    mode: str  # "rw" when none is given
    read_only: Optional[bool]  # None when an unresolved value decides it
    word: Word
    error: Optional[str] = None  # Docker's message when it refuses the value


class Invocation(NamedTuple):
    """`docker run|create`, `docker container run|create`, `podman run|create`."""

    tool: str  # "docker" | "podman"
    subcommand: str  # "run" | "create"
    image: Optional[Word]  # the first operand; None when there is none or it cannot be told
    command: tuple[Word, ...]  # everything after the image: the container's command, never options
    mounts: tuple[MountSpec, ...]  # -v/--volume, --mount and --tmpfs, in order
    volumes_from: tuple[VolumesFrom, ...]
    user: Optional[Word]  # -u/--user (the last one wins)
    environment: tuple[Word, ...]  # -e/--env values
    env_files: tuple[Word, ...]
    read_only: Optional[bool]  # --read-only; None when an unresolved value decides it
    remove: Optional[bool]  # --rm
    detach: Optional[bool]  # -d/--detach (run only)
    platform: Optional[Word]
    name: Optional[Word]
    workdir: Optional[Word]
    entrypoint: Optional[Word]
    isolation: Optional[Word]
    volume_driver: Optional[Word]
    flags: tuple[Flag, ...]  # every option, in order: what the fields above are read from, and the rest
    problems: tuple[Diagnostic, ...]
    span: Span
    complete: bool = True


class VolumeCreation(NamedTuple):
    """`docker volume create` / `podman volume create`."""

    tool: str
    name: Optional[Word]  # None: Docker makes up a name nothing else can refer to
    driver: Optional[Word]
    options: tuple[Word, ...]  # -o/--opt values: `type=nfs`, `o=addr=...`, `device=...`
    labels: tuple[Word, ...]
    flags: tuple[Flag, ...]
    problems: tuple[Diagnostic, ...]
    span: Span
    complete: bool = True


class ImageBuild(NamedTuple):
    """`docker build`, `docker image build`, `docker builder build`, `docker buildx build`."""

    tool: str
    tags: tuple[Word, ...]
    file: Optional[Word]  # -f/--file: relative to the working directory, not to the context
    target: Optional[Word]
    context: Optional[Word]  # a path, a URL or `-`
    platform: Optional[Word]
    flags: tuple[Flag, ...]
    problems: tuple[Diagnostic, ...]
    span: Span
    complete: bool = True


class ComposeCall(NamedTuple):
    """`docker compose ...` / `docker-compose ...`: which files, from where; the rest is not read."""

    tool: str  # "docker compose" | "docker-compose"
    files: tuple[Word, ...]  # -f/--file, in order (`-` is standard input)
    project_directory: Optional[Word]
    project_name: Optional[Word]
    env_files: tuple[Word, ...]
    profiles: tuple[Word, ...]
    subcommand: Optional[Word]  # `up`, `run`, ...
    arguments: tuple[Word, ...]  # after the subcommand, not interpreted
    flags: tuple[Flag, ...]
    problems: tuple[Diagnostic, ...]
    span: Span
    complete: bool = True


Recognised = Union[Invocation, VolumeCreation, ImageBuild, ComposeCall]
