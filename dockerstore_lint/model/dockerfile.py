"""A parsed Dockerfile: its stages and what each declares (VOLUME, USER) and puts into the image."""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every string annotation it is
# given, which for the fields of this module would add more than a millisecond to every run.
from pathlib import Path
from typing import Mapping, NamedTuple, Optional

from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.images import ImageRef
from dockerstore_lint.model.span import Problem, Setting, Span


class Instruction(NamedTuple):
    keyword: str  # upper-case: RUN, COPY, ...
    value: str  # argument text, continuations joined, heredoc bodies excluded
    span: Span  # from the keyword to the end of the last line
    flags: Mapping[str, tuple[str, ...]]  # leading --name=value options, in order per name
    args: tuple[str, ...]  # words after the flags, quotes removed, variables expanded
    json_form: bool  # exec form (a JSON array)
    heredocs: tuple[tuple[str, str], ...] = ()  # (marker, body)


# why a VOLUME with `# ...` after its paths is malformed: Docker takes `#` and the words after it as paths
INLINE_COMMENT = "`#` starts a comment only at the start of a line"


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
    removes: bool = False  # `rm`: deletes the path (a glob in its last part: what matches it)
    makes_directory: bool = False  # `mkdir`: changes nothing where the directory is already there


class Run(NamedTuple):
    text: str
    span: Span
    order: int
    workdir: ContainerPath
    mounts: tuple[RunMount, ...] = ()
    writes: tuple[RunWrite, ...] = ()


class Stage(NamedTuple):
    # shadows tuple.index(), which no one calls on a stage; `stage.index` is read throughout
    index: int  # type: ignore[assignment]
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
    # it builds a Docker managed plugin's root filesystem (a plugin config.json beside it): the plugin runs with
    # what that config grants, not as USER
    plugin: bool = False
    # first words of ENTRYPOINT/CMD that start a script copied from beside it which runs the work as another user
    # (`exec gosu app "$@"`)
    steps_down: frozenset[str] = frozenset()

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

    def base_stage(self, stage: Stage) -> Stage:
        """The stage of `stage`'s lineage that starts from an image outside the Dockerfile."""
        return self.lineage(stage)[-1]

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """The stage and the stages it is built FROM, nearest first."""
        chain = [stage]
        while chain[-1].parent is not None:
            chain.append(self.stages[chain[-1].parent])
        return tuple(chain)
