"""Long values quoted in messages, cut in the middle so that a report stays readable and small.

A finding quotes what the file says (a service name, a path, an image), and a file may say a megabyte
of it: quoted by every finding of that service, one name made hundreds of megabytes of report. A value
longer than the limit keeps its start and its end around `…`, and is always exactly `limit`
characters long, so the same value is shortened the same way in every message and every run.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
# no real name, path or image reference is this long (the longest in the corpora: 100 characters)
VALUE_LIMIT = 200
# the longest message of the fixtures and corpora has 578 characters
MESSAGE_LIMIT = 2000
# compiled when first used (`re` caches it): a run without a long message does not pay for it
_LONG_RUN = r"\S{%d,}" % (VALUE_LIMIT + 1)


def shorten(value: str, limit: int = VALUE_LIMIT) -> str:
    """`value`, or when it is longer than `limit`, its start and end around `…`, `limit` characters in all."""
    if len(value) <= limit:
        return value
    tail = (limit - 1) // 2
    head = limit - 1 - tail
    return value[:head] + ELLIPSIS + value[len(value) - tail:]


def shorten_message(text: str) -> str:
    """A message with every run of more than VALUE_LIMIT non-blank characters shortened, and then the whole
    of it if still longer than MESSAGE_LIMIT (a long value with spaces): its end, the fix, is kept."""
    if len(text) <= VALUE_LIMIT:
        return text
    text = re.sub(_LONG_RUN, lambda run: shorten(run.group()), text)
    return shorten(text, MESSAGE_LIMIT)
