"""`--format json`: a stable document of findings for scripts (the schema is in the README).

Version 1: keys may be added, never removed or changed. Every finding is listed, suppressed ones
too, with `suppressed` saying why ("inSource" or "external"), so a script can count them.
"""

from __future__ import annotations

import json

from ..docs import help_uri
from ..model import Span
from ..registry import by_code
from ..rule import Finding
from . import ReportContext

SCHEMA_VERSION = 1


def render(findings: list[Finding], context: ReportContext) -> str:
    rules = by_code()
    document = {"version": SCHEMA_VERSION, "findings": [finding_json(f, rules) for f in findings]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def finding_json(finding: Finding, rules: dict) -> dict:
    return {
        "code": finding.code,
        "name": finding.name,
        "level": finding.level,
        "message": finding.message,
        **_location(finding.span),
        "related": [{**_location(r.span), "message": r.message} for r in finding.related],
        "suppressed": finding.suppressed,
        "url": help_uri(rules[finding.code]),
    }


def _location(span: Span) -> dict:
    return {"file": span.file, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}
