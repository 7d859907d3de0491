"""A JSON document written piece by piece, as `json.dumps(document, indent=2, ensure_ascii=False)` writes it.

The JSON reports hold one long list (findings, results, issues): it is given as a `Streamed` iterable
and written an item at a time, so that neither the list of dicts nor the text of the whole document
is ever held in memory; everything around it is written as `json.dumps` would.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, NamedTuple

INDENT = "  "


class Streamed(NamedTuple):
    """A list whose items are made while it is written."""

    items: Iterable[Any]


def dump(value: Any, out: Callable[[str], None]) -> None:
    """Write `value` and a final newline to `out`."""
    _write(value, out, 0)
    out("\n")


def _write(value: Any, out: Callable[[str], None], depth: int) -> None:
    inner = "\n" + INDENT * (depth + 1)
    if isinstance(value, Streamed):
        opened = False
        for item in value.items:
            out(("," if opened else "[") + inner)
            _write(item, out, depth + 1)
            opened = True
        out("\n" + INDENT * depth + "]" if opened else "[]")
    elif isinstance(value, dict) and any(_holds_streamed(item) for item in value.values()):
        for number, (key, item) in enumerate(value.items()):
            out(("," if number else "{") + inner + json.dumps(key, ensure_ascii=False) + ": ")
            _write(item, out, depth + 1)
        out("\n" + INDENT * depth + "}")
    elif isinstance(value, list) and any(_holds_streamed(item) for item in value):
        for number, item in enumerate(value):
            out(("," if number else "[") + inner)
            _write(item, out, depth + 1)
        out("\n" + INDENT * depth + "]")
    else:
        # strings never hold a raw line break in JSON: every line break is indentation
        out(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + INDENT * depth))


def _holds_streamed(value: Any) -> bool:
    if isinstance(value, Streamed):
        return True
    if isinstance(value, dict):
        return any(_holds_streamed(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_streamed(item) for item in value)
    return False
