"""A YAML scalar's value with where each of its characters is written in the file.

PyYAML gives a scalar's value and where the scalar starts and ends, not where a character of the value
comes from. This reads the scalar's text again, as YAML does (block scalars `|` and `>` with their
indentation and chomping indicators, plain and quoted scalars with line folding and escapes), and
builds the value with an `Embedded` map. The result is checked against PyYAML's value: in a case this
reading gets wrong, every character maps to the whole scalar instead (coarse, never wrong).
"""

from __future__ import annotations

import re
from typing import Optional

from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText
from dockerstore_lint.text.yaml_nodes import YScalar

_PROPERTIES = re.compile(r"(?:[&!][^ \t\n]*(?:[ \t\n]+|$))*")
_BLOCK_HEADER = re.compile(r"[|>]([1-9][+-]?|[+-][1-9]?)?")
_DOUBLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
                   "L": "\u2028", "P": "\u2029"}
_HEX_LENGTHS = {"x": 2, "u": 4, "U": 8}


def scalar_text(scalar: YScalar, origin: FileText) -> Embedded:
    exact = exact_scalar_text(scalar, origin)
    if exact is not None:
        return exact
    coarse = EmbeddedBuilder(origin)
    coarse.insert(scalar.value, *_region(scalar, origin))
    return coarse.build()


def exact_scalar_text(scalar: YScalar, origin: FileText) -> Optional[Embedded]:
    """The value mapped character by character, or None where this reading does not give PyYAML's value."""
    for built in _read(origin, *_region(scalar, origin)):
        if built is not None and built.text == scalar.value:
            return built
    return None


def _region(scalar: YScalar, origin: FileText) -> tuple[int, int]:
    return (origin.offset(scalar.span.line, scalar.span.column),
            origin.offset(scalar.span.end_line, scalar.span.end_column))


def _read(origin: FileText, start: int, end: int) -> list[Optional[Embedded]]:
    """The readings of the scalar's text that may be right (more than one only when a block scalar's
    indentation indicator leaves its parent's indentation to guess)."""
    text = origin.text
    properties = _PROPERTIES.match(text, start, end)  # anchors and tags before the value (or nothing)
    start = properties.end() if properties else start
    if start >= end:
        return [EmbeddedBuilder(origin).build()]
    first = text[start]
    if first in "|>":
        return _block(origin, start, end)
    if first in "'\"":
        close = end - 1
        while close > start and text[close] != first:
            close -= 1
        if close <= start:
            return []
        return [_flow(origin, start + 1, close, first)]
    return [_flow(origin, start, end, "")]


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = []
    at = start
    while at <= end:
        stop = text.find("\n", at, end)
        if stop < 0:
            lines.append((at, end))
            break
        lines.append((at, stop))
        at = stop + 1
    return lines


def _block(origin: FileText, start: int, end: int) -> list[Optional[Embedded]]:
    text = origin.text
    header = _BLOCK_HEADER.match(text, start, end)
    if header is None:
        return []
    indicators = header.group(1) or ""
    chomping = "+" if "+" in indicators else "-" if "-" in indicators else ""
    digit = next((int(char) for char in indicators if char.isdigit()), 0)
    header_end = text.find("\n", start, end)
    if header_end < 0:
        return [EmbeddedBuilder(origin).build()]
    lines = _lines(text, header_end + 1, end)
    if lines and lines[-1][0] == lines[-1][1] and lines[-1][0] == end:
        lines.pop()  # the end mark is at the start of the next line
    if digit:
        # the indentation is the parent node's plus the digit, and the parent's is not known here: every
        # indentation up to the header's column is a candidate
        header_line = text.rfind("\n", 0, start) + 1
        return [_block_lines(origin, lines, indent, text[start], chomping)
                for indent in range(digit, start - header_line + digit + 1)]
    indent = 0
    for line_start, line_end in lines:
        content = text[line_start:line_end]
        if content.strip(" "):
            indent = len(content) - len(content.lstrip(" "))
            break
    return [_block_lines(origin, lines, indent, text[start], chomping)]


def _block_lines(origin: FileText, lines: list[tuple[int, int]], indent: int, style: str,
                 chomping: str) -> Optional[Embedded]:
    text = origin.text
    # (start, end, newline offset) of each line; content lines have start >= 0, empty ones -1
    rows: list[tuple[int, int]] = []
    for line_start, line_end in lines:
        line = text[line_start:line_end]
        if not line.strip(" ") and len(line) <= indent:
            rows.append((-1, line_end))
        elif len(line) - len(line.lstrip(" ")) < indent:
            return None  # less indented: not this scalar's
        else:
            rows.append((line_start + indent, line_end))
    last_content = max((index for index, row in enumerate(rows) if row[0] >= 0), default=-1)
    builder = EmbeddedBuilder(origin)
    previous_normal = False  # folded: the last content line was neither empty nor more indented
    pending_empty: list[int] = []  # newline offsets of empty lines since the last content line
    previous_break = -1
    for row_start, row_end in rows[:last_content + 1]:
        if row_start < 0:
            pending_empty.append(row_end)
            continue
        more_indented = text[row_start:row_start + 1] in (" ", "\t")
        if previous_break >= 0:
            if style == ">" and previous_normal and not more_indented:
                if pending_empty:
                    for newline in pending_empty:
                        builder.copy(newline, newline + 1)
                else:
                    builder.insert(" ", previous_break, previous_break + 1)
            else:
                builder.copy(previous_break, previous_break + 1)
                for newline in pending_empty:
                    builder.copy(newline, newline + 1)
        else:
            for newline in pending_empty:  # empty lines before the first content line
                builder.copy(newline, newline + 1)
        pending_empty = []
        builder.copy(row_start, row_end)
        previous_normal = not more_indented
        previous_break = row_end
    if last_content < 0:
        if chomping == "+":
            for _, row_end in rows:
                builder.insert("\n", row_end, row_end + 1)
        return builder.build()
    if chomping != "-":
        builder.insert("\n", previous_break, previous_break + 1)
    if chomping == "+":
        for _, row_end in rows[last_content + 1:]:
            builder.insert("\n", row_end, row_end + 1)
    return builder.build()


def _flow(origin: FileText, start: int, end: int, quote: str) -> Optional[Embedded]:
    """A plain (`quote` ""), single- or double-quoted scalar's text between its quotes."""
    text = origin.text
    lines = _lines(text, start, end)
    builder = EmbeddedBuilder(origin)
    pending_empty: list[int] = []
    previous_break = -1  # where the last content line's break is, -1 before the first
    escaped_break = False
    for index, (line_start, line_end) in enumerate(lines):
        content_start, content_end = line_start, line_end
        if index > 0:
            while content_start < content_end and text[content_start] in " \t":
                content_start += 1
        if index < len(lines) - 1:
            while content_end > content_start and text[content_end - 1] in " \t":
                content_end -= 1
        if index > 0 and content_start == content_end and index < len(lines) - 1:
            pending_empty.append(line_end)
            continue
        if previous_break >= 0 and not escaped_break:
            if pending_empty:
                for newline in pending_empty:
                    builder.insert("\n", newline, newline + 1)
            else:
                builder.insert(" ", previous_break, previous_break + 1)
        elif escaped_break:
            for newline in pending_empty:
                builder.insert("\n", newline, newline + 1)
        pending_empty = []
        escaped_break = False
        if quote == '"':
            if index < len(lines) - 1 and _odd_backslashes(text, line_start, line_end):
                escaped_break = True  # `\` at the end of a line: the break is not folded, the blanks are kept
                content_end = line_end - 1
            if not _double_quoted(builder, text, content_start, content_end):
                return None
        elif quote == "'":
            builder.copy_decoding(content_start, content_end, "''", lambda _, __: ("'", 2))
        else:
            builder.copy(content_start, content_end)
        previous_break = line_end
    return builder.build()


def _odd_backslashes(text: str, start: int, end: int) -> bool:
    count = 0
    while end - count > start and text[end - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _double_quoted(builder: EmbeddedBuilder, text: str, start: int, end: int) -> bool:
    at = start
    while at < end:
        slash = text.find("\\", at, end)
        if slash < 0:
            builder.copy(at, end)
            return True
        builder.copy(at, slash)
        if slash + 1 >= end:
            return False
        code = text[slash + 1]
        if code in _HEX_LENGTHS:
            digits = text[slash + 2:slash + 2 + _HEX_LENGTHS[code]]
            if len(digits) != _HEX_LENGTHS[code] or not all(char in "0123456789abcdefABCDEF" for char in digits):
                return False
            number = int(digits, 16)
            if number >= 0x110000:
                return False
            builder.insert(chr(number), slash, slash + 2 + len(digits))
            at = slash + 2 + len(digits)
        elif code in _DOUBLE_ESCAPES:
            builder.insert(_DOUBLE_ESCAPES[code], slash, slash + 2)
            at = slash + 2
        else:
            return False
    return True
