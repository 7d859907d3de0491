"""JSON with comments (devcontainer.json, VS Code's settings) -> a small tree of positioned values.

The standard library's `json` gives no positions and refuses comments and trailing commas, which
devcontainer.json files have. This reader accepts `//` and `/* */` comments and a trailing comma
before `]` or `}`, keeps the offsets of every value (a string's escapes map back through `Embedded`),
and lets a repeated key's last value win, as the Dev Containers CLI does. It is bounded: nesting
deeper than MAX_DEPTH is refused, every step moves forward, and a problem is returned as a value
(with its position) instead of raised.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Union

from dockerstore_lint.model.span import INVALID, Problem, Span
from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText

MAX_DEPTH = 200

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SPACE = re.compile(r"(?:[ \t\r\n\ufeff]+|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = {"true": True, "false": False, "null": None}
_SPECIAL = re.compile(r'["\\\n]')


class JString(NamedTuple):
    value: str
    start: int  # offsets of the literal, quotes included
    end: int

    def text(self, origin: FileText) -> Embedded:
        """The value with where each character is written (escapes map to the whole escape)."""
        builder = EmbeddedBuilder(origin)
        builder.copy_decoding(self.start + 1, self.end - 1, "\\", _escape_at)
        return builder.build()


class JScalar(NamedTuple):
    value: Union[bool, float, int, None]
    start: int
    end: int


class JArray(NamedTuple):
    items: tuple["JValue", ...]
    start: int
    end: int


class JObject(NamedTuple):
    pairs: tuple[tuple[JString, "JValue"], ...]
    start: int
    end: int

    def get(self, key: str) -> Optional["JValue"]:
        found = None
        for name, value in self.pairs:
            if name.value == key:
                found = value  # the last one wins
        return found


JValue = Union[JString, JScalar, JArray, JObject]


class _Refused(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def load_jsonc(origin: FileText) -> tuple[Optional[JValue], tuple[Problem, ...]]:
    """The document's value, or the problem that stopped it (with its position)."""
    reader = _Reader(origin.text)
    try:
        at = reader.space(0)
        value, at = reader.value(at, 0)
        at = reader.space(at)
        if at < len(origin.text):
            raise _Refused("unexpected text after the value", at)
    except _Refused as refused:
        return None, (Problem(INVALID, f"invalid JSON: {refused.message}", origin.span(refused.offset,
                                                                                          refused.offset + 1)),)
    return value, ()


def span_of(value: Union[JValue, JString], origin: FileText) -> Span:
    return origin.span(value.start, value.end)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text

    def space(self, at: int) -> int:
        space = _SPACE.match(self.text, at)  # blanks and comments (or nothing)
        end = space.end() if space else at
        if self.text.startswith("/*", end):
            raise _Refused("unterminated comment", end)
        return end

    def value(self, at: int, depth: int) -> tuple[JValue, int]:
        text = self.text
        if at >= len(text):
            raise _Refused("unexpected end of file, a value was expected", max(len(text) - 1, 0))
        char = text[at]
        if char == "{":
            return self.object(at, depth + 1)
        if char == "[":
            return self.array(at, depth + 1)
        if char == '"':
            return self.string(at)
        number = _NUMBER.match(text, at)
        if number is not None and number.end() > at:
            literal = number.group()
            parsed: Union[int, float] = float(literal) if any(c in literal for c in ".eE") or len(literal) > 30 \
                else int(literal)
            return JScalar(parsed, at, number.end()), number.end()
        for word, meaning in _LITERALS.items():
            if text.startswith(word, at):
                return JScalar(meaning, at, at + len(word)), at + len(word)
        raise _Refused(f"unexpected character {char!r}, a value was expected", at)

    def _deep(self, at: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep", at)

    def object(self, start: int, depth: int) -> tuple[JObject, int]:
        self._deep(start, depth)
        text = self.text
        pairs: list[tuple[JString, JValue]] = []
        at = self.space(start + 1)
        while True:
            if at < len(text) and text[at] == "}":
                return JObject(tuple(pairs), start, at + 1), at + 1
            if at >= len(text) or text[at] != '"':
                raise _Refused("a property name in double quotes was expected", min(at, max(len(text) - 1, 0)))
            key, at = self.string(at)
            at = self.space(at)
            if at >= len(text) or text[at] != ":":
                raise _Refused("':' was expected after the property name", min(at, max(len(text) - 1, 0)))
            value, at = self.value(self.space(at + 1), depth)
            pairs.append((key, value))
            at = self.space(at)
            if at < len(text) and text[at] == ",":
                at = self.space(at + 1)  # a trailing comma is allowed: `}` may follow
            elif at >= len(text) or text[at] != "}":
                raise _Refused("',' or '}' was expected", min(at, max(len(text) - 1, 0)))

    def array(self, start: int, depth: int) -> tuple[JArray, int]:
        self._deep(start, depth)
        text = self.text
        items: list[JValue] = []
        at = self.space(start + 1)
        while True:
            if at < len(text) and text[at] == "]":
                return JArray(tuple(items), start, at + 1), at + 1
            value, at = self.value(at, depth)
            items.append(value)
            at = self.space(at)
            if at < len(text) and text[at] == ",":
                at = self.space(at + 1)
            elif at >= len(text) or text[at] != "]":
                raise _Refused("',' or ']' was expected", min(at, max(len(text) - 1, 0)))

    def string(self, start: int) -> tuple[JString, int]:
        text = self.text
        parts: list[str] = []
        at = start + 1
        while True:
            stop = _next_special(text, at)
            if stop < 0 or text[stop] == "\n":
                raise _Refused("unterminated string", start)
            parts.append(text[at:stop])
            if text[stop] == '"':
                return JString("".join(parts), start, stop + 1), stop + 1
            value, length = _escape_at(text, stop)
            if value is None:
                raise _Refused(f"invalid escape {text[stop:stop + length]!r} in a string", stop)
            parts.append(value)
            at = stop + length


def _next_special(text: str, at: int) -> int:
    found = _SPECIAL.search(text, at)
    return found.start() if found else -1


def _escape_at(text: str, at: int) -> tuple[Optional[str], int]:
    """The character the escape at `at` stands for (None when it is invalid) and the escape's length;
    a `\\uD83D\\uDE00` pair of surrogates is one character, as JSON readers make it."""
    code = text[at + 1:at + 2]
    if code != "u":
        return _ESCAPES.get(code), 2
    number = _hex4(text, at + 2)
    if number is None:
        return None, 6
    if 0xD800 <= number < 0xDC00 and text.startswith("\\u", at + 6):
        low = _hex4(text, at + 8)
        if low is not None and 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((number - 0xD800) << 10) + (low - 0xDC00)), 12
    return chr(number), 6


def _hex4(text: str, at: int) -> Optional[int]:
    digits = text[at:at + 4]
    if len(digits) != 4 or not all(char in "0123456789abcdefABCDEF" for char in digits):
        return None
    return int(digits, 16)
