"""BuildKit's word processing: splitting arguments into words, quotes, escapes and `$VAR` expansion.

One module for every instruction Docker expands (ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME
WORKDIR, and ARG defaults), so they all agree on quotes, the escape character and `${VAR:-x}`.
The rules follow BuildKit's `shell/lex.go` and `parser/line_parsers.go`, with one deliberate
difference: a variable the Dockerfile does not define (set by the base image, or a build argument
without a default) is not replaced by "" but kept as written, `$HOME` stays `$HOME`, and the
expansion says it is not `resolved`. A linter cannot tell "unknown here" from "empty".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Mapping, NamedTuple, Optional, TypeVar, Union, overload

from dockerstore_lint.wildcards import TooManyStars, Wildcard

# BuildKit splits commands and whitespace-delimited lists on these only (`reWhitespace`)
_WHITESPACE_RUN = re.compile(r"[\t\v\f\r ]+")
# Go's unicode.IsSpace is Python's isspace() minus the four information separators
_NOT_GO_SPACE = frozenset("\x1c\x1d\x1e\x1f")
_SPECIAL_PARAMETERS = frozenset("@*#?-$!0")
_SPACES = re.compile(r"[^\S\x1c-\x1f]*")
_GO_SPACE_RUN = re.compile(r"[^\S\x1c-\x1f]+")


# The patterns that depend on the escape character are compiled for the one a Dockerfile uses, when it
# is first needed (most files never use the backtick).
@lru_cache(maxsize=None)
def _shell_word(escape: str) -> re.Pattern[str]:
    # a word: plain characters, an escape with what it escapes (even a quote or a space), or a
    # quoted run; an unterminated quote runs to the end; no escapes inside single quotes
    e = re.escape(escape)
    # runs of plain characters are taken whole: a group repeated once per character costs the regex
    # engine memory per character (a gigabyte for a 10 MB word)
    return re.compile(rf"""(?:[^\s'"{e}]+|[\x1c-\x1f]+|{e}[\s\S]?|'[^']*'?|"(?:[^"{e}]+|{e}[\s\S]?)*"?)+""")


@lru_cache(maxsize=None)
def _special(escape: str) -> re.Pattern[str]:
    """A word without these comes out of `expand` unchanged."""
    return re.compile("[$'\"" + re.escape(escape) + "]")


# variable name -> (value, resolved); a value is unresolved when it was built from unknown variables
Scope = Mapping[str, tuple[str, bool]]
_Default = TypeVar("_Default")

# What variables may put into the words of one Dockerfile, in characters. Real files use a few
# kilobytes; `ARG B=$A$A`, `ARG C=$B$B`... doubles at every line and would reach gigabytes.
MAX_EXPANDED = 16 * 1024 * 1024


class Budget:
    """The characters variables may still put into words; below zero, the budget is spent."""

    __slots__ = ("left",)

    def __init__(self, characters: int = MAX_EXPANDED) -> None:
        self.left = characters

    @property
    def spent(self) -> bool:
        return self.left < 0


class BudgetedScope(Scope):
    """A scope whose values are charged to a budget each time one is looked up for expansion; once the
    budget is spent, every variable is unknown and stays as written, like a base image's."""

    __slots__ = ("scope", "budget")

    def __init__(self, scope: Scope, budget: Budget) -> None:
        self.scope = scope
        self.budget = budget

    def __getitem__(self, name: str) -> tuple[str, bool]:
        return self.scope[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.scope)

    def __len__(self) -> int:
        return len(self.scope)

    @overload
    def get(self, name: str, /) -> Optional[tuple[str, bool]]: ...
    @overload
    def get(self, name: str, default: _Default, /) -> Union[tuple[str, bool], _Default]: ...
    def get(self, name: str, default: object = None) -> object:
        found = self.scope.get(name)
        if found is None or self.budget.spent:
            return default
        self.budget.left -= len(found[0])
        return default if self.budget.spent else found


def is_space(ch: str) -> bool:
    """Go's unicode.IsSpace, which BuildKit uses to split words."""
    return ch.isspace() and ch not in _NOT_GO_SPACE


class Word(NamedTuple):
    """A word as written, and where it is in the text it was cut from (`end` exclusive)."""

    raw: str
    start: int
    end: int


class Expansion(NamedTuple):
    text: str
    resolved: bool  # False when an unknown variable was kept as `$VAR`
    error: Optional[str] = None  # why BuildKit would refuse the word


class _ExpansionError(Exception):
    """A word BuildKit cannot process (`${}`, an unterminated quote); caught inside this module."""


def split_whitespace(text: str, start: int = 0, end: Optional[int] = None) -> list[Word]:
    """BuildKit's parseStringsWhitespaceDelimited: no quote handling at all (FROM, EXPOSE, shell-form
    COPY/ADD/VOLUME); quotes are only removed later, word by word, by `expand`."""
    stop = len(text) if end is None else end
    words = []
    position = start
    for gap in _WHITESPACE_RUN.finditer(text, start, stop):
        if gap.start() > position:
            words.append(Word(text[position:gap.start()], position, gap.start()))
        position = gap.end()
    if position < stop:
        words.append(Word(text[position:stop], position, stop))
    return words


def split_shell_words(text: str, escape: str, start: int = 0) -> list[Word]:
    """BuildKit's parseWords (ENV, LABEL, ARG, ONBUILD): split on whitespace outside quotes,
    keeping the quotes and escape characters in the words for `expand` to process."""
    return [Word(match.group(), match.start(), match.end()) for match in _shell_word(escape).finditer(text, start)]


def skip_space(text: str, position: int) -> int:
    """The offset of the first non-space character at or after `position`."""
    spaces = _SPACES.match(text, position)
    assert spaces is not None  # the pattern matches empty text
    return spaces.end()


def expand(word: str, scope: Scope, escape: str = "\\") -> Expansion:
    """BuildKit's ProcessWord: one word in, one string out, quotes removed, variables expanded."""
    if not _special(escape).search(word):
        return Expansion(word, True)
    processor = _Processor(word, scope, escape)
    try:
        text, _ = processor.process_until(None)
    except _ExpansionError as error:
        return Expansion(word, False, str(error))
    except (RecursionError, TooManyStars):
        # `${A:-${B:-...}}` nested hundreds deep, `${A#*a*b*c...}` with hundreds of `*`s: fine for Docker,
        # unknown here
        return Expansion(word, False)
    return Expansion(text, processor.resolved)


def lex_words(text: str, raw: bool = False) -> Optional[list[str]]:
    """BuildKit's ProcessWords with no variables and `\\` as escape, as it reads heredoc markers:
    `raw` keeps quotes and escapes in the words. None when the text cannot be processed."""
    processor = _Processor(text, {}, "\\", raw=raw)
    try:
        _, words = processor.process_until(None)
    except (_ExpansionError, RecursionError):
        return None
    return words


class _Words:
    """ProcessWords' word builder: text from `$VAR` splits on whitespace, quoted text never does."""

    __slots__ = ("words", "current", "in_word")

    def __init__(self) -> None:
        self.words: list[str] = []
        # the word so far, in non-empty pieces: `+=` on an attribute would copy the word every time
        self.current: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if not is_space(ch):
            self.add_raw(ch)
        elif self.in_word and self.current:
            self.words.append("".join(self.current))
            self.current, self.in_word = [], False

    def add_string(self, text: str) -> None:
        """`add_char` for each character, a run of spaces or non-spaces at a time."""
        position = 0
        for gap in _GO_SPACE_RUN.finditer(text):
            if gap.start() > position:
                self.add_raw(text[position:gap.start()])
            self.add_char(gap.group()[0])
            position = gap.end()
        if position < len(text):
            self.add_raw(text[position:])

    def add_raw(self, text: str) -> None:
        if text:
            self.current.append(text)
        self.in_word = True

    def finish(self) -> list[str]:
        if self.current:
            self.words.append("".join(self.current))
            self.current, self.in_word = [], False
        return self.words


class _Processor:
    """One pass over a word, as BuildKit's shellWord does it."""

    __slots__ = ("text", "position", "scope", "escape", "raw_quotes", "raw_escapes", "resolved")

    def __init__(self, text: str, scope: Scope, escape: str, raw: bool = False) -> None:
        self.text = text
        self.position = 0
        self.scope = scope
        self.escape = escape
        self.raw_quotes = raw
        self.raw_escapes = raw
        self.resolved = True

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def next(self) -> str:
        ch = self.peek()
        self.position += 1
        return ch

    def process_until(self, stop: Optional[str], raw_escapes: Optional[bool] = None) -> tuple[str, list[str]]:
        saved = self.raw_escapes
        if raw_escapes is not None:
            self.raw_escapes = raw_escapes
        try:
            return self._process_until(stop)
        finally:
            self.raw_escapes = saved

    def _process_until(self, stop: Optional[str]) -> tuple[str, list[str]]:
        result: list[str] = []
        words = _Words()
        while self.position < len(self.text):
            ch = self.text[self.position]
            if ch == stop:
                self.position += 1
                return "".join(result), words.finish()
            if ch == "$":
                value = self.dollar()
                result.append(value)
                words.add_string(value)
            elif ch == "'" or ch == '"':
                value = self.single_quoted() if ch == "'" else self.double_quoted()
                result.append(value)
                words.add_raw(value)
            else:
                self.position += 1
                if ch == self.escape:
                    if self.raw_escapes:
                        words.add_raw(ch)
                        result.append(ch)
                    if self.position >= len(self.text):
                        break  # an escape at the very end is dropped
                    ch = self.next()
                    words.add_raw(ch)
                else:
                    words.add_char(ch)
                result.append(ch)
        if stop is not None:
            raise _ExpansionError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.finish()

    def single_quoted(self) -> str:
        opening = self.next()
        result = [opening] if self.raw_quotes else []
        while True:
            ch = self.next()
            if ch == "":
                raise _ExpansionError("unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                if self.raw_quotes:
                    result.append(ch)
                return "".join(result)
            result.append(ch)

    def double_quoted(self) -> str:
        opening = self.next()
        result = [opening] if self.raw_quotes else []
        while True:
            ch = self.peek()
            if ch == "":
                raise _ExpansionError("unexpected end of statement while looking for matching double-quote")
            if ch == '"':
                self.next()
                if self.raw_quotes:
                    result.append(ch)
                return "".join(result)
            if ch == "$":
                result.append(self.dollar())
                continue
            ch = self.next()
            if ch == self.escape:
                if self.raw_escapes:
                    result.append(ch)
                following = self.peek()
                if following == "":
                    continue  # the unterminated quote is reported on the next turn
                if following in ('"', "$", self.escape):
                    ch = self.next()
            result.append(ch)

    def lookup(self, name: str) -> Optional[tuple[str, bool]]:
        found = self.scope.get(name)
        if found is None or not found[1]:
            self.resolved = False
        return found

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            if not name:
                return "$"
            found = self.lookup(name)
            return "$" + name if found is None else found[0]
        self.next()
        ch = self.peek()
        if ch == "":
            raise _ExpansionError("syntax error: missing '}'")
        if ch in "{}:":
            raise _ExpansionError("syntax error: bad substitution")
        name = self.name()
        modifier = self.next()
        if modifier == "}":
            found = self.lookup(name)
            return "${" + name + "}" if found is None else found[0]
        if modifier == "/":
            return self.replacement(name)
        written = modifier
        null_is_unset = modifier == ":"
        if null_is_unset:
            modifier = self.next()
            written += modifier
        if modifier not in ("+", "-", "?", "#", "%") and not null_is_unset:
            raise _ExpansionError(f"unsupported modifier ({written}) in substitution")
        resolved_before = self.resolved
        word = self.closing_word("}", raw_escapes=modifier in ("#", "%"))
        # the word's own variables only count when the word is used: `${SET:-$UNKNOWN}` is resolved
        word_resolved, self.resolved = self.resolved, resolved_before
        found = self.lookup(name)
        if found is None:
            return "${" + name + written + word + "}"
        value = found[0]
        empty = null_is_unset and value == ""
        uses_word = (modifier == "-" and empty) or (modifier == "+" and not empty) or modifier in ("#", "%")
        self.resolved = self.resolved and (word_resolved or not uses_word)
        if modifier == "-":
            return word if empty else value
        if modifier == "+":
            return "" if empty else word
        if modifier == "?":
            if empty:
                # Docker fails only if the build does not set it; it is not known here
                self.resolved = False
                return "${" + name + written + word + "}"
            return value
        if modifier in ("#", "%"):
            greedy = word.startswith(modifier)
            pattern = word[1:] if greedy else word
            return _trim(value, pattern, greedy, suffix=modifier == "%")
        raise _ExpansionError(f"unsupported modifier ({written}) in substitution")

    def closing_word(self, stop: str, raw_escapes: bool) -> str:
        try:
            word, _ = self.process_until(stop, raw_escapes)
        except _ExpansionError:
            if self.position >= len(self.text):
                raise _ExpansionError(f"syntax error: missing '{stop}'") from None
            raise
        return word

    def replacement(self, name: str) -> str:
        replace_all = self.peek() == "/"
        if replace_all:
            self.next()
        pattern = self.closing_word("/", raw_escapes=True)
        replacement = self.closing_word("}", raw_escapes=True)
        found = self.lookup(name)
        if found is None:
            return "${" + name + "/" + ("/" if replace_all else "") + pattern + "/" + replacement + "}"
        return _replace(found[0], pattern, replacement, replace_all)

    def name(self) -> str:
        start = self.position
        text = self.text
        if start < len(text):
            first = text[start]
            if first.isdecimal():
                while self.position < len(text) and text[self.position].isdecimal():
                    self.position += 1
                return text[start:self.position]
            if first in _SPECIAL_PARAMETERS:
                self.position += 1
                return first
        while self.position < len(text) and (text[self.position].isalnum() or text[self.position] == "_"):
            self.position += 1
        return text[start:self.position]


def _wildcard(pattern: str) -> Wildcard:
    """A shell pattern (`*`, `?`, `\\` escapes) as BuildKit reads it in `${VAR#...}` and `${VAR/...}`."""
    runs: list[str] = [""]
    position = 0
    while position < len(pattern):
        ch = pattern[position]
        position += 1
        if ch == "*":
            runs.append("")
        elif ch == "?":
            runs[-1] += "."
        elif ch == "\\":
            if position < len(pattern) and pattern[position] in "}/":
                continue
            if position >= len(pattern) or pattern[position] not in "*?\\":
                raise _ExpansionError(f"invalid pattern ({pattern}) in substitution")
            runs[-1] += re.escape(pattern[position])
            position += 1
        else:
            runs[-1] += re.escape(ch)
    return Wildcard(runs)


def _trim(value: str, pattern: str, greedy: bool, suffix: bool) -> str:
    """`${VAR#pattern}` / `${VAR%pattern}`: a suffix is trimmed as a prefix of the reversed text."""
    wildcard = _wildcard(pattern)
    if suffix:
        value, wildcard = value[::-1], wildcard.reversed()
    end = wildcard.prefix_end(value, 0, greedy)
    trimmed = value[end:] if end is not None else value
    return trimmed[::-1] if suffix else trimmed


def _replace(value: str, pattern: str, replacement: str, replace_all: bool) -> str:
    """`${VAR/pattern/replacement}`, and `${VAR//...}` for every match, as BuildKit's Go regexp does it."""
    wildcard = _wildcard(pattern)
    if len(wildcard.runs) == 1:  # no `*`: a plain search, where a match can never run into the next
        return wildcard.runs[0].sub(lambda _: replacement, value, count=0 if replace_all else 1)
    # with a `*`, a match reaches the last place the final run fits (or the end): there is no second one
    found = wildcard.search(value)
    return value if found is None else value[:found[0]] + replacement + value[found[1]:]
