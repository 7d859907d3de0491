"""Discovered files -> the `Workspace` model: each input kind loads its files, every file read and parsed once.

This is the only place that reads files (through one cache), so each file is read and parsed once
however many groups refer to it; a Dockerfile built by several Compose projects is parsed once.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple, Optional

from dockerstore_lint.discovery import discover
from dockerstore_lint.gitignore import IgnoreLookup
from dockerstore_lint.inputs import fallback_kind, kind_of_content, kind_of_path, kinds
from dockerstore_lint.inputs.compose.variables import ShellVariables
from dockerstore_lint.inputs.kind import RECOGNISE_BYTES, InputKind
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import is_file, is_inside
from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.text.comments import HASH_OWN_LINE, CommentSyntax
from dockerstore_lint.text.sources import DEFAULT_MAX_BYTES, Source, decode_limited, read_head, read_source

if TYPE_CHECKING:
    from dockerstore_lint.config import Config
    from dockerstore_lint.text.yaml_nodes import YamlLoader, YScalar


class Options(NamedTuple):
    max_bytes: int = DEFAULT_MAX_BYTES
    # variables given explicitly (`--env`, `--env-file`, `env:`): Compose's shell environment, see
    # `inputs.compose.variables`; this process's own environment is not read...
    environ: Optional[Mapping[str, str]] = None
    yaml_loader: Optional[YamlLoader] = None  # tests pin the pure-Python or the C loader
    process_environ: Optional[Mapping[str, str]] = None  # ...unless given here (`--env-from-process`)

    @classmethod
    def from_config(cls, config: Config) -> "Options":
        """What a configuration (with the command line applied) says: size cap, variables, environment."""
        return cls(max_bytes=config.max_file_size, environ=config.env,
                   process_environ=dict(os.environ) if config.env_from_process else None)


def choose_root(paths: list[Path], cwd: Path) -> Path:
    """The current directory when it holds every path, else the deepest directory that does.

    From the paths as given: a named symlink's target does not widen the root (the parent of
    `/etc/x` and of the project is `/`); it is reported as outside the root instead.
    """
    absolute = [Path(os.path.normpath(os.path.join(cwd, p))) for p in paths]
    if all(p == cwd or cwd in p.parents for p in absolute):
        return Path(os.path.realpath(cwd))
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
                 exclude: Callable[[Path], bool] = lambda path: False,
                 throwaway: Callable[[Path], bool] = lambda path: False):
        self.root = Path(os.path.realpath(root))
        self.cwd = cwd
        self.options = options
        self.shell = ShellVariables(options.environ, options.process_environ)
        self.exclude = exclude
        self.throwaway = throwaway  # whether a file's containers are a test's or CI's
        self._sources: dict[Path, tuple[Optional[Source], Optional[Problem]]] = {}
        self._lines: dict[Path, list[str]] = {}  # split once: every finding's fix, report and directive asks
        self._by_display: dict[str, Path] = {}
        self._provided: dict[Path, bytes] = {}
        self._provided_kinds: dict[Path, InputKind] = {}
        self._dockerfiles: dict[Path, Dockerfile] = {}
        self._used: set[Path] = set()  # the Dockerfiles the current `load` needs, of all those cached
        self._kinds: dict[Path, InputKind] = {}  # what each file linted was read as, for its comments
        self._ignore_lookup: Optional[IgnoreLookup] = None
        self._taken: set[Path] = set()  # the files the current `load` took
        self._named: set[Path] = set()  # of those, the ones it was given by name

    def provide(self, path: Path, data: bytes, kind: Optional[InputKind] = None) -> None:
        """Content to use for `path` instead of the disk (an editor's unsaved buffer, stdin); `kind`, what it is
        when its name does not say (an editor's language id)."""
        key = Path(os.path.abspath(path))
        if self._provided.get(key) != data or self._provided_kinds.get(key) is not kind:
            self.forget(key)
            self._provided[key] = data
            if kind is not None:
                self._provided_kinds[key] = kind

    def forget(self, path: Path) -> None:
        """Drop what was read and parsed of `path`, and its provided content: the next use reads the disk."""
        key = Path(os.path.abspath(path))
        self._provided.pop(key, None)
        self._provided_kinds.pop(key, None)
        self._sources.pop(key, None)
        self._lines.pop(key, None)
        self._by_display.pop(self.display(key), None)
        from dockerstore_lint.inputs.dockerfile.beside import reads_beside

        stale = [path for path, model in self._dockerfiles.items() if path == key or reads_beside(model, key)]
        for dockerfile in stale:
            del self._dockerfiles[dockerfile]

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

    def path_of(self, file: str) -> Optional[Path]:
        """The file read under a display path, if one was."""
        return self._by_display.get(file)

    def lines_of(self, file: str) -> tuple[list[str], CommentSyntax]:
        """A file's lines (empty if unread) and how it writes comments, for the directives that suppress findings."""
        key = self._by_display.get(file)
        if key is None:
            return [], HASH_OWN_LINE
        if key not in self._lines:
            source = self._sources[key][0]
            self._lines[key] = source.lines if source else []
        kind = self._kinds.get(key)
        return self._lines[key], kind.comments if kind is not None else HASH_OWN_LINE

    def git_ignored(self, path: Path) -> bool:
        """Whether git ignores a path of the repository that need not exist."""
        if self._ignore_lookup is None:
            self._ignore_lookup = IgnoreLookup(self.root)
        return self._ignore_lookup.ignored(path)

    def files_in(self, directory: Path, kind: InputKind) -> list[Path]:
        """The files of `kind` in `directory` (not below it) that the configuration does not exclude."""
        try:
            names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
        except OSError:
            return []
        paths = [directory / name for name in names]
        return [path for path in paths if kind.claims(path) and not self.exclude(path)]

    def _head(self, path: Path) -> bytes:
        """The start of a file, to recognise its kind: the buffer provided for it, or the disk."""
        key = Path(os.path.abspath(path))
        if key in self._provided:
            return self._provided[key][:RECOGNISE_BYTES]
        return read_head(key, RECOGNISE_BYTES)

    def named(self, path: Path) -> bool:
        """Whether the last `load` was given `path` itself, rather than finding it in a directory."""
        return path in self._named

    def linted(self) -> dict[Path, InputKind]:
        """The files the last `load` took, and what it read each as."""
        return {path: kind for path, kind in self._kinds.items() if path in self._taken}

    def provided(self) -> set[Path]:
        """The paths whose content was provided (editor buffers, standard input) rather than read from disk."""
        return set(self._provided)

    def files_seen(self) -> int:
        return len(self._sources)

    def dockerfile(self, path: Path) -> Optional[Dockerfile]:
        key = Path(os.path.abspath(path))
        self._used.add(key)
        if key not in self._dockerfiles:
            source, problem = self.read(key)
            if source is None:
                return None
            from dockerstore_lint.inputs.dockerfile.beside import builds_plugin, stepping_down_scripts
            from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile

            dockerfile = parse_dockerfile(source)
            self._dockerfiles[key] = dockerfile._replace(plugin=builds_plugin(key, self.root),
                                                         steps_down=stepping_down_scripts(dockerfile, self.root))
            self._kinds.setdefault(key, _dockerfile_kind())
        return self._dockerfiles[key]

    def load(self, paths: list[Path], force_exclude: bool = False) -> Workspace:
        self._used = set()
        virtual = [Path(os.path.abspath(p)) for p in paths if Path(os.path.abspath(p)) in self._provided]
        found = discover([p for p in paths if Path(os.path.abspath(p)) not in virtual], self.root, self.display,
                         self.exclude, force_exclude)
        for path in virtual:
            found.files[path] = self._provided_kinds.get(path) or kind_of_path(path)
            found.explicit.add(path)
        problems = list(found.problems)
        self._taken = set()
        self._named = found.explicit
        by_kind: dict[str, list[Path]] = {}
        for path, kind in sorted(found.files.items()):
            if path in found.candidates:
                kind = kind_of_content(self._head(path), path)
                if kind is None:
                    continue
            elif kind is None:
                source, problem = self.read(path)
                if source is None:
                    if problem is not None:
                        problems.append(problem)
                    continue
                kind = kind_of_content(source.data[:RECOGNISE_BYTES] or source.text.encode()) or fallback_kind()
            if path not in found.explicit:
                source = self.read(path)[0]
                if source is not None and kind.template(source.text):
                    continue
            self._kinds[path] = kind
            self._taken.add(path)
            by_kind.setdefault(kind.name, []).append(path)
        groups: list[Group] = []
        for kind in kinds():
            if kind.name in by_kind:
                loaded = kind.load(by_kind[kind.name], self)
                groups.extend(loaded.groups)
                problems.extend(loaded.problems)
        dockerfiles = tuple(parsed for key, parsed in self._dockerfiles.items() if key in self._used)
        return Workspace(self.root, dockerfiles, tuple(groups), tuple(problems))

    def build_dockerfile(self, context: Path, dockerfile: Optional[Path], inline: Optional[YScalar],
                         span: Span) -> Optional[Dockerfile]:
        """The Dockerfile a build uses, parsed: a file of the repository, or text inline in a Compose file."""
        if inline is not None:
            from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile

            # padded so that lines in the inline text keep their line numbers in the Compose file
            first_line = inline.span.line + (0 if inline.plain or inline.span.line == inline.span.end_line else 1)
            text = "\n" * (first_line - 1) + inline.value
            path = Path(os.path.abspath(span.file))
            return parse_dockerfile(Source(path, span.file, text))
        if dockerfile is None or not is_inside(dockerfile, self.root) or not is_file(dockerfile):
            return None
        return self.dockerfile(dockerfile)


def _dockerfile_kind() -> InputKind:
    from dockerstore_lint.inputs import kind_named

    kind = kind_named("dockerfile")
    assert kind is not None
    return kind
