"""`--format sonarqube`: SonarQube's generic external issues report (`sonar.externalIssuesReportPaths`).

The format of SonarQube Server 10.3 and later, and SonarQube Cloud: `rules` describes each rule that has an
issue (its `engineId` is dockerstore-lint, its impact a software quality with a severity), and `issues`
holds one issue per finding, which names its rule and has no `severity` or `type` of its own (the scanner
refuses those in this format). Paths are relative to the current directory: run the scanner with
`sonar.projectBaseDir` there. Issues on files the scanner does not index are dropped by the scanner.

SonarQube counts columns from 0 in UTF-16 code units and refuses the whole report for a position past the
end of a line or a range that is empty, so ranges are converted with the file's lines; when that cannot be
done (the file was not read, the span is empty), the issue is on its whole line. A secondary location
needs a range, so one that has none is left out. Suppressed findings are left out.
"""

from __future__ import annotations

from typing import Callable, Optional

from dockerstore_lint import docs
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.span import Span
from dockerstore_lint.registry import rule_class, targets
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.json_stream import Streamed, dump
from dockerstore_lint.reporters.security import SECURITY_SEVERITY
from dockerstore_lint.text.escape import JSON_ERRORS

ERRORS = JSON_ERRORS

ENGINE = "dockerstore-lint"
# HIGH, MEDIUM and LOW are the impact severities every version with this format knows (BLOCKER and INFO
# came later)
IMPACT_SEVERITY = {"error": "HIGH", "warning": "MEDIUM", "note": "LOW"}
INPUT_TARGETS = frozenset({"problems", "suppressions"})


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    shown = [f for f in findings if f.suppressed is None]

    levels: dict[str, str] = {}
    for finding in shown:
        levels.setdefault(finding.code, finding.level)
    rules = [_rule(code, level) for code, level in sorted(levels.items())]
    dump({"rules": rules, "issues": Streamed(_issue(finding, context) for finding in shown)}, out)


def _rule(code: str, level: str) -> dict[str, object]:
    """A rule as SonarQube describes it; its impact's severity is that of its first issue (a rule's findings
    share a level unless the configuration changes it, and then it is the configured one)."""
    rule = rule_class(code)
    summary = docs.summary(rule)
    uri = docs.help_uri(rule)
    if code in SECURITY_SEVERITY:
        quality, attribute = "SECURITY", "TRUSTWORTHY"
    elif set(targets(code)) <= INPUT_TARGETS:
        quality, attribute = "MAINTAINABILITY", "CONVENTIONAL"
    else:
        quality, attribute = "RELIABILITY", "LOGICAL"
    return {
        "id": code,
        "name": f"{code} {rule.name}",
        "description": f"{summary} Documentation: {uri}" if uri else summary,
        "engineId": ENGINE,
        "cleanCodeAttribute": attribute,
        "impacts": [{"softwareQuality": quality, "severity": IMPACT_SEVERITY[level]}],
    }


def _issue(finding: Finding, context: ReportContext) -> dict[str, object]:
    primary: dict[str, object] = {"message": finding.text, "filePath": finding.span.file}
    text_range = _text_range(finding.span, context.lines_of(finding.span.file)[0])
    if text_range is not None:
        primary["textRange"] = text_range
    issue: dict[str, object] = {"ruleId": finding.code, "primaryLocation": primary}
    secondary: list[dict[str, object]] = []
    for related in finding.related:
        related_range = _text_range(related.span, context.lines_of(related.span.file)[0])
        if related_range is not None:
            secondary.append({"message": related.message, "filePath": related.span.file, "textRange": related_range})
    if secondary:
        issue["secondaryLocations"] = secondary
    return issue


def _text_range(span: Span, lines: list[str]) -> Optional[dict[str, int]]:
    """The span in SonarQube's terms; only its line when the columns do not fit the text; None when not even
    the line is known to exist (line 1 always does)."""
    if not 1 <= span.line <= max(len(lines), 1):
        return None
    whole_line = {"startLine": span.line}
    if not lines:
        return whole_line
    start = _pointer(span.line, span.column, lines)
    end = _pointer(span.end_line, span.end_column, lines)
    if end <= start:
        return whole_line
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def _pointer(line: int, column: int, lines: list[str]) -> tuple[int, int]:
    """(line, 0-based offset in UTF-16 code units) of a 1-based code point column; a column past the end of
    its line is the start of the next line, or the end of the last."""
    if line > len(lines):
        return len(lines), _utf16(lines[-1])
    text = lines[line - 1]
    if column - 1 <= len(text):
        return line, _utf16(text[:column - 1])
    return (line + 1, 0) if line < len(lines) else (line, _utf16(text))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
