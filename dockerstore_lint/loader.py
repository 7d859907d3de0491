"""Discovered files -> the `Workspace` model: every Dockerfile parsed once, every Compose project built.

This is the only place that reads files (through one cache), so each file is read and parsed once
however many projects refer to it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Optional

from dockerstore_lint.discovery import (
    COMPOSE,
    DOCKERFILE,
    discover,
    kind_by_content,
    kind_by_name,
)
from dockerstore_lint.inputs.compose.variables import ShellVariables
from dockerstore_lint.model.compose import Project
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.host_paths import is_file, is_inside
from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.text.sources import DEFAULT_MAX_BYTES, Source, decode_limited, read_source


class Options(NamedTuple):
    max_bytes: int = DEFAULT_MAX_BYTES
    # variables given explicitly (`--env`, `--env-file`, `env:`): Compose's shell environment, see
    # `inputs.compose.variables`; this process's own environment is not read...
    environ: Optional[Mapping[str, str]] = None
    yaml_loader: Optional[type] = None  # tests pin the pure-Python or the C loader
    process_environ: Optional[Mapping[str, str]] = None  # ...unless given here (`--env-from-process`)

    @classmethod
    def from_config(cls, config) -> "Options":
        """What a configuration (with the command line applied) says: size cap, variables, environment."""
        return cls(max_bytes=config.max_file_size, environ=config.env,
                   process_environ=dict(os.environ) if config.env_from_process else None)


def choose_root(paths: list[Path], cwd: Path) -> Path:
    """The current directory when it holds every path, else the deepest directory that does."""
    absolute = [Path(os.path.realpath(p)) for p in paths]
    real_cwd = Path(os.path.realpath(cwd))
    if all(p == real_cwd or real_cwd in p.parents for p in absolute):
        return real_cwd
    directories = [p if p.is_dir() else p.parent for p in absolute]
    return Path(os.path.commonpath([str(d) for d in directories]))


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the current directory with `/` separators, absolute when outside it."""
    relative = os.path.relpath(path, cwd)
    if relative.startswith(".."):
        return Path(path).as_posix()
    # relpath's result is already normalised: only the separators may need changing (no Path to build)
    return relative.replace(os.sep, "/")


class WorkspaceLoader:
    def __init__(self, root: Path, cwd: Path, options: Options = Options(),
                 exclude: Callable[[Path], bool] = lambda path: False):
        self.root = Path(os.path.realpath(root))
        self.cwd = cwd
        self.options = options
        self.shell = ShellVariables(options.environ, options.process_environ)
        self.exclude = exclude
        self._sources: dict[Path, tuple[Optional[Source], Optional[Problem]]] = {}
        self._by_display: dict[str, Path] = {}
        self._provided: dict[Path, bytes] = {}
        self._dockerfiles: dict[Path, Dockerfile] = {}
        self._used: set[Path] = set()  # the Dockerfiles the current `load` needs, of all those cached
        self._yaml: set[Path] = set()

    def provide(self, path: Path, data: bytes) -> None:
        """Content to use for `path` instead of the disk (an editor's unsaved buffer, stdin)."""
        key = Path(os.path.abspath(path))
        if self._provided.get(key) != data:
            self.forget(key)
            self._provided[key] = data

    def forget(self, path: Path) -> None:
        """Drop what was read and parsed of `path`, and its provided content: the next use reads the disk."""
        key = Path(os.path.abspath(path))
        self._provided.pop(key, None)
        self._sources.pop(key, None)
        self._by_display.pop(self.display(key), None)
        self._dockerfiles.pop(key, None)

    def display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def read(self, path: Path) -> tuple[Optional[Source], Optional[Problem]]:
        key = Path(os.path.abspath(path))
        if key not in self._sources:
            display = self.display(key)
            self._by_display[display] = key
            if key in self._provided:
                self._sources[key] = decode_limited(self._provided[key], key, display, self.options.max_bytes)
            else:
                self._sources[key] = read_source(key, display, self.options.max_bytes)
        return self._sources[key]

    def lines_of(self, file: str) -> tuple[list[str], bool]:
        """A file's lines (empty if unread) and whether it is YAML, for suppression comments."""
        key = self._by_display.get(file)
        source = self._sources[key][0] if key is not None else None
        return (source.lines if source else []), key in self._yaml

    def files_seen(self) -> int:
        return len(self._sources)

    def dockerfile(self, path: Path) -> Optional[Dockerfile]:
        key = Path(os.path.abspath(path))
        self._used.add(key)
        if key not in self._dockerfiles:
            source, problem = self.read(key)
            if source is None:
                return None
            from dockerstore_lint.inputs.dockerfile import parse_dockerfile

            self._dockerfiles[key] = parse_dockerfile(source)
        return self._dockerfiles[key]

    def load(self, paths: list[Path]) -> Workspace:
        self._used = set()
        virtual = [Path(os.path.abspath(p)) for p in paths if Path(os.path.abspath(p)) in self._provided]
        found = discover([p for p in paths if Path(os.path.abspath(p)) not in virtual], self.root, self.display,
                         self.exclude)
        for path in virtual:
            found.files[path] = kind_by_name(path.name) or ""
            found.explicit.add(path)
        problems = list(found.problems)
        compose_files = []
        for path, kind in sorted(found.files.items()):
            if not kind:
                source, problem = self.read(path)
                if source is None:
                    problems.append(problem)
                    continue
                kind = kind_by_content(source.text)
            if kind == DOCKERFILE:
                if self.dockerfile(path) is None:
                    problems.append(self.read(path)[1])
            elif kind == COMPOSE:
                compose_files.append(path)
                self._yaml.add(path)
        projects = [self._project(files) for files in _group_projects(compose_files)]
        dockerfiles = tuple(parsed for key, parsed in self._dockerfiles.items() if key in self._used)
        return Workspace(self.root, tuple(projects), dockerfiles,
                         tuple(p for p in problems if p is not None))

    def _project(self, files: list[Path]) -> Project:
        from dockerstore_lint.inputs.compose.project import ComposeEnvironment, ProjectBuilder

        environment = ComposeEnvironment(
            root=self.root,
            read=self.read,
            environ=self.shell,
            dockerfiles=self._build_dockerfile,
            display=self.display,
            loader=self.options.yaml_loader,
        )
        return ProjectBuilder(environment).build(files)

    def _build_dockerfile(self, context: Path, dockerfile: Optional[Path], inline, span: Span) -> Optional[Dockerfile]:
        if inline is not None:
            from dockerstore_lint.inputs.dockerfile import parse_dockerfile

            # padded so that lines in the inline text keep their line numbers in the Compose file
            first_line = inline.span.line + (0 if inline.plain or inline.span.line == inline.span.end_line else 1)
            text = "\n" * (first_line - 1) + inline.value
            path = Path(os.path.abspath(span.file))
            return parse_dockerfile(Source(path, span.file, text))
        if dockerfile is None or not is_inside(dockerfile, self.root) or not is_file(dockerfile):
            return None
        return self.dockerfile(dockerfile)


# Compose's default file names in the order it looks for them: the first one found is the project's file
DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
# the first of these found beside it is merged into it, whatever the default file is called
OVERRIDE_FILES = ("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
                  "docker-compose.override.yaml")


def _group_projects(compose_files: list[Path]) -> list[list[Path]]:
    """A directory's default file with its override is one project, as `docker compose` without `-f`
    loads them; every other Compose file is a project of its own."""
    found = set(compose_files)
    groups = []
    claimed: set[Path] = set()
    for path in compose_files:
        if path in claimed:
            continue
        main = next((path.parent / name for name in DEFAULT_FILES if path.parent / name in found), None)
        if path != main:
            groups.append([path])
            continue
        override = next((path.parent / name for name in OVERRIDE_FILES if is_file(path.parent / name)), None)
        if override is None:
            groups.append([path])
            continue
        claimed.add(override)
        groups.append([path, override])
    return [group for group in groups if group[0] not in claimed]
