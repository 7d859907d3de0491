"""Host paths: the host side of bind mounts, typed by what they are relative to, and the safe probes of
the machine running the linter that resolve references and keep them inside the root.

A host path in a Compose file is relative to the project directory; in a command line it is relative to
a working directory the linter cannot know, except where the command names a known directory (`$PWD`,
`$(CURDIR)`, written `HERE` by the readers); `~` is the home of whoever runs the containers, never the
linter's. `HostPath` says which, so that no rule does path arithmetic on strings.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.text.shell import HERE
from dockerstore_lint.text.shell import HOME as HOME_MARK

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


# What a host path is relative to.
DIRECTORY = "directory"  # a directory the linter knows: a Compose project's, the one `$PWD` stands for
WORKING_DIRECTORY = "cwd"  # the working directory of a command, which the linter cannot know
HOME = "home"  # the home directory of the user who starts the containers (`~`, `$HOME`)
ABSOLUTE = "absolute"  # a POSIX path from `/` on the machine that runs the containers
DRIVE = "drive"  # a Windows path with a drive letter: `C:\\data`, `c:/data`
UNC = "unc"  # a Windows network share: `\\\\server\\share`
PIPE = "pipe"  # a Windows named pipe: `\\\\.\\pipe\\docker_engine`
UNRESOLVED = "unresolved"  # it uses a variable that is not set


class HostPath(NamedTuple):
    """The host side of a bind mount: what it is relative to, its normalised parts, and what the repository
    knows of it."""

    written: str  # as written (after interpolation), for messages
    base: str  # DIRECTORY | WORKING_DIRECTORY | HOME | ABSOLUTE | DRIVE | UNC | PIPE | UNRESOLVED
    parts: tuple[str, ...]  # the components after the base, normalised (`..` may lead a relative path)
    directory: Optional[Path] = None  # DIRECTORY: the directory it is relative to, on this machine
    exists: Optional[bool] = None  # only known for paths inside the scanned root
    is_file: Optional[bool] = None
    inside_root: bool = False
    ignored: bool = False  # git ignores it: a path the project generates (`node_modules`, `.data/`), not ships

    @property
    def local(self) -> Optional[Path]:
        """Where the path is on the machine running the linter, when it is relative to a known directory."""
        if self.base != DIRECTORY or self.directory is None:
            return None
        return Path(os.path.normpath(os.path.join(self.directory, *self.parts))) if self.parts else self.directory

    @property
    def windows(self) -> bool:
        return self.base in (DRIVE, UNC, PIPE)

    def same(self, other: "HostPath") -> bool:
        """Whether both name the same place on the host, as far as the text tells."""
        if self.base == UNRESOLVED or other.base == UNRESOLVED:
            return False
        if self.base == DIRECTORY and other.base == DIRECTORY:
            return self.local == other.local
        return self.base == other.base and self.base != WORKING_DIRECTORY and self.parts == other.parts

    def below(self, *names: str) -> "HostPath":
        """The path of `names` inside this one (its `exists` is not known)."""
        if not names:
            return self
        return HostPath(self.written.rstrip("/\\") + "/" + "/".join(names), self.base,
                        _clean(self.parts + names, self.base not in (DIRECTORY, WORKING_DIRECTORY)),
                        self.directory, inside_root=self.inside_root)


def host_path(value: str, root: Path, relative_to: Optional[Path] = None, here: Optional[Path] = None,
              written: Optional[str] = None, resolved: bool = True,
              ignored: Optional[Callable[[Path], bool]] = None) -> HostPath:
    """What the host path `value` is.

    `relative_to` is the directory a relative path starts from (a Compose project's), None when that is
    a command's unknown working directory; `HERE` at the start of `value` stands for `here`. `written` is
    how the path reads in the file (`value` when not given). Only paths inside `root` are looked at on disk,
    and asked whether git `ignored` them when they are missing.
    """
    shown = value if written is None else written
    if not resolved:
        return HostPath(shown, UNRESOLVED, ())
    if value.startswith(HERE):
        # the directory a command runs in, when nothing says which: relative to an unknown working directory
        value, relative_to = "./" + value[len(HERE):].lstrip("/\\"), here
    elif value.startswith(HOME_MARK):
        value = "~/" + value[len(HOME_MARK):].lstrip("/\\")
    if value.startswith("\\\\"):
        pieces = tuple(p for p in value[2:].replace("/", "\\").split("\\") if p)
        if len(pieces) >= 2 and pieces[0] in (".", "?") and pieces[1].lower() == "pipe":
            return HostPath(shown, PIPE, tuple(p.lower() for p in pieces[2:]))
        return HostPath(shown, UNC, tuple(p.lower() for p in pieces))
    if _DRIVE.match(value):
        names = value[2:].replace("\\", "/").lower().split("/")
        return HostPath(shown, DRIVE, _clean((value[0].lower() + ":", *names), True))
    if value.startswith("~"):
        # `~user/x` is `$HOME/user/x` to Compose, as `~/user/x`
        return HostPath(shown, HOME, _clean(tuple(value[1:].split("/")), True))
    if value.startswith("/"):
        return HostPath(shown, ABSOLUTE, _clean(tuple(value.split("/")), True))
    # Compose joins the text as is, backslashes included; on disk a Windows project means `/`
    parts = _clean(tuple(value.replace("\\", "/").split("/")), False)
    if relative_to is None:
        return HostPath(shown, WORKING_DIRECTORY, parts)
    on_disk = Path(os.path.normpath(os.path.join(relative_to, *parts))) if parts else relative_to
    # outside the root, or a symlink leaving it: not looked at, so nothing is known
    if not is_inside(on_disk, root):
        return HostPath(shown, DIRECTORY, parts, relative_to)
    found = exists(on_disk)
    generated = not found and ignored is not None and ignored(on_disk)
    return HostPath(shown, DIRECTORY, parts, relative_to, found, found and is_file(on_disk), True, generated)


_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _clean(parts: tuple[str, ...], rooted: bool) -> tuple[str, ...]:
    """Components without `.` and empty ones, `..` applied (kept at the front of a relative path)."""
    out: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append(part)
            continue
        out.append(part)
    return tuple(out)
