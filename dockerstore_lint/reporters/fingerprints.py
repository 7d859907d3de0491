"""Fingerprints that tell a finding apart from others and stay the same when unrelated edits move it.

Made of the rule, the file, the text of the finding's line (stripped of surrounding whitespace) and which
occurrence of that triple it is in the file, never of the line number or the message (which quotes
positions in other files). Renaming the file or editing the line gives a new fingerprint. GitLab's merge
request widget compares Code Quality reports by them, and SARIF consumers match results across runs by
them (`partialFingerprints`).
"""

from __future__ import annotations

import hashlib
from typing import Iterator

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext


def fingerprints(findings: list[Finding], context: ReportContext) -> Iterator[str]:
    """One fingerprint (32 hex digits) per finding, in order (findings come sorted by position)."""
    seen: dict[tuple[str, str, str], int] = {}
    # the triple and its hash so far, once per line and rule: one line may be megabytes long and have
    # thousands of findings
    started: dict[tuple[str, str, int], tuple[tuple[str, str, str], hashlib._Hash]] = {}
    for finding in findings:
        file, line = finding.span.file, finding.span.line
        where = (finding.code, file, line)
        if where not in started:
            lines = context.lines_of(file)[0]
            text = lines[line - 1].strip() if 1 <= line <= len(lines) else ""
            key = (finding.code, file, text)
            # a file name that is not UTF-8 is hashed as its bytes
            prefix = "".join(part + "\0" for part in key).encode("utf-8", "surrogateescape")
            started[where] = key, hashlib.md5(prefix, usedforsecurity=False)
        key, prefix_hash = started[where]
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        identity = prefix_hash.copy()
        identity.update(str(occurrence).encode("ascii"))
        yield identity.hexdigest()
