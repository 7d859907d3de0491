"""Paths inside containers, normalised in this one place.

Linux paths are POSIX. Windows container paths have a drive letter, accept `\\` and `/` alike and
compare case-insensitively; a rooted path without a drive (`\\data`, `/data`) is on `C:`. Rules
compare paths only through `ContainerPath`, never as strings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_DRIVE = re.compile(r"^([A-Za-z]):(?:[\\/]|$)")
_PIPE = re.compile(r"^[\\/]{2}[.?][\\/]pipe[\\/]", re.IGNORECASE)


def is_named_pipe(text: str) -> bool:
    return bool(_PIPE.match(text))


def looks_windows(text: str) -> bool:
    """A drive-letter path or a named pipe: only Windows containers have those."""
    return bool(_DRIVE.match(text) or _PIPE.match(text))



class ContainerPath(NamedTuple):
    text: str  # normalised for display: `/var/lib/mysql` or `C:\data`
    os: str  # "linux" | "windows"
    parts: tuple[str, ...]  # comparison key: components, lower-cased on Windows, drive first
    absolute: bool
    resolved: bool  # False when it still contains an unexpanded `$VAR`

    def __str__(self) -> str:
        return self.text

    def is_within(self, other: "ContainerPath") -> bool:
        """True when self is `other` or below it."""
        return (
            self.comparable(other)
            and len(self.parts) >= len(other.parts)
            and self.parts[: len(other.parts)] == other.parts
        )

    def strictly_within(self, other: "ContainerPath") -> bool:
        return self.is_within(other) and len(self.parts) > len(other.parts)

    def comparable(self, other: "ContainerPath") -> bool:
        return (
            self.os == other.os
            and self.absolute
            and other.absolute
            and self.resolved
            and other.resolved
        )

    def same(self, other: "ContainerPath") -> bool:
        return self.comparable(other) and self.parts == other.parts

    def join(self, relative: str) -> "ContainerPath":
        """`relative` resolved against this directory (an absolute `relative` wins)."""
        candidate = container_path(relative, self.os)
        if candidate.absolute or not relative:
            return candidate if relative else self
        separator = "\\" if self.os == "windows" else "/"
        return container_path(self.text.rstrip("\\/") + separator + relative, self.os)

    @property
    def parent(self) -> "ContainerPath":
        if len(self.parts) <= (1 if self.os == "windows" else 0):
            return self
        if self.os == "windows":
            return _windows_from_parts(self.parts[:-1], self.text, self.resolved)
        return container_path("/" + "/".join(self.parts[:-1]), "linux")

    @property
    def name(self) -> str:
        return self.text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]

    @property
    def is_root(self) -> bool:
        return self.absolute and len(self.parts) == (1 if self.os == "windows" else 0)


def container_path(raw: str, os: str = "linux") -> ContainerPath:
    """Normalise a path as the container's operating system would read it."""
    resolved = "$" not in raw
    if os == "windows" or looks_windows(raw):
        return _windows(raw, resolved)
    absolute = raw.startswith("/")
    parts = _collapse(raw.split("/"))
    text = ("/" if absolute else "") + "/".join(parts)
    return ContainerPath(text or ("/" if absolute else "."), "linux", tuple(parts), absolute, resolved)


def _windows(raw: str, resolved: bool) -> ContainerPath:
    if _PIPE.match(raw):
        body = raw.replace("/", "\\")
        return ContainerPath(body, "windows", ("pipe",) + tuple(body.lower().split("\\")[4:]), True, resolved)
    text = raw.replace("/", "\\")
    match = _DRIVE.match(text)
    if match:
        drive = match.group(1).upper() + ":"
        rest = text[2:]
        absolute = True
    elif text.startswith("\\"):
        drive, rest, absolute = "C:", text, True
    else:
        drive, rest, absolute = "", text, False
    parts = _collapse(rest.split("\\"))
    display = (drive + "\\" if absolute else "") + "\\".join(parts)
    key = ((drive.lower(),) if absolute else ()) + tuple(p.lower() for p in parts)
    return ContainerPath(display or ".", "windows", key, absolute, resolved)


def _windows_from_parts(parts: tuple[str, ...], text: str, resolved: bool) -> ContainerPath:
    # keep the display case of the original text for the remaining components
    pieces = text.split("\\")
    return ContainerPath("\\".join(pieces[: len(parts)]) + ("\\" if len(parts) == 1 else ""),
                         "windows", parts, True, resolved)


def _collapse(pieces: list[str]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if piece in ("", "."):
            continue
        if piece == "..":
            if out:
                out.pop()
            continue
        out.append(piece)
    return out

