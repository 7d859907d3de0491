"""Long values quoted in messages, cut in the middle so that a report stays readable and small.

A finding quotes what the file says (a service name, a path, an image), and a file may say a megabyte
of it: quoted by every finding of that service, one name made hundreds of megabytes of report. A value
longer than the limit keeps its start and its end around `…`, and is always exactly `limit`
characters long, so the same value is shortened the same way in every message and every run.
"""

from __future__ import annotations

from typing import Iterator

ELLIPSIS = "…"
# no real name, path or image reference is this long (the longest in the corpora: 100 characters)
VALUE_LIMIT = 200
# the longest message of the fixtures and corpora has 578 characters
MESSAGE_LIMIT = 2000


def shorten(value: str, limit: int = VALUE_LIMIT) -> str:
    """`value`, or when it is longer than `limit`, its start and end around `…`, `limit` characters in all."""
    if len(value) <= limit:
        return value
    tail = (limit - 1) // 2
    head = limit - 1 - tail
    return value[:head] + ELLIPSIS + value[len(value) - tail:]


def shorten_message(text: str) -> str:
    """`text` with every run of more than VALUE_LIMIT characters without a space shortened, and then the
    whole of it if still longer than MESSAGE_LIMIT (a long value with spaces): its end, the fix, is kept.

    Only the words that can reach the result are looked at, from each end: a message of megabytes
    costs a search for its spaces, not a copy of every word.
    """
    if len(text) <= VALUE_LIMIT:
        return text
    start = _joined(_words(text), MESSAGE_LIMIT)
    if len(start) <= MESSAGE_LIMIT:  # the whole message
        return start
    tail = (MESSAGE_LIMIT - 1) // 2
    end = _joined(_words_backwards(text), tail, backwards=True)
    return start[:MESSAGE_LIMIT - 1 - tail] + ELLIPSIS + end[len(end) - tail:]


def _words(text: str) -> Iterator[str]:
    """The words of `text` between single spaces, each shortened, from the first."""
    position = 0
    while True:
        space = text.find(" ", position)
        end = len(text) if space < 0 else space
        yield _shortened(text, position, end)
        if space < 0:
            return
        position = space + 1


def _words_backwards(text: str) -> Iterator[str]:
    end = len(text)
    while True:
        space = text.rfind(" ", 0, end)
        yield _shortened(text, space + 1, end)
        if space < 0:
            return
        end = space


def _shortened(text: str, start: int, end: int) -> str:
    """`shorten(text[start:end])`, without copying a long word first."""
    if end - start <= VALUE_LIMIT:
        return text[start:end]
    tail = (VALUE_LIMIT - 1) // 2
    return text[start:start + VALUE_LIMIT - 1 - tail] + ELLIPSIS + text[end - tail:end]


def _joined(words: Iterator[str], enough: int, backwards: bool = False) -> str:
    """The words joined by spaces, stopping once the result is longer than `enough`."""
    taken: list[str] = []
    size = -1
    for word in words:
        taken.append(word)
        size += len(word) + 1
        if size > enough:
            break
    return " ".join(reversed(taken) if backwards else taken)
