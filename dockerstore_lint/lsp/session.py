"""What the language server keeps between edits: one loader per root, open buffers, configuration.

An edit re-reads and re-parses only the edited buffer: every other file stays parsed in the loader's
cache until it changes on disk (seen from its size, time and inode before each lint, or told by the
editor), and the Compose projects that include the buffer are rebuilt from those parses. Open buffers
stand in for their files, in the buffer's own project and in every other one. A buffer is of the input
kind its name says, else of the one its editor's language id names; an unsaved new buffer has no name,
and is taken to be in the root.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

from dockerstore_lint.config import CONFIG_FILES, Config, ConfigError, find_config, load_config
from dockerstore_lint.engine import lint
from dockerstore_lint.finding import Finding
from dockerstore_lint.gitignore import find_repository
from dockerstore_lint.inputs import kind_of_language, kind_of_path
from dockerstore_lint.inputs.kind import InputKind
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.related import related_files
from dockerstore_lint.run import hidden
from dockerstore_lint.text.comments import CommentSyntax

if TYPE_CHECKING:
    from dockerstore_lint.model.span import Problem
    from dockerstore_lint.text.sources import Source

# a file's size, modification time and inode, which change when it does; None when it cannot be read
Stamp = Optional[tuple[int, int, int]]


class EditorLoader(WorkspaceLoader):
    """A loader that lives as long as the session: files on disk are read again once they change."""

    def __init__(self, root: Path, cwd: Path, options: Options, config: Config):
        super().__init__(root, cwd, options, exclude=config.excluded, throwaway=config.is_throwaway)
        self._stamps: dict[Path, Stamp] = {}

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


class Buffer(NamedTuple):
    """An open document, as the editor last gave it."""

    data: bytes
    kind: InputKind
    version: Optional[int] = None
    uri: Optional[str] = None  # as the editor wrote it


@dataclass
class Linted:
    """One document's lint: its findings and the files its verdict depended on (display paths)."""

    findings: list[Finding]
    file: str
    depends_on: set[str]
    # the loader's lines of a file and how it writes comments, for positions and suppressions in it
    lines_of: Callable[[str], tuple[list[str], CommentSyntax]]
    newline_of: Callable[[str], str]  # the line ending most of a file's lines use, for text inserted in it
    buffer_of: Callable[[str], Optional[Buffer]]  # the open buffer read for a file, if one was


@dataclass
class _Root:
    config_stamp: tuple[Optional[Path], Stamp, Optional[str]]  # the configuration file, its stamp, its error
    config: Config
    loader: EditorLoader
    config_error: Optional[str] = None


class Session:
    def __init__(self, cwd: Path, folders: list[Path]):
        self.cwd = cwd
        # the deepest folder holding a document is its root
        self.folders = sorted((Path(os.path.realpath(f)) for f in folders), key=lambda f: len(f.parts), reverse=True)
        self.buffers: dict[Path, Buffer] = {}
        self._roots: dict[Path, _Root] = {}

    def untitled(self, name: str) -> Path:
        """Where an unsaved new buffer is taken to be: in the root, so that its relative paths are read from
        there as `check -` reads them from the current directory, under a name no project file has."""
        return self.cwd / ("untitled:" + re.sub(r"[/\\\0]", "_", name))

    def update(self, path: Path, text: str, language: str = "", version: Optional[int] = None,
               uri: Optional[str] = None) -> None:
        """The editor's buffer for `path` (opened, changed or saved), which must be `lintable`."""
        # a lone surrogate (an edit that split a UTF-16 pair) is no character: read as U+FFFD, which keeps
        # the columns of what follows it
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")
        kind = document_kind(path, language)
        assert kind is not None, "only a lintable buffer is given"
        self.buffers[path] = Buffer(data, kind, version, uri)
        for root in self._roots.values():
            root.loader.provide(path, data, kind)

    def close(self, path: Path) -> None:
        """The buffer is gone: the file on disk counts again."""
        self.buffers.pop(path, None)
        for root in self._roots.values():
            root.loader.forget(path)

    def changed_on_disk(self, paths: list[Path]) -> None:
        """Files the editor saw change on disk: read again, a configuration file with its whole root (even when
        the change kept the size and time that a lint compares)."""
        for path in paths:
            if path.name in (*CONFIG_FILES, "pyproject.toml"):
                self._roots.clear()
                return
        for path in paths:
            if path not in self.buffers:  # an open buffer stands in for its file
                for root in self._roots.values():
                    root.loader.forget(path)

    @staticmethod
    def lintable(path: Path, language: str) -> bool:
        return document_kind(path, language) is not None

    def lint(self, path: Path) -> tuple[Linted, Optional[str]]:
        """The findings that concern `path`, with the configuration problem there is, if any."""
        root = self._root_for(path)
        loader = root.loader
        file = loader.display(path)
        if root.config.excluded(path):
            return self._linted(loader, [], file, {file}), root.config_error
        loader.refresh()
        paths = [path, *related_files(loader, [path])]
        workspace = loader.load(paths)
        findings = [f for f in lint(workspace, root.config, loader.lines_of, {file}) if f.suppressed is None]
        if loader.shell.taken:
            findings = [hidden(finding, loader.shell.hide) for finding in findings]
        depends_on = {file, *(d.file for d in workspace.dockerfiles),
                      *(name for group in workspace.groups for name in group.files)}
        return self._linted(loader, findings, file, depends_on), root.config_error

    def fix_all(self, path: Path) -> Optional[tuple[str, str]]:
        """The buffer's text, and that text with every safe fix made in it, as `check --fix` makes them: over
        rounds, so that fixes whose edits overlap are all made; None when there is nothing to fix. Fixes that
        would edit another file are left out. The buffer itself is left as it was."""
        from dockerstore_lint.fixes.apply import Fixable, fix_rounds

        buffer = self.buffers.get(path)
        root = self._root_for(path)
        loader = root.loader
        if buffer is None or root.config.excluded(path):
            return None
        file = loader.display(path)
        loader.refresh()
        paths = [path, *related_files(loader, [path])]

        def lint_again() -> tuple[Workspace, list[Finding]]:
            workspace = loader.load(paths)
            return workspace, lint(workspace, root.config, loader.lines_of, {file})

        try:
            outcome = fix_rounds(lint_again(), lint_again, lambda p: loader.read(p)[0],
                                 lambda p, data: loader.provide(p, data, buffer.kind),
                                 Fixable(False, lambda f: path if f == file else None, loader.root))
        finally:
            loader.provide(path, buffer.data, buffer.kind)
        if path not in outcome.fixed:
            return None
        return buffer.data.decode("utf-8"), outcome.fixed[path].decode("utf-8")

    def _linted(self, loader: WorkspaceLoader, findings: list[Finding], file: str, depends_on: set[str]) -> Linted:
        def newline_of(name: str) -> str:
            at = loader.path_of(name)
            source = loader.read(at)[0] if at is not None else None
            return source.newline if source is not None else "\n"

        def buffer_of(name: str) -> Optional[Buffer]:
            at = loader.path_of(name)
            return self.buffers.get(at) if at is not None else None

        return Linted(findings, file, depends_on, loader.lines_of, newline_of, buffer_of)

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
        # the configuration's variables (`env:`); the process environment only with `env-from-process`
        loader = EditorLoader(top, self.cwd, Options.from_config(config), config)
        for buffer_path, buffer in self.buffers.items():
            loader.provide(buffer_path, buffer.data, buffer.kind)
        self._roots[top] = _Root(stamp, config, loader, error)
        return self._roots[top]


def document_kind(path: Path, language: str) -> Optional[InputKind]:
    """What an open document is: what its name says, as for a file found on disk (whatever its language: `yaml`
    for compose.yaml), else what its editor's language id says (`dockercompose` for stack.yml)."""
    return kind_of_path(path) or kind_of_language(language)


def _stamp(path: Path) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino

