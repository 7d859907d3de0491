"""Inline suppressions: `# dockerstore-lint: ignore=DSL101[,DSL102]` and `ignore-file=DSL101`.

A comment on its own line applies to the next line that is neither blank nor a comment (the next
Dockerfile instruction or YAML entry); at the end of a YAML line it applies to that line;
`ignore-file=` applies anywhere in the file. Codes may be prefixes (`DSL5`).
"""

from __future__ import annotations

import re

_DIRECTIVE = re.compile(r"#\s*dockerstore-lint:\s*(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s]+)")


class Suppressions:
    __slots__ = ("by_line", "whole_file")

    def __init__(self) -> None:
        self.by_line: dict[int, set[str]] = {}
        self.whole_file: set[str] = set()

    def covers(self, code: str, line: int) -> bool:
        selectors = self.whole_file | self.by_line.get(line, set())
        return any(code.startswith(s) for s in selectors)


def parse_suppressions(lines: list[str], trailing_comments: bool) -> Suppressions:
    """`trailing_comments`: YAML allows a comment at the end of a line, a Dockerfile does not."""
    found = Suppressions()
    pending: set[str] = set()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if "dockerstore-lint" not in line:
            if stripped and not stripped.startswith("#"):
                if pending:
                    found.by_line.setdefault(number, set()).update(pending)
                    pending = set()
            continue
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        kind, codes_text = match.groups()
        codes = {c.strip().upper() for c in codes_text.split(",") if c.strip()}
        own_line = stripped.startswith("#")
        if kind == "ignore-file":
            found.whole_file |= codes
        elif own_line:
            pending |= codes
        elif trailing_comments:
            found.by_line.setdefault(number, set()).update(codes)
        if not own_line and pending:
            found.by_line.setdefault(number, set()).update(pending)
            pending = set()
    return found
