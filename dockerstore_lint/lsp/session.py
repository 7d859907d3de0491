"""What the language server keeps between edits: one loader per root, open buffers, configuration.

An edit re-reads and re-parses only the edited buffer: every other file stays parsed in the loader's
cache until it changes on disk (seen from its size, time and inode before each lint), and the Compose
projects that include the buffer are rebuilt from those parses. Open buffers stand in for their
files, in the buffer's own project and in every other one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from dockerstore_lint.config import Config, ConfigError, find_config, load_config
from dockerstore_lint.engine import lint
from dockerstore_lint.finding import Finding
from dockerstore_lint.gitignore import find_repository
from dockerstore_lint.inputs import kind_of_path, kinds
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.model.span import Problem
from dockerstore_lint.related import related_files
from dockerstore_lint.text.comments import CommentSyntax
from dockerstore_lint.text.sources import Source


class EditorLoader(WorkspaceLoader):
    """A loader that lives as long as the session: files on disk are read again once they change."""

    def __init__(self, root: Path, cwd: Path, options: Options, config: Config):
        super().__init__(root, cwd, options, exclude=config.excluded, throwaway=config.is_throwaway)
        self._stamps: dict[Path, Optional[tuple[int, int, int]]] = {}

    def read(self, path: Path) -> tuple[Optional[Source], Optional[Problem]]:
        key = Path(os.path.abspath(path))
        if key not in self._stamps and key not in self._provided:
            # taken before reading, so a change while reading is seen next time
            self._stamps[key] = _stamp(key)
        return super().read(key)

    def forget(self, path: Path) -> None:
        self._stamps.pop(Path(os.path.abspath(path)), None)
        super().forget(path)

    def refresh(self) -> None:
        """Forget what changed on disk since it was read."""
        for key, stamp in list(self._stamps.items()):
            if _stamp(key) != stamp:
                self.forget(key)


@dataclass
class Linted:
    """One document's lint: its findings and the files its verdict depended on (display paths)."""

    findings: list[Finding]
    file: str
    depends_on: set[str]
    lines_of: Callable[[str], tuple[list[str], CommentSyntax]]  # the loader's, for positions in those files


@dataclass
class _Root:
    config_stamp: tuple[Optional[Path], Optional[tuple[int, int, int]], Optional[str]]  # the file, its stamp, why not
    config: Config
    loader: EditorLoader
    config_error: Optional[str] = None


class Session:
    def __init__(self, cwd: Path, folders: list[Path]):
        self.cwd = cwd
        # the deepest folder holding a document is its root
        self.folders = sorted((Path(os.path.realpath(f)) for f in folders), key=lambda f: len(f.parts), reverse=True)
        self.buffers: dict[Path, bytes] = {}
        self._roots: dict[Path, _Root] = {}

    def update(self, path: Path, text: str) -> None:
        """The editor's buffer for `path` (opened, changed or saved)."""
        # a lone surrogate (an edit that split a UTF-16 pair) is no character: read as U+FFFD, which keeps
        # the columns of what follows it
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")
        self.buffers[path] = data
        for root in self._roots.values():
            root.loader.provide(path, data)

    def close(self, path: Path) -> None:
        """The buffer is gone: the file on disk counts again."""
        self.buffers.pop(path, None)
        for root in self._roots.values():
            root.loader.forget(path)

    def lintable(self, path: Path, language: str) -> bool:
        return kind_of_path(path) is not None or any(language in kind.language_ids for kind in kinds())

    def lint(self, path: Path) -> tuple[Linted, Optional[str]]:
        """The findings that concern `path`, with the configuration problem there is, if any."""
        root = self._root_for(path)
        loader = root.loader
        file = loader.display(path)
        if root.config.excluded(path):
            return Linted([], file, {file}, loader.lines_of), root.config_error
        loader.refresh()
        paths = [path, *related_files(loader, [path])]
        workspace = loader.load(paths)
        findings = [f for f in lint(workspace, root.config, loader.lines_of, {file}) if f.suppressed is None]
        depends_on = {file, *(d.file for d in workspace.dockerfiles),
                      *(name for group in workspace.groups for name in group.files)}
        return Linted(findings, file, depends_on, loader.lines_of), root.config_error

    def _root_for(self, path: Path) -> _Root:
        real = Path(os.path.realpath(path))
        top = next((f for f in self.folders if f == real.parent or f in real.parents), None) \
            or find_repository(real.parent) or real.parent
        error = None
        try:
            config_path = find_config(top)
        except ConfigError as problem:  # a link out of the repository
            config_path, error = None, str(problem)
        stamp = (config_path, _stamp(config_path) if config_path else None, error)
        known = self._roots.get(top)
        if known is not None and known.config_stamp == stamp:
            return known
        try:
            config = load_config(config_path, top) if config_path else Config(base=top)
        except ConfigError as problem:
            config, error = Config(base=top), str(problem)
        loader = EditorLoader(top, self.cwd, Options(max_bytes=config.max_file_size), config)
        for buffer_path, data in self.buffers.items():
            loader.provide(buffer_path, data)
        self._roots[top] = _Root(stamp, config, loader, error)
        return self._roots[top]


def _stamp(path: Path) -> Optional[tuple[int, int, int]]:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino

