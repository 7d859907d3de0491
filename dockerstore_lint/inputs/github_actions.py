"""GitHub Actions workflows (`.github/workflows/*.yml`, `*.yaml`) -> container commands and job containers.

`jobs.<id>.steps[*].run` is a script for the step's shell: `shell:` of the step, else
`defaults.run.shell` of the job, then of the workflow, else bash (pwsh on a `windows` runner); bash
and sh are read by the shell path, pwsh and powershell by the PowerShell one, other shells (python,
cmd) not at all. Actions replaces `${{ ... }}` in the text before the shell sees it: `${{
github.workspace }}` is the repository (`HERE`, the directory that holds `.github`), any other
expression is unknown. `$GITHUB_WORKSPACE`, and `$PWD` unless a `working-directory` is set, are the
repository; `env:` values of the workflow, job and step that are plain text are known variables.

`jobs.<id>.container` and `jobs.<id>.services.<name>` are containers the runner creates for the job
and removes after it: `image`, `volumes` (`docker -v` strings) and `options` (more `docker create`
flags) are returned as `JobContainer`s, grouped per job. The runner splits `options` at blanks with
double quotes grouping (it is not a POSIX shell: single quotes are ordinary characters there).

A job's `run:` steps run on the machine `runs-on` picks. GitHub's hosted runners are virtual machines
made for the job and discarded after it, with the Docker daemon and every container and volume on it: the
containers those steps start are thrown away with the job, as with `--rm`. A self-hosted runner keeps its
daemon between jobs, so what a step leaves there stays: a job whose `runs-on` names the `self-hosted` label
(which every self-hosted runner has unless it was registered without its default labels) is judged like a
script. Any other `runs-on` (hosted and larger-runner labels, runner groups, an expression) is taken as a
hosted runner, rather than flagged on a guess.

Comments are YAML's: `#` to the end of the line.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import NamedTuple, Optional

from dockerstore_lint.inputs.shell.commands import (
    Budget,
    Commands,
    ShellContext,
    mentions_container_tool,
    opaque_mark,
)
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand, Word
from dockerstore_lint.text.sources import Source
from dockerstore_lint.text.yaml_nodes import YMap, YNode, YScalar, YSeq, load_yaml
from dockerstore_lint.text.yaml_scalars import scalar_text

SUFFIXES = (".yml", ".yaml")
COMMENT_PREFIX = "#"
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_WORKSPACE = re.compile(r"\s*github\.workspace\s*")
_BASH_SHELLS = frozenset({"bash", "sh"})
_POWERSHELL_SHELLS = frozenset({"pwsh", "powershell"})
_CURRENT_DIRECTORIES = frozenset({"", ".", "./", "${{ github.workspace }}"})


class JobContainer(NamedTuple):
    """A container the runner starts for a job: its `container:` (name "container") or a service."""

    job: str
    name: str
    image: Optional[Word]
    volumes: tuple[Word, ...]
    options: tuple[Word, ...]
    span: Span  # the `container` key or the service's name
    directory: Path  # what `HERE` stands for in its words


class JobContainers(NamedTuple):
    job: str
    span: Span  # the job's key
    containers: tuple[JobContainer, ...]


def claims(path: PurePath) -> bool:
    """A file in `.github/workflows/` (not below it) named `*.yml` or `*.yaml`."""
    return (path.name.endswith(SUFFIXES) and path.parent.name == "workflows"
            and path.parent.parent.name == ".github")


def may_hold_containers(text: str) -> bool:
    return mentions_container_tool(text) or "container:" in text or "services:" in text


def repository_root(path: Path) -> Path:
    return path.parent.parent.parent


def read_workflow(source: Source) -> Commands:
    if not may_hold_containers(source.text):
        return Commands()
    root = repository_root(source.path)
    loaded = load_yaml(source.text, source.file, root)
    problems = tuple(loaded.problems)
    workflow = loaded.documents[0] if loaded.documents else None
    if not isinstance(workflow, YMap):
        return Commands(problems=problems)
    origin = FileText(source.file, source.text)
    jobs_node = workflow.get("jobs")
    if not isinstance(jobs_node, YMap):
        return Commands(problems=problems)
    commands: list[SimpleCommand] = []
    discarded: list[bool] = []
    jobs: list[JobContainers] = []
    budget = Budget(source.file)
    workflow_env = _environment(workflow.get("env"), {})
    for key, job in jobs_node.pairs:
        if not isinstance(job, YMap):
            continue
        containers = _job_containers(key.value, job, origin, root)
        if containers:
            jobs.append(JobContainers(key.value, key.span, containers))
        steps = job.get("steps")
        if not isinstance(steps, YSeq):
            continue
        job_env = _environment(job.get("env"), workflow_env)
        hosted = not _self_hosted(job.get("runs-on"))
        for step in steps.items:
            if isinstance(step, YMap) and isinstance(step.get("run"), YScalar):
                found = _run_commands(step, job, workflow, job_env, origin, root, budget)
                commands.extend(found)
                discarded.extend([hosted] * len(found))
    return Commands(tuple(commands), problems + budget.problems(), tuple(discarded), tuple(jobs))


def _self_hosted(runs_on: Optional[YNode]) -> bool:
    """Whether `runs-on` asks for a self-hosted runner: the `self-hosted` label, alone, in a list, or in the
    `labels` of a runner group."""
    if isinstance(runs_on, YMap):
        runs_on = runs_on.get("labels")
    return "self-hosted" in _text(runs_on).lower().split()


def _run_commands(step: YMap, job: YMap, workflow: YMap, job_env: dict[str, str], origin: FileText,
                  root: Path, budget: Budget) -> tuple[SimpleCommand, ...]:
    run = step.get("run")
    assert isinstance(run, YScalar)
    if not mentions_container_tool(run.value.lower()) or not budget.parse(run.span):
        return ()
    shell = _setting(step, job, workflow, "shell")
    if shell is None:
        shell = "pwsh" if "windows" in _text(job.get("runs-on")).lower() else "bash"
    program = shell.split(None, 1)[0].rsplit("/", 1)[-1] if shell.strip() else "bash"
    if program not in _BASH_SHELLS and program not in _POWERSHELL_SHELLS:
        return ()
    environment = dict(_environment(step.get("env"), job_env))
    environment.update({"GITHUB_WORKSPACE": HERE, "HOME": HOME})
    directory = _setting(step, job, workflow, "working-directory")
    if directory is None or directory.strip() in _CURRENT_DIRECTORIES:
        environment["PWD"] = HERE
    text, opaque = substitute_expressions(scalar_text(run, origin))
    context = ShellContext(root, environment, False, opaque)
    if program in _POWERSHELL_SHELLS:
        from dockerstore_lint.inputs.shell.powershell import powershell_commands

        return budget.keep(powershell_commands(text, context, budget.commands))
    from dockerstore_lint.inputs.shell.bash import bash_commands

    return budget.keep(bash_commands(text, context, budget.commands))


def substitute_expressions(text: Embedded) -> tuple[Embedded, tuple[str, ...]]:
    """The text as the shell gets it: `${{ github.workspace }}` is `HERE`, other expressions are
    unknown (each an opaque mark for the shell path, standing for the expression as written)."""
    if "${{" not in text.text:
        return text, ()
    builder = EmbeddedBuilder(text.origin)
    opaque: list[str] = []
    at = 0
    for match in _EXPRESSION.finditer(text.text):
        builder.extend(text, at, match.start())
        start, end = text.file_range(match.start(), match.end())
        if _WORKSPACE.fullmatch(match.group(1)):
            builder.insert(HERE, start, end)
        else:
            opaque.append(text.written(match.start(), match.end()))
            builder.insert(opaque_mark(len(opaque) - 1), start, end)
        at = match.end()
    builder.extend(text, at)
    return builder.build(), tuple(opaque)


def _setting(step: YMap, job: YMap, workflow: YMap, name: str) -> Optional[str]:
    own = step.get(name)
    if isinstance(own, YScalar) and not own.is_null:
        return own.value
    for level in (job, workflow):
        defaults = level.get("defaults")
        run = defaults.get("run") if isinstance(defaults, YMap) else None
        value = run.get(name) if isinstance(run, YMap) else None
        if isinstance(value, YScalar) and not value.is_null:
            return value.value
    return None


def _environment(node: Optional[YNode], outer: dict[str, str]) -> dict[str, str]:
    """`env:` values that are plain text (no expression) over the outer level's."""
    environment = dict(outer)
    if isinstance(node, YMap):
        for key, value in node.pairs:
            if isinstance(value, YScalar) and not value.is_null and all(
                    _WORKSPACE.fullmatch(match.group(1)) for match in _EXPRESSION.finditer(value.value)):
                environment[key.value] = _EXPRESSION.sub(HERE, value.value)
            else:
                environment.pop(key.value, None)
    return environment


def _text(node: Optional[YNode]) -> str:
    if isinstance(node, YScalar):
        return node.value
    if isinstance(node, YSeq):
        return " ".join(item.value for item in node.items if isinstance(item, YScalar))
    return ""


def _job_containers(job: str, node: YMap, origin: FileText, root: Path) -> tuple[JobContainer, ...]:
    found = []
    container = node.get("container")
    key = node.key("container")
    if container is not None and key is not None and not (isinstance(container, YScalar) and container.is_null):
        found.append(_container(job, "container", key.span, container, origin, root))
    services = node.get("services")
    if isinstance(services, YMap):
        for name, service in services.pairs:
            found.append(_container(job, name.value, name.span, service, origin, root))
    return tuple(found)


def _container(job: str, name: str, span: Span, node: YNode, origin: FileText, root: Path) -> JobContainer:
    if isinstance(node, YScalar):
        return JobContainer(job, name, field_word(node, origin), (), (), span, root)
    image = volumes = options = None
    if isinstance(node, YMap):
        image, volumes, options = node.get("image"), node.get("volumes"), node.get("options")
    volume_words = tuple(field_word(item, origin) for item in volumes.items if isinstance(item, YScalar)) \
        if isinstance(volumes, YSeq) else ()
    option_words = runner_words(options, origin) if isinstance(options, YScalar) else ()
    return JobContainer(job, name, field_word(image, origin) if isinstance(image, YScalar) else None,
                        volume_words, option_words, span, root)


def field_word(scalar: YScalar, origin: FileText) -> Word:
    """A workflow value as one word: `${{ github.workspace }}` is `HERE`; another expression leaves
    it unresolved."""
    text = scalar_text(scalar, origin)
    return _word(text, 0, len(text.text))


def _word(text: Embedded, start: int, end: int, value: Optional[str] = None) -> Word:
    value = text.text[start:end] if value is None else value
    resolved = True
    if "${{" in value:
        resolved = all(_WORKSPACE.fullmatch(match.group(1)) for match in _EXPRESSION.finditer(value))
        if resolved:
            value = _EXPRESSION.sub(HERE, value)
        else:
            value = text.written(start, end)
    return Word(value, text.written(start, end), text.span(start, end), resolved)


def runner_words(scalar: YScalar, origin: FileText) -> tuple[Word, ...]:
    """The `options` string split as the runner hands it to `docker create`."""
    text = scalar_text(scalar, origin)
    source = text.text
    words = []
    at = 0
    while at < len(source):
        if source[at] in " \t\n":
            at += 1
            continue
        start, parts, quoted = at, [], False
        while at < len(source) and (quoted or source[at] not in " \t\n"):
            char = source[at]
            if char == "\\":
                slashes = len(source[at:]) - len(source[at:].lstrip("\\"))
                if source.startswith('"', at + slashes):  # backslashes before a quote escape in pairs
                    parts.append("\\" * (slashes // 2))
                    if slashes % 2:
                        parts.append('"')
                        at += slashes + 1
                    else:
                        at += slashes
                    continue
                parts.append("\\" * slashes)
                at += slashes
            elif char == '"':
                quoted = not quoted
                at += 1
            else:
                parts.append(char)
                at += 1
        words.append(_word(text, start, at, "".join(parts)))
    return tuple(words)
