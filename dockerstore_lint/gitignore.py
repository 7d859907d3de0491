"""What git ignores, read from `.gitignore` files and `.git/info/exclude` without running git.

Running git in a stranger's repository can execute programs its config names (core.fsmonitor), so
we read the ignore files ourselves. Supported: comments, `!` negation, trailing-`/` directory
patterns, anchored patterns (a `/` at the start or in the middle), `*`, `?`, `[...]` and `**`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: re.Pattern
    negated: bool
    directory_only: bool


class IgnoreRules:
    """The patterns that apply inside one directory, its parents' included."""

    def __init__(self, base: Path, patterns: tuple[tuple[Path, _Pattern], ...] = ()):
        self.base = base
        self.patterns = patterns

    @classmethod
    def for_repository(cls, top: Path) -> "IgnoreRules":
        rules = cls(top)
        exclude = top / ".git" / "info" / "exclude"
        return rules.child(top, exclude) if exclude.is_file() else rules

    def child(self, directory: Path, ignore_file: Optional[Path] = None) -> "IgnoreRules":
        """Rules for `directory`, adding its `.gitignore` (or `ignore_file`)."""
        path = ignore_file or directory / ".gitignore"
        try:
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        except OSError:
            text = ""
        added = tuple((directory, p) for p in (_compile(line) for line in text.split("\n")) if p is not None)
        return IgnoreRules(self.base, self.patterns + added) if added else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for directory, pattern in self.patterns:
            if pattern.directory_only and not is_dir:
                continue
            try:
                relative = path.relative_to(directory).as_posix()
            except ValueError:
                continue
            if pattern.regex.fullmatch(relative):
                verdict = not pattern.negated
        return verdict


def find_repository(start: Path) -> Optional[Path]:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
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
    body = _translate(line)
    # an unanchored pattern matches a name at any depth
    regex = body if anchored else f"(?:.*/)?{body}"
    return _Pattern(re.compile(regex + "(?:/.*)?", re.DOTALL), negated, directory_only)


def _translate(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
            continue
        if char == "*":
            out.append(".*" if pattern.startswith("**", i) else "[^/]*")
            i += 2 if pattern.startswith("**", i) else 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(char))
                i += 1
            else:
                inner = pattern[i + 1:end].replace("\\", "\\\\")
                out.append("[" + ("^" + inner[1:] if inner.startswith("!") else inner) + "]")
                i = end + 1
        elif char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)
