"""The rule-author API: what a rule is, what it looks at, and what it yields.

A rule is a class in its own file under `rules/`, named `dsl<code>_<name>.py`, with a literal `code`, a
default `level`, the `targets` it looks at, and a docstring in fixed sections (What it does / Why it
matters / Example / Fix). Its name is derived from the class name (`AnonymousVolume` is
`anonymous-volume`). For each target the engine calls the hook of that name:

- `dockerfile(dockerfile)`: once per Dockerfile;
- `container(container, group)`: once per container, wherever it is defined;
- `group(group)`: once per group of containers sharing volumes (a Compose project, a script);
- `workspace(workspace)`: once per run that has containers, to compare containers of different groups;
- `problems(problems)`: once per run, with the input problems the parsers found;
- `suppressions(unused)`: once per run, after the others, with the suppression comments that suppressed
  nothing.

Hooks receive model objects and yield `Finding`s; they never read files, parse text or format output.
"""

from __future__ import annotations

import re
from typing import ClassVar, Iterable, Iterator, NamedTuple, Optional

from dockerstore_lint.finding import Finding, Fix, Related
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.text.elide import shorten_message

LEVELS = ("error", "warning", "note")
LEVEL_RANK = {"none": 0, "note": 1, "warning": 2, "error": 3}
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix")
TARGETS = ("problems", "dockerfile", "container", "group", "workspace", "suppressions")

_WORD_START = re.compile(r"(?<!^)(?=[A-Z])")
# related locations kept per finding (a bind mount over a directory of thousands of image paths)
MAX_RELATED = 50


class UnusedDirective(NamedTuple):
    """A code in a suppression comment that suppressed no finding."""

    span: Span
    selector: str
    known: bool  # a rule's code or prefix
    whole_file: bool


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""  # derived from the class name
    level: ClassVar[str] = "warning"
    targets: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__()
        cls.name = _WORD_START.sub("-", cls.__name__).lower()

    def problems(self, problems: tuple[Problem, ...]) -> Iterator[Finding]:
        return iter(())

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        return iter(())

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        return iter(())

    def group(self, group: Group) -> Iterator[Finding]:
        return iter(())

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        return iter(())

    def suppressions(self, unused: list[UnusedDirective]) -> Iterator[Finding]:
        return iter(())

    def finding(self, span: Span, message: str, help: Optional[str] = None, related: Iterable[Related] = (),
                fix: Optional[Fix] = None, level: Optional[str] = None) -> Finding:
        """A finding of this rule; `level` lowers or raises this one from the rule's default."""
        # what a message quotes from a file is shortened here, once for every format: a megabyte-long name
        # quoted by thousands of findings made gigabytes of report
        kept = tuple(Related(item.span, shorten_message(item.message)) for item in tuple(related)[:MAX_RELATED])
        return Finding(self.code, self.name, level or self.level, shorten_message(message), span, kept,
                       help=shorten_message(help) if help else help,
                       fix=fix._replace(title=shorten_message(fix.title)) if fix is not None else None)


class InputProblemRule(Rule):
    """A rule that reports the input problems the parsers recorded under its code: one finding per file and
    cause, at its first position (a template read as a Dockerfile fails the same way on every line)."""

    targets = ("problems",)

    def problems(self, problems: tuple[Problem, ...]) -> Iterator[Finding]:
        repeated: dict[tuple[str, str], list[Problem]] = {}
        for problem in problems:
            if problem.code == self.code:
                repeated.setdefault((problem.span.file, problem.message), []).append(problem)
        for same in repeated.values():
            first = min(same, key=lambda problem: problem.span.start)
            more = f" (and {len(same) - 1} more times in this file)" if len(same) > 1 else ""
            yield self.finding(first.span, first.message + more)
