"""Logical instructions -> build stages, with variables scoped the way BuildKit scopes them.

* ARGs before the first FROM are global: FROM and `--platform` see them, with their defaults.
  Inside a stage an ARG is visible only once declared; a bare `ARG X` re-imports the global default.
* ENV wins over ARG. ENV values a line sets are expanded with the values from before that line.
* A stage built FROM an earlier stage starts from that stage's ENV, USER, WORKDIR, SHELL, VOLUMEs
  and content (the inherited entries first, with their own spans and stage index). ARGs never
  cross stages. A base image's ENV is unknown: its variables stay symbolic (`$HOME`).
* A stage is Windows when its base image, `--platform` or parent stage says so, or when the stage
  plainly is (a `cmd`/`powershell` SHELL, USER ContainerUser/ContainerAdministrator, a drive-letter
  WORKDIR, VOLUME or destination). Paths are resolved once the whole stage is read, so a late hint
  still counts.
"""

from __future__ import annotations

import re
from collections import ChainMap
from typing import NamedTuple, Optional, Sequence, Union, overload

from dockerstore_lint.inputs.dockerfile.content import CopyStep, copy_content, place
from dockerstore_lint.inputs.dockerfile.lexer import Lexed, LogicalLine, heredoc_marker
from dockerstore_lint.inputs.dockerfile.rejections import rejection
from dockerstore_lint.inputs.dockerfile.runs import RunStep, may_change_files, parse_mounts, run_outputs, runs_as_script
from dockerstore_lint.inputs.dockerfile.syntax import (
    EXPANDED,
    KNOWN_INSTRUCTIONS,
    Arguments,
    name_values,
    parse_arguments,
)
from dockerstore_lint.inputs.dockerfile.words import MAX_EXPANDED, Budget, BudgetedScope, Expansion, Scope, Word, expand
from dockerstore_lint.model.container_paths import ContainerPath, container_path, looks_windows
from dockerstore_lint.model.dockerfile import INLINE_COMMENT, Instruction, Stage, VolumeDecl
from dockerstore_lint.model.images import ImageRef, image_os, parse_image
from dockerstore_lint.model.span import INVALID, Problem, Setting, Span

# Far beyond real Dockerfiles (a few hundred instructions, a dozen stages at most): a stage inherits its
# parent's content, so a chain of stages built one from the other grows with the square of its length.
MAX_INSTRUCTIONS = 10_000
MAX_STAGES = 100
_WINDOWS_SHELLS = frozenset(("cmd", "powershell"))
# `$NAME` or `${NAME...` in a RUN: a name as the expansion reads it (letters and digits of any script)
_VARIABLE_USE = re.compile(r"\$\{?(\w+)")
# the built-in accounts of Windows container images
_WINDOWS_USERS = frozenset(("containeradministrator", "containeruser"))


class _WorkdirStep(NamedTuple):
    text: str
    resolved: bool
    span: Span


class _VolumeStep(NamedTuple):
    text: str
    span: Span
    malformed: Optional[str]


_Step = Union[_WorkdirStep, _VolumeStep, CopyStep, RunStep]


class _Draft:
    """A stage while its instructions are read."""

    __slots__ = ("index", "name", "base", "platform", "parent", "span", "env", "user", "shell", "budget", "args",
                 "instructions", "steps")

    def __init__(self, index: int, name: Optional[str], base: ImageRef, platform: Optional[str],
                 parent: Optional[int], span: Span, env: dict[str, tuple[str, bool]], user: Optional[Setting],
                 shell: Optional[Setting], budget: Budget) -> None:
        self.index = index
        self.name = name
        self.base = base
        self.platform = platform
        self.parent = parent
        self.span = span
        self.env = env
        self.user = user
        self.shell = shell
        self.budget = budget
        self.args: dict[str, tuple[str, bool]] = {}
        self.instructions: list[Instruction] = []
        self.steps: list[_Step] = []

    @property
    def scope(self) -> BudgetedScope:
        return BudgetedScope(ChainMap(self.env, self.args), self.budget)


def build_stages(lexed: Lexed, file: str) -> tuple[tuple[Stage, ...], tuple[Problem, ...]]:
    builder = _Builder(file, lexed.escape)
    stages = 0
    for number, line in enumerate(lexed.instructions):
        stages += line.keyword == "FROM"
        if number == MAX_INSTRUCTIONS or stages > MAX_STAGES:
            limit = f"{MAX_STAGES} build stages" if stages > MAX_STAGES else f"{MAX_INSTRUCTIONS:,} instructions"
            builder.problem(f"more than {limit}: the rest of the file is not analysed", line.keyword_span(file))
            break
        builder.add(line)
    return builder.finish(bool(lexed.instructions))


class _Builder:
    def __init__(self, file: str, escape: str) -> None:
        self.file = file
        self.escape = escape
        self.problems: list[Problem] = []
        self.globals: dict[str, tuple[str, bool]] = {}  # global ARGs that have a value
        self.budget = Budget()  # what variables may expand to in the whole file
        self.over_budget = False  # reported
        self.stages: list[Stage] = []
        self.stage_names: list[str] = []  # lower-cased, "" for an unnamed stage
        self.named_stages: dict[str, int] = {}  # lower-cased name -> the last stage of that name
        self.stage_envs: list[dict[str, tuple[str, bool]]] = []
        self.draft: Optional[_Draft] = None
        self.refused: Optional[LogicalLine] = None  # the last instruction with a word that cannot be expanded

    # --- reading ---------------------------------------------------------------------------

    def add(self, line: LogicalLine) -> None:
        keyword = line.keyword
        arguments = parse_arguments(keyword, line.text, line.arguments_at, self.escape)
        if keyword not in KNOWN_INSTRUCTIONS:
            self.problem(_unknown(keyword), line.keyword_span(self.file))
            self.record(line, arguments, tuple(word.raw for word in arguments.words))
            return
        rejected = rejection(keyword, arguments)
        if rejected:
            message, word = rejected
            self.problem(message, line.span(self.file, word.start, word.end) if word else line.whole(self.file))
        if keyword == "FROM":
            self.start_stage(line, arguments)
        elif self.draft is None:
            if keyword != "ARG":
                self.problem(f"{keyword} before the first FROM: only ARG may come before FROM, Docker refuses "
                             "the file", line.whole(self.file))
            elif not rejected:
                self.global_args(line, arguments)
        elif rejected:
            self.record(line, arguments, tuple(word.raw for word in arguments.words))
        else:
            self.dispatch(line, arguments)

    @property
    def open_draft(self) -> _Draft:
        """The stage being read: only ARG comes before the first FROM, and `add` handles it there."""
        assert self.draft is not None
        return self.draft

    def dispatch(self, line: LogicalLine, arguments: Arguments) -> None:
        draft = self.open_draft
        keyword = line.keyword
        span = line.whole(self.file)
        order = len(draft.instructions)
        if keyword in ("ENV", "ARG", "LABEL"):
            self.name_values(line, arguments)
            return
        if keyword not in EXPANDED:
            self.record(line, arguments, tuple(word.raw for word in arguments.words))
            if keyword == "SHELL":
                draft.shell = Setting(" ".join(word.raw for word in arguments.words), span)
            elif keyword == "RUN":
                draft.steps.append(self.run_step(line, arguments, span, order))
            return
        expanded = [self.expand(line, word, draft.scope) for word in arguments.words]
        self.record(line, arguments, tuple(item.text for item in expanded))
        if keyword == "USER":
            draft.user = Setting(expanded[0].text, span, expanded[0].resolved)
        elif keyword == "WORKDIR":
            draft.steps.append(_WorkdirStep(expanded[0].text, expanded[0].resolved, span))
        elif keyword == "VOLUME":
            malformed = None if arguments.json_form else _malformed_json(arguments.text)
            if malformed is None and not arguments.json_form and any(w.startswith("#") for w in arguments.text.split()):
                malformed = INLINE_COMMENT
            for word, item in zip(arguments.words, expanded, strict=True):
                if item.text:
                    draft.steps.append(_VolumeStep(item.text, line.span(self.file, word.start, word.end), malformed))
        elif keyword in ("COPY", "ADD"):
            draft.steps.append(self.copy_step(line, arguments, expanded, span, order))

    def name_values(self, line: LogicalLine, arguments: Arguments) -> None:
        """ENV, ARG, LABEL: every value is expanded with the variables from before the line."""
        draft = self.open_draft
        assigned = self.assignments(line, arguments, draft.scope)
        self.record(line, arguments, tuple(name if value is None else f"{name}={value.text}"
                                           for name, value in assigned))
        for name, value in assigned:
            if line.keyword == "ENV" and value is not None:  # (it always has one: only ARG may have none)
                draft.env[name] = (value.text, value.resolved)
            elif line.keyword == "ARG":
                if value is not None:
                    draft.args[name] = (value.text, value.resolved)
                elif name in self.globals:
                    draft.args[name] = self.globals[name]
                else:
                    draft.args.pop(name, None)  # declared without a value: set by the build, if at all

    def global_args(self, line: LogicalLine, arguments: Arguments) -> None:
        for name, value in self.assignments(line, arguments, self.global_scope):
            if value is None:
                self.globals.pop(name, None)
            else:
                self.globals[name] = (value.text, value.resolved)

    def assignments(self, line: LogicalLine, arguments: Arguments,
                    scope: Scope) -> list[tuple[str, Optional[Expansion]]]:
        """`name=value` pairs expanded against one scope, the one from before the line."""
        pairs, _ = name_values(line.keyword, arguments)
        return [(self.expand(line, name, scope).text, self.expand(line, value, scope) if value is not None else None)
                for name, value in pairs]

    def start_stage(self, line: LogicalLine, arguments: Arguments) -> None:
        self.close_stage()
        words = arguments.words
        expanded = [self.expand(line, word, self.global_scope).text for word in words]
        base = expanded[0] if words else ""
        name = words[2].raw if len(words) == 3 and words[1].raw.lower() == "as" else None
        platform_values = arguments.flag_values().get("platform")
        platform = expand(platform_values[-1], self.global_scope, self.escape).text if platform_values else None
        parent = None
        if base and "$" not in base:
            parent = self.named_stages.get(base.lower())
        inherited = self.stages[parent] if parent is not None else None
        self.draft = _Draft(
            index=len(self.stages),
            name=name,
            base=parse_image(base),
            platform=platform,
            parent=parent,
            span=line.whole(self.file),
            env=dict(self.stage_envs[parent]) if parent is not None else {},
            user=inherited.user if inherited else None,
            shell=inherited.shell if inherited else None,
            budget=self.budget,
        )
        self.record(line, arguments, tuple(expanded))

    def copy_step(self, line: LogicalLine, arguments: Arguments, expanded: list[Expansion], span: Span,
                  order: int) -> CopyStep:
        sources, heredocs = [], []
        for word, item in zip(arguments.words[:-1], expanded[:-1], strict=True):
            marker = heredoc_marker(word.raw)
            if marker is None:
                sources.append(item.text)
            else:
                heredocs.append(marker[0])
        flags = arguments.flag_values()
        origin = flags.get("from")
        from_stage = expand(origin[-1], self.open_draft.scope, self.escape).text if origin else None
        return CopyStep(line.keyword, tuple(sources), tuple(heredocs), expanded[-1].text, from_stage, span, order,
                        parents=flags.get("parents", ("false",))[-1].lower() != "false")

    def run_step(self, line: LogicalLine, arguments: Arguments, span: Span, order: int) -> RunStep:
        scope = self.open_draft.scope
        mounts = parse_mounts(arguments.flag_values().get("mount", ()), scope, self.escape)
        text = arguments.text + "".join(f"\n{body}{marker}" for marker, body in line.heredocs)
        argv: tuple[str, ...] = ()
        if arguments.json_form:
            argv = tuple(word.raw for word in arguments.words)
            script = ""
            if len(argv) > 2 and argv[1] == "-c":  # ["/bin/sh", "-c", "script"]
                script, argv = argv[2], ()
        elif line.heredocs and runs_as_script(arguments.text):
            script = "\n".join(body for _, body in line.heredocs)
        else:
            script = arguments.text
        if not may_change_files(script or " ".join(argv)):
            script, argv = "", ()
        # the shell sees ENV and ARG values; keep them only for the RUNs worth a closer look
        return RunStep(text, script, argv, span, order, mounts, _referenced(scope, script + " ".join(argv)))

    def record(self, line: LogicalLine, arguments: Arguments, args: tuple[str, ...]) -> None:
        if self.draft is None:
            return
        self.draft.instructions.append(Instruction(
            keyword=line.keyword,
            value=line.text[line.arguments_at:],
            span=line.whole(self.file),
            flags=arguments.flag_values(),
            args=args,
            json_form=arguments.json_form,
            heredocs=line.heredocs,
        ))

    @property
    def global_scope(self) -> BudgetedScope:
        return BudgetedScope(self.globals, self.budget)

    def expand(self, line: LogicalLine, word: Word, scope: Scope) -> Expansion:
        result = expand(word.raw, scope, self.escape)
        self.report_budget(line.span(self.file, word.start, word.end))
        if result.error and self.refused is not line:
            self.refused = line  # Docker stops at the first word it cannot expand
            self.problem(f"{line.keyword} cannot expand {word.raw}: {result.error}",
                         line.span(self.file, word.start, word.end))
        return result

    def report_budget(self, span: Span) -> None:
        """Once the budget is spent, say so once, where it was noticed first."""
        if self.budget.spent and not self.over_budget:
            self.over_budget = True
            self.problem(f"variables expand to more than {MAX_EXPANDED:,} characters: from here on they are left "
                         "unexpanded", span)

    def problem(self, message: str, span: Span) -> None:
        self.problems.append(Problem(INVALID, message, span))

    # --- finishing ---------------------------------------------------------------------------

    def close_stage(self) -> None:
        if self.draft is not None:
            self.stages.append(self.finish_stage(self.draft))
            name = self.draft.name.lower() if self.draft.name else ""
            self.stage_names.append(name)
            if name:
                self.named_stages[name] = self.draft.index
            self.stage_envs.append(self.draft.env)
            self.draft = None

    def finish(self, has_instructions: bool) -> tuple[tuple[Stage, ...], tuple[Problem, ...]]:
        self.close_stage()
        self.report_budget(Span.point(self.file, 1))  # spent by a RUN, read once its stage is complete
        if not self.stages:
            message = ("no FROM instruction: Docker needs one to start a build stage" if has_instructions
                       else "the Dockerfile has no instructions: Docker refuses to build it")
            self.problem(message, Span.point(self.file, 1))
        return tuple(self.stages), tuple(self.problems)

    def finish_stage(self, draft: _Draft) -> Stage:
        parent = self.stages[draft.parent] if draft.parent is not None else None
        os = _stage_os(draft, parent)
        workdir_setting = parent.workdir if parent else None
        if workdir_setting:
            workdir = container_path(workdir_setting.value, os)
        else:
            first = parent
            while first is not None and first.parent is not None:
                first = self.stages[first.parent]
            workdir = _base_workdir(first.base if first is not None else draft.base, os)
        known_directories = [workdir]
        volumes = list(parent.volumes) if parent else []
        content = list(parent.content) if parent else []
        runs = []
        stage_names = _StageNames(self.stage_names, self.named_stages)
        for step in draft.steps:
            if isinstance(step, _WorkdirStep):
                workdir = place(workdir, step.text)
                workdir_setting = Setting(workdir.text, step.span, step.resolved and workdir.resolved)
                known_directories.append(workdir)
            elif isinstance(step, _VolumeStep):
                volumes.append(VolumeDecl(container_path(step.text, os), step.span, step.malformed, draft.index))
            elif isinstance(step, CopyStep):
                entry = copy_content(step, workdir, known_directories, stage_names, draft.index,
                                     self.made_file(step))
                content.append(entry)
                if not entry.is_file:
                    known_directories.append(entry.path)
            else:
                run, made = run_outputs(step, workdir, draft.index)
                runs.append(run)
                content.extend(made)
        return Stage(
            index=draft.index,
            name=draft.name,
            base=draft.base,
            platform=draft.platform,
            parent=draft.parent,
            span=draft.span,
            os=os,
            instructions=tuple(draft.instructions),
            user=draft.user,
            workdir=workdir_setting,
            env={name: value for name, (value, _) in draft.env.items()},
            shell=draft.shell,
            volumes=tuple(volumes),
            content=tuple(content),
            runs=tuple(runs),
        )


    def made_file(self, step: CopyStep) -> bool:
        """Whether the earlier stage a `COPY --from` names made its lone source as a file (`go build -o /out/api`)."""
        if step.from_stage is None or len(step.sources) != 1 or step.heredocs:
            return False
        name = step.from_stage.lower()
        index = self.named_stages.get(name, int(name) if name.isdecimal() else None)
        if index is None or index >= len(self.stages):
            return False  # an image, not a stage: what it holds is not known
        source = self.stages[index]
        # a relative source is taken from the stage's root, not its WORKDIR
        path = place(container_path("/", source.os), step.sources[0])
        return any(content.is_file and content.path.same(path) for content in source.content)


class _StageNames(Sequence[str]):
    """The earlier stages' names as a list, with a quick `in`: a file may have thousands of stages."""

    def __init__(self, names: list[str], named: dict[str, int]) -> None:
        self.names = names
        self.named = named

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: Union[int, slice]) -> Union[str, list[str]]:
        return self.names[index]

    def __len__(self) -> int:
        return len(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.named or (name == "" and "" in self.names)


def _referenced(scope: BudgetedScope, text: str) -> BudgetedScope:
    """The variables of `scope` that `text` may use, as they are now: a RUN keeps these for later,
    and a copy of every variable for every RUN would grow with the square of the file."""
    names = set(_VARIABLE_USE.findall(text))
    return BudgetedScope({name: scope.scope[name] for name in names if name in scope.scope}, scope.budget)


def _base_workdir(base: ImageRef, os: str) -> ContainerPath:
    """Where RUN starts in a stage with no WORKDIR of its own: the base image's WORKDIR when the knowledge
    base knows it (php:*-apache works in /var/www/html), else the root."""
    from dockerstore_lint.knowledge import image_facts

    facts = image_facts(base) if base.name != "scratch" else None
    if facts is not None and facts.workdir is not None and facts.workdir.os == os:
        return facts.workdir
    return container_path("C:\\" if os == "windows" else "/", os)


def _stage_os(draft: _Draft, parent: Optional[Stage]) -> str:
    if parent is not None:
        if parent.os == "windows":
            return "windows"
    elif image_os(draft.base) == "windows":
        return "windows"
    if draft.platform and draft.platform.lower().startswith("windows"):
        return "windows"
    if draft.shell and _program(draft.shell.value) in _WINDOWS_SHELLS:
        return "windows"
    if draft.user and draft.user.value.lower() in _WINDOWS_USERS:
        return "windows"
    paths = (step.destination if isinstance(step, CopyStep) else step.text
             for step in draft.steps if not isinstance(step, RunStep))
    return "windows" if any(looks_windows(path) for path in paths) else "linux"


def _program(shell: str) -> str:
    first = shell.split(" ", 1)[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    return first.removesuffix(".exe")


def _malformed_json(text: str) -> Optional[str]:
    """Why `VOLUME [...]` is not the JSON array it looks like (Docker then takes the words literally,
    brackets and quotes included), or None when it is one or does not look like one."""
    if not text.startswith("["):
        return None
    if "'" in text and '"' not in text:
        reason = "JSON strings need double quotes"
    elif not text.rstrip().endswith("]") or text.count("[") != text.count("]"):
        reason = "the brackets are unbalanced"
    elif '"' not in text:
        reason = "the paths are not quoted"
    elif '" "' in " ".join(text.split()):
        reason = "a comma is missing between the paths"
    else:
        reason = "it is not valid JSON"
    return reason


def _unknown(keyword: str) -> str:
    import difflib

    close = difflib.get_close_matches(keyword, sorted(KNOWN_INSTRUCTIONS), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown instruction: {keyword}{hint}; Docker refuses the file"
