"""Paths on the machine running the linter: resolving references and keeping them inside the root."""

from __future__ import annotations

import os
import re
from pathlib import Path

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def resolve(base: Path, text: str) -> Path:
    """`text` as Compose resolves a relative path: against `base`, with `~` expanded."""
    return Path(os.path.normpath(os.path.join(base, os.path.expanduser(text))))


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with symlinks followed, stays inside `root` (which must be a real path)."""
    try:
        Path(os.path.realpath(path)).relative_to(root)
        return True
    except ValueError:
        return False


def is_remote(text: str) -> bool:
    """A URL or git address: never fetched."""
    return bool(_REMOTE.match(text))
