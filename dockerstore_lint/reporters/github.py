"""`--format github`: GitHub Actions workflow commands, which the runner turns into annotations.

`::warning file=compose.yaml,line=5,endLine=5,col=9,endColumn=33,title=DSL102 anonymous-volume::message`.
Control characters from names are escaped first, as in the text report (text/escape.py), so a
message is always one annotation line; then values are escaped the way the Actions toolkit does it
(`%`, CR and LF in the message; also `:` and `,` in properties). Columns are given only for a finding on one
line: the annotations API refuses them when the start and end lines differ. Suppressed findings are
not shown. A step keeps only 10 warnings and 10 errors; for more, upload SARIF.
"""

from __future__ import annotations

from typing import Callable

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.text.escape import TEXT_ERRORS, printable

ERRORS = TEXT_ERRORS

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    for finding in findings:
        if finding.suppressed is None:
            out(command(finding) + "\n")


def command(finding: Finding) -> str:
    span = finding.span
    properties = {"file": printable(span.file), "line": span.line, "endLine": span.end_line}
    if span.line == span.end_line:
        properties |= {"col": span.column, "endColumn": span.end_column}
    properties["title"] = f"{finding.code} {finding.name}"
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[finding.level]} {rendered}::{escape_data(printable(finding.text))}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
