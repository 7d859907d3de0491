"""`--format text`: one gcc-style line per finding, `path:line:col: level: message [CODE]`.

Editors and CI problem matchers parse that shape; SARIF's `note` is printed as `info`, the word
they know. Suppressed findings are not shown. Control characters in names and messages are escaped
(text/escape.py): a newline in a service name must not start a line of its own.
"""

from __future__ import annotations

from typing import Callable

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.text.escape import TEXT_ERRORS, printable

ERRORS = TEXT_ERRORS

LABELS = {"error": "error", "warning": "warning", "note": "info"}
_COLORS = {"error": "red", "warning": "yellow", "note": "cyan"}
SOURCE_WIDTH = 400  # characters of a source line shown under a finding (the corpora's longest has 213)


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    if context.color:
        import click  # only for a terminal: a plain lint does not load click otherwise

    for finding in findings:
        if finding.suppressed is not None:
            continue
        span = finding.span
        label = LABELS[finding.level]
        location = f"{printable(span.file)}:{span.line}:{span.column}:"
        if context.color:
            location = click.style(location, bold=True)
            label = click.style(label, fg=_COLORS[finding.level], bold=True)
        # ruff's mark for a finding `--fix` would fix
        fixable = "[*] " if finding.fix is not None and finding.fix.applies(context.unsafe_fixes) else ""
        out(f"{location} {label}: {fixable}{printable(finding.text)} [{finding.code}]\n")
        if context.show_source:
            out("".join(line + "\n" for line in _source(finding, context)))


def summary(findings: list[Finding], checked: int, unsafe_fixes: bool) -> str:
    """The summary of a text report: how many findings of each level, in how many files, and how many files were
    checked (a cross-file finding about a file checked may be located in another); then what --fix would fix."""
    shown = [finding for finding in findings if finding.suppressed is None]
    files = f"{checked} file{'s' * (checked != 1)} checked"
    if not shown:
        line = f"no findings ({files})"
    else:
        counts = {label: sum(1 for finding in shown if finding.level == level) for level, label in LABELS.items()}
        levels = ", ".join(f"{count} {label}{'s' * (count != 1 and label != 'info')}"
                           for label, count in counts.items())
        in_files = len({finding.span.file for finding in shown})
        line = f"{len(shown)} finding{'s' * (len(shown) != 1)} ({levels}) in {in_files} file{'s' * (in_files != 1)}; " \
               f"{files}"
    fixes = fixes_summary(shown, unsafe_fixes)
    return line + "\n" + (fixes + "\n" if fixes else "")


def fixes_summary(findings: list[Finding], unsafe: bool) -> str:
    """How many findings `--fix` would fix, and how many more `--unsafe-fixes` would."""
    fixes = [f.fix for f in findings if f.fix is not None and f.fix.edits]
    safe = sum(1 for fix in fixes if fix.applies(unsafe))
    more = len(fixes) - safe
    if not safe:
        return f"{more} fixable with --fix --unsafe-fixes" if more else ""
    return f"[*] {safe} fixable with --fix" + (f" ({more} more with --fix --unsafe-fixes)" if more else "")


def _source(finding: Finding, context: ReportContext) -> list[str]:
    lines, _ = context.lines_of(finding.span.file)
    span = finding.span
    if not 1 <= span.line <= len(lines):
        return []
    line = lines[span.line - 1]
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    # a line of megabytes is shown as the part around the span, as often as findings point into it
    first = max(0, min(start - SOURCE_WIDTH // 4, len(line) - SOURCE_WIDTH))
    last = first + SOURCE_WIDTH
    lead, trail = ("…" if first > 0 else ""), ("…" if last < len(line) else "")
    # tabs become one space and control characters are escaped, so the caret goes under what is printed;
    # a span may start or end past the line's last character (at its line break)
    before = lead + printable(line[first:start].expandtabs(1))
    marked = printable(line[start:min(end, last)].expandtabs(1))
    shown = before + marked + printable(line[min(end, last):last].expandtabs(1)) + trail
    offset = len(before) + max(0, start - max(first, len(line)))
    width = len(marked) + max(0, min(end, last) - max(start, len(line)))
    return [f"    {shown}", "    " + " " * offset + "^" * max(1, width)]
