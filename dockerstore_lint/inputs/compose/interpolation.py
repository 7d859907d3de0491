"""Compose variable interpolation (`$VAR`, `${VAR:-default}`...), the way the Compose CLI does it.

The reference is the Compose Specification (12-interpolation.md) and, where it is silent, what
`docker-compose` v5.6.1 (compose-go v2.16.1) does; `tests/test_interpolation.py` checks every form
against that binary. Its quirks are kept on purpose, because a linter that resolves a value
differently from Compose would point at the wrong path:

- A `$` that starts no expression (`$`, `$1`, `$-`, `a $ b`) is literal. Only `${` must be followed
  by a valid expression.
- Go matches names case-insensitively, so besides `[A-Za-z_][A-Za-z0-9_]*` a name may contain the
  two non-ASCII letters that fold onto ASCII ones: `ſ` (long s) and `K` (Kelvin sign).
- `${NAME` + operator reaches at most to the last `}` on its line. Inside that, it ends at the `}`
  that balances its `{`: every `{` counts, and the character right after a `{` is never looked at.
  When nothing balances, it ends at that last `}`. So `${A:-{x}}` gives `{x}`, and
  `${A:-${B} ${C}` takes in the whole line.
- The word after an operator is only read when it is used, so `${SET:-${}}` is not an error.
- Only a bare `$VAR` or `${VAR}` warns that a variable is unset; `${VAR-}`, `${VAR:+x}`... do not.

Two differences are deliberate: Compose has no nesting limit (20,000 levels take it more than a
minute), but here more than `MAX_NESTING` levels is an error; and Compose has no size limit (a 1 KB
`.env` whose variables each double the one before grows to gigabytes), but here the characters that
variables put into one text are capped (`limit`, at most `MAX_VALUE`), and the callers cap what they
put into all the texts of one file (`MAX_FILE`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable, NamedTuple, Optional

Lookup = Callable[[str], Optional[str]]

MAX_NESTING = 100
# Characters that variables may put into one value, and into all the values of one file. Real values
# are paths and names of a few dozen characters; `A1=${A0}${A0}`, `A2=${A1}${A1}`... doubles at every
# line. The file cap is the Dockerfile's (`dockerfile.words.MAX_EXPANDED`).
MAX_VALUE = 1024 * 1024
MAX_FILE = 16 * 1024 * 1024

_NAME = re.compile("[A-Za-z_\u017f\u212a][A-Za-z0-9_\u017f\u212a]*")
# ":-" must be tried before "-": the longer operator wins where both match
_OPERATORS = (":-", ":+", ":?", "-", "+", "?")
_BRACES_AND_NEWLINES = re.compile("[{}\n]")


class Interpolated(NamedTuple):
    value: str  # the text after interpolation (the best guess when `error` is set)
    unset: tuple[str, ...]  # unset variables that fell back to "" (Compose warns about each)
    error: Optional[str]  # why Compose would refuse the text, if it would
    # required variables (`${X:?msg}`) that are unset: an error only where the environment lacks them,
    # so the value is unknown here rather than the file invalid
    missing: tuple[str, ...] = ()
    taken: int = 0  # characters the variables put in
    # the variables would put in more than the limit: interpolation stopped, `value` is the text as
    # written, and the variable that passed the limit is in `unset`
    too_large: bool = False


def interpolate(text: str, lookup: Lookup, limit: int = MAX_VALUE) -> Interpolated:
    """`text` with its variables replaced, reading them from `lookup` (None means unset); the values
    of variables may put at most `limit` characters into it."""
    if "$" not in text:
        return Interpolated(text, (), None)
    return _Interpolation(text, lookup, limit).run()


class _Frame:
    """A part of the text being interpolated: the whole text, or a default/alternative/message."""

    __slots__ = ("pos", "end", "start", "parts", "required", "rest_start", "rest_end")

    def __init__(self, start: int, end: int, required: Optional[str] = None) -> None:
        self.start = self.pos = start
        self.end = end
        self.parts: list[str] = []
        # the variable whose "missing a value" message this is; None for the text itself, a
        # default or an alternative
        self.required = required
        # Compose reads the text after a `${...}` that ended early as a template of its own;
        # error messages quote that template, so it is tracked
        self.rest_start = self.rest_end = -1


class _Interpolation:
    def __init__(self, text: str, lookup: Lookup, limit: int) -> None:
        self.text = text
        self.lookup = lookup
        self.limit = limit
        self.left = limit  # characters variables may still put in; below zero, interpolation stops
        self.unset: dict[str, None] = {}  # ordered set
        self.missing: dict[str, None] = {}
        self.error: Optional[str] = None
        self._closer: Optional[dict[int, int]] = None
        self._closes: list[int] = []
        self._newlines: list[int] = []

    def run(self) -> Interpolated:
        text = self.text
        frames = [_Frame(0, len(text))]
        while True:
            if self.left < 0:
                return self._result(text)
            frame = frames[-1]
            dollar = text.find("$", frame.pos, frame.end)
            if dollar >= 0:
                frame.parts.append(text[frame.pos:dollar])
                child = self._expression(frame, dollar)
                if child is None:
                    continue
                if len(frames) > MAX_NESTING:
                    self._fail(f"expressions nested more than {MAX_NESTING} levels deep")
                    self._finish(child, "", frame)
                else:
                    frames.append(child)
                continue
            frame.parts.append(text[frame.pos:frame.end])
            frames.pop()
            result = "".join(frame.parts)
            if not frames:
                return self._result(result)
            self._finish(frame, result, frames[-1])

    def _result(self, value: str) -> Interpolated:
        too_large = self.left < 0
        return Interpolated(self.text if too_large else value, tuple(self.unset), self.error, tuple(self.missing),
                            self.limit - self.left, too_large)

    def _expression(self, frame: _Frame, at: int) -> Optional[_Frame]:
        """Handles the `$` at `at`; returns the frame of a word that must be read now, if any."""
        text, end, parts = self.text, frame.end, frame.parts
        frame.pos = at + 1
        if at + 1 == end:
            parts.append("$")
            return None
        if text[at + 1] == "$":
            parts.append("$")
            frame.pos = at + 2
            return None
        if text[at + 1] != "{":
            name = _NAME.match(text, at + 1, end)
            if name is None:
                parts.append("$")
            else:
                parts.append(self._variable(name.group()))
                frame.pos = name.end()
            return None
        name = _NAME.match(text, at + 2, end)
        if name is None:
            self._invalid(frame, at)
            return None
        after = name.end()
        if after < end and text[after] == "}":
            parts.append(self._variable(name.group()))
            frame.pos = after + 1
            return None
        operator = next((op for op in _OPERATORS if text.startswith(op, after, end)), None)
        if operator is None:
            self._invalid(frame, at)
            return None
        word_start = after + len(operator)
        last = self._last_close(word_start, end)
        if last < 0:
            self._invalid(frame, at)
            return None
        balanced = self._balanced_close(at + 1)
        word_end = balanced if balanced is not None and balanced <= last else last
        if word_end < last:
            frame.rest_start, frame.rest_end = word_end + 1, last + 1
        frame.pos = word_end + 1
        value = self.lookup(name.group())
        if operator == ":-" and not value or operator == "-" and value is None \
                or operator == ":+" and value or operator == "+" and value is not None:
            return _Frame(word_start, word_end)
        if operator == ":?" and not value or operator == "?" and value is None:
            return _Frame(word_start, word_end, name.group())
        parts.append(self._charged(name.group(), value) if value is not None and operator[-1] != "+" else "")
        return None

    def _finish(self, word: _Frame, result: str, parent: _Frame) -> None:
        if word.required is None:
            parent.parts.append(result)
        else:
            self.missing[word.required] = None
            self._fail(f"required variable {word.required} is missing a value" + (f": {result}" if result else ""))

    def _variable(self, name: str) -> str:
        value = self.lookup(name)
        if value is None:
            self.unset[name] = None
            return ""
        return self._charged(name, value)

    def _charged(self, name: str, value: str) -> str:
        """`value`, counted against the limit. Once the limit is passed the run stops, and the variable
        that passed it is counted as unset: what the text would be is not known."""
        self.left -= len(value)
        if self.left >= 0:
            return value
        self.unset[name] = None
        return ""

    def _invalid(self, frame: _Frame, at: int) -> None:
        if self.error is None:  # only the first error is kept: spare copying the template again
            if frame.rest_start <= at < frame.rest_end:
                template = self.text[frame.rest_start:frame.rest_end]
            else:
                template = self.text[frame.start:frame.end]
            self.error = f'"{template}" is not a valid expression (a literal $ is written $$)'
        # the text stays as written: the most readable guess of what was meant
        frame.parts.append("${")
        frame.pos = at + 2

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message

    # --- where a `${` ends, found once per text so that the scan stays linear -------------------

    def _index(self) -> dict[int, int]:
        closer: dict[int, int] = {}
        opened: list[int] = []
        skipped = -1
        for match in _BRACES_AND_NEWLINES.finditer(self.text):
            i, char = match.start(), match.group()
            if char == "\n":
                self._newlines.append(i)
                continue
            if char == "}":
                self._closes.append(i)
            if i == skipped:
                continue
            if char == "{":
                opened.append(i)
                skipped = i + 1
            elif opened:
                closer[opened.pop()] = i
        self._closer = closer
        return closer

    def _balanced_close(self, brace: int) -> Optional[int]:
        closer = self._closer if self._closer is not None else self._index()
        return closer.get(brace)

    def _last_close(self, start: int, end: int) -> int:
        """The last `}` in `start..end` that is on the same line as `start`, or -1."""
        if self._closer is None:
            self._index()
        newline = bisect_left(self._newlines, start)
        if newline < len(self._newlines):
            end = min(end, self._newlines[newline])
        candidate = bisect_left(self._closes, end) - 1
        return self._closes[candidate] if candidate >= 0 and self._closes[candidate] >= start else -1
