"""Paths on the machine running the linter: resolving references and keeping them inside the root.

A home path (`~/x`) stays one: whose home it is depends on who runs the project, never on who runs
the linter, so it is not looked up on this machine and is never inside the root.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@)", re.IGNORECASE)


def resolve(base: Path, text: str) -> Path:
    """`text` as Compose resolves a relative path: against `base`; a home path stays one (`home_path`)."""
    if text.startswith("~"):
        return Path(home_path(text))
    return Path(os.path.normpath(os.path.join(base, text)))


def home_path(written: str) -> str:
    """`~` followed by the rest, cleaned, as Compose reads it: `~user/x` is `~/user/x`, not user's home."""
    rest = written[1:].lstrip("/")
    return "~/" + os.path.normpath(rest) if rest else "~"


def is_inside(path: Path, root: Path) -> bool:
    """True when `path`, with symlinks followed, stays inside `root` (which must be a real path).
    A path that cannot be resolved (a NUL in it), or that is not absolute (a home path), is not inside."""
    if not os.path.isabs(path):
        return False
    try:
        Path(os.path.realpath(path)).relative_to(root)
        return True
    except (ValueError, OSError):
        return False


def is_file(path: Path) -> bool:
    """`Path.is_file`, but False rather than an exception for a name too long, a folder that may not
    be entered, a NUL in the name: the text of a hostile file decides these paths. A path that is not
    absolute (a home path) is nothing here: it is never looked up from the current directory."""
    try:
        return os.path.isabs(path) and stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def exists(path: Path) -> bool:
    """`Path.exists`, False where it would raise or for a path that is not absolute (see `is_file`)."""
    try:
        os.stat(path)
        return os.path.isabs(path)
    except (OSError, ValueError):
        return False


def is_remote(text: str) -> bool:
    """A URL or git address: never fetched."""
    return bool(_REMOTE.match(text))
