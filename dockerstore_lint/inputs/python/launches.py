"""What a Python file says about the containers it starts: syntax-level value types, with exact spans.

These describe calls as written, before they join the storage model: a value the reader could not work
out stays as written with `resolved` false, and an argument it could not read at all (a `**kwargs`, a
`volumes=` built by a function) is named in `opaque`, so that a rule can tell "no mounts" from "mounts
it cannot see". Volumes and mounts keep Docker's own syntax, the one docker-py hands to the engine, so
the command-line interpreter's `-v` and `--mount` parsers read them as they read a command line.
"""

# No `from __future__ import annotations`: typing.NamedTuple compiles string annotations (see model/span.py).
from pathlib import Path
from typing import NamedTuple, Optional

from dockerstore_lint.model.span import Span

# how a container is started
RUN = "containers.run"  # docker-py: created and started
CREATE = "containers.create"  # docker-py: created, started later (or not) by code we do not follow
TESTCONTAINERS = "testcontainers"  # a testcontainers container: started by `start()` or `with`, removed after


class Text(NamedTuple):
    """A string argument, shaped as the shell reader's `Word` (text/shell.py) with `directory` added, so
    that the command-line interpreter's parsers take it as they take a word. `value` is what the program
    passes: `HERE` where a directory the reader knows was referred to (`os.getcwd()`, `Path(__file__)
    .parent`), standing for `directory`; a leading `~` for the user's home (`Path.home()`,
    `os.path.expanduser`), unresolved as an unexpanded `~` is in a word; the parts it could not work out
    as written, with `resolved` false."""

    value: str
    written: str  # the expression as written in the file
    span: Span
    resolved: bool = True
    directory: Optional[Path] = None  # what `HERE` in `value` stands for


class Flag(NamedTuple):
    """A boolean argument: `value` is None when it is not a literal `True` or `False`."""

    value: Optional[bool]
    written: str
    span: Span


class Bind(NamedTuple):
    """One entry of docker-py's `volumes=`, or one `with_volume_mapping` of testcontainers.

    `spec` is the entry in the engine's bind syntax, `SOURCE:TARGET[:MODE]` or an anonymous `TARGET`:
    the list form is written that way, and for the dict form (`{SOURCE: {"bind": TARGET, "mode": MODE}}`)
    and testcontainers it is put together as docker-py does (`MODE` "rw" when none is given, "ro" for
    `{"ro": True}`). docker-py sends it to the engine unchanged: no `~` expansion and no relative paths
    made absolute, unlike the `docker` command line. Where the source, target and mode were written
    apart they are kept apart too, so that a target is known even when its source is not."""

    spec: Text
    source: Optional[Text] = None
    target: Optional[Text] = None
    mode: Optional[Text] = None


class MountCall(NamedTuple):
    """A `docker.types.Mount(...)` in `mounts=`: each argument as the `--mount` field it is
    (`type=bind`, `source=/srv`, `target=/data`, `readonly=true`, `bind-propagation=`, `volume-nocopy=`,
    `volume-label=K=V`, `volume-driver=`, `volume-opt=K=V`, `volume-subpath=`, `tmpfs-size=`,
    `tmpfs-mode=`, `consistency=`), spanning that argument. A `source=None` is left out, as a
    `--mount` without source. docker-py's default type is `volume`, as it is for `--mount`."""

    span: Span  # the call
    fields: tuple[Text, ...]
    complete: bool = True  # False when an argument could not be read (`*args`, `**kwargs`)

    def as_flag_value(self, written: str) -> Text:
        """The fields as one `--mount` value, a CSV record (a field holding a comma or a quote is quoted,
        as Go's encoding/csv reads it), spanning the call; `written` is the call as written."""
        quoted = (f'"{field.value.replace(chr(34), chr(34) * 2)}"' if any(c in field.value for c in ',"\n\r')
                  else field.value for field in self.fields)
        directories = {field.directory for field in self.fields if field.directory is not None}
        return Text(",".join(quoted), written, self.span,
                    self.complete and len(directories) <= 1 and all(field.resolved for field in self.fields),
                    next(iter(directories), None))


class PythonContainer(NamedTuple):
    """A container a Python file creates or starts."""

    api: str  # RUN, CREATE or TESTCONTAINERS
    builder: str  # what makes it: "docker.from_env", "docker.DockerClient", "testcontainers.postgres.PostgresContainer"
    span: Span  # the `containers.run(...)` call, or the testcontainers constructor
    image: Optional[Text]  # None when not given (and testcontainers has no default for the class)
    image_is_default: bool = False  # the testcontainers class's own default image (see testcontainers.py)
    command: tuple[Text, ...] = ()  # the list items, or the string as one Text (docker-py splits it like a shell)
    volumes: tuple[Bind, ...] = ()
    mounts: tuple[MountCall, ...] = ()
    tmpfs: tuple[Text, ...] = ()  # `PATH[:OPTIONS]`, as `--tmpfs`
    volumes_from: tuple[Text, ...] = ()
    environment: tuple[Text, ...] = ()  # `KEY=VALUE`, as `-e`
    user: Optional[Text] = None
    working_dir: Optional[Text] = None
    platform: Optional[Text] = None
    name: Optional[Text] = None
    read_only: Optional[Flag] = None
    remove: Optional[Flag] = None  # docker-py removes the container when it exits, but not its anonymous volumes
    auto_remove: Optional[Flag] = None  # the engine removes the container and its anonymous volumes, as `--rm`
    detach: Optional[Flag] = None  # with `remove=True`, docker-py turns `auto_remove` on instead
    daemon: Optional[Text] = None  # `DockerClient(base_url=...)`: host paths are on that machine
    opaque: tuple[str, ...] = ()  # arguments given in a form not read: "volumes", "mounts", "*", "**"...
    throwaway: bool = False  # removed after use: testcontainers, `auto_remove=True`, or `remove=True` on run


class VolumeDeclaration(NamedTuple):
    """`client.volumes.create(...)`: a named volume, as `docker volume create`."""

    span: Span  # the call
    name: Optional[Text]  # None: the engine makes up a name
    driver: Optional[Text] = None
    options: tuple[Text, ...] = ()  # `driver_opts` as `KEY=VALUE`, as `--opt`
    labels: tuple[Text, ...] = ()  # `KEY=VALUE`
    builder: str = ""  # the client, as for containers
    daemon: Optional[Text] = None
    opaque: tuple[str, ...] = ()


class PythonLaunches(NamedTuple):
    """Everything one file says, or why it was not read (no finding comes of that: a file Python cannot
    parse is the Python linter's business)."""

    containers: tuple[PythonContainer, ...] = ()
    volumes: tuple[VolumeDeclaration, ...] = ()
    skipped: str = ""  # "" when the file was read
