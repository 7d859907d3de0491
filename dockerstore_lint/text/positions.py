"""Where each character of a text came from in its file, for text read out of other text.

A command line is rarely the file's text as it stands: it is a YAML block scalar without its indentation,
a Makefile recipe with its tab prefixes gone and its variables expanded, a Markdown fence body without
its prompts, a JSON string without its escapes. Parsers work on that derived text; `Embedded` maps any
offset in it back to the offset in the file it was taken from, and from there to a line and column, so
that a finding points at the characters as written. Columns count characters, as everywhere in the
model, and `written` gives back the file's own text of a region (quotes, escapes and `$(VAR)` included).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.model.span import Span


class FileText:
    """A file's text with its line starts, to turn offsets into 1-based lines and columns."""

    __slots__ = ("file", "text", "_starts")

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        starts = [0]
        at = text.find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and column (clamped to the text)."""
        line = max(1, min(line, len(self._starts)))
        return min(self._starts[line - 1] + max(column, 1) - 1, len(self.text))

    def span(self, start: int, end: int) -> Span:
        """The span of `text[start:end]`; an empty region is a one-character point."""
        line, column = self.position(start)
        if end <= start:
            return Span(self.file, line, column, line, column + 1)
        end_line, end_column = self.position(end - 1)
        return Span(self.file, line, column, end_line, end_column + 1)

    def whole(self) -> "Embedded":
        """The file's text as a text of its own: every offset maps to itself."""
        return Embedded(self.text, self, (0,), (0,), (-1,))


class Embedded(NamedTuple):
    """A text derived from a file's text, and where its characters came from.

    The map is a list of runs, in text order. From `starts[i]` on, characters were either copied one for
    one from the file starting at `origins[i]` (`ends[i]` is -1), or stand, all of them, for the file's
    region `origins[i]:ends[i]` (text that replaced other text: an expanded variable, an unescaped
    character, a folded line break).
    """

    text: str
    origin: FileText
    starts: tuple[int, ...]
    origins: tuple[int, ...]
    ends: tuple[int, ...]

    def _run(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def file_offset(self, offset: int) -> int:
        """Where the character at `offset` starts in the file."""
        if not self.starts:
            return 0
        index = self._run(offset)
        if self.ends[index] >= 0:
            return self.origins[index]
        return self.origins[index] + offset - self.starts[index]

    def file_range(self, start: int, end: int) -> tuple[int, int]:
        """The file region that `text[start:end]` came from."""
        first = self.file_offset(start)
        if end <= start or not self.starts:
            return first, first
        index = self._run(end - 1)
        if self.ends[index] >= 0:
            last = self.ends[index]
        else:
            last = self.origins[index] + end - self.starts[index]
        return (first, last) if last > first else (first, first + 1)

    def span(self, start: int, end: int) -> Span:
        return self.origin.span(*self.file_range(start, end))

    def written(self, start: int, end: int) -> str:
        """The file's text behind `text[start:end]`: what a user wrote there."""
        first, last = self.file_range(start, end)
        return self.origin.text[first:last]


class EmbeddedBuilder:
    """Builds an `Embedded` piece by piece, in the order its text reads."""

    __slots__ = ("origin", "_parts", "_length", "_starts", "_origins", "_ends")

    def __init__(self, origin: FileText) -> None:
        self.origin = origin
        self._parts: list[str] = []
        self._length = 0
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._ends: list[int] = []

    def __len__(self) -> int:
        return self._length

    def copy(self, start: int, end: int) -> None:
        """Append the file's own `text[start:end]`."""
        if end > start:
            self._append(self.origin.text[start:end], start, -1)

    def copy_decoding(self, start: int, end: int, marker: str,
                      decode: Callable[[str, int], tuple[Optional[str], int]]) -> None:
        """Append the file's `text[start:end]`, each `marker` in it and what follows read by `decode(text, at)`
        as (the characters it stands for, or None for nothing, and how many it takes): an escape, a doubled
        quote."""
        text = self.origin.text
        at = start
        while at < end:
            found = text.find(marker, at, end)
            if found < 0:
                self.copy(at, end)
                return
            self.copy(at, found)
            value, length = decode(text, found)
            self.insert(value or "", found, found + length)
            at = found + length

    def insert(self, text: str, start: int, end: int) -> None:
        """Append `text` standing for the file's region `start:end`: a word made of any of it spans
        that whole region."""
        if text:
            self._append(text, start, max(end, start + 1))

    def extend(self, other: Embedded, start: int = 0, end: int = -1) -> None:
        """Append `other.text[start:end]` (of the same file) with its map."""
        end = len(other.text) if end < 0 else end
        if end <= start:
            return
        first = max(bisect_right(other.starts, start) - 1, 0)
        for index in range(first, len(other.starts)):
            run_start = max(other.starts[index], start)
            run_end = other.starts[index + 1] if index + 1 < len(other.starts) else len(other.text)
            run_end = min(run_end, end)
            if run_start >= run_end:
                break
            piece = other.text[run_start:run_end]
            if other.ends[index] >= 0:
                self._append(piece, other.origins[index], other.ends[index])
            else:
                self._append(piece, other.origins[index] + run_start - other.starts[index], -1)

    def _append(self, text: str, origin: int, end: int) -> None:
        # a copied run that continues the previous copied run needs no entry of its own
        if not (end < 0 and self._ends and self._ends[-1] < 0
                and self._origins[-1] + self._length - self._starts[-1] == origin):
            self._starts.append(self._length)
            self._origins.append(origin)
            self._ends.append(end)
        self._parts.append(text)
        self._length += len(text)

    def build(self) -> Embedded:
        return Embedded("".join(self._parts), self.origin, tuple(self._starts), tuple(self._origins),
                        tuple(self._ends))
