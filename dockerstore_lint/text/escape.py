"""What a report may print of a name: no control characters in line formats, and always valid UTF-8.

Names come from files and directories, and either may hold anything:
- a control character (a newline, ESC, a C1 control, a bidirectional override) in a line of the text
  or GitHub report would forge a line that editors and CI read as a finding, or drive the terminal:
  `printable` writes it as `\\xNN` (`\\uNNNN` above U+00FF); a tab is left as it is;
- a file name that is not valid UTF-8 reaches Python as lone surrogates (`surrogateescape`), which no
  encoder accepts: every report is written as UTF-8, whatever the locale, through an error handler that
  writes each such byte as the text `\\xNN` (in JSON, as the string `"\\\\xNN"`, which reads back as
  the same text). Bytes that do form UTF-8 (a name decoded as ASCII under the C locale) are written
  as the characters they are, so the report is the same under every locale.
"""

from __future__ import annotations

import codecs
import re
from typing import Callable

# C0 controls but the tab, DEL, C1 controls, the line and paragraph separators, and the bidirectional
# formatting characters (embeddings, overrides, isolates and marks) that reorder what a terminal shows
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
TEXT_ERRORS = "dockerstore-lint-text"
JSON_ERRORS = "dockerstore-lint-json"


def printable(text: str) -> str:
    """`text` with each control character written as `\\xNN` or `\\uNNNN`."""
    return re.sub(_CONTROL, _escape_character, text)


def _escape_character(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _unencodable(backslash: str, clean: Callable[[str], str]) -> Callable[[UnicodeError], tuple[bytes, int]]:
    def handler(error: UnicodeError) -> tuple[bytes, int]:
        if not isinstance(error, UnicodeEncodeError):
            raise error
        out = []
        for character in codecs.decode(_bytes_of(error.object[error.start:error.end]), "utf-8", "surrogateescape"):
            code = ord(character)
            if 0xDC80 <= code <= 0xDCFF:  # still not UTF-8: the byte
                out.append(f"{backslash}x{code - 0xDC00:02x}")
            else:
                out.append(clean(character))
        return "".join(out).encode("utf-8"), error.end

    return handler


def _bytes_of(surrogates: str) -> bytes:
    """The bytes `surrogateescape` stands for; any other lone surrogate (a `\\ud800` escape in a YAML string)
    as its three invalid UTF-8 bytes."""
    return b"".join(bytes([ord(c) - 0xDC00]) if 0xDC80 <= ord(c) <= 0xDCFF else c.encode("utf-8", "surrogatepass")
                    for c in surrogates)


codecs.register_error(TEXT_ERRORS, _unencodable("\\", printable))
codecs.register_error(JSON_ERRORS, _unencodable("\\\\", lambda character: character))
