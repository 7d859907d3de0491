"""`--format json`: a stable document of findings for scripts (the schema is in the README).

Version 1: keys may be added, never removed or changed. Every finding is listed, suppressed ones
too, with `suppressed` saying why ("inSource" or "external"), so a script can count them. `fix` is
the finding's fix (null when it has none): its title, whether `--fix` applies it alone ("safe") or only
with `--unsafe-fixes` ("unsafe"), and its edits, each a span of the text as read (end exclusive) and
the text that replaces it.
"""

from __future__ import annotations

from typing import Callable, Optional

from dockerstore_lint.docs import help_uri_of
from dockerstore_lint.finding import Finding, Fix
from dockerstore_lint.model.span import Span
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.json_stream import Streamed, dump
from dockerstore_lint.text.escape import JSON_ERRORS

ERRORS = JSON_ERRORS

SCHEMA_VERSION = 1


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    dump({"version": SCHEMA_VERSION, "findings": Streamed(finding_json(f) for f in findings)}, out)


def finding_json(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "name": finding.name,
        "level": finding.level,
        "message": finding.text,
        **_location(finding.span),
        "related": [{**_location(r.span), "message": r.message} for r in finding.related],
        "suppressed": finding.suppressed,
        "url": help_uri_of(finding.code),
        "fix": _fix(finding.fix),
    }


def _fix(fix: Optional[Fix]) -> Optional[dict[str, object]]:
    if fix is None or not fix.edits:
        return None
    return {"title": fix.title, "applicability": fix.applicability,
            "edits": [{**_location(edit.span), "text": edit.text} for edit in fix.edits]}


def _location(span: Span) -> dict[str, object]:
    return {"file": span.file, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}
