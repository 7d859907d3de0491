"""`--format junit`: JUnit XML, for Jenkins' `junit` step and GitLab's `artifacts:reports:junit`.

One `<testsuite>` per file with findings, one failed `<testcase>` per finding: its `name` is the rule and
the position, its `classname` the file's path without its extension (Jenkins splits a class name at its
last dot into package and class, and would cut `compose.yaml` in two), its `file` and `line` attributes
where it is (GitLab shows `file`), and its `<failure>` the message, as the text report prints it. A run
without findings is one passing test case: Jenkins fails a build whose test report holds no test at all.
Suppressed findings are left out. Text is escaped for XML (xml_text.py).
"""

from __future__ import annotations

import os
from itertools import groupby
from typing import Callable

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.text import LABELS
from dockerstore_lint.reporters.xml_text import DECLARATION, attribute, text
from dockerstore_lint.text.escape import TEXT_ERRORS

ERRORS = TEXT_ERRORS

NAME = "dockerstore-lint"


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    shown = [f for f in findings if f.suppressed is None]
    count = len(shown)
    out(DECLARATION)
    out(f'<testsuites name="{NAME}" tests="{max(count, 1)}" failures="{count}" errors="0">\n')
    if not shown:
        noun = "file" if context.files == 1 else "files"
        out(f'  <testsuite name="{NAME}" tests="1" failures="0" errors="0" skipped="0">\n'
            f'    <testcase name="no findings in {context.files} {noun}" classname="{NAME}"/>\n'
            f'  </testsuite>\n')
    # findings come sorted by file: one suite per run of the same file
    for file, group in groupby(shown, key=lambda finding: finding.span.file):
        cases = list(group)
        out(f'  <testsuite name="{attribute(file)}" tests="{len(cases)}" failures="{len(cases)}" errors="0" '
            f'skipped="0">\n')
        classname = attribute(os.path.splitext(file)[0])
        for finding in cases:
            out(_case(finding, classname))
        out("  </testsuite>\n")
    out("</testsuites>\n")


def _case(finding: Finding, classname: str) -> str:
    span = finding.span
    name = f"{finding.code} {finding.name} at {span.line}:{span.column}"
    line = f"{span.file}:{span.line}:{span.column}: {LABELS[finding.level]}: {finding.text} [{finding.code}]"
    return (f'    <testcase name="{attribute(name)}" classname="{classname}" file="{attribute(span.file)}" '
            f'line="{span.line}">\n'
            f'      <failure message="{attribute(finding.text)}" type="{finding.level}">{text(line)}</failure>\n'
            f'    </testcase>\n')
