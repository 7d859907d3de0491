"""What git ignores, read from `.gitignore` files and `.git/info/exclude` without running git.

Running git in a stranger's repository can execute programs its config names (core.fsmonitor), so
we read the ignore files ourselves. Supported: comments, `!` negation, trailing-`/` directory
patterns, anchored patterns (a `/` at the start or in the middle), `*`, `?`, `[...]` and `**`.

A walk may meet tens of thousands of directories and patterns, so each ignore file is compiled once
into an index: a pattern is filed under a name it needs (a literal name, or how a name must start or
end), and a path is tried only against the patterns its names bring up (a directory hands those of
its own names down to what is inside it) and the few that need no particular name. What a hostile
repository can make the walk do is bounded: at most `MAX_PATTERNS` patterns of one file and
`MAX_TOTAL_PATTERNS` of the whole walk are used, at most `MAX_FILES` ignore files apply to one
directory, and after `MAX_TRIES` tries of a pattern the rest of the walk ignores nothing. Each limit
is reported once, as a DSL001 on the ignore file, since the files walked are then not those git sees.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Literal, NamedTuple, Optional, Union

from dockerstore_lint.model.host_paths import exists
from dockerstore_lint.wildcards import MAX_STARS, Wildcard

# Real ignore files have at most a few thousand lines, and a repository a few dozen of them.
MAX_IGNORE_BYTES = 1024 * 1024
MAX_PATTERNS = 5_000
MAX_TOTAL_PATTERNS = 20_000
MAX_FILES = 32
# what trying patterns against paths may cost in a walk, in pattern segments tried (a real repository
# of 20,000 directories needs a few hundred thousand)
MAX_TRIES = 2_000_000
# a name key is at most this long: how a name starts or ends is looked up once per length up to it
_KEY_LENGTH = 8


class _Glob:
    """One name's glob (`*`, `?`, `[...]`), compiled when first tried: most patterns never are."""

    __slots__ = ("runs", "_wildcard")

    def __init__(self, runs: list[str]) -> None:
        self.runs = runs
        self._wildcard: Union[None, Literal[False], Wildcard] = None

    def fullmatch(self, name: str) -> bool:
        if self._wildcard is None:
            try:
                self._wildcard = Wildcard(self.runs)
            except re.error:
                # a `[...]` that means nothing, such as `[z-a]`: matches nothing
                self._wildcard = False
        return self._wildcard is not False and self._wildcard.fullmatch(name)


# a name as written, a glob, or None for `**`
_Segment = Union[str, _Glob, None]


class _Pattern(NamedTuple):
    segments: tuple[_Segment, ...]
    negated: bool
    directory_only: bool
    key: Optional[tuple[str, str]]  # ("name" | "start" | "end", text): what a name of the path must be
    cost: int  # what one try costs, in segments and glob runs

    def matches(self, names: list[str]) -> bool:
        """Whether the pattern matches the path (its `names`), or a directory above it: what is inside an
        ignored directory is ignored. `**` is any number of names, at least one when it ends the pattern."""
        reached = {0}  # how many names the segments so far can have matched
        last = len(self.segments) - 1
        for index, segment in enumerate(self.segments):
            if segment is None:
                reached = set(range(min(reached) + (index == last), len(names) + 1))
            elif isinstance(segment, str):
                reached = {n + 1 for n in reached if n < len(names) and names[n] == segment}
            else:
                reached = {n + 1 for n in reached if n < len(names) and segment.fullmatch(names[n])}
            if not reached:
                return False
        return True


class _IgnoreFile:
    """The patterns of one ignore file, filed under the name each needs."""

    __slots__ = ("directory", "depth", "patterns", "path", "_names", "_starts", "_ends", "_start_lengths",
                 "_end_lengths", "loose")

    def __init__(self, directory: Path, depth: int, patterns: list[_Pattern], path: Path) -> None:
        self.directory = directory
        self.depth = depth  # names between the repository's top and `directory`
        self.patterns = patterns
        self.path = path
        self._names: dict[str, list[int]] = {}
        self._starts: dict[str, list[int]] = {}
        self._ends: dict[str, list[int]] = {}
        self.loose: list[int] = []  # the patterns that need no particular name
        for index, pattern in enumerate(patterns):
            if pattern.key is None:
                self.loose.append(index)
            else:
                kind, text = pattern.key
                table = self._names if kind == "name" else self._starts if kind == "start" else self._ends
                table.setdefault(text, []).append(index)
        self._start_lengths = sorted({len(text) for text in self._starts})
        self._end_lengths = sorted({len(text) for text in self._ends})

    def brought_up(self, name: str) -> list[int]:
        """The patterns filed under `name`, or under how it starts or ends."""
        found = list(self._names.get(name, ()))
        for length in self._start_lengths:
            found += self._starts.get(name[:length], ()) if len(name) >= length else ()
        for length in self._end_lengths:
            found += self._ends.get(name[-length:], ()) if len(name) >= length else ()
        return found


class _Walk:
    """What one walk has spent, and the limits it reached (path, line, message)."""

    __slots__ = ("top", "patterns", "tries", "problems", "_reported")

    def __init__(self, top: Path) -> None:
        self.top = top
        self.patterns = 0
        self.tries = 0
        self.problems: list[tuple[Path, int, str]] = []
        self._reported: set[str] = set()

    @property
    def spent(self) -> bool:
        return self.tries > MAX_TRIES

    def limit(self, path: Path, line: int, limit: str, consequence: str, once: bool = True) -> None:
        """Reports that `limit` was reached (once a walk, unless it is a file's own)."""
        if once and limit in self._reported:
            return
        self._reported.add(limit)
        self.problems.append((path, line, f"{limit}: {consequence}, so files git ignores may be linted"))


# the patterns of one file that a directory's names brought up: a chain of lists, so that a directory
# hands them down without copying
_Brought = Optional[tuple[list[int], "_Brought"]]


class IgnoreRules:
    """The patterns that apply inside one directory, its parents' included."""

    def __init__(self, base: Path, files: tuple[_IgnoreFile, ...] = (), brought: tuple[_Brought, ...] = (),
                 walk: Optional[_Walk] = None) -> None:
        self.base = base
        self.files = files
        self.brought = brought  # per file, the patterns that the names from its directory to here brought up
        self.walk = walk or _Walk(base)

    @property
    def problems(self) -> list[tuple[Path, int, str]]:
        """The limits this walk reached: (ignore file, line, message)."""
        return self.walk.problems

    @classmethod
    def for_repository(cls, top: Path) -> "IgnoreRules":
        rules = cls(top)
        exclude = top / ".git" / "info" / "exclude"
        return rules.child(top, exclude)

    def child(self, directory: Path, ignore_file: Optional[Path] = None) -> "IgnoreRules":
        """Rules for `directory`, adding its `.gitignore` (or `ignore_file`)."""
        brought = self.brought
        if directory != self.walk.top and self.files:
            name = directory.name
            brought = tuple((found, chain) if (found := file.brought_up(name)) else chain
                            for file, chain in zip(self.files, self.brought, strict=True))
        added = self._read(directory, ignore_file or directory / ".gitignore")
        if added is None:
            return IgnoreRules(self.base, self.files, brought, self.walk)
        return IgnoreRules(self.base, self.files + (added,), brought + (None,), self.walk)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        walk = self.walk
        if walk.spent or not self.files:
            return False
        names: Optional[list[str]] = None
        name = path.name
        # the last file's patterns come last: the last pattern that matches decides
        for file, chain in zip(reversed(self.files), reversed(self.brought), strict=True):
            candidates = file.brought_up(name) + file.loose
            while chain is not None:
                candidates += chain[0]
                chain = chain[1]
            if not candidates:
                continue
            if names is None:
                names = list(path.parts[len(walk.top.parts):])
            walk.tries += len(candidates)
            for index in sorted(set(candidates), reverse=True):
                pattern = file.patterns[index]
                if pattern.directory_only and not is_dir:
                    continue
                walk.tries += pattern.cost
                if walk.spent:
                    walk.limit(file.path, 1, f"trying the ignore patterns took more than {MAX_TRIES:,} steps",
                               "from here on nothing is ignored")
                    return False
                if pattern.matches(names[file.depth:]):
                    return not pattern.negated
        return False

    def _read(self, directory: Path, path: Path) -> Optional[_IgnoreFile]:
        text = _read_ignore_file(path)
        if not text:
            return None
        walk = self.walk
        if len(self.files) >= MAX_FILES:
            walk.limit(path, 1, f"more than {MAX_FILES} ignore files apply to one directory",
                       "the ones below it are not used")
            return None
        patterns: list[_Pattern] = []
        for number, line in enumerate(text.split("\n"), 1):
            pattern = _compile(line)
            if pattern is None:
                continue
            if len(patterns) >= MAX_PATTERNS:
                walk.limit(path, number, f"more than {MAX_PATTERNS:,} patterns in one ignore file",
                           "from here on its patterns are not used", once=False)
                break
            if walk.patterns >= MAX_TOTAL_PATTERNS:
                walk.limit(path, number, f"more than {MAX_TOTAL_PATTERNS:,} patterns in all ignore files",
                           "from here on the patterns are not used")
                break
            patterns.append(pattern)
            walk.patterns += 1
        if not patterns:
            return None
        try:
            depth = len(directory.relative_to(walk.top).parts)
        except ValueError:
            return None
        return _IgnoreFile(directory, depth, patterns, path)


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
    segments: list[_Segment] = []
    keys: list[tuple[int, tuple[str, str]]] = []  # (how selective, key)
    cost = 0
    for name in line.split("/"):
        if name == "**":
            segments.append(None)
            continue
        if name.count("*") > MAX_STARS:
            return None  # hundreds of `*`s in one name: what it matches is left unknown, as a word's would be
        segment, start, end = _name_pattern(name)
        segments.append(segment)
        if isinstance(segment, str):
            keys.append((_KEY_LENGTH + len(segment), ("name", segment)))
        else:
            cost += len(segment.runs)
            if start:
                keys.append((min(len(start), _KEY_LENGTH), ("start", start[:_KEY_LENGTH])))
            if end:
                keys.append((min(len(end), _KEY_LENGTH), ("end", end[-_KEY_LENGTH:])))
    key = max(keys)[1] if keys else None
    # an unanchored pattern matches a name at any depth
    return _Pattern(tuple(segments if anchored else [None, *segments]), negated, directory_only, key,
                    cost + len(segments))


def _name_pattern(pattern: str) -> tuple[Union[str, _Glob], str, str]:
    """One name's glob (`*`, where a second `*` is just another, `?`, `[...]`, `\\` escapes), as the name
    itself when it has none; and the literal text it starts and ends with."""
    runs = [""]
    literal: list[Optional[str]] = []  # each character's text, None for a wildcard
    i = 0
    while i < len(pattern):
        char = pattern[i]
        end = pattern.find("]", i + 2) if char == "[" else -1
        if char == "*":
            runs.append("")
            literal.append(None)
            i += 1
        elif char == "?":
            runs[-1] += "."
            literal.append(None)
            i += 1
        elif end > 0:
            runs[-1] += _character_class(pattern[i + 1:end])
            literal.append(None)
            i = end + 1
        elif char == "\\" and i + 1 < len(pattern):
            runs[-1] += re.escape(pattern[i + 1])
            literal.append(pattern[i + 1])
            i += 2
        else:
            runs[-1] += re.escape(char)
            literal.append(char)
            i += 1
    if None not in literal:
        return "".join(filter(None, literal)), "", ""
    first_wildcard = literal.index(None)
    last_wildcard = len(literal) - 1 - literal[::-1].index(None)
    # (no None before the first wildcard or after the last, and no empty text anywhere: `filter` only types them)
    before, after = literal[:first_wildcard], literal[last_wildcard + 1:]
    return _Glob(runs), "".join(filter(None, before)), "".join(filter(None, after))


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
