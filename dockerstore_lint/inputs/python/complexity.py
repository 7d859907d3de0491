"""What parsing a Python text with libcst would cost, estimated by a linear scan before libcst sees it.

libcst's parser is not bounded by the size of its input. Measured with libcst 1.9 (times on a busy
2-core machine): nesting costs about its square at every level, so 49 lines of 100 nested calls (15 KB)
take 4.6 s and 1.1 GB; a megabyte of 99-long attribute chains takes 46 s and 2 GB; a million `a;`
statements take 68 s and 3.9 GB; a `case` pattern of 14 nested mappings takes 6 minutes (patterns cost
about 4 times more per level); and tens of thousands of `not` in a row overflow its native stack and
kill the process with a segmentation fault, which no `except` catches. Python itself refuses more than
200 nested brackets, and ordinary code costs about 0.5 unit of the estimate below per byte.

The scan follows Python's lexical rules (strings with every prefix, triple quotes, f-strings nested as
Python 3.12 allows, comments, continuations) and counts what nests in libcst's tree: brackets, f-string
replacement fields, indented blocks, and runs of operators, which nest without brackets (`a + a + ...`,
`x.a.b`, `not not x`, `f()()`, `lambda: lambda:`, adjacent strings), and the brackets of a `case`
pattern on their own. It errs on the deep side: every operator of a run counts as a level. Each token
adds the depth it is found at to a cost, an opening bracket or field four times that (nesting brackets
is what libcst spends most memory on), and each line or statement a fixed weight; under the limits
below libcst stays within about 400 MB and a few seconds, far from Python's recursion limit.
"""

from __future__ import annotations

import re

# larger than any hand-written file; what is larger is generated code or data, not container launches
MAX_CHARACTERS = 2_000_000
# deeper than any hand-written code, and far below where libcst's parser or its recursive walks fail
MAX_DEPTH = 64
# libcst parses a `case` pattern in time exponential in its nesting: 10 nested mapping patterns take 2 s,
# 14 take 6 minutes; 5 take a millisecond
MAX_PATTERN_DEPTH = 5
# about 400 KB of ordinary code; at worst (lines of nested calls) about 400 MB of memory for libcst
MAX_COST = 400_000
_OPEN_WEIGHT = 4
_LINE_WEIGHT = 12

_CODE = re.compile(r"""
    (?P<newline>\n|;)
  | (?P<comment>\#[^\n]*)
  | (?P<continuation>\\\n)
  | (?P<string>(?<!\w)[rRbBuUfFtT]{0,2}(?:'''|\"\"\"|'|"))
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<separator>:=|->|[,:]|=(?!=))
  | (?P<operator>\*\*|//|<<|>>|[<>=!]=|[-+*/%@&|^~<>.!]|\b(?:not|and|or|if|else|lambda|await|in|is|yield)\b)
""", re.VERBOSE)
_INDENT = re.compile(r"[ \t\f]*")
# `case` starting a statement begins a pattern, unless it is a name being assigned or used (`case = 1`, `case.x`)
_PATTERN = re.compile(r"[ \t\f]*case(?![\w.])(?![ \t\f]*(?:=[^=]|\.))")
_BLANK_LINE = re.compile(r"[ \t\f]*(?:\#[^\n]*)?(?:\n|\Z)")
# what ends a string or changes state inside one: a backslash keeps the next character in the string
# (even in a raw string), a single-quoted string ends with its line, an f-string's text has fields
_QUOTES = ("'", '"', "'''", '"""')
_STRING_STOP = {quote: re.compile(r"\\.|" + re.escape(quote) + ("" if len(quote) == 3 else r"|\n"), re.DOTALL)
                for quote in _QUOTES}
_FSTRING_STOP = {quote: re.compile(r"\{\{|\}\}|[{}]|\\.|" + re.escape(quote) + ("" if len(quote) == 3 else r"|\n"),
                                   re.DOTALL)
                 for quote in _QUOTES}


class _Frame:
    """One level of the scan: the file, a bracket, an f-string's text, one of its fields, a format spec."""

    __slots__ = ("kind", "quote", "run", "lambdas")

    def __init__(self, kind: str, quote: str = "") -> None:
        self.kind = kind  # "file", "(", "[", "{", "fstring", "field" or "spec"
        self.quote = quote  # for "fstring" and "spec": the quote that ends the f-string
        self.run = 0  # operators since the last separator at this level
        self.lambdas = 0  # `lambda`s whose parameters are not over yet


def too_complex(text: str) -> str:
    """Why `text` must not be handed to libcst, or "" when it may be."""
    if len(text) > MAX_CHARACTERS:
        return f"larger than {MAX_CHARACTERS:,} characters"
    stack = [_Frame("file")]
    indents = [0]
    runs = 0  # the sum of `run` over the stack
    cost = 0
    position, end = 0, len(text)
    at_line_start, after_string, after_close = True, False, False
    in_pattern = False  # between `case` and its colon
    while position < end:
        if at_line_start:
            at_line_start = False
            in_pattern = _PATTERN.match(text, position) is not None
            if not _BLANK_LINE.match(text, position):
                indent = _INDENT.match(text, position)
                assert indent is not None  # the pattern matches empty text
                width = len(indent.group().expandtabs(8))
                while width < indents[-1]:
                    indents.pop()
                if width > indents[-1]:
                    indents.append(width)
        frame = stack[-1]
        weight = 1  # how much this token adds to the cost, per level of depth
        string_ended = closed = False
        if frame.kind in ("fstring", "spec"):
            match = _FSTRING_STOP[frame.quote].search(text, position)
            if match is None:
                break
            token, position = match.group(), match.end()
            if token == "{":
                stack.append(_Frame("field"))
                weight = _OPEN_WEIGHT
            elif token == "}" and frame.kind == "spec":
                stack.pop()  # the spec ends with its field
                runs -= stack.pop().run
            elif frame.kind == "fstring" and token in (frame.quote, "\n"):
                position -= token == "\n"  # an unterminated f-string: its line still ends
                stack.pop()
                string_ended = True
            else:
                continue
        else:
            match = _CODE.search(text, position)
            if match is None:
                break
            kind, token, position = match.lastgroup, match.group(), match.end()
            if kind in ("comment", "continuation"):
                continue
            if kind == "newline":
                cost += _LINE_WEIGHT
                if len(stack) == 1:  # the end of a statement
                    runs -= frame.run
                    frame.run = frame.lambdas = 0
                    in_pattern = False
                    at_line_start = token == "\n"
            elif kind == "close":
                if frame.kind in ("(", "[", "{") or (frame.kind == "field" and token == "}"):
                    runs -= stack.pop().run
                closed = True
            elif kind == "string":
                prefix = token.rstrip("'\"").lower()
                quote = token[len(prefix):]
                if after_string:  # adjacent strings nest in libcst's tree
                    frame.run += 1
                    runs += 1
                if "f" in prefix or "t" in prefix:
                    stack.append(_Frame("fstring", quote))
                    weight = _OPEN_WEIGHT
                else:
                    position = _string_end(text, position, quote)
                    string_ended = True
            elif kind == "separator":
                if frame.lambdas and token in (",", "=", ":"):  # `lambda a, b=1: lambda: ...` nests on
                    frame.lambdas -= token == ":"
                else:
                    runs -= frame.run
                    frame.run = 0
                    if token == ":" and frame.kind == "field":
                        frame.kind, frame.quote = "spec", _enclosing_quote(stack)
                    in_pattern = in_pattern and not (token == ":" and len(stack) == 1)
            elif kind == "open":
                if after_close:  # `f()()`, `y[0][0]`: each call or subscript of the last one nests
                    frame.run += 1
                    runs += 1
                stack.append(_Frame(token))
                weight = _OPEN_WEIGHT
            elif not (token == "!" and frame.kind == "field"):  # `{x!r}` is a conversion
                frame.run += 1
                runs += 1
                frame.lambdas += token == "lambda"
        after_string, after_close = string_ended, closed
        if in_pattern and len(stack) - 1 > MAX_PATTERN_DEPTH:
            return f"a match pattern nested more than {MAX_PATTERN_DEPTH} levels deep (line {_line(text, position)})"
        depth = len(indents) - 1 + len(stack) - 1 + runs
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep (line {_line(text, position)})"
        cost += weight * depth + 1
        if cost > MAX_COST:
            return f"too large or too deeply nested to parse in bounded time (line {_line(text, position)})"
    return ""


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _string_end(text: str, position: int, quote: str) -> int:
    """Where the string whose text starts at `position` ends: after its closing quote; an unterminated
    one ends with its line, or with the file for a triple quote."""
    stop = _STRING_STOP[quote]
    while True:
        match = stop.search(text, position)
        if match is None:
            return len(text)
        if match.group() == "\n":
            return match.start()
        position = match.end()
        if match.group()[0] != "\\":
            return position


def _enclosing_quote(stack: list[_Frame]) -> str:
    """The quote that ends the f-string a format spec is part of: it ends the spec too."""
    for frame in reversed(stack):
        if frame.kind == "fstring":
            return frame.quote
    return '"'
