"""`--format checkstyle`: Checkstyle's XML report, for Jenkins Warnings NG, reviewdog and other readers.

`<checkstyle version="4.3">`, then a `<file name="...">` per file with findings, holding an `<error>` per
finding with its `line`, `column`, `severity` (`error`, `warning` or `info`, Checkstyle's words), `message`
and `source`. The source is `dockerstore-lint.DSL102`, as ShellCheck and others write theirs: Warnings NG
takes the part after the last dot as the issue's type, reviewdog the whole as its code. Version 4.3 is the
format's version that ESLint, hadolint and ShellCheck write. Suppressed findings are left out. Text is
escaped for XML (xml_text.py).
"""

from __future__ import annotations

from itertools import groupby
from typing import Callable

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.text import LABELS
from dockerstore_lint.reporters.xml_text import DECLARATION, attribute
from dockerstore_lint.text.escape import TEXT_ERRORS

ERRORS = TEXT_ERRORS

VERSION = "4.3"
SOURCE_PREFIX = "dockerstore-lint."


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    out(DECLARATION)
    out(f'<checkstyle version="{VERSION}">\n')
    shown = (f for f in findings if f.suppressed is None)
    # findings come sorted by file: one element per run of the same file
    for file, group in groupby(shown, key=lambda finding: finding.span.file):
        out(f'  <file name="{attribute(file)}">\n')
        for finding in group:
            out(f'    <error line="{finding.span.line}" column="{finding.span.column}" '
                f'severity="{LABELS[finding.level]}" message="{attribute(finding.text)}" '
                f'source="{SOURCE_PREFIX}{finding.code}"/>\n')
        out("  </file>\n")
    out("</checkstyle>\n")
