"""Physical lines -> logical instructions, over dockerfile-parse 2.0.1, made to agree with BuildKit.

dockerfile-parse decides which physical lines form one instruction (its `structure`). It gets that
wrong in ways its tests show (tests/test_dockerfile_lexer.py), so it is fed a normalised copy of the
file, one line per physical line, built so that its grouping is BuildKit's:

* parser directives are read here, as BuildKit reads them (`# check=` may come before
  `# escape=`), and handed to the library as a lone `# escape=` line it cannot miss;
* comment lines and blank lines inside a continuation become `#`: BuildKit skips both there, the
  library ends the instruction at a blank one;
* a content line the library would classify differently (an escaped escape at the end, which
  BuildKit does not treat as a continuation; odd Unicode whitespace) is replaced by a stand-in;
* every line ends with a newline and a blank line follows the last one, so a bare keyword or a
  continuation at the end of the file is not dropped;
* the BOM and stray carriage returns are gone before the library sees the text;
* the lines strictly inside a continuation (continued themselves, comments, blank lines) are left out,
  since they cannot change the grouping: the library joins the text of an instruction one line at a
  time, by copying it, so an instruction continued over 800,000 lines would take it minutes.

The library's grouping is then read back against the original lines: the instruction text is
joined here, BuildKit's way, with a map from each character to its line and column. Heredocs,
which the library does not know, are folded here: their bodies stay on the instruction and the
library's "instructions" found inside them are dropped.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from typing import NamedTuple, Optional, Sequence

from dockerstore_lint.inputs.dockerfile.syntax import extract_flags, is_exec_form, split_command
from dockerstore_lint.inputs.dockerfile.words import is_space, lex_words, skip_space
from dockerstore_lint.model.span import INVALID, Problem, Span
from dockerstore_lint.text.sources import Source

# BuildKit's `#[ \t]*name[ \t]*=[ \t]*(.+?)[ \t]*$`, up to the `=`: the value is cut in `_directive`,
# because that lazy group followed by spaces backtracks quadratically on a long run of spaces
_DIRECTIVE = re.compile(r"#[ \t\n\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\n\f\r]*=")
_DIRECTIVE_SPACE = " \t\n\f\r"
_DIRECTIVE_NAMES = ("syntax", "escape", "check")
# a line BuildKit skips inside an instruction: Go's spaces (`words.skip_space`), then `#` or nothing
_COMMENT_OR_BLANK = re.compile(r"[^\S\x1c-\x1f]*(?:#|\Z)")
_HEREDOC = re.compile(r"(\d*)<<(-?)([^<]*)\Z")
_HEREDOC_INSTRUCTIONS = ("RUN", "COPY", "ADD")
# how dockerfile-parse 2.0.1 decides that a line continues (its `contre`)
_LIBRARY_CONTINUATION = {escape: re.compile(r"^.*" + re.escape(escape) + r"\s*$") for escape in "\\`"}
# BuildKit: the escape character last on the line, unless it is itself escaped
_CONTINUATION = {escape: re.compile(r"(?<!" + re.escape(escape) + ")" + re.escape(escape) + r"[ \t]*\Z")
                 for escape in "\\`"}


class LogicalLine(NamedTuple):
    """One instruction: its text with continuations joined, comments inside it dropped, heredoc
    bodies apart, and where every character of that text came from."""

    keyword: str  # upper-cased
    text: str  # keyword and arguments, as BuildKit joins them
    arguments_at: int  # offset in `text` where the arguments begin
    line: int  # 1-based, of the keyword
    column: int
    end_line: int  # the last line that belongs to it (a heredoc terminator included)
    end_column: int  # exclusive
    heredocs: tuple[tuple[str, str], ...]  # (marker, body)
    pieces: tuple[tuple[int, int, int], ...]  # (offset in text, line, column) where each physical piece starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of the character at `offset` in `text`."""
        return _locate(self.pieces, offset)

    def span(self, file: str, start: int, end: int) -> Span:
        """The span of `text[start:end]`."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(end - 1, start))
        return Span(file, line, column, end_line, end_column + (1 if end > start else 0))

    def whole(self, file: str) -> Span:
        return Span(file, self.line, self.column, self.end_line, self.end_column)

    def keyword_span(self, file: str) -> Span:
        # as written: upper-casing changes some lengths (`ß` is `SS`)
        return self.span(file, 0, len(self.text[:self.arguments_at].rstrip()))


class Lexed(NamedTuple):
    escape: str
    instructions: tuple[LogicalLine, ...]
    problems: tuple[Problem, ...]


def lex(source: Source) -> Lexed:
    text = source.text.removeprefix("\ufeff")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    # a final newline ends the last line, it does not start another one
    real_lines = len(lines) - 1 if text.endswith("\n") else len(lines)
    escape, directive_lines, problems = _directives(lines, source.file)
    feed, feed_lines = _library_feed(lines, escape, directive_lines)
    groups = [(feed_lines[start], feed_lines[end]) for start, end in _library_groups(feed)]
    continuation = _CONTINUATION[escape]
    instructions = []
    next_free = 0
    for start, end in groups:
        if start < next_free:
            continue  # a heredoc body line the library took for an instruction
        joined = _join(lines, start, min(end, real_lines - 1), continuation)
        if joined is None:
            continue
        body, pieces, last = joined
        keyword, arguments_at = split_command(body)
        heredocs: tuple[tuple[str, str], ...] = ()
        problem = None
        if "<<" in body and _may_hold_heredocs(keyword, body, arguments_at):
            heredocs, terminator, problem = _read_heredocs(body, lines, last + 1, real_lines)
            if heredocs:
                last = terminator
                next_free = terminator + 1
        line, column = _locate(pieces, 0)
        instruction = LogicalLine(keyword, body, arguments_at, line, column, last + 1, len(lines[last].rstrip()) + 1,
                                  heredocs, tuple(pieces))
        if problem:
            problems.append(Problem(INVALID, problem, instruction.whole(source.file)))
        instructions.append(instruction)
    return Lexed(escape, tuple(instructions), tuple(problems))


def _locate(pieces: Sequence[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    index = bisect_right(pieces, (offset, 1 << 62, 0)) - 1
    start, line, column = pieces[max(index, 0)]
    return line, column + offset - start


def _directives(lines: list[str], file: str) -> tuple[str, int, list[Problem]]:
    """BuildKit's parser directives: `# name=value` lines at the very top, each name once."""
    escape = "\\"
    seen: set[str] = set()
    problems: list[Problem] = []
    count = 0
    for number, line in enumerate(lines):
        directive = _directive(_lstrip(line))
        if directive is None or directive[0].lower() not in _DIRECTIVE_NAMES:
            break
        name, value = directive[0].lower(), directive[1]
        span = Span(file, number + 1, 1, number + 1, len(line) + 1)
        if name in seen:
            problems.append(Problem(INVALID, f"only one {name} parser directive can be used", span))
        elif name == "escape":
            if value in ("\\", "`"):
                escape = value
            else:
                problems.append(Problem(INVALID, f"invalid escape token '{value}' does not match ` or \\", span))
        seen.add(name)
        count = number + 1
    return escape, count, problems


def _directive(line: str) -> Optional[tuple[str, str]]:
    """(name, value) of a `# name=value` line, as BuildKit's regular expression reads it: the value
    without the spaces around it, or the last space when there is nothing else."""
    match = _DIRECTIVE.match(line)
    if match is None:
        return None
    rest = line[match.end():]
    value = rest.strip(_DIRECTIVE_SPACE) or rest[-1:]
    return (match.group(1), value) if value else None


def _library_feed(lines: list[str], escape: str, directive_lines: int) -> tuple[str, list[int]]:
    """The text the library groups, and the physical line of each of its lines."""
    continuation = _CONTINUATION[escape]
    library_continuation = _LIBRARY_CONTINUATION[escape]
    feed = []
    feed_lines = []
    continues = False
    for number, line in enumerate(lines):
        if number < directive_lines:
            feed.append("# escape=`" if number == 0 and escape == "`" else "")
        elif _is_comment_or_blank(line):
            if continues:
                continue  # inside a continuation BuildKit skips both, as the library skips a comment
            # elsewhere both are nothing, and an empty line costs the library less than a comment
            feed.append("")
        else:
            continued = continues
            continues = continuation.search(line) is not None
            if continued and continues:
                continue
            # the library sees an instruction line, continued or not, exactly when BuildKit does
            agrees = line.strip() and not line.lstrip().startswith("#") \
                and (library_continuation.match(line) is not None) == continues
            feed.append(line if agrees else "X" + escape if continues else "X")
        feed_lines.append(number)
    # the two blank lines that end the feed
    feed_lines += [len(lines), len(lines) + 1]
    return "\n".join(feed) + "\n\n", feed_lines


def _library_groups(feed: str) -> list[tuple[int, int]]:
    """(first, last) 0-based line of each instruction, as dockerfile-parse groups them."""
    from dockerfile_parse import DockerfileParser

    # the library reads bytes (its docstring says so); its stubs say text
    feed_bytes = io.BytesIO(feed.encode("utf-8", "replace"))
    structure = DockerfileParser(fileobj=feed_bytes).structure  # type: ignore[arg-type]
    return [(entry["startline"], entry["endline"]) for entry in structure if entry["instruction"] != "COMMENT"]


def _join(lines: list[str], start: int, end: int,
          continuation: re.Pattern[str]) -> Optional[tuple[str, list[tuple[int, int, int]], int]]:
    """BuildKit's reading of one instruction: the first line left-trimmed, comment and blank lines
    skipped, each continuation escape removed. Returns (text, pieces, last line) or None."""
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    offset = 0
    last = start
    for number in range(start, end + 1):
        line = lines[number]
        if _is_comment_or_blank(line):
            continue
        column = 1
        if not parts:
            trimmed = _lstrip(line)
            column += len(line) - len(trimmed)
            line = trimmed
        match = continuation.search(line)
        if match:
            line = line[:match.start()]
        pieces.append((offset, number + 1, column))
        parts.append(line)
        offset += len(line)
        last = number
        if not match:
            break
    if not parts:
        return None
    text = "".join(parts)
    trailing = len(text)
    while trailing and is_space(text[trailing - 1]):
        trailing -= 1
    if not trailing:
        return None  # only continuation characters: BuildKit has nothing to parse
    return text[:trailing], pieces, last


def _may_hold_heredocs(keyword: str, text: str, arguments_at: int) -> bool:
    """RUN, COPY and ADD (also under ONBUILD) in shell form; BuildKit reads no heredoc elsewhere."""
    _, rest = extract_flags(text, arguments_at)
    if keyword == "ONBUILD":
        keyword, offset = split_command(text[rest:])
        _, rest = extract_flags(text, rest + offset)
    return keyword in _HEREDOC_INSTRUCTIONS and not is_exec_form(text, rest)


def _read_heredocs(text: str, lines: list[str], first_body_line: int,
                   real_lines: int) -> tuple[tuple[tuple[str, str], ...], int, Optional[str]]:
    """The bodies of the heredocs opened on the instruction line, read one after the other.
    Returns (heredocs, index of the last line read, problem)."""
    heredocs = []
    number = first_body_line - 1
    for marker, chomp in _heredoc_markers(text):
        body = []
        number += 1
        while number < real_lines:
            candidate = lines[number].lstrip("\t") if chomp else lines[number]
            if candidate == marker:
                break
            body.append(lines[number] + "\n")
            number += 1
        else:
            heredocs.append((marker, "".join(body)))
            return tuple(heredocs), real_lines - 1, f"unterminated heredoc <<{marker}: no line `{marker}` ends it"
        heredocs.append((marker, "".join(body)))
    return tuple(heredocs), number, None


def _heredoc_markers(text: str) -> list[tuple[str, bool]]:
    """(marker, chomp) for each `<<WORD` / `<<-WORD` word of the line, as BuildKit finds them."""
    markers = []
    for word in lex_words(text, raw=True) or ():
        marker = heredoc_marker(word)
        if marker is not None:
            markers.append(marker)
    return markers


def heredoc_marker(word: str) -> Optional[tuple[str, bool]]:
    """(marker, chomp) when the word opens a heredoc: `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`."""
    match = _HEREDOC.match(word)
    if not match or not match.group(3):
        return None
    names = lex_words(match.group(3))
    if names is None or len(names) != 1:
        return None
    return names[0], match.group(2) == "-"


def _lstrip(line: str) -> str:
    return line[skip_space(line, 0):]


def _is_comment_or_blank(line: str) -> bool:
    return _COMMENT_OR_BLANK.match(line) is not None
