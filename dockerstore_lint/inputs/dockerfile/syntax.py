"""The shape of an instruction's arguments, as BuildKit's parser cuts them: keyword, leading
`--flags`, then either a JSON array (exec form) or text that each instruction splits its own way.

Everything here keeps offsets into the logical line, so any word can be pointed at precisely.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple, Optional

from dockerstore_lint.inputs.dockerfile.words import Word, is_space, skip_space, split_shell_words, split_whitespace

KNOWN_INSTRUCTIONS = frozenset(
    "FROM RUN CMD LABEL MAINTAINER EXPOSE ENV ADD COPY ENTRYPOINT VOLUME USER WORKDIR ARG ONBUILD "
    "STOPSIGNAL HEALTHCHECK SHELL".split()
)
# instructions whose arguments Docker runs through variable expansion (ARG expands its defaults)
EXPANDED = frozenset("ADD ARG COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR".split())
# instructions whose shell form is one string (BuildKit's parseString)
_SINGLE_STRING = frozenset("MAINTAINER STOPSIGNAL USER WORKDIR".split())
# instructions whose shell form is a whitespace-separated list without quote handling
_WHITESPACE_LIST = frozenset("ADD COPY EXPOSE FROM VOLUME".split())
# instructions that may be written as a JSON array
_JSON_CAPABLE = frozenset("ADD CMD COPY ENTRYPOINT HEALTHCHECK RUN SHELL VOLUME".split())

_COMMAND_GAP = re.compile(r"[\t\v\f\r ]+")
NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only"


class Flag(NamedTuple):
    name: str
    value: str  # quotes and `\` escapes removed, variables not expanded
    word: Word


class Arguments(NamedTuple):
    """An instruction's arguments: flags, then words (JSON items, or the instruction's own split)."""

    flags: tuple[Flag, ...]
    start: int  # offset of the first argument after the flags
    text: str  # the arguments after the flags, trimmed
    words: tuple[Word, ...]  # for JSON, `raw` is the decoded string and the offsets its literal
    json_form: bool
    error: Optional[str] = None  # BuildKit refuses the JSON array

    def flag_values(self) -> dict[str, tuple[str, ...]]:
        values: dict[str, list[str]] = {}
        for flag in self.flags:
            values.setdefault(flag.name, []).append(flag.value)
        return {name: tuple(found) for name, found in values.items()}


def name_values(keyword: str, arguments: Arguments) -> tuple[list[tuple[Word, Optional[Word]]], Optional[str]]:
    """ENV/LABEL `name=value ...` (or the old `name value with spaces`) and ARG `name[=value] ...`,
    as BuildKit's parseNameVal / parseArg cut them. Returns the pairs, or why Docker refuses them."""
    pairs: list[tuple[Word, Optional[Word]]] = []
    words = arguments.words
    if keyword != "ARG" and words and "=" not in words[0].raw:
        gap = _COMMAND_GAP.search(arguments.text)
        if gap is None:
            return [], f"{keyword} must have two arguments: {keyword} NAME=value"
        start = arguments.start
        name = Word(arguments.text[:gap.start()], start, start + gap.start())
        value = Word(arguments.text[gap.end():], start + gap.end(), start + len(arguments.text))
        return [(name, value)], None
    for word in words:
        raw_name, equals, raw_value = word.raw.partition("=")
        if not equals:
            if keyword != "ARG":
                return [], f'Syntax error - can\'t find = in "{word.raw}": write {keyword} NAME=value'
            pairs.append((word, None))
            continue
        if not raw_name:
            return [], f"{keyword} names can not be blank"
        split = word.start + len(raw_name)
        pairs.append((Word(raw_name, word.start, split), Word(raw_value, split + 1, word.end)))
    return pairs, None


def split_command(line: str) -> tuple[str, int]:
    """The keyword, upper-cased, and the offset where its arguments begin."""
    gap = _COMMAND_GAP.search(line)
    if gap is None:
        return line.upper(), len(line)
    return line[:gap.start()].upper(), gap.end()


def parse_arguments(keyword: str, line: str, start: int, escape: str) -> Arguments:
    """Cut the arguments of `keyword` found in `line` from offset `start`."""
    flags, rest = extract_flags(line, start)
    end = len(line)
    while end > rest and is_space(line[end - 1]):
        end -= 1
    text = line[rest:end]
    if keyword in _JSON_CAPABLE:
        form = _json_words(line, rest, end, keyword)
        if form is not None:
            words, error = form
            return Arguments(flags, rest, text, words, True, error)
    if keyword in _SINGLE_STRING:
        words = (Word(text, rest, end),) if text else ()
    elif keyword in _WHITESPACE_LIST:
        words = tuple(split_whitespace(line, rest, end))
    else:
        # ARG, ENV, LABEL, ONBUILD (BuildKit's parseWords), and the shell words, as written, of RUN,
        # CMD, ENTRYPOINT, SHELL, HEALTHCHECK and unknown instructions
        words = tuple(split_shell_words(line[:end], escape, rest))
    return Arguments(flags, rest, text, words, False)


def extract_flags(line: str, start: int) -> tuple[tuple[Flag, ...], int]:
    """BuildKit's extractBuilderFlags: leading words that start with `--`, up to a bare `--`.
    Quotes and `\\` escapes inside them are removed (always `\\`, whatever the escape directive)."""
    flags: list[Flag] = []
    position = start
    length = len(line)
    while True:
        position = skip_space(line, position)
        if not line.startswith("--", position):
            return tuple(flags), position
        word_start = position
        value: list[str] = []
        quote = ""
        while position < length and (quote or not is_space(line[position])):
            ch = line[position]
            position += 1
            if quote:
                if ch == quote:
                    quote = ""
                    continue
            elif ch in "'\"":
                quote = ch
                continue
            if ch == "\\":
                if position >= length:
                    continue
                ch = line[position]
                position += 1
            value.append(ch)
        written = "".join(value)
        if written == "--":
            return tuple(flags), skip_space(line, position)
        name, _, flag_value = written[2:].partition("=")
        flags.append(Flag(name, flag_value, Word(line[word_start:position], word_start, position)))


def _json_words(line: str, start: int, end: int, keyword: str) -> Optional[tuple[tuple[Word, ...], Optional[str]]]:
    """The exec form: a JSON array of strings, with each literal's offsets. None when it is not
    JSON at all (Docker then reads shell form); an error when the array holds non-strings."""
    text = line[start:end]
    if keyword == "HEALTHCHECK":
        # HEALTHCHECK [flags] CMD ["executable", ...]: the type comes first
        gap = _COMMAND_GAP.search(text)
        if gap is None:
            return None
        head = Word(text[:gap.start()], start, start + gap.start())
        inner = _json_words(line, start + gap.end(), end, "CMD")
        if inner is None:
            return None
        words, error = inner
        return (head,) + words, error
    items = _json_array(text)
    if items is None:
        return None
    strings = [item for item in items if isinstance(item, str)]
    if len(strings) < len(items):
        return (), NOT_STRING_ARRAY
    literals = []
    decoder = json.JSONDecoder()
    position = start + 1
    for item in strings:
        # the literals are the only `"` outside strings in a flat array of strings
        position = line.index('"', position)
        _, literal_end = decoder.raw_decode(line, position)
        literals.append(Word(item, position, literal_end))
        position = literal_end
    return tuple(literals), None


def is_exec_form(line: str, start: int) -> bool:
    """Whether the arguments from `start` (flags already skipped) are a JSON array."""
    return _json_array(line[skip_space(line, start):].rstrip()) is not None


def _json_array(text: str) -> Optional[list[object]]:
    if not text.startswith("["):
        return None
    try:
        items = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return None  # Go's decoder gives up on deep nesting too, and Docker reads shell form
    return items if isinstance(items, list) else None


def _refuse_constant(name: str) -> None:
    # Go's JSON decoder has no NaN/Infinity: such text is shell form for Docker
    raise ValueError(name)
