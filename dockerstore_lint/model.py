"""The storage model: what each container's filesystem is made of, and where that was decided.

Parsers build it, rules read it, nothing else touches it. Every object a finding can point at
carries a `Span`. Values are what Docker or Compose would use (interpolated, merged, normalised),
not what the text literally says; unresolved variables stay visible as `$VAR` text and make
`resolved` false wherever it matters.
"""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every string annotation it is
# given, which for the fields of this module would add more than a millisecond to every run.
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, NamedTuple, Optional

from .paths import ContainerPath

# the default of mapping fields: one shared empty mapping, read-only so that no object can change another's
_EMPTY: Mapping = MappingProxyType({})


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns, `end_column` exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int = 1) -> "Span":
        return cls(file, line, column, line, column + 1)


class Problem(NamedTuple):
    """An input problem found while reading or parsing (reported as DSL001 or DSL004)."""

    code: str
    message: str
    span: Span


# --- Dockerfiles -------------------------------------------------------------------------------


class ImageRef(NamedTuple):
    """An image reference as written after variable expansion: `registry/repo:tag@digest`."""

    raw: str
    name: str  # lower-cased repository without registry `docker.io` and `library/` (`postgres`)
    tag: Optional[str]
    digest: Optional[str]
    resolved: bool  # False when a variable could not be expanded

    @property
    def display(self) -> str:
        return self.raw


class Instruction(NamedTuple):
    keyword: str  # upper-case: RUN, COPY, ...
    value: str  # argument text, continuations joined, heredoc bodies excluded
    span: Span  # from the keyword to the end of the last line
    flags: Mapping[str, tuple[str, ...]]  # leading --name=value options, in order per name
    args: tuple[str, ...]  # words after the flags, quotes removed, variables expanded
    json_form: bool  # exec form (a JSON array)
    heredocs: tuple[tuple[str, str], ...] = ()  # (marker, body)


class VolumeDecl(NamedTuple):
    """One path of a VOLUME instruction."""

    path: ContainerPath
    span: Span
    malformed: Optional[str] = None  # why `VOLUME [...]` is not the JSON array it looks like, if it is not
    stage: int = 0  # index of the stage whose instruction declared it


class Content(NamedTuple):
    """Files an instruction puts into the image at `path` (a directory unless `is_file`)."""

    path: ContainerPath
    instruction: str  # COPY, ADD, RUN, WORKDIR
    span: Span
    order: int  # position of the instruction in its stage, for before/after questions
    sources: tuple[str, ...] = ()  # COPY/ADD sources as written, relative to the build context
    from_stage: Optional[str] = None  # COPY --from
    what: str = ""  # a short description: "node_modules from `npm ci`"
    is_file: bool = False
    stage: int = 0


class RunMount(NamedTuple):
    """A `RUN --mount=...` flag: build-time only, never part of the image."""

    type: str
    target: Optional[str]
    options: Mapping[str, str]


class RunWrite(NamedTuple):
    """A path a RUN plainly changes, read from its command line (`mkdir`, `chown -R`, `> FILE`...)."""

    path: ContainerPath
    command: str  # the command, shortened, for messages
    recursive: bool = False  # `chown -R`: everything below `path` changes too


class Run(NamedTuple):
    text: str
    span: Span
    order: int
    workdir: ContainerPath
    mounts: tuple[RunMount, ...] = ()
    writes: tuple[RunWrite, ...] = ()


class Setting(NamedTuple):
    """A value set by an instruction (USER, WORKDIR, SHELL) with where it was set."""

    value: str
    span: Span
    resolved: bool = True


class Stage(NamedTuple):
    index: int
    name: Optional[str]
    base: ImageRef
    platform: Optional[str]
    parent: Optional[int]  # index of the earlier stage it builds FROM
    span: Span  # the FROM instruction
    os: str  # "linux" or "windows"
    instructions: tuple[Instruction, ...]
    # effective values at the end of the stage, inherited through `parent`
    user: Optional[Setting]
    workdir: Optional[Setting]
    env: Mapping[str, str]
    shell: Optional[Setting]
    volumes: tuple[VolumeDecl, ...]  # inherited ones first
    content: tuple[Content, ...]  # inherited ones first
    runs: tuple[Run, ...]

    @property
    def label(self) -> str:
        return self.name if self.name else f"#{self.index}"


class Dockerfile(NamedTuple):
    path: Path  # absolute
    file: str  # display path
    stages: tuple[Stage, ...]
    escape: str
    problems: tuple[Problem, ...] = ()

    def stage(self, target: Optional[str]) -> Optional[Stage]:
        """The stage `docker build --target` would build (the last one without a target)."""
        if not self.stages:
            return None
        if target is None:
            return self.stages[-1]
        for stage in self.stages:
            if stage.name is not None and stage.name.lower() == target.lower():
                return stage
        return None

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """The stage and the stages it is built FROM, nearest first."""
        chain = [stage]
        while chain[-1].parent is not None:
            chain.append(self.stages[chain[-1].parent])
        return tuple(chain)


# --- Compose ---------------------------------------------------------------------------------


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


class Workspace(NamedTuple):
    """Everything one run looked at."""

    root: Path
    projects: tuple[Project, ...]
    dockerfiles: tuple[Dockerfile, ...]
    problems: tuple[Problem, ...] = ()  # files that could not be read at all

    def all_problems(self) -> tuple[Problem, ...]:
        """Input problems of every file and project, each once."""
        found = dict.fromkeys(self.problems)
        for dockerfile in self.dockerfiles:
            found.update(dict.fromkeys(dockerfile.problems))
        for project in self.projects:
            found.update(dict.fromkeys(project.problems))
        return tuple(found)
