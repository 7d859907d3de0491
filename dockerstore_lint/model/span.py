"""Where things are: regions of files, values with the place that set them, and input problems."""

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

    @property
    def start(self) -> tuple[int, int]:
        return self.line, self.column

    @property
    def end(self) -> tuple[int, int]:
        return self.end_line, self.end_column

    def contains(self, other: "Span") -> bool:
        """Whether `other` lies within this region of the same file."""
        return self.file == other.file and self.start <= other.start and other.end <= self.end


class Setting(NamedTuple):
    """A value set in a file (an image reference, USER, `user:`, WORKDIR), with where it was set."""

    value: str
    span: Span
    resolved: bool = True  # False when a variable in it could not be expanded


# What kind of input problem a parser found; each is reported under one rule code (REPORTED_AS).
INVALID = "invalid"  # a file that cannot be read, decoded or parsed as what it is
NOT_FOLLOWED = "not-followed"  # a reference (extends, include, a build context, a symlink) left unread on purpose
REPORTED_AS = {INVALID: "DSL001", NOT_FOLLOWED: "DSL004"}


class Problem(NamedTuple):
    """An input problem found while reading or parsing."""

    kind: str  # INVALID | NOT_FOLLOWED
    message: str
    span: Span

    @property
    def code(self) -> str:
        return REPORTED_AS[self.kind]
