"""Where things are: regions of files, and the input problems found at them."""

# No `from __future__ import annotations` here: typing.NamedTuple compiles every string annotation it is
# given, which for the fields of this module would add more than a millisecond to every run.
from typing import NamedTuple


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns, `end_column` exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int = 1) -> "Span":
        return cls(file, line, column, line, column + 1)


class Problem(NamedTuple):
    """An input problem found while reading or parsing (reported as DSL001 or DSL004)."""

    code: str
    message: str
    span: Span
