"""Reporters: findings -> text for a format. One module per format, imported only when asked for.

Each module's `write(findings, context, out)` hands the report to `out` piece by piece (a finding at a
time where the format allows), so that a report is never held whole in memory; `ERRORS` says how the
bytes of a name that is not UTF-8 are written (text/escape.py).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional, cast

from dockerstore_lint.finding import Finding
from dockerstore_lint.rule import Rule
from dockerstore_lint.text.comments import CommentSyntax

if TYPE_CHECKING:
    from typing import Protocol

    class Reporter(Protocol):
        """What a format's module has."""

        ERRORS: str  # the error handler that writes a name's bytes that are not UTF-8

        def write(self, findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None: ...


class ReportContext(NamedTuple):
    rules: list[type[Rule]]  # every rule that ran, for formats that describe them (SARIF)
    files: int  # how many files were linted
    lines_of: Callable[[str], tuple[list[str], CommentSyntax]]
    color: bool = False
    show_source: bool = False
    quiet: bool = False
    sarif_category: Optional[str] = None
    cwd: Path = Path(".")
    unsafe_fixes: bool = False  # `--unsafe-fixes`: unsafe fixes count as fixable


_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "github": "github", "gitlab": "gitlab",
            "junit": "junit", "checkstyle": "checkstyle", "sonarqube": "sonarqube"}


def reporter(output_format: str) -> Reporter:
    return cast("Reporter", importlib.import_module(f"{__name__}.{_MODULES[output_format]}"))


def render(output_format: str, findings: list[Finding], context: ReportContext) -> str:
    """The whole report as one string (for tests and callers that want it so)."""
    pieces: list[str] = []
    reporter(output_format).write(findings, context, pieces.append)
    return "".join(pieces)
