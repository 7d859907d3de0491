"""Helpers for the tests of the command sources: a `Source` from text, commands as plain tuples."""

from __future__ import annotations

from pathlib import Path

from dockerstore_lint.text.shell import HERE, HOME
from dockerstore_lint.text.sources import Source


def source(text: str, file: str = "run.sh", directory: str = "/project") -> Source:
    path = Path(directory) / file
    return Source(path, file, text)


def values(command) -> list[str]:
    """The words' values, `HERE` shown as `{HERE}` and `HOME` as `{HOME}`, unresolved ones prefixed with `?`."""
    return [("" if word.resolved else "?") + word.value.replace(HERE, "{HERE}").replace(HOME, "{HOME}")
            for word in command.words]


def position(word_or_span) -> tuple[int, int, int, int]:
    span = getattr(word_or_span, "span", word_or_span)
    return span.line, span.column, span.end_line, span.end_column
