"""Reading a `.env` file (a project's `.env` or a service's `env_file`) the way Compose reads it.

The reference is what `docker-compose` v5.6.1 (compose-go v2.16.1's dotenv package) does;
`tests/test_dotenv.py` checks it against that binary. Compose's rules, quirks included:

- A statement is `KEY=VALUE`, `KEY: VALUE` or `export KEY=VALUE`; `KEY` alone copies the variable
  from the environment, if it is set there. Blank lines and lines starting with `#` are skipped.
- A key is letters, digits and `_ . - [ ]`. Blanks around it are dropped; a tab inside it is
  kept, a space inside it is an error.
- An unquoted value runs to the end of the line; ` #` (space, hash) starts a comment, and blanks
  around it are trimmed. A value may start with `#`.
- `'...'` is taken literally; `"..."` understands `\\n \\t \\" \\\\ \\$`..., and octal `\\0ooo`. Both may
  span lines. Whatever follows the closing quote is read as a new statement.
- `$VAR` and `${VAR:-default}` are interpolated in unquoted and double-quoted values. A variable
  is taken from the environment first, then from the keys above it in the same file.
- The last line, if it has no `=` or `:` and no line break, is the value of a variable with an
  empty name (so `KEY` there does not copy anything).

Where this differs from Compose, on purpose:
- Compose stops at the first error. Here every problem is reported, the rest of its line is
  skipped and reading goes on, so that later keys still have values.
- A problem is placed on the character at fault (for an unterminated quote, the opening quote).
  Compose's own line numbers can be off: it gives the last line of the file for an unterminated
  quote, and loses a line after `KEY ` (a lone key with a blank after it).
- An unset variable in a value becomes "" as in Compose, which warns about it; that is not a
  problem here.
- What variables put into one value, and into all the values of the file, is capped (see
  `interpolation`). A value over a cap is a problem, and it is unknown: its variable is left out, and so
  is every later one that uses it.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from typing import NamedTuple, Optional

from dockerstore_lint.inputs.compose.interpolation import MAX_FILE, MAX_VALUE, Lookup, interpolate

# Go's unicode.IsSpace: what Compose skips between statements and trims off unquoted values
_WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
              "\u200a\u2028\u2029\u202f\u205f\u3000"
# the blanks Compose skips inside a statement: whitespace that does not end a line
_BLANKS = frozenset("\t\v\f\r \x85\xa0")
# what Go's regexp `\s` matches, which must follow `export` for it to be a keyword
_EXPORT_GAP = frozenset("\t\n\f\r ")
_KEY_PUNCTUATION = frozenset("_.-[]")
# `\$` becomes `$$` so that interpolation leaves a literal `$`
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", '"': '"', "$": "$$"}
_OCTAL = frozenset("01234567")


class DotenvResult(NamedTuple):
    values: dict[str, str]
    problems: tuple[tuple[int, int, str], ...]  # (line, column, message), 1-based


def parse_dotenv(text: str, lookup: Lookup) -> DotenvResult:
    """The variables `text` defines; `lookup` is the environment (None means unset)."""
    return _Parser(text.removeprefix("\ufeff"), lookup).parse()


class _Parser:
    def __init__(self, text: str, lookup: Lookup) -> None:
        self.text = text
        self.lookup = lookup
        self.values: dict[str, str] = {}
        self.problems: list[tuple[int, int, str]] = []
        self._line_starts: Optional[list[int]] = None
        self._left = MAX_FILE  # characters variables may still put into the values of the file
        self._unknown: set[str] = set()  # variables whose values went over a cap
        self._uses_unknown = False  # the value being read asked for one of them
        self._over_file_cap = False  # reported

    def parse(self) -> DotenvResult:
        pos = self._statement_start(0)
        while pos >= 0:
            pos = self._statement_start(self._statement(pos))
        return DotenvResult(self.values, tuple(self.problems))

    def _statement_start(self, pos: int) -> int:
        """Where the next statement starts, past whitespace and comments; -1 at the end."""
        text, size = self.text, len(self.text)
        while pos < size:
            if text[pos] in _WHITESPACE:
                pos += 1
            elif text[pos] == "#":
                pos = text.find("\n", pos)
                if pos < 0:
                    return -1
            else:
                return pos
        return -1

    def _statement(self, pos: int) -> int:
        """Reads the statement at `pos`; returns where reading goes on."""
        text, size = self.text, len(self.text)
        if text.startswith("export", pos) and pos + 6 < size and text[pos + 6] in _EXPORT_GAP:
            after = self._skip_blanks(pos + 6)
            if after == size:
                return self._problem(pos, "`export` without a variable")
            pos = after
        key_start = end = pos
        while end < size and text[end] not in "=:\n":
            char = text[end]
            if char not in _BLANKS and char not in _KEY_PUNCTUATION and unicodedata.category(char)[0] not in "LN":
                return self._problem(end, f'unexpected character "{char}" in variable name')
            end += 1
        if end == size:
            # no `=`, `:` or line break before the end: Compose reads it all as the value of ""
            return self._value("", key_start)
        key = text[key_start:end].rstrip(_WHITESPACE)
        if " " in key:
            return self._problem(key_start, "key cannot contain a space")
        if text[end] != "\n":
            return self._value(key, self._skip_blanks(end + 1))
        inherited = self.lookup(key)
        if inherited is not None:
            self.values[key] = inherited
        return end + 1

    def _value(self, key: str, pos: int) -> int:
        text = self.text
        if pos < len(text) and text[pos] in "\"'":
            return self._quoted(key, pos)
        end = text.find("\n", pos)
        if end < 0:
            end = len(text)
        raw = text[pos:end]
        comment = raw.find(" #")
        self._set(key, self._expand(raw[:comment] if comment >= 0 else raw, pos))
        return end + 1

    def _quoted(self, key: str, opening: int) -> int:
        text, quote = self.text, self.text[opening]
        chars: list[str] = []
        escaped = False
        for pos in range(opening + 1, len(text)):
            char = text[pos]
            if escaped:
                escaped = False
                # a backslash only disappears before the quote it protects
                if char != quote:
                    chars.append("\\")
                chars.append(char)
            elif char == "\\":
                escaped = True
            elif char == quote:
                raw = "".join(chars)
                self._set(key, raw if quote == "'" else self._expand(_unescape(raw), opening, trim=False))
                return pos + 1
            else:
                chars.append(char)
        return self._problem(opening, "unterminated quoted value")

    def _expand(self, raw: str, pos: int, trim: bool = True) -> Optional[str]:
        """The value with its variables replaced; None when it is unknown (over a cap, or built from a
        value that was)."""
        self._uses_unknown = False
        limit = min(MAX_VALUE, self._left)
        result = interpolate(raw.rstrip(_WHITESPACE) if trim else raw, self._variable, limit)
        self._left -= min(result.taken, limit)
        if result.too_large:
            if limit == MAX_VALUE:
                self._problem(pos, f"variables expand to more than {MAX_VALUE:,} characters in one value: "
                                   "the variable is left unknown")
            elif not self._over_file_cap:
                self._over_file_cap = True
                self._problem(pos, f"variables expand to more than {MAX_FILE:,} characters in this file: from "
                                   "here on a variable whose value uses others is left unknown")
            return None
        if result.error is not None:
            self._problem(pos, result.error)
        return None if self._uses_unknown else result.value

    def _set(self, key: str, value: Optional[str]) -> None:
        if value is None:
            self._unknown.add(key)
            self.values.pop(key, None)
        else:
            self._unknown.discard(key)
            self.values[key] = value

    def _variable(self, name: str) -> Optional[str]:
        value = self.lookup(name)
        if value is not None:
            return value
        if name in self._unknown:
            self._uses_unknown = True
        return self.values.get(name)

    def _skip_blanks(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos] in _BLANKS:
            pos += 1
        return pos

    def _problem(self, pos: int, message: str) -> int:
        """Records a problem at `pos`; returns the start of the next line."""
        if self._line_starts is None:
            self._line_starts = [0] + [i + 1 for i, char in enumerate(self.text) if char == "\n"]
        line = bisect_right(self._line_starts, pos)
        self.problems.append((line, pos - self._line_starts[line - 1] + 1, message))
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1


def _unescape(raw: str) -> str:
    """The escape sequences of a double-quoted value, as Compose reads them."""
    parts: list[str] = []
    pos = 0
    while (slash := raw.find("\\", pos)) >= 0:
        parts.append(raw[pos:slash])
        escape = raw[slash + 1:slash + 2]
        if escape == "0":
            end = slash + 2
            while end < len(raw) and end < slash + 5 and raw[end] in "0123456789":
                end += 1
            digits = raw[slash + 2:end]
            # Compose drops the `0` and decodes three octal digits up to 255; anything else stays
            # as written, without the `0`
            valid = len(digits) == 3 and set(digits) <= _OCTAL and int(digits, 8) <= 255
            parts.append(chr(int(digits, 8)) if valid else "\\" + digits)
            pos = end
        elif escape in _ESCAPES:
            parts.append(_ESCAPES[escape])
            pos = slash + 2
        else:
            parts.append("\\")
            pos = slash + 1
    parts.append(raw[pos:])
    return "".join(parts)
