"""What git ignores, read from `.gitignore` files and `.git/info/exclude` without running git.

Running git in a stranger's repository can execute programs its config names (core.fsmonitor), so
we read the ignore files ourselves. Supported: comments, `!` negation, trailing-`/` directory
patterns, anchored patterns (a `/` at the start or in the middle), `*`, `?`, `[...]` and `**`.
"""

from __future__ import annotations

import os
import re
import stat
from itertools import islice
from pathlib import Path
from typing import NamedTuple, Optional

from dockerstore_lint.model.host_paths import exists
from dockerstore_lint.wildcards import TooManyStars, Wildcard

# Real ignore files have at most a few thousand lines; a hostile one with millions of patterns would
# make every directory of the walk take seconds. The patterns past these limits are not used.
MAX_IGNORE_BYTES = 1024 * 1024
MAX_PATTERNS = 5_000


class _Pattern(NamedTuple):
    segments: tuple[Optional[Wildcard], ...]  # a name pattern each; None for `**`
    negated: bool
    directory_only: bool

    def matches(self, names: list[str]) -> bool:
        """Whether the pattern matches the path (its `names`), or a directory above it: what is inside an
        ignored directory is ignored. `**` is any number of names, at least one when it ends the pattern."""
        reached = {0}  # how many names the segments so far can have matched
        last = len(self.segments) - 1
        for index, segment in enumerate(self.segments):
            if segment is None:
                reached = set(range(min(reached) + (index == last), len(names) + 1))
            else:
                reached = {n + 1 for n in reached if n < len(names) and segment.fullmatch(names[n])}
            if not reached:
                return False
        return True


class IgnoreRules:
    """The patterns that apply inside one directory, its parents' included."""

    def __init__(self, base: Path, patterns: tuple[tuple[Path, _Pattern], ...] = ()):
        self.base = base
        self.patterns = patterns

    @classmethod
    def for_repository(cls, top: Path) -> "IgnoreRules":
        rules = cls(top)
        exclude = top / ".git" / "info" / "exclude"
        return rules.child(top, exclude)

    def child(self, directory: Path, ignore_file: Optional[Path] = None) -> "IgnoreRules":
        """Rules for `directory`, adding its `.gitignore` (or `ignore_file`)."""
        path = ignore_file or directory / ".gitignore"
        patterns = (_compile(line) for line in _read_ignore_file(path).split("\n"))
        added = tuple((directory, p) for p in islice((p for p in patterns if p is not None), MAX_PATTERNS))
        return IgnoreRules(self.base, self.patterns + added) if added else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        # the patterns of one ignore file are in a row: the path relative to their folder is cut once
        folder: Optional[Path] = None
        names: Optional[list[str]] = None
        for directory, pattern in self.patterns:
            if pattern.directory_only and not is_dir:
                continue
            if directory is not folder:
                folder = directory
                try:
                    names = path.relative_to(directory).as_posix().split("/")
                except ValueError:
                    names = None
            if names is not None and pattern.matches(names):
                verdict = not pattern.negated
        return verdict


def _read_ignore_file(path: Path) -> str:
    """The file's text, up to `MAX_IGNORE_BYTES`; "" when it is missing, unreadable, not a regular file
    or a symlink (git does not follow a symlinked .gitignore, and it could point out of the tree)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return ""
            data = handle.read(MAX_IGNORE_BYTES)
    except OSError:
        return ""
    return data.decode("utf-8", "replace")


def find_repository(start: Path) -> Optional[Path]:
    for candidate in (start, *start.parents):
        if exists(candidate / ".git"):
            return candidate
    return None


def _compile(line: str) -> Optional[_Pattern]:
    line = line.rstrip("\r")
    if not line.strip() or line.startswith("#"):
        return None
    while line.endswith(" ") and not line.endswith("\\ "):
        line = line[:-1]
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.strip("/") if directory_only else line
    anchored = "/" in line.rstrip("/")
    line = line.lstrip("/")
    if not line:
        return None
    try:
        segments = [None if name == "**" else _name_pattern(name) for name in line.split("/")]
    except (re.error, TooManyStars):
        # a `[...]` that means nothing, such as `[z-a]`, or hundreds of `*`s: the pattern is not used
        return None
    # an unanchored pattern matches a name at any depth
    return _Pattern(tuple(segments if anchored else [None, *segments]), negated, directory_only)


def _name_pattern(pattern: str) -> Wildcard:
    """One name's glob: `*` (a second `*` in a name is just another), `?`, `[...]`, `\\` escapes."""
    runs = [""]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        end = pattern.find("]", i + 2) if char == "[" else -1
        if char == "*":
            runs.append("")
            i += 1
        elif char == "?":
            runs[-1] += "."
            i += 1
        elif end > 0:
            runs[-1] += _character_class(pattern[i + 1:end])
            i = end + 1
        elif char == "\\" and i + 1 < len(pattern):
            runs[-1] += re.escape(pattern[i + 1])
            i += 2
        else:
            runs[-1] += re.escape(char)
            i += 1
    return Wildcard(runs)


def _character_class(inner: str) -> str:
    """`[...]` with `!` or `^` negating and `a-z` ranges; everything else literal."""
    negated = inner[:1] in ("!", "^")
    inner = inner[1:] if negated else inner
    items = []
    i = 0
    while i < len(inner):
        if i + 2 < len(inner) and inner[i + 1] == "-":
            items.append(f"{re.escape(inner[i])}-{re.escape(inner[i + 2])}")
            i += 3
        else:
            items.append(re.escape(inner[i]))
            i += 1
    return "[" + ("^" if negated else "") + "".join(items) + "]"


class IgnoreLookup:
    """Whether git ignores a path that need not exist (a bind mount's source that a setup step or the first
    start creates): the ignore files from the repository's top, or `root` in a tree without `.git`, down to
    the path's folder. Rules are read once per folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._rules: dict[Path, IgnoreRules] = {}

    def ignored(self, path: Path) -> bool:
        if path == self.root or self.root not in path.parents:
            return False
        # a missing path is asked as a directory: `data/` ignores what is below it either way
        return self._rules_for(path.parent).ignored(path, True)

    def _rules_for(self, directory: Path) -> IgnoreRules:
        if directory not in self._rules:
            if directory != self.root:
                self._rules[directory] = self._rules_for(directory.parent).child(directory)
                return self._rules[directory]
            repository = find_repository(self.root)
            if repository is None:
                rules = IgnoreRules(self.root).child(self.root)
            else:
                # the ignore files between the repository's top and the root apply too, as in a walk
                rules = IgnoreRules.for_repository(repository)
                for folder in reversed([self.root, *self.root.parents]):
                    if folder == repository or repository in folder.parents:
                        rules = rules.child(folder)
            self._rules[directory] = rules
        return self._rules[directory]
