"""`--format text`: one gcc-style line per finding, `path:line:col: level: message [CODE]`.

Editors and CI problem matchers parse that shape; SARIF's `note` is printed as `info`, the word
they know. Suppressed findings are not shown.
"""

from __future__ import annotations

from dockerstore_lint.finding import Finding
from dockerstore_lint.reporters import ReportContext

LABELS = {"error": "error", "warning": "warning", "note": "info"}
_COLORS = {"error": "red", "warning": "yellow", "note": "cyan"}


def render(findings: list[Finding], context: ReportContext) -> str:
    if context.color:
        import click  # only for a terminal: a plain lint does not load click otherwise

    shown = [f for f in findings if f.suppressed is None]
    out = []
    for finding in shown:
        span = finding.span
        label = LABELS[finding.level]
        location = f"{span.file}:{span.line}:{span.column}:"
        if context.color:
            location = click.style(location, bold=True)
            label = click.style(label, fg=_COLORS[finding.level], bold=True)
        # ruff's mark for a finding `--fix` would fix
        fixable = "[*] " if finding.fix is not None and finding.fix.applies(context.unsafe_fixes) else ""
        out.append(f"{location} {label}: {fixable}{finding.text} [{finding.code}]")
        if context.show_source:
            out.extend(_source(finding, context))
    if context.terminal and not context.quiet:
        out.append(summary(shown, context.files))
        fixes = fixes_summary(shown, context.unsafe_fixes)
        if fixes:
            out.append(fixes)
    return "".join(line + "\n" for line in out)


def summary(findings: list[Finding], files: int) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in LABELS}
    noun = "finding" if len(findings) == 1 else "findings"
    parts = [f"{counts['error']} error{'s' * (counts['error'] != 1)}",
             f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}",
             f"{counts['note']} info"]
    in_files = f"in {files} file{'s' * (files != 1)}"
    if not findings:
        return f"no findings {in_files}"
    return f"{len(findings)} {noun} ({', '.join(parts)}) {in_files}"


def fixes_summary(findings: list[Finding], unsafe: bool) -> str:
    """How many findings `--fix` would fix, and how many more `--unsafe-fixes` would."""
    fixes = [f.fix for f in findings if f.fix is not None and f.fix.edits]
    safe = sum(1 for fix in fixes if fix.applies(unsafe))
    more = len(fixes) - safe
    if not fixes:
        return ""
    text = f"[*] {safe} fixable with --fix" if safe else "no fix --fix would apply"
    if more:
        text += f" ({more} more with --fix --unsafe-fixes)"
    return text


def _source(finding: Finding, context: ReportContext) -> list[str]:
    lines, _ = context.lines_of(finding.span.file)
    if not 1 <= finding.span.line <= len(lines):
        return []
    text = lines[finding.span.line - 1].expandtabs(1)
    end = finding.span.end_column if finding.span.end_line == finding.span.line else len(text) + 1
    width = max(1, end - finding.span.column)
    return [f"    {text}", "    " + " " * (finding.span.column - 1) + "^" * width]
