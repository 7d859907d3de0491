"""The bodies of the LSP messages on a byte stream, found again after anything malformed.

A message is `Content-Length: N` (other header fields are ignored), an empty line, and N bytes of
JSON. pygls' reader trusts the header: a 20-digit length killed the server (OverflowError), and a
length that is not a number, or shorter than the body, left the rest of the body in front of the
next header, where its reader never looked again: the server was alive but deaf. Here a header
is looked for anywhere in a line, so what is left of a body is skipped and the next message is
read; a length that is not a number or more than MAX_BODY skips that message. What was skipped
is logged, in one line, through `warn`.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Iterator, Optional, Protocol

# a header line is short; a longer line is what is left of a body, and only its end can hold a header
MAX_LINE = 4096
# the largest document the linter reads (5 MB) as JSON text, with room for escapes
MAX_BODY = 64 * 1024 * 1024
_CONTENT_LENGTH = rb"(?i)content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n\Z"
_OTHER_FIELD = rb"[A-Za-z0-9-]+:[^\r\n]*\r?\n\Z"  # Content-Type
_LARGEST_NUMBER = len(str(MAX_BODY))


class Stream(Protocol):
    def readline(self, limit: int) -> bytes: ...

    def read(self, size: int) -> bytes: ...


class DescriptorReader:
    """Lines and blocks of a file descriptor, buffered here.

    Not `sys.stdin.buffer`: the thread that waits on it is still waiting when the server exits, and a
    buffered reader's lock held at that moment aborts the interpreter (SIGABRT) as it shuts down.
    """

    def __init__(self, descriptor: int):
        self._descriptor = descriptor
        self._buffer = bytearray()

    def readline(self, limit: int) -> bytes:
        searched = 0
        while True:
            end = self._buffer.find(b"\n", searched, limit)
            if end >= 0:
                return self._take(end + 1)
            searched = len(self._buffer)
            if searched >= limit or not self._fill():
                return self._take(min(limit, searched))

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size and self._fill():
            pass
        return self._take(min(size, len(self._buffer)))

    def _fill(self) -> bool:
        chunk = os.read(self._descriptor, 1 << 16)
        self._buffer += chunk
        return bool(chunk)

    def _take(self, size: int) -> bytes:
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken


def bodies(stream: Stream, warn: Callable[[str], None]) -> Iterator[bytes]:
    """Each message's body, until the stream ends."""
    length: Optional[int] = None  # of the message whose header is being read; None if not (yet) valid
    skipping = False  # through what is not a message, said once
    for line in _lines(stream):
        if line in (b"\r\n", b"\n"):
            if length is None:
                continue  # a blank line between messages, or after a header that was refused
            body = stream.read(length)
            if len(body) < length:
                return
            yield body
            length = None
            continue
        header = re.search(_CONTENT_LENGTH, line)
        if header is not None:
            if header.start() > 0 and not skipping:
                warn("skipped what was left of a message before a Content-Length header")
            length = _length(header.group(1), warn)
            skipping = length is None  # its body is skipped, said already
        elif not re.match(_OTHER_FIELD, line) and not skipping:
            warn("skipping what is not a message, up to the next Content-Length header")
            skipping = True


def _length(value: bytes, warn: Callable[[str], None]) -> Optional[int]:
    if not value.isdigit() or len(value) > _LARGEST_NUMBER or int(value) > MAX_BODY:
        shown = value[:40].decode("ascii", "backslashreplace")
        warn(f"skipped a message whose Content-Length is not a length up to {MAX_BODY} bytes: {shown!r}")
        return None
    return int(value)


def _lines(stream: Stream) -> Iterator[bytes]:
    """The stream's lines, each cut to its last MAX_LINE bytes: a line of megabytes is never held."""
    carried = b""
    while True:
        chunk = stream.readline(MAX_LINE)
        if not chunk:
            return
        if chunk.endswith(b"\n"):
            yield carried + chunk
            carried = b""
        else:
            carried = (carried + chunk)[-MAX_LINE:]
