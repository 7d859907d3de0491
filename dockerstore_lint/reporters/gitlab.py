"""`--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`).

A JSON array of Code Climate issues, with the fields GitLab reads. The merge request widget compares
reports by `fingerprint`, so it must not change when unrelated edits move a finding (fingerprints.py).
Suppressed findings are left out.
"""

from __future__ import annotations

from typing import Callable

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.fingerprints import fingerprints
from dockerstore_lint.reporters.json_stream import Streamed, dump
from dockerstore_lint.text.escape import JSON_ERRORS

ERRORS = JSON_ERRORS

SEVERITIES = {"error": "major", "warning": "minor", "note": "info"}


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    shown = [f for f in findings if f.suppressed is None]
    issues = ({
        "description": f.text,
        "check_name": f.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[f.level],
        "location": {"path": f.span.file, "lines": {"begin": f.span.line, "end": f.span.end_line}},
    } for f, fingerprint in zip(shown, fingerprints(shown, context), strict=True))
    # no BOM and plain UTF-8: GitLab's parser refuses a BOM
    dump(Streamed(issues), out)
