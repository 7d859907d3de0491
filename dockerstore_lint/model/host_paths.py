"""Paths on the machine running the linter: resolving references and keeping them inside the root."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def resolve(base: Path, text: str) -> Path:
    """`text` as Compose resolves a relative path: against `base`, with `~` expanded."""
    return Path(os.path.normpath(os.path.join(base, os.path.expanduser(text))))


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with symlinks followed, stays inside `root` (which must be a real path).
    A path that cannot be resolved (a NUL in it) is not inside."""
    try:
        Path(os.path.realpath(path)).relative_to(root)
        return True
    except (ValueError, OSError):
        return False


def is_file(path: Path) -> bool:
    """`Path.is_file`, but False rather than an exception for a name too long, a folder that may not
    be entered, a NUL in the name: the text of a hostile file decides these paths."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def exists(path: Path) -> bool:
    """`Path.exists`, False where it would raise (see `is_file`)."""
    try:
        os.stat(path)
        return True
    except (OSError, ValueError):
        return False


def is_remote(text: str) -> bool:
    """A URL or git address: never fetched."""
    return bool(_REMOTE.match(text))
