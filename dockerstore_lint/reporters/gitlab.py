"""`--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

A JSON array of Code Climate issues, with the fields GitLab reads. The merge request widget compares
reports by `fingerprint`, so it must not change when unrelated edits move a finding: it is made of
the rule, the file, the text of the finding's line (stripped of surrounding whitespace) and which
occurrence of that triple it is in the file, never of the line number or the message (which quotes
positions in other files). Renaming the file or editing the line gives a new fingerprint.
Suppressed findings are left out.
"""

from __future__ import annotations

import hashlib
import json

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext

SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


def render(findings: list[Finding], context: ReportContext) -> str:
    shown = [f for f in findings if f.suppressed is None]
    prints = fingerprints(shown, context)
    issues = [{
        "description": f.text,
        "check_name": f.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[f.level],
        "location": {"path": f.span.file, "lines": {"begin": f.span.line, "end": f.span.end_line}},
    } for f, fingerprint in zip(shown, prints)]
    # no BOM and plain UTF-8: GitLab's parser refuses a BOM
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def fingerprints(findings: list[Finding], context: ReportContext) -> list[str]:
    """One fingerprint per finding, in order (findings come sorted by position)."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for finding in findings:
        key = (finding.code, finding.span.file, _line_text(finding, context))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        identity = "\0".join((*key, str(occurrence)))
        out.append(hashlib.md5(identity.encode("utf-8"), usedforsecurity=False).hexdigest())
    return out


def _line_text(finding: Finding, context: ReportContext) -> str:
    lines, _ = context.lines_of(finding.span.file)
    line = finding.span.line
    return lines[line - 1].strip() if 1 <= line <= len(lines) else ""
