"""The rule-author API: what a rule is, and what it yields.

A rule is a class in its own file under `rules/`, with literal metadata (`code`, `name`, `level`),
a docstring in fixed sections (What it does / Why it matters / Example / Fix), and one or more of
the hooks below. Hooks receive model objects and yield `Finding`s; they never read files, parse
text or format output.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple, Optional

from dockerstore_lint.model.compose import Project, Service
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.span import Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.text.elide import shorten_message

LEVELS = ("error", "warning", "note")
LEVEL_RANK = {"none": 0, "note": 1, "warning": 2, "error": 3}
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix")
# related locations kept per finding (a bind mount over a directory of thousands of image paths)
MAX_RELATED = 50


class Related(NamedTuple):
    span: Span
    message: str


class Finding(NamedTuple):
    code: str
    name: str
    level: str
    message: str
    span: Span
    related: tuple[Related, ...] = ()
    suppressed: Optional[str] = None  # "inSource" (a comment) or "external" (configuration)

    def with_level(self, level: str) -> "Finding":
        return self._replace(level=level)

    @property
    def sort_key(self) -> tuple:
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)


class Rule:
    code: str = ""
    name: str = ""
    level: str = "warning"

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        """Called once per run (for facts about files, not their contents)."""
        return iter(())

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        """Called once per Dockerfile."""
        return iter(())

    def project(self, project: Project) -> Iterator[Finding]:
        """Called once per Compose project."""
        return iter(())

    def service(self, service: Service, project: Project) -> Iterator[Finding]:
        """Called once per service of every Compose project."""
        return iter(())

    def finding(self, span: Span, message: str, related: tuple[Related, ...] = ()) -> Finding:
        # what a message quotes from a file is shortened here, once for every format: a megabyte-long name
        # quoted by thousands of findings made gigabytes of report
        related = tuple(Related(item.span, shorten_message(item.message)) for item in related[:MAX_RELATED])
        return Finding(self.code, self.name, self.level, shorten_message(message), span, related)

    @classmethod
    def hooks(cls) -> tuple[str, ...]:
        """The hooks this rule overrides, so the engine calls nothing else."""
        return tuple(h for h in ("workspace", "dockerfile", "project", "service")
                     if getattr(cls, h) is not getattr(Rule, h))


class InputProblemRule(Rule):
    """A rule that reports the input problems the parsers recorded under its code."""

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        for problem in workspace.all_problems():
            if problem.code == self.code:
                yield self.finding(problem.span, problem.message)
