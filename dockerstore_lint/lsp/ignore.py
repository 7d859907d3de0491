"""The edit behind "Ignore DSLxxx on this line": a suppression comment that covers a finding's line.

A suppression comment that already covers the line gets the code added to its list. Otherwise a new
comment is written in the file's comment syntax: at the end of the line where the syntax allows a
comment there (YAML, shell, PowerShell, JSONC) and the line does not continue onto the next one,
else on a line of its own above, indented as the line: above the line itself in a Dockerfile (Docker
drops comment lines inside a continued instruction), above the start of a continued command (a
comment line would end it), above the fence of a Markdown code block (in the block it would be code).
Each candidate edit is checked by reading the edited text's suppressions back: an edit is offered
only when the comment it writes does cover the finding.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from dockerstore_lint.finding import Edit
from dockerstore_lint.model.span import Span
from dockerstore_lint.suppression import parse_suppressions
from dockerstore_lint.text.comments import CommentSyntax
from dockerstore_lint.text.positions import FileText

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class Ignore(NamedTuple):
    edit: Edit
    scope: str  # what the comment covers, for the action's title: "on this line", "in this code block"


def ignore_edit(lines: list[str], syntax: CommentSyntax, file: str, line: int, code: str) -> Optional[Ignore]:
    """The edit that makes a suppression comment cover `code` at `line` (1-based) of `file`, whose lines are
    `lines`; None when no comment can."""
    directives = parse_suppressions(lines, syntax).directives
    covering = [d for d in directives if not d.whole_file and d.applies_to is not None
                and d.applies_to <= line <= (d.until or d.applies_to)]
    candidates = []
    if covering:
        directive = max(covering, key=lambda d: d.line)  # the one ending the line, else the nearest above
        at = Span(file, directive.line, directive.end_column, directive.line, directive.end_column)
        # in Markdown, a comment that covers more than its next line covers a code block
        scope = "in this code block" if syntax.fences and directive.until else "on this line"
        candidates.append(Ignore(Edit(at, f",{code}"), scope))
    else:
        comment = _comment(syntax, f"dockerstore-lint: ignore={code}")
        text = lines[line - 1] if line <= len(lines) else ""
        continued = bool(syntax.continuation) and text.rstrip().endswith(syntax.continuation)
        if syntax.trailing and text.strip() and not continued:
            end = len(text) + 1
            gap = "" if text != text.rstrip() else "  "
            candidates.append(Ignore(Edit(Span(file, line, end, line, end), gap + comment), "on this line"))
        fence = _fence_opening(lines, line) if syntax.fences else None
        above = fence or _statement_start(lines, line, syntax)
        first_line = lines[above - 1] if above <= len(lines) else ""
        indent = first_line[:len(first_line) - len(first_line.lstrip(" \t"))]
        candidates.append(Ignore(Edit(Span(file, above, 1, above, 1), f"{indent}{comment}\n"),
                                 "in this code block" if fence else "on this line"))
    return next((candidate for candidate in candidates if _covers(lines, candidate.edit, syntax, line, code)), None)


def _comment(syntax: CommentSyntax, text: str) -> str:
    if syntax.line:
        return f"{syntax.line[0]} {text}"
    assert syntax.block is not None, "a file kind has line or block comments"
    return f"{syntax.block[0]} {text} {syntax.block[1]}"


def _statement_start(lines: list[str], line: int, syntax: CommentSyntax) -> int:
    """The first line of the command that `line` continues, if it continues one."""
    start = line
    if syntax.continuation:
        while start > 1 and lines[start - 2].rstrip().endswith(syntax.continuation):
            start -= 1
    return start


def _fence_opening(lines: list[str], line: int) -> Optional[int]:
    """The line of the fence that opens the Markdown code block holding `line`, if one does."""
    opening: Optional[tuple[int, str]] = None
    for number in range(1, min(line, len(lines) + 1)):
        fence = _FENCE.match(lines[number - 1])
        if fence is None:
            continue
        marker = fence.group(1)
        if opening is None:
            opening = (number, marker)
        elif marker[0] == opening[1][0] and len(marker) >= len(opening[1]) \
                and not lines[number - 1][fence.end():].strip():
            opening = None  # its closing fence
    return opening[0] if opening is not None and opening[0] < line else None


def _covers(lines: list[str], edit: Edit, syntax: CommentSyntax, line: int, code: str) -> bool:
    """Whether, with `edit` made, a suppression comment covers `code` at what was `line`."""
    origin = FileText(edit.span.file, "\n".join(lines))
    start = origin.offset(edit.span.line, edit.span.column)
    end = origin.offset(edit.span.end_line, edit.span.end_column)
    edited = origin.text[:start] + edit.text + origin.text[end:]
    moved = line + edit.text.count("\n") if edit.span.line <= line else line  # lines inserted above it
    return parse_suppressions(edited.split("\n"), syntax).covers(code, moved)
