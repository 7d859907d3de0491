"""Reading a file into text, once, safely: regular files only, a size cap, a known encoding.

Whatever goes wrong becomes a `Problem` with the best position there is; nothing raises.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import NamedTuple, Optional

from dockerstore_lint.model.span import INVALID, Problem, Span

DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class Source(NamedTuple):
    path: Path  # absolute
    file: str  # display path
    text: str  # decoded, without BOM, `\r\n` turned into `\n`: what parsers read and positions count in
    problems: tuple[Problem, ...] = ()
    # what fixes need to write the file back as it was, but for their edits
    data: bytes = b""  # the bytes read
    encoding: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"  # the line ending most lines use

    @property
    def lines(self) -> list[str]:
        # only `\n` ends a line: str.splitlines() would also split on \x0c, \x85, \u2028...
        return self.text.split("\n")


def read_source(path: Path, file: str,
                max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Optional[Source], Optional[Problem]]:
    """The decoded file, or the problem that stopped it from being read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return None, Problem(INVALID, f"cannot read file: {error.strerror or error}", Span.point(file, 1))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return None, Problem(INVALID, "cannot read file: it is a directory", Span.point(file, 1))
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(INVALID, "cannot read file: not a regular file", Span.point(file, 1))
        if info.st_size > max_bytes:
            return None, Problem(INVALID, f"file too large, {_mb(info.st_size)} > limit {_mb(max_bytes)}",
                                 Span.point(file, 1))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # no more than the file holds: a buffer of `max_bytes` is allocated before reading
            data = handle.read(min(max_bytes, info.st_size) + 1)
    except OSError as error:
        return None, Problem(INVALID, f"cannot read file: {error.strerror or error}", Span.point(file, 1))
    finally:
        os.close(fd)
    return decode_limited(data, path, file, max_bytes)


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file, or nothing: a cheap look at a file that may not be read at all."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


def decode_limited(data: bytes, path: Path, file: str, max_bytes: int) -> tuple[Optional[Source], Optional[Problem]]:
    if len(data) > max_bytes:
        return None, Problem(INVALID, f"file too large, {_mb(len(data))} > limit {_mb(max_bytes)}",
                             Span.point(file, 1))
    return decode(data, path, file)


def decode(data: bytes, path: Path, file: str) -> tuple[Optional[Source], Optional[Problem]]:
    """UTF-8, or UTF-16/32 with a BOM. Binary content is refused, bad bytes are reported."""
    encoding, bom, raw = "utf-8", b"", data
    for mark, name in _BOMS:
        if data.startswith(mark):
            encoding, bom, data = name, mark, data[len(mark):]
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        return None, Problem(INVALID, f"cannot decode file as {encoding.upper()}: invalid byte "
                                       f"0x{data[error.start]:02x}", Span.point(file, line, column))
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        return None, Problem(INVALID, "binary file: NUL character", Span.point(file, line, column))
    # a line of `text` is the same line of the file: only the `\r` before a `\n` goes
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf * 2 > text.count("\n") else "\n"
    return Source(path, file, text.replace("\r\n", "\n") if crlf else text, (), raw, encoding, bom, newline), None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", "replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
