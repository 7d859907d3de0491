"""Third-party rules and input kinds, installed as entry points (`dockerstore_lint.rules`, `dockerstore_lint.inputs`).

`importlib.metadata` costs 40-60 ms to import, most of a lint's start-up, so the entry points of the
installed distributions are read here from their `entry_points.txt` files directly: a scan of the
`sys.path` directories for `*.dist-info`, and one small read per distribution that declares any.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache

RULES_GROUP = "dockerstore_lint.rules"
INPUTS_GROUP = "dockerstore_lint.inputs"


@lru_cache(maxsize=None)
def entry_points(group: str) -> tuple[tuple[str, str], ...]:
    """(name, `module:attribute`) of every installed entry point of `group`, the first distribution found
    on `sys.path` winning a name, in name order."""
    found: dict[str, str] = {}
    for directory in sys.path:
        try:
            entries = sorted(entry.name for entry in os.scandir(directory or ".")
                             if entry.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for name in entries:
            try:
                with open(os.path.join(directory or ".", name, "entry_points.txt"), encoding="utf-8") as handle:
                    text = handle.read(1 << 20)
            except OSError:
                continue
            for key, value in _section(text, group):
                found.setdefault(key, value)
    return tuple(sorted(found.items()))


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """The `name = value` lines of the `[group]` section of an entry_points.txt (an INI file)."""
    pairs = []
    inside = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{group}]"
        elif inside and "=" in stripped and not stripped.startswith(("#", ";")):
            key, _, value = stripped.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def load(reference: str) -> object:
    """The object an entry point's `module:attribute` names."""
    import importlib

    module_name, _, attribute = reference.partition(":")
    target: object = importlib.import_module(module_name.strip())
    for part in attribute.strip().split(".") if attribute.strip() else ():
        target = getattr(target, part)
    return target
