"""POSIX shell command lines read into words with exact positions, without running anything.

`parse_shell` reads text the way a POSIX shell (bash) splits it: quotes removed, backslash escapes,
`$VAR`, `${VAR...}`, `$(...)`, backquotes, `$((...))`, `~` and GitHub's `${{ ... }}` kept as
*expansions*, operators (`&& || ; | & ( )`, newlines) ending simple commands, redirections and
leading `NAME=value` assignments set apart, comments and heredoc bodies skipped. Commands inside
`$(...)`, backquotes and `<(...)` run too, so they are listed as well (before the command that uses
their output, as they run).

Nothing is expanded while reading: `resolve_command` does it afterwards with a resolver the caller
gives, so that a source can track what the script did before (`cd`, `VAR=...`) when it resolves each
command. An expansion the resolver does not know stays as written and makes the word unresolved;
so does an unquoted glob or brace pattern, and an unquoted expansion whose value the shell would
split into several words.

Bad input never raises: an unterminated quote or substitution, nesting deeper than `MAX_DEPTH` or
more than `max_words` words end the reading with a `Diagnostic`; the commands read before it are
kept. Every step consumes input, so time is linear in the text's length.
"""

import re
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Optional

from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE, SimpleCommand, Word

MAX_DEPTH = 40  # nested $(...), `...`, ${...}: more is not a script anybody wrote
MAX_WORDS = 100_000  # words, redirections and expansions: bounds time and memory on hostile text


class Diagnostic(NamedTuple):
    """Something a reader could not take as written: `kind` is a stable slug, `message` says why."""

    kind: str
    message: str
    span: Span


class Expansion(NamedTuple):
    kind: str  # "parameter" | "command" | "arithmetic" | "tilde" | "template"
    name: str  # the variable, the command text, the user after `~` ("" for the caller's home), the expression
    written: str  # exactly as in the text
    quoted: bool  # inside double quotes: its value is not split into words
    operator: str = ""  # what follows the name in `${NAME...}`: ":-default", "%/*"..., "#" for `${#NAME}`


class Piece(NamedTuple):
    text: str  # literal text, quotes and escapes removed ("" for an expansion)
    expansion: Optional[Expansion] = None


class RawWord(NamedTuple):
    written: str
    span: Span
    pieces: tuple[Piece, ...]
    pattern: bool = False  # an unquoted `*`, `?`, `[...]` or `{a,b}`: the shell may make other words of it


class Assignment(NamedTuple):
    name: str
    value: RawWord  # the text after `=`
    span: Span  # `NAME=value`
    append: bool = False  # `NAME+=value`


class Redirection(NamedTuple):
    operator: str  # `>`, `2>>`, `&>`, `<<`, `<<-`, ...
    target: Optional[RawWord]  # the file, descriptor or heredoc delimiter
    span: Span


class RawCommand(NamedTuple):
    words: tuple[RawWord, ...]  # the command name first
    assignments: tuple[Assignment, ...]  # `NAME=value` before the name, and operands of export/local/...
    redirections: tuple[Redirection, ...]
    span: Span
    substituted: bool = False  # inside `$(...)`, backquotes or `<(...)`


class Script(NamedTuple):
    commands: tuple[RawCommand, ...]
    problems: tuple[Diagnostic, ...]


# what a resolver is asked about each expansion; None: not known
Resolver = Callable[[Expansion], Optional[str]]

# the first word of a compound command, which is not itself a command
_RESERVED = frozenset(("!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac"))
# these start a clause whose words up to the next operator are not a command
_CLAUSES = frozenset(("for", "select", "case", "function"))
# declaration builtins whose NAME=value operands are assignments too
_DECLARATIONS = frozenset(("export", "local", "readonly", "declare", "typeset"))

_BLANKS = re.compile(r"[ \t]+")
_ESCAPES = re.compile(r"(?:\\[^\n])+")
_PLAIN = re.compile(r"[^ \t\n'\"\\$`;&|()<>]+")
_IN_DOUBLE = re.compile(r"[^\"\\$`]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
_SPECIAL_PARAMETER = re.compile(r"[0-9@*#?$!-]")
_TILDE = re.compile(r"~([A-Za-z0-9._-]*)")
_SEPARATORS = re.compile(r"[;|& \t]+")
_OPENING = re.compile(r"[( \t]+")
_CLOSING = re.compile(r"\)+")
_NEWLINES = re.compile(r"[\n \t]+")
_REDIRECTION = re.compile(r"(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})?(?:<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)")
_HEREDOC = re.compile(r"(?:[0-9]+|\{[A-Za-z_][A-Za-z0-9_]*\})?<<-?")
_PROCESS_SUBSTITUTION = re.compile(r"[<>]\(")
# bodies of quoted text up to (not including) the closing quote: always matching, so never backtracking
_BACKQUOTED = re.compile(r"(?:[^`\\]+|\\[\s\S])*")
_ANSI_C = re.compile(r"(?:[^'\\]+|\\[\s\S])*")
_DOUBLE_QUOTED_BODY = re.compile(r'(?:[^"\\]+|\\[\s\S])*')
_ANSI_ESCAPE = re.compile(r"\\(?:([abeEfnrtv\\'\"?])|([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{1,4})"
                          r"|U([0-9A-Fa-f]{1,8})|c(.)|([\s\S]))")
_ANSI_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_BRACE_STOP = re.compile(r"[{}'\"\\`]")
_PAREN_STOP = re.compile(r"[()'\"\\`]")
_BRACES = re.compile(r"[{}]")
_PATTERN_CHARACTER = re.compile(r"[*?\[{]")
_COMMENT_ONLY = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*(?:#[^\n]*)?")
# `<image>`, `<YOUR IMAGE NAME>`: what documentation writes where a value goes (read so only when asked)
_PLACEHOLDER = re.compile(r"<[A-Za-z](?:[A-Za-z0-9_.:/-]| (?=[A-Za-z0-9_]))*>")
_SPLITS = re.compile(r"[ \t\n*?\[]")  # what the shell does to an unquoted expansion's value: split, glob


class _Stop(Exception):
    """Ends the reading: the text is not shell this reader can take apart."""

    def __init__(self, kind: str, message: str, offset: int) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.offset = offset


def parse_shell(text: str, file: str, line: int = 1, column: int = 1, *,
                locate: Optional[Callable[[int], tuple[int, int]]] = None, max_words: int = MAX_WORDS,
                placeholders: bool = False) -> Script:
    """The commands of `text`, which starts at `line`:`column` of `file`.

    `locate` maps an offset in `text` to its (line, column) in the file, for text that is not one
    contiguous piece of it (a YAML block scalar, a continued Makefile recipe); by default the text's
    own newlines are counted from `line`:`column`. With `placeholders` (for documentation), `<image>`
    and `<YOUR IMAGE NAME>` are text in a word, not redirections.
    """
    reader = _Reader(text, file, locate or _Counting(text, line, column), max_words, placeholders)
    problem = None
    try:
        reader.read_list(0, len(text), closing=False)
    except _Stop as stop:
        problem = Diagnostic(stop.kind, stop.message, reader.span(stop.offset, min(stop.offset + 1, len(text))))
    except RecursionError:  # a caller deep in its own stack: still no traceback
        problem = Diagnostic("too-deep", "nesting too deep to read", reader.span(0, 0))
    return Script(tuple(reader.commands), (problem,) if problem else ())


def resolve_word(word: RawWord, resolver: Optional[Resolver] = None) -> Word:
    """The word as the command receives it, as far as `resolver` knows the expansions in it."""
    return _resolve(word, resolver)[0]


def resolve_command(command: RawCommand, resolver: Optional[Resolver] = None,
                    directory: Optional[Path] = None) -> SimpleCommand:
    """The command's words resolved; a word made only of unquoted expansions that are empty is gone,
    as in the shell. `directory` is what `HERE` stands for."""
    words = []
    for raw in command.words:
        word, vanished = _resolve(raw, resolver)
        if not vanished:
            words.append(word)
    span = command.span
    if words:
        first, last = words[0].span, words[-1].span
        span = Span(first.file, first.line, first.column, last.end_line, last.end_column)
    return SimpleCommand(tuple(words), span, directory)


def simple_commands(text: str, file: str, line: int = 1, column: int = 1, *, resolver: Optional[Resolver] = None,
                    directory: Optional[Path] = None,
                    placeholders: bool = False) -> tuple[tuple[SimpleCommand, ...], tuple[Diagnostic, ...]]:
    """Every command of a one-line value (a CI `options:` string, a `script:` line), resolved at once."""
    script = parse_shell(text, file, line, column, placeholders=placeholders)
    commands = (resolve_command(command, resolver, directory) for command in script.commands)
    return tuple(command for command in commands if command.words), script.problems


def variables(values: Mapping[str, str], fallback: Optional[Resolver] = None) -> Resolver:
    """A resolver for `$NAME`/`${NAME}` from `values` (which may hold `HERE`), then `fallback`."""
    def resolve(expansion: Expansion) -> Optional[str]:
        if expansion.kind == "parameter" and not expansion.operator and expansion.name in values:
            return values[expansion.name]
        return fallback(expansion) if fallback is not None else None
    return resolve


def working_directory(fallback: Optional[Resolver] = None) -> Resolver:
    """A resolver for the directory the command runs in: `$PWD`, `${PWD}`, `$(pwd)` and `` `pwd` ``
    are `HERE`; anything else goes to `fallback`. Valid until the script changes directory."""
    def resolve(expansion: Expansion) -> Optional[str]:
        if expansion.kind == "parameter" and expansion.name == "PWD" and not expansion.operator:
            return HERE
        if expansion.kind == "command" and expansion.name in ("pwd", "pwd -L", "pwd -P"):
            return HERE
        return fallback(expansion) if fallback is not None else None
    return resolve


def _resolve(word: RawWord, resolver: Optional[Resolver]) -> tuple[Word, bool]:
    """(the word, whether the shell drops it: only unquoted expansions, all empty)."""
    parts = []
    resolved = not word.pattern
    only_empty_expansions = not any(quote in word.written for quote in "'\"\\")
    for piece in word.pieces:
        expansion = piece.expansion
        if expansion is None:
            parts.append(piece.text)
            only_empty_expansions = only_empty_expansions and not piece.text
            continue
        if expansion.kind == "command" and _COMMENT_ONLY.fullmatch(expansion.name):
            value: Optional[str] = ""  # `` `#optional` ``: runs nothing, prints nothing (linuxserver's READMEs)
        else:
            value = resolver(expansion) if resolver is not None else None
        if value is None:
            parts.append(expansion.written)
            resolved = False
            only_empty_expansions = False
            continue
        if not expansion.quoted and _SPLITS.search(value):
            resolved = False  # the shell splits or globs it: which words result is not known here
        only_empty_expansions = only_empty_expansions and not value
        parts.append(value)
    return Word("".join(parts), word.written, word.span, resolved), only_empty_expansions and bool(word.pieces)


class _Counting:
    """Offsets to (line, column) by counting newlines from the last offset asked about: readers ask
    in nearly increasing order, so the counting is linear overall and needs no table of lines."""

    __slots__ = ("first_column", "first_line", "line", "line_start", "offset", "text")

    def __init__(self, text: str, line: int, column: int) -> None:
        self.text = text
        self.first_line = line
        self.first_column = column
        self.offset = 0
        self.line = line
        self.line_start = 0  # offset where the line of `offset` starts

    def __call__(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset >= self.offset:
            crossed = text.count("\n", self.offset, offset)
            if crossed:
                self.line += crossed
                self.line_start = text.rfind("\n", self.offset, offset) + 1
        else:
            crossed = text.count("\n", offset, self.offset)
            if crossed:
                self.line -= crossed
                self.line_start = text.rfind("\n", 0, offset) + 1
        self.offset = offset
        if self.line == self.first_line:
            return self.line, self.first_column + offset
        return self.line, offset - self.line_start + 1


class _Command:
    """A simple command being read."""

    __slots__ = ("assignments", "declaring", "end", "redirections", "skipping", "start", "words")

    def __init__(self) -> None:
        self.words: list[RawWord] = []
        self.assignments: list[Assignment] = []
        self.redirections: list[Redirection] = []
        self.start = -1
        self.end = -1
        self.skipping = False  # inside `for x in ...`, `case ... in`: words that are not a command
        self.declaring = False  # after `export` and the like


class _Reader:
    def __init__(self, text: str, file: str, locate: Callable[[int], tuple[int, int]], max_words: int,
                 placeholders: bool) -> None:
        self.text = text
        self.placeholders = placeholders
        self.file = file
        self.locate = locate
        self.max_words = max_words
        self.words = 0
        self.depth = 0
        self.commands: list[RawCommand] = []
        self.heredocs: list[tuple[str, bool]] = []  # (delimiter, strip leading tabs) waiting for the next line

    def span(self, start: int, end: int) -> Span:
        line, column = self.locate(start)
        end_line, end_column = self.locate(end) if end > start else (line, column)
        return Span(self.file, line, column, end_line, end_column)

    # --- lists of commands ---------------------------------------------------------------

    def read_list(self, position: int, limit: int, closing: bool, substituted: bool = False) -> int:
        """Read commands from `position` up to `limit`, or (with `closing`) to the `)` that closes
        the list; return where reading stopped (at that `)`)."""
        text = self.text
        command = _Command()
        parentheses = 0
        while position < limit:
            char = text[position]
            if char in " \t":
                position = _matched(_BLANKS, text, position, limit).end()
            elif char == "\n":
                command = self._finish(command, substituted)
                position = self._skip_heredocs(position + 1, limit) if self.heredocs else \
                    _matched(_NEWLINES, text, position, limit).end()
            elif char in ";|&" and not text.startswith("&>", position):
                command = self._finish(command, substituted)
                end = _matched(_SEPARATORS, text, position, limit).end()
                # `&&`, `;;`, `|&`...: a run of them ends the command, unless its last `&` starts `&>`
                position = end - 1 if text.startswith("&>", end - 1) else end
            elif char == "#":
                end = text.find("\n", position, limit)
                position = limit if end < 0 else end
            elif char == "\\" and text.startswith("\n", position + 1):
                position += 2
            elif char == "(":
                command = self._finish(command, substituted)
                end = _matched(_OPENING, text, position, limit).end()
                parentheses += text.count("(", position, end)
                position = end
            elif char == ")":
                command = self._finish(command, substituted)
                end = _matched(_CLOSING, text, position, limit).end()
                if closing and end - position > parentheses:
                    return position + parentheses
                parentheses = max(parentheses - (end - position), 0)
                position = end
            elif char in "<>&{0123456789" and not _PROCESS_SUBSTITUTION.match(text, position, limit) \
                    and not self._placeholder(position, limit) \
                    and (redirection := _REDIRECTION.match(text, position, limit)):
                position = self._redirection(command, redirection, limit)
            else:
                position = self._word_in_command(command, position, limit)
        if closing:
            raise _Stop("unterminated-substitution", "`$(` or `<(` without a matching `)`", limit)
        self._finish(command, substituted)
        return position

    def _finish(self, command: _Command, substituted: bool) -> _Command:
        """Record the command if it has anything in it; the command to read next."""
        if command.start < 0:
            return command
        if command.words or command.assignments or command.redirections:
            self.commands.append(RawCommand(tuple(command.words), tuple(command.assignments),
                                            tuple(command.redirections), self.span(command.start, command.end),
                                            substituted))
        return _Command()

    def _word_in_command(self, command: _Command, position: int, limit: int) -> int:
        word, end = self._word(position, limit)
        if command.start < 0:
            command.start = position
        command.end = end
        if command.skipping:
            return end
        first = not command.words
        assignment = _ASSIGNMENT.match(word.written)
        if assignment and (first or command.declaring):
            command.assignments.append(self._assignment(word, assignment, position))
            if first:
                return end
        elif first and not command.assignments and word.written in _RESERVED:
            return end
        elif first and not command.assignments and word.written in _CLAUSES:
            command.skipping = True
            return end
        if first and word.written in _DECLARATIONS:
            command.declaring = True
        command.words.append(word)
        return end

    def _assignment(self, word: RawWord, match: "re.Match[str]", start: int) -> Assignment:
        size = match.end()
        pieces = list(word.pieces)
        pieces[0] = Piece(pieces[0].text[size:])  # the name and `=` are unquoted text at the start
        if not pieces[0].text:
            pieces.pop(0)
        value = RawWord(word.written[size:], self.span(start + size, start + len(word.written)), tuple(pieces),
                        word.pattern)
        return Assignment(match.group(1), value, word.span, bool(match.group(2)))

    def _redirection(self, command: _Command, match: "re.Match[str]", limit: int) -> int:
        self._count(match.start())
        operator = match.group()
        if command.start < 0:
            command.start = match.start()
        position = match.end()
        blanks = _BLANKS.match(self.text, position, limit)
        if blanks:
            position = blanks.end()
        target = None
        if position < limit and self.text[position] not in "\n;&|()<>":
            target, position = self._word(position, limit)
            if _HEREDOC.fullmatch(operator):
                delimiter = "".join(piece.text if piece.expansion is None else piece.expansion.written
                                    for piece in target.pieces)
                self.heredocs.append((delimiter, operator.endswith("-")))
        command.end = position if target is not None else match.end()
        command.redirections.append(Redirection(operator, target, self.span(match.start(), command.end)))
        return position

    def _skip_heredocs(self, position: int, limit: int) -> int:
        """Heredoc bodies start on the line after their operator: data, not commands."""
        text = self.text
        while self.heredocs:
            delimiter, strip_tabs = self.heredocs.pop(0)
            while position < limit:
                end = text.find("\n", position, limit)
                line_end = limit if end < 0 else end
                line = text[position:line_end]
                position = line_end + 1 if end >= 0 else limit
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
        return position

    # --- words -----------------------------------------------------------------------------

    def _count(self, start: int) -> None:
        self.words += 1
        if self.words > self.max_words:
            raise _Stop("too-many-words", f"more than {self.max_words} words", start)

    def _word(self, start: int, limit: int) -> tuple[RawWord, int]:
        self._count(start)
        text = self.text
        pieces: list[Piece] = []
        literal: list[str] = []
        pattern = False
        position = start
        tilde_allowed = True
        assignment = _ASSIGNMENT.match(text, start, limit)
        if assignment:
            literal.append(assignment.group())
            position = assignment.end()
        while position < limit:
            char = text[position]
            if char in " \t\n;&|()<>":
                placeholder = self._placeholder(position, limit)
                if placeholder:
                    literal.append(placeholder.group())
                    position = placeholder.end()
                    tilde_allowed = False
                    continue
                if char in "<>" and _PROCESS_SUBSTITUTION.match(text, position, limit) and position == start:
                    position = self._substitution(position, position + 2, limit, False, pieces, literal)
                    continue
                break
            if char == "~" and tilde_allowed:
                position = self._tilde(position, limit, assignment is not None, pieces, literal)
            elif char == "\\":
                escapes = _ESCAPES.match(text, position, limit)
                if escapes:
                    literal.append(escapes.group()[1::2])
                    position = escapes.end()
                elif position + 1 < limit:
                    position += 2  # a line continuation
                else:
                    literal.append("\\")  # a backslash at the very end stays
                    position += 1
            elif char == "'":
                end = text.find("'", position + 1, limit)
                if end < 0:
                    raise _Stop("unterminated-quote", "unterminated single quote", position)
                literal.append(text[position + 1:end])
                position = end + 1
            elif char == '"':
                position = self._double_quoted(position, limit, pieces, literal)
            elif char == "$":
                position = self._dollar(position, limit, False, pieces, literal)
            elif char == "`":
                position = self._backquoted(position, limit, False, pieces, literal)
            else:
                run = _matched(_PLAIN, text, position, limit)
                chunk = run.group()
                pattern = pattern or _is_pattern(chunk)
                literal.append(chunk)
                position = run.end()
            # `~` expands at the start of a word and after the `=` of an assignment only
            tilde_allowed = False
        if position == start:  # a lone `<` or `>` no operator took: keep going
            literal.append(text[position])
            position += 1
        if literal:
            pieces.append(Piece("".join(literal)))
        return RawWord(text[start:position], self.span(start, position), tuple(pieces), pattern), position

    def _placeholder(self, position: int, limit: int) -> "Optional[re.Match[str]]":
        if not self.placeholders or not self.text.startswith("<", position):
            return None
        return _PLACEHOLDER.match(self.text, position, limit)

    def _flush(self, pieces: list[Piece], literal: list[str]) -> None:
        if literal:
            pieces.append(Piece("".join(literal)))
            literal.clear()

    def _expansion(self, pieces: list[Piece], literal: list[str], expansion: Expansion) -> None:
        self._count(0)
        self._flush(pieces, literal)
        pieces.append(Piece("", expansion))

    def _tilde(self, position: int, limit: int, in_assignment: bool, pieces: list[Piece], literal: list[str]) -> int:
        match = _matched(_TILDE, self.text, position, limit)
        end = match.end()
        following = self.text[end] if end < limit else " "
        if following in " \t\n;&|()<>/" or (in_assignment and following == ":"):
            self._expansion(pieces, literal, Expansion("tilde", match.group(1), match.group(), False))
        else:
            literal.append(match.group())  # `~"user"`, `~$x`: a quoted or expanded tilde-prefix stays as it is
        return end

    def _double_quoted(self, start: int, limit: int, pieces: list[Piece], literal: list[str]) -> int:
        text = self.text
        position = start + 1
        while True:
            run = _IN_DOUBLE.match(text, position, limit)
            if run:
                literal.append(run.group())
                position = run.end()
            if position >= limit:
                raise _Stop("unterminated-quote", "unterminated double quote", start)
            char = text[position]
            if char == '"':
                return position + 1
            if char == "\\":
                following = text[position + 1] if position + 1 < limit else ""
                if following in ("$", "`", '"', "\\"):
                    literal.append(following)
                    position += 2
                elif following == "\n":
                    position += 2
                else:
                    literal.append("\\")
                    position += 1
            elif char == "$":
                position = self._dollar(position, limit, True, pieces, literal)
            else:
                position = self._backquoted(position, limit, True, pieces, literal)

    def _dollar(self, start: int, limit: int, quoted: bool, pieces: list[Piece], literal: list[str]) -> int:
        text = self.text
        following = text[start + 1] if start + 1 < limit else ""
        if following == "(":
            if text.startswith("((", start + 1):
                end = self._closing_parentheses(start + 3, limit, 2, start)
                self._expansion(pieces, literal,
                                Expansion("arithmetic", text[start + 3:end - 2].strip(), text[start:end], quoted))
                return end
            return self._substitution(start, start + 2, limit, quoted, pieces, literal)
        if following == "{":
            if text.startswith("{{", start + 1):
                end = text.find("}}", start + 3, limit)
                if end < 0:
                    raise _Stop("unterminated-substitution", "`${{` without a matching `}}`", start)
                self._expansion(pieces, literal,
                                Expansion("template", text[start + 3:end].strip(), text[start:end + 2], quoted))
                return end + 2
            end = self._closing_brace(start + 2, limit, start)
            self._expansion(pieces, literal, _parameter(text[start + 2:end - 1], text[start:end], quoted))
            return end
        if following == "'" and not quoted:
            body = _matched(_ANSI_C, text, start + 2, limit)
            if not text.startswith("'", body.end()) or body.end() >= limit:
                raise _Stop("unterminated-quote", "unterminated $'...' string", start)
            literal.append(_ANSI_ESCAPE.sub(_ansi_c, body.group()))
            return body.end() + 1
        if following == '"' and not quoted:
            return self._double_quoted(start + 1, limit, pieces, literal)
        name = _NAME.match(text, start + 1, limit) or _SPECIAL_PARAMETER.match(text, start + 1, limit)
        if name is None:
            literal.append("$")
            return start + 1
        self._expansion(pieces, literal, Expansion("parameter", name.group(), text[start:name.end()], quoted))
        return name.end()

    def _substitution(self, start: int, body: int, limit: int, quoted: bool, pieces: list[Piece],
                      literal: list[str]) -> int:
        """`$(...)` or `<(...)`: its commands run, its output becomes text."""
        self._enter(start)
        end = self.read_list(body, limit, closing=True, substituted=True)
        self.depth -= 1
        self._expansion(pieces, literal,
                        Expansion("command", self.text[body:end].strip(), self.text[start:end + 1], quoted))
        return end + 1

    def _backquoted(self, start: int, limit: int, quoted: bool, pieces: list[Piece], literal: list[str]) -> int:
        body = _matched(_BACKQUOTED, self.text, start + 1, limit)
        if not self.text.startswith("`", body.end()) or body.end() >= limit:
            raise _Stop("unterminated-quote", "unterminated backquote", start)
        end = body.end() + 1
        self._enter(start)
        self.read_list(start + 1, end - 1, closing=False, substituted=True)
        self.depth -= 1
        self._expansion(pieces, literal,
                        Expansion("command", self.text[start + 1:end - 1].strip(), self.text[start:end], quoted))
        return end

    def _enter(self, start: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Stop("too-deep", f"substitutions nested more than {MAX_DEPTH} deep", start)

    def _closing_brace(self, position: int, limit: int, start: int) -> int:
        """The offset after the `}` closing a `${`, skipping quoted text and nested braces."""
        depth = 1
        text = self.text
        while True:
            stop = _BRACE_STOP.search(text, position, limit)
            if stop is None:
                raise _Stop("unterminated-substitution", "`${` without a matching `}`", start)
            char, position = stop.group(), stop.end()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return position
            else:
                position = self._skip_quoted(char, position, limit, start)

    def _closing_parentheses(self, position: int, limit: int, depth: int, start: int) -> int:
        text = self.text
        while True:
            stop = _PAREN_STOP.search(text, position, limit)
            if stop is None:
                raise _Stop("unterminated-substitution", "`$((` without a matching `))`", start)
            char, position = stop.group(), stop.end()
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return position
            else:
                position = self._skip_quoted(char, position, limit, start)

    def _skip_quoted(self, char: str, position: int, limit: int, start: int) -> int:
        """Past a quoted run or escape inside `${...}` or `$((...))`, which only has to be skipped."""
        if char == "\\":
            return position + 1
        if char == '"':
            end = _closing_double_quote(self.text, position, limit)
        else:
            end = self.text.find(char, position, limit)
        if end < 0:
            raise _Stop("unterminated-quote", "unterminated quote", start)
        return end + 1


def _matched(pattern: "re.Pattern[str]", text: str, position: int, limit: int) -> "re.Match[str]":
    """The match of `pattern` at `position`, which the caller knows is there: the pattern matches empty
    text, or the character at `position` is one it starts with."""
    match = pattern.match(text, position, limit)
    assert match is not None, f"{pattern.pattern!r} does not match at {position}"
    return match


def _closing_double_quote(text: str, position: int, limit: int) -> int:
    end = _matched(_DOUBLE_QUOTED_BODY, text, position, limit).end()
    return end if end < limit and text[end] == '"' else -1


def _is_pattern(chunk: str) -> bool:
    """Unquoted text the shell would glob (`*`, `?`, `[...]`) or brace-expand (`{a,b}`, `{1..3}`)."""
    if _PATTERN_CHARACTER.search(chunk) is None:
        return False
    if "*" in chunk or "?" in chunk:
        return True
    bracket = chunk.find("[")
    if bracket >= 0 and chunk.find("]", bracket + 1) >= 0:
        return True
    opened = -1
    for brace in _BRACES.finditer(chunk):
        if brace.group() == "{":
            opened = brace.start()
        elif opened >= 0:
            inside = chunk[opened + 1:brace.start()]
            if "," in inside or ".." in inside:
                return True
            opened = -1
    return False


def _parameter(inside: str, written: str, quoted: bool) -> Expansion:
    """`${...}`: the name and what follows it (`${#NAME}` is NAME's length, `${!NAME}` indirection)."""
    prefix = ""
    if inside[:1] in ("#", "!") and len(inside) > 1:
        prefix, inside = inside[0], inside[1:]
    name = _NAME.match(inside) or _SPECIAL_PARAMETER.match(inside)
    if name is None:
        return Expansion("parameter", "", written, quoted, prefix + inside)
    return Expansion("parameter", name.group(), written, quoted, prefix + inside[name.end():])


def _ansi_c(match: "re.Match[str]") -> str:
    simple, octal, hexadecimal, short, long, control, other = match.groups()
    if simple is not None:
        return _ANSI_SIMPLE[simple]
    if octal is not None:
        return chr(int(octal, 8) & 0xFF)
    if hexadecimal is not None:
        return chr(int(hexadecimal, 16))
    code = short or long
    if code is not None:
        value = int(code, 16)
        return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"
    if control is not None:
        return chr(ord(control) & 0x1F)
    return "\\" + other
