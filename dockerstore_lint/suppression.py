"""Inline suppressions: `dockerstore-lint: ignore=DSL101[,DSL102]` and `ignore-file=DSL101` in a comment.

A comment on its own line applies to the next line that is neither blank nor a comment (the next
Dockerfile instruction, YAML entry or command); at the end of a line, where the file's syntax allows a
comment there, it applies to that line; `ignore-file=` applies anywhere in the file. Codes may be
prefixes (`DSL5`). Which comments a file has comes from its input kind.

Each directive remembers which of its codes suppressed a finding, so that one naming a code that does not
exist, or suppressing nothing, can be reported (DSL005), as ruff reports an unused `noqa`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from dockerstore_lint.text.comments import HASH_OWN_LINE, CommentSyntax

_DIRECTIVE = r"\s*dockerstore-lint:\s*(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s]+)"


class Directive(NamedTuple):
    line: int
    column: int  # of `dockerstore-lint:`, 1-based
    end_column: int
    codes: tuple[str, ...]  # as written, upper-cased
    whole_file: bool
    applies_to: Optional[int]  # the first line it covers (None for `ignore-file`, or when nothing follows it)
    until: Optional[int] = None  # the last line it covers, when more than one


class Suppressions:
    __slots__ = ("directives", "used")

    def __init__(self, directives: list[Directive]) -> None:
        self.directives = directives
        self.used: set[tuple[int, str]] = set()  # (directive index, selector) that suppressed a finding

    def covers(self, code: str, line: int) -> bool:
        """Whether a directive suppresses `code` at `line`; the one that does is marked used."""
        for index, directive in enumerate(self.directives):
            first = directive.applies_to
            if directive.whole_file or (first is not None and first <= line <= (directive.until or first)):
                selector = next((s for s in directive.codes if code.startswith(s)), None)
                if selector is not None:
                    self.used.add((index, selector))
                    return True
        return False

    def unused(self) -> list[tuple[Directive, str]]:
        """Every (directive, selector) that has suppressed nothing so far."""
        return [(directive, selector) for index, directive in enumerate(self.directives)
                for selector in directive.codes if (index, selector) not in self.used]


def parse_suppressions(lines: list[str], syntax: CommentSyntax = HASH_OWN_LINE) -> Suppressions:
    directives: list[Directive] = []
    pending: list[int] = []  # directives on their own lines, waiting for the line they cover
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        own_line = _is_comment(stripped, syntax)
        found = _directive(line, own_line, syntax) if "dockerstore-lint" in line else None
        if found is not None:
            kind, codes, column, end = found
            whole_file = kind == "ignore-file"
            applies_to = number if not own_line and not whole_file else None
            directives.append(Directive(number, column, end, codes, whole_file, applies_to))
            if own_line and not whole_file:
                pending.append(len(directives) - 1)
        if stripped and not own_line and pending:
            until = _extent(lines, number, syntax)
            for index in pending:
                directives[index] = directives[index]._replace(applies_to=number, until=until)
            pending = []
    return Suppressions(directives)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _extent(lines: list[str], number: int, syntax: CommentSyntax) -> Optional[int]:
    """The last line that what starts at line `number` spans: a continued command, a YAML block scalar, a
    fenced code block; None when it is that line alone."""
    line = lines[number - 1]
    last = number
    fence = _FENCE.match(line) if syntax.fences else None
    if fence is not None:
        marker = fence.group(1)
        while last < len(lines) and not lines[last].strip().startswith(marker[0] * len(marker)):
            last += 1
        return min(last + 1, len(lines))
    if syntax.block_scalars and re.search(r":\s*[|>][-+0-9]*\s*(?:#.*)?$", line):
        indent = len(line) - len(line.lstrip())
        while last < len(lines) and (not lines[last].strip() or len(lines[last]) - len(lines[last].lstrip()) > indent):
            last += 1
        return last
    if syntax.continuation:
        while last < len(lines) and lines[last - 1].rstrip().endswith(syntax.continuation):
            last += 1
        return last if last > number else None
    return None


@lru_cache(maxsize=None)
def _directive_pattern(syntax: CommentSyntax) -> re.Pattern[str]:
    starts = [*syntax.line, *(syntax.block[:1] if syntax.block else ())]
    return re.compile("(?:" + "|".join(re.escape(start) for start in starts) + ")" + _DIRECTIVE)


def _is_comment(stripped: str, syntax: CommentSyntax) -> bool:
    if syntax.block is not None and stripped.startswith(syntax.block[0]):
        return True
    return stripped.startswith(syntax.line) if syntax.line else False


def _directive(line: str, own_line: bool, syntax: CommentSyntax) -> Optional[tuple[str, tuple[str, ...], int, int]]:
    """The directive right after a comment's start, on its own line or ending a line where the syntax allows:
    its kind, its codes, and the columns of its text."""
    if not own_line and not syntax.trailing:
        return None
    match = _directive_pattern(syntax).search(line)
    if match is None:
        return None
    kind, codes_text = match.groups()
    start = line.index("dockerstore-lint", match.start())
    codes = tuple(dict.fromkeys(c.strip().upper() for c in codes_text.split(",") if c.strip()))
    return kind, codes, start + 1, match.end(2) - len(codes_text) + len(codes_text.rstrip()) + 1
