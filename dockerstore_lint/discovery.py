"""Finding the Dockerfiles and Compose files under the paths given on the command line."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Callable, Optional

from dockerstore_lint.gitignore import IgnoreRules, find_repository
from dockerstore_lint.model.host_paths import exists, is_inside
from dockerstore_lint.model.span import Problem, Span

DOCKERFILE = "dockerfile"
COMPOSE = "compose"

_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache",
                 ".pytest_cache", ".ruff_cache", ".venv", "venv", ".terraform"}
_DOCKERFILE_NAME = re.compile(r"^(?:(?:Dockerfile|dockerfile|Containerfile)(?:[.-].+)?"
                              r"|.+\.(?:Dockerfile|dockerfile|Containerfile))$")
# `Dockerfile.md`, `Dockerfile.dockerignore`, `Dockerfile-build.sh`: about a Dockerfile, not one
_NOT_DOCKERFILE = re.compile(
    r"\.(?:dockerignore|md|markdown|rst|txt|adoc|html|orig|bak|swp|tmp|sh|bash|ps1|bat|cmd|py|js|ts|json|"
    r"ya?ml|toml|ini|cfg|conf|lock|env|sig|asc|sha256)$", re.IGNORECASE)
_COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$")
_DOCKERFILE_START = re.compile(r"^\s*(?:FROM|ARG)\s", re.IGNORECASE)


class Discovered:
    __slots__ = ("root", "files", "explicit", "problems")

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[Path, str] = {}  # absolute path -> DOCKERFILE | COMPOSE
        self.explicit: set[Path] = set()  # named on the command line
        self.problems: list[Problem] = []


def kind_by_name(name: str) -> Optional[str]:
    if _COMPOSE_NAME.match(name):
        return COMPOSE
    if _DOCKERFILE_NAME.match(name) and not _NOT_DOCKERFILE.search(name):
        return DOCKERFILE
    return None


def kind_by_content(text: str) -> str:
    """For a file named explicitly whatever its name: a Dockerfile starts with FROM or ARG."""
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return DOCKERFILE if _DOCKERFILE_START.match(line) else COMPOSE
    return COMPOSE


def discover(paths: list[Path], root: Path, display: Callable[[Path], str],
             exclude: Callable[[Path], bool]) -> Discovered:
    found = Discovered(root)
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if exclude(absolute):
            continue
        try:
            info = os.stat(absolute)
        except OSError as error:
            found.problems.append(Problem("DSL001", f"cannot read path: {error.strerror}",
                                          Span.point(display(absolute), 1)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(absolute, found, display, exclude)
        else:
            # named explicitly: linted whatever its name; the reader reports what is not a regular file
            found.files[absolute] = kind_by_name(absolute.name) or ""
            found.explicit.add(absolute)
    return found


def _walk(top: Path, found: Discovered, display: Callable[[Path], str], exclude: Callable[[Path], bool]) -> None:
    repository = find_repository(top)
    rules: Optional[IgnoreRules] = None
    if repository is not None:
        rules = IgnoreRules.for_repository(repository)
        # the .gitignore files between the repository's top and the scanned directory apply too
        for directory in reversed([top, *top.parents]):
            if directory == repository or repository in directory.parents:
                rules = rules.child(directory)
    stack: list[tuple[Path, Optional[IgnoreRules]]] = [(top, rules)]
    while stack:
        directory, directory_rules = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories = []
        for entry in entries:
            try:
                # symlinked directories are never entered: that is how walks leave the root or loop
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError:
                continue
            if is_dir:
                path = Path(entry.path)
                if entry.name in _SKIPPED_DIRS or exists(path / "pyvenv.cfg") or exclude(path):
                    continue
                if directory_rules is not None and directory_rules.ignored(path, True):
                    continue
                subdirectories.append(path)
                continue
            kind = kind_by_name(entry.name)
            if kind is None or not is_file:
                continue
            path = Path(entry.path)
            if (directory_rules is not None and directory_rules.ignored(path, False)) or exclude(path):
                continue
            if entry.is_symlink() and not is_inside(path, found.root):
                continue
            found.files[path] = kind
        for subdirectory in reversed(subdirectories):
            stack.append((subdirectory, directory_rules.child(subdirectory) if directory_rules else None))
    # the limits a hostile repository made the ignore rules reach: the walk is not quite git's
    for path, line, message in rules.problems if rules is not None else ():
        found.problems.append(Problem("DSL001", message, Span.point(display(path), line)))

