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
from typing import TYPE_CHECKING, Callable, Iterator

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.json_stream import Streamed, dump
from dockerstore_lint.text.escape import JSON_ERRORS

if TYPE_CHECKING:
    from _hashlib import HASH

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


def fingerprints(findings: list[Finding], context: ReportContext) -> Iterator[str]:
    """One fingerprint per finding, in order (findings come sorted by position)."""
    seen: dict[tuple[str, str, str], int] = {}
    # the triple and its hash so far, once per line and rule: one line may be megabytes long and have
    # thousands of findings
    started: dict[tuple[str, str, int], tuple[tuple[str, str, str], HASH]] = {}
    for finding in findings:
        where = (finding.code, finding.span.file, finding.span.line)
        if where not in started:
            key = (finding.code, finding.span.file, _line_text(finding, context))
            # a file name that is not UTF-8 is hashed as its bytes
            prefix = "".join(part + "\0" for part in key).encode("utf-8", "surrogateescape")
            started[where] = key, hashlib.md5(prefix, usedforsecurity=False)
        key, prefix_hash = started[where]
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        identity = prefix_hash.copy()
        identity.update(str(occurrence).encode("ascii"))
        yield identity.hexdigest()


def _line_text(finding: Finding, context: ReportContext) -> str:
    lines, _ = context.lines_of(finding.span.file)
    line = finding.span.line
    return lines[line - 1].strip() if 1 <= line <= len(lines) else ""
