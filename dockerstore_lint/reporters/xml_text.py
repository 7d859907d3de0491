"""Text in the XML reports (JUnit, Checkstyle): well-formed XML 1.0 whatever a name holds.

XML 1.0 cannot hold most control characters, not even as character references, nor U+FFFE and U+FFFF,
nor lone surrogates: a name's control characters are written as in the text report (`\\xNN`, see
text/escape.py), and so are U+FFFE and U+FFFF; the bytes of a name that is not UTF-8 are written as
`\\xNN` before that. In attribute values a tab is written `&#9;`, which parsers would otherwise read
as a space.
"""

from __future__ import annotations

import re

from dockerstore_lint.text.escape import TEXT_ERRORS, printable

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;"}
_MARKUP = re.compile('[&<>"]')
_ATTRIBUTE = re.compile('[&<>"\t]')


def text(value: str) -> str:
    """`value` as the content of an element."""
    return _MARKUP.sub(_escape, _clean(value))


def attribute(value: str) -> str:
    """`value` as an attribute value in double quotes."""
    return _ATTRIBUTE.sub(_escape, _clean(value))


def _clean(value: str) -> str:
    # the encoder's error handler turns the bytes that surrogates stand for into `\xNN` text
    value = value.encode("utf-8", TEXT_ERRORS).decode("utf-8")
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", printable(value))


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]
