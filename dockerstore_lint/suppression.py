"""Inline suppressions: `dockerstore-lint: ignore=DSL101[,DSL102]` and `ignore-file=DSL101` in a comment.

A comment on its own line applies to the next line that is neither blank nor a comment (the next
Dockerfile instruction, YAML entry or command); at the end of a line, where the file's syntax allows a
comment there, it applies to that line; `ignore-file=` applies anywhere in the file. Codes may be
prefixes (`DSL5`). Which comments a file has comes from its input kind.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dockerstore_lint.text.comments import HASH_OWN_LINE, CommentSyntax

_DIRECTIVE = r"\s*dockerstore-lint:\s*(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s]+)"


class Suppressions:
    __slots__ = ("by_line", "whole_file")

    def __init__(self) -> None:
        self.by_line: dict[int, set[str]] = {}
        self.whole_file: set[str] = set()

    def covers(self, code: str, line: int) -> bool:
        selectors = self.whole_file | self.by_line.get(line, set())
        return any(code.startswith(s) for s in selectors)


def parse_suppressions(lines: list[str], syntax: CommentSyntax = HASH_OWN_LINE) -> Suppressions:
    found = Suppressions()
    pending: set[str] = set()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        own_line = _is_comment(stripped, syntax)
        if "dockerstore-lint" not in line:
            if stripped and not own_line and pending:
                found.by_line.setdefault(number, set()).update(pending)
                pending = set()
            continue
        directive = _directive(stripped, own_line, syntax)
        if directive is None:
            if stripped and not own_line and pending:
                found.by_line.setdefault(number, set()).update(pending)
                pending = set()
            continue
        kind, codes = directive
        if kind == "ignore-file":
            found.whole_file |= codes
        elif own_line:
            pending |= codes
        else:
            found.by_line.setdefault(number, set()).update(codes)
        if not own_line and pending:
            found.by_line.setdefault(number, set()).update(pending)
            pending = set()
    return found


@lru_cache(maxsize=None)
def _directive_pattern(syntax: CommentSyntax) -> re.Pattern[str]:
    starts = [*syntax.line, *(syntax.block[:1] if syntax.block else ())]
    return re.compile("(?:" + "|".join(re.escape(start) for start in starts) + ")" + _DIRECTIVE)


def _is_comment(stripped: str, syntax: CommentSyntax) -> bool:
    if syntax.block is not None and stripped.startswith(syntax.block[0]):
        return True
    return stripped.startswith(syntax.line) if syntax.line else False


def _directive(stripped: str, own_line: bool, syntax: CommentSyntax) -> tuple[str, set[str]] | None:
    """The directive right after a comment's start: on its own line, or ending a line where the syntax allows."""
    if not own_line and not syntax.trailing:
        return None
    match = _directive_pattern(syntax).search(stripped)
    if match is None:
        return None
    kind, codes_text = match.groups()
    return kind, {c.strip().upper() for c in codes_text.split(",") if c.strip()}
