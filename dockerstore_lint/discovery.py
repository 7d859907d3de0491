"""Finding the files to lint under the paths given on the command line: each input kind says which are its own."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Callable, Optional

from dockerstore_lint.gitignore import IgnoreRules, find_repository
from dockerstore_lint.inputs import is_candidate, kind_of_path
from dockerstore_lint.inputs.kind import InputKind
from dockerstore_lint.model.host_paths import exists, is_inside
from dockerstore_lint.model.span import INVALID, NOT_FOLLOWED, Problem, Span

# a test suite's data: files here are inputs of tests, read as Compose only when named like Compose files
_TEST_DATA = re.compile(r"^(?:testdata|test[-_]data|fixtures|__fixtures__|__snapshots__)$"
                        r"|[._]test\.|[._]spec\.|^test_.*\.py$")
# what a repository keeps of other people's code, caches and tools: not the project's own files
_VCS_DIRS = {".git", ".hg", ".svn"}
_SKIPPED_DIRS = {*_VCS_DIRS, "node_modules", "vendor", "third_party", "third-party", "__pycache__",
                 ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".venv", "venv", ".terraform"}


class Discovered:
    __slots__ = ("root", "files", "explicit", "candidates", "links", "problems", "skipped")

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[Path, Optional[InputKind]] = {}  # absolute path -> its kind, None: tell by its content
        self.explicit: set[Path] = set()  # named on the command line
        self.candidates: set[Path] = set()  # found in a walk, claimed by no name: kept if a kind recognises them
        self.links: dict[Path, list[Path]] = {}  # a file's real path -> the symlinks the walk found to it
        self.problems: list[Problem] = []
        # what was left out, where telling why costs nothing (`--show-files`): folders a walk does not enter,
        # files a kind would read that are excluded or ignored, named files --force-exclude drops
        self.skipped: dict[Path, str] = {}


def discover(paths: list[Path], root: Path, display: Callable[[Path], str],
             exclude: Callable[[Path], bool], force_exclude: bool = False) -> Discovered:
    """The files under `paths`. A file named explicitly is linted whatever its name, even one the configuration
    excludes, as ruff does; with `force_exclude`, only when a directory walk would lint it (pre-commit names
    every changed file, and only those belong to the linter)."""
    found = Discovered(root)
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if force_exclude:
            left_out = _why_a_walk_leaves_out(absolute, exclude)
            if left_out is not None:
                found.skipped[absolute] = f"{left_out} (--force-exclude)"
                continue
        try:
            info = os.stat(absolute)
        except OSError as error:
            found.problems.append(Problem(INVALID, f"cannot read path: {error.strerror}",
                                          Span.point(display(absolute), 1)))
            continue
        if not is_inside(absolute, root):
            # named, or a link named, that leads out of the root (`--root .`): neither read nor walked
            found.problems.append(Problem(NOT_FOLLOWED, f"not followed: {absolute.name} is outside the scanned root",
                                          Span.point(display(absolute), 1)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(absolute, found, display, exclude)
        elif force_exclude:
            found.files[absolute] = kind_of_path(absolute)
            if found.files[absolute] is None:
                found.candidates.add(absolute)
        else:
            # named explicitly: linted whatever its name; the reader reports what is not a regular file
            found.files[absolute] = kind_of_path(absolute)
            found.explicit.add(absolute)
    return found


def _why_a_walk_leaves_out(path: Path, exclude: Callable[[Path], bool]) -> Optional[str]:
    """Why a walk would not lint the file (git aside), or None if it would: excluded, below a folder walks skip or
    (for a file no name claims) test data, or neither claimed by its name nor worth reading to be recognised."""
    if exclude(path) or any(exclude(folder) for folder in path.parents):
        return "excluded by `exclude`"
    folders = path.parent.parts
    if any(folder in _SKIPPED_DIRS for folder in folders):
        return "in a folder walks skip"
    if kind_of_path(path) is not None:
        return None
    if not is_candidate(path):
        return "not a kind of file the linter reads"
    if any(_TEST_DATA.search(folder) for folder in folders):
        return "test data, and not named like a Compose file"
    return None


def _walk(top: Path, found: Discovered, display: Callable[[Path], str], exclude: Callable[[Path], bool]) -> None:
    repository = find_repository(top)
    rules: Optional[IgnoreRules] = None
    if repository is not None:
        rules = IgnoreRules.for_repository(repository)
        # the .gitignore files between the repository's top and the scanned directory apply too
        for directory in reversed([top, *top.parents]):
            if directory == repository or repository in directory.parents:
                rules = rules.child(directory)
    stack: list[tuple[Path, Optional[IgnoreRules], bool]] = [(top, rules, False)]
    while stack:
        directory, directory_rules, test_data = stack.pop()
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
                if entry.name in _SKIPPED_DIRS:
                    if entry.name not in _VCS_DIRS:
                        found.skipped[path] = "other people's code, a cache or a tool's folder"
                elif exists(path / "pyvenv.cfg"):
                    found.skipped[path] = "a virtualenv"
                elif exclude(path):
                    found.skipped[path] = "excluded by `exclude`"
                elif directory_rules is not None and directory_rules.ignored(path, True):
                    found.skipped[path] = "ignored by git"
                else:
                    subdirectories.append(path)
                continue
            path = Path(entry.path)
            kind = kind_of_path(path)
            if not is_file or (kind is None and (test_data or not is_candidate(path))):
                continue
            if directory_rules is not None and directory_rules.ignored(path, False):
                found.skipped[path] = "ignored by git"
                continue
            if exclude(path):
                found.skipped[path] = "excluded by `exclude`"
                continue
            if entry.is_symlink():
                # linted once, at the real path, wherever the walk meets it
                if not is_inside(path, found.root):
                    found.skipped[path] = "a link out of the scanned root"
                    continue
                real = Path(os.path.realpath(path))
                found.links.setdefault(real, []).append(path)
                path = real
            found.files[path] = kind
            if kind is None:
                found.candidates.add(path)
        for subdirectory in reversed(subdirectories):
            stack.append((subdirectory, directory_rules.child(subdirectory) if directory_rules else None,
                          test_data or bool(_TEST_DATA.search(subdirectory.name))))
    # the limits a hostile repository made the ignore rules reach: the walk is not quite git's
    for path, line, message in rules.problems if rules is not None else ():
        found.problems.append(Problem(INVALID, message, Span.point(display(path), line)))

