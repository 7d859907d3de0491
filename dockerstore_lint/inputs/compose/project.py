"""Compose files -> a project, the `Group` of its services' containers: `.env`, override files, `include` and
`extends` resolved as Compose does.

References are followed only inside the scanned root and never to remote resources; what is not
followed becomes a DSL004 note saying so, and nothing of the referenced file is read or printed.

Each file a project includes or extends is loaded once for each set of variables it is read with
(a graph where every file includes both files of the next level is linear, not exponential), and
what those files may hold in all is bounded: past it, a DSL001 says the graph is too large.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional, Sequence

from dockerstore_lint.inputs.compose.documents import ComposeDocument, Lookup, load_document
from dockerstore_lint.inputs.compose.merge import merge_documents, merge_service
from dockerstore_lint.inputs.compose.services import DockerfileLookup, ServiceContext, read_service, read_volume
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.group import Group, NamedVolume
from dockerstore_lint.model.host_paths import is_file, is_inside, is_remote, resolve
from dockerstore_lint.model.span import INVALID, NOT_FOLLOWED, Problem, Span
from dockerstore_lint.text.sources import Source
from dockerstore_lint.text.yaml_nodes import YMap, YNode, YScalar, is_null, sequence_items, text_of

if TYPE_CHECKING:
    from dockerstore_lint.text.yaml_nodes import Loaded, YamlLoader

# nested includes and extends deeper than this are not followed
MAX_REFERENCE_DEPTH = 32
# What the files a project includes or extends may hold in all (each counted once per set of variables it
# is read with): the default size cap of one file, and a number of files no real project comes near.
MAX_REFERENCED_CHARACTERS = 5 * 1024 * 1024
MAX_REFERENCED_FILES = 1_000
# what projects ship instead of a `.env` for users to copy, in the order they are looked for: without a
# `.env`, the first one found is read in its place, since their values are the paths a user starts with
DOTENV_STAND_INS = (".env.example", "env.example", ".env.sample", ".env.dist", ".env.template")
# what an included project brings in (not its name, nor its extension fields)
_RESOURCES = ("services", "volumes", "networks", "secrets", "configs", "models")


class ComposeEnvironment(NamedTuple):
    """What a project's interpolation and file access depend on, supplied by the workspace."""

    root: Path
    read: Callable[[Path], tuple[Optional[Source], Optional[Problem]]]  # cached, bounded file reads
    environ: Callable[[str], Optional[str]]
    dockerfiles: Callable[[Path, Optional[Path], Optional[YScalar], Span], Optional[Dockerfile]]
    display: Callable[[Path], str]
    loader: Optional[YamlLoader] = None
    ignored: Optional[Callable[[Path], bool]] = None  # whether git ignores a path of the repository
    parsed: Optional[dict[tuple[Path, Path], Loaded]] = None  # YAML read so far, shared by the run's projects


class ProjectBuilder:
    def __init__(self, env: ComposeEnvironment) -> None:
        self.env = env
        self.problems: list[Problem] = []
        self.referenced: set[Path] = set()  # the files `include` and `extends` brought in
        # memos keyed by the id of the lookup used, each entry holding that lookup so that no other gets its id
        self._lookups: dict[tuple[Path, tuple[Path, ...], int], tuple[Lookup, Lookup]] = {}
        # a lookup made here -> the directory and env files it reads
        self._origins: dict[int, tuple[Path, tuple[Path, ...]]] = {}
        self._includes: dict[tuple[tuple[str, ...], Path, tuple[Path, ...], int], tuple[Lookup, Optional[YMap]]] = {}
        self._extends_trees: dict[tuple[str, int], tuple[Lookup, Optional[YMap]]] = {}
        self._env_file_values: dict[tuple[tuple[Path, ...], int], tuple[Lookup, dict[str, str]]] = {}
        self._indexes: dict[int, tuple[YMap, dict[str, YNode]]] = {}
        self._referenced_files = 0
        self._referenced_characters = 0
        self._too_large = False  # reported

    def build(self, files: list[Path]) -> Group:
        directory = files[0].parent
        # the override file is found by its name beside the main file: a symlink out of the root is not followed
        outside = [path for path in files[1:] if not is_inside(path, self.env.root)]
        for path in outside:
            self._not_followed(Span.point(self.env.display(files[0]), 1),
                               f"override file {path.name} is outside the scanned root")
        files = [path for path in files if path not in outside]
        lookup = self._lookup(directory, (), self.env.environ)
        tree = self._load_files(files, directory, lookup, depth=0, chain=())
        services: dict[str, Container] = {}
        volumes: dict[str, NamedVolume] = {}
        if tree is not None:
            context = ServiceContext(self.env.root, self._dockerfile_lookup(), self._service_env_files(lookup), lookup,
                                     _as_map(tree.get("secrets")), _as_map(tree.get("configs")), self.env.ignored)
            for key, value in _entries(tree, "services", context):
                service = read_service(key, value, context)
                if service is not None:
                    services[key.value] = service
            for key, value in _entries(tree, "volumes", context):
                volume = read_volume(key, value, context)
                if volume is not None:
                    volumes[key.value] = volume
            self.problems.extend(context.problems)
        name = lookup("COMPOSE_PROJECT_NAME") or (text_of(tree.get("name")) if tree is not None else "") \
            or _project_name(directory)
        dotenv = self._project_dotenv(directory)
        main = self.env.display(files[0]) if files else ""
        written = tree.key("volumes") if tree is not None else None  # the top-level `volumes:`
        return Group(f"project '{name}'", "compose", name, directory, tuple(self.env.display(f) for f in files),
                     services, volumes, problems=tuple(self.problems),
                     volumes_key=written.span if written is not None and written.span.file == main else None,
                     dotenv=self.env.display(dotenv) if dotenv is not None else None)

    # --- loading -------------------------------------------------------------------------------

    def _lookup(self, directory: Path, env_files: tuple[Path, ...], first: Lookup) -> Lookup:
        """Variables as Compose finds them: in the shell's environment (for an included project, in the
        including project's variables) first, then in the project's `.env` (or what stands in for it), or
        in the env files an `include` names instead, a later file over an earlier one."""
        if self._origins.get(id(first)) == (directory, env_files):
            # a project including a file of its own directory (with the same env files): the variables are
            # the same, and keeping the same lookup lets the file be loaded once however deep it is included
            return first
        key = (directory, env_files, id(first))
        if key not in self._lookups:
            if env_files:
                values = self._env_files([(path, None) for path in env_files], first)
            else:
                dotenv = self._project_dotenv(directory)
                values = self._env_files([(dotenv, None)], first) if dotenv is not None else {}
            self._lookups[key] = (first, _fallback(first, values))
            self._origins[id(self._lookups[key][1])] = (directory, env_files)
        return self._lookups[key][1]

    def _project_dotenv(self, directory: Path) -> Optional[Path]:
        """The `.env` a project's variables come from: its own, else the first stand-in it ships, if any
        (nothing is looked for in a directory outside the root)."""
        if not is_inside(directory, self.env.root):
            return None
        dotenv = directory / ".env"
        if os.path.lexists(dotenv):
            return dotenv
        return next((directory / name for name in DOTENV_STAND_INS if is_file(directory / name)), None)

    def _env_files(self, files: Sequence[tuple[Path, Optional[Span]]], lookup: Lookup) -> dict[str, str]:
        """The variables of env files read in order: a file's values may use `lookup` and the files before it."""
        values: dict[str, str] = {}
        for path, span in files:
            values.update(self._dotenv(path, _fallback(lookup, values), span))
        return values

    def _service_env_files(self, lookup: Lookup) -> Callable[[list[tuple[Path, Span]]], dict[str, str]]:
        # a missing one is skipped, not reported: it may be optional (`required: false`)
        def read(files: list[tuple[Path, Span]]) -> dict[str, str]:
            present = []
            for path, span in files:
                if not is_inside(path, self.env.root):
                    self._not_followed(span, f"env file {path.name} is outside the scanned root")
                elif is_file(path):
                    present.append((path, span))
            # many services share their env files: each list is read once
            key = (tuple(path for path, _ in present), id(lookup))
            if key not in self._env_file_values:
                self._env_file_values[key] = (lookup, self._env_files(present, lookup))
            return self._env_file_values[key][1]

        return read

    def _dotenv(self, path: Path, lookup: Lookup, span: Optional[Span]) -> dict[str, str]:
        """The variables of one env file; what stops it from being read is reported, at `span` (where it is
        named) or else at the file itself, since the values the project is judged with are then unknown."""
        if not is_inside(path, self.env.root):
            self._not_followed(span or Span.point(self.env.display(path), 1),
                               f"env file {path.name} is outside the scanned root")
            return {}
        source, problem = self.env.read(path)
        if source is None:
            if problem is not None:
                self.problems.append(problem)
            return {}
        from dockerstore_lint.inputs.compose.dotenv import parse_dotenv

        result = parse_dotenv(source.text, lookup)
        for line, column, message in result.problems:
            self.problems.append(Problem(INVALID, f"invalid .env file: {message}",
                                         Span.point(source.file, line, column)))
        return dict(result.values)

    def _load_file(self, path: Path, base: Path, lookup: Lookup, referenced: Optional[Span] = None) -> Optional[YMap]:
        """The interpolated tree of one file; `referenced` is where an `include` or `extends` names it, which
        counts it against what a project may load that way."""
        source, problem = self.env.read(path)
        if source is None:
            if problem is not None:
                self.problems.append(problem)
            return None
        if referenced is not None and not self._charge(len(source.text), referenced):
            return None
        document: ComposeDocument = load_document(source, base, lookup, self.env.loader, self.env.parsed)
        self.problems.extend(document.problems)
        return document.tree

    def _charge(self, characters: int, span: Span) -> bool:
        """Whether one more referenced file may be loaded; once the budget is spent, says so once."""
        self._referenced_files += 1
        self._referenced_characters += characters
        if self._referenced_files <= MAX_REFERENCED_FILES and self._referenced_characters <= MAX_REFERENCED_CHARACTERS:
            return True
        if not self._too_large:
            self._too_large = True
            self.problems.append(Problem(
                INVALID, f"the include graph is too large: the files included and extended would hold more than "
                          f"{MAX_REFERENCED_CHARACTERS:,} characters or {MAX_REFERENCED_FILES:,} files, counting a "
                          "file again for each set of variables it is read with; the rest is not read", span))
        return False

    def _load_files(self, files: list[Path], directory: Path, lookup: Lookup, depth: int,
                    chain: tuple[Path, ...], referenced: Optional[Span] = None) -> Optional[YMap]:
        """Files merged in order (the main file and its override), each with its own includes and extends.

        Compose resolves `extends` file by file, before the merge: a service extends what its own file
        (with what that file includes) defines, and an override file cannot change a parent after the fact.
        """
        merged: Optional[YMap] = None
        for path in files:
            tree = self._load_file(path, directory, lookup, referenced)
            if tree is None:
                continue
            tree = self._resolve_extends(self._include(tree, lookup, depth, chain + (path,)), lookup)
            merged = tree if merged is None else merge_documents(merged, tree)
        return _default_build_contexts(merged, directory) if merged is not None else None

    def _include(self, tree: YMap, lookup: Lookup, depth: int, chain: tuple[Path, ...]) -> YMap:
        """The including file merged over what it includes, and an earlier include over a later one,
        as if each included project were a base file and the including file its override."""
        node = tree.get("include")
        if node is None:
            return tree
        tree = YMap([(k, v) for k, v in tree.pairs if k.value != "include"], tree.span, tree.base)
        for item in sequence_items(node):
            paths_node = item.get("path") if isinstance(item, YMap) else item
            entries = [p for p in sequence_items(paths_node) if isinstance(p, YScalar) and p.value]
            if not entries:
                continue
            if any(is_remote(p.value) for p in entries):
                self._not_followed(entries[0].span, f"remote include {entries[0].value} is not fetched")
                continue
            files = [resolve(p.base, p.value) for p in entries]
            self.referenced.update(files)
            if not all(is_inside(f, self.env.root) for f in files):
                self._not_followed(entries[0].span, "included file is outside the scanned root")
                continue
            if any(f in chain for f in files):
                self.problems.append(Problem(INVALID, "include cycle: "
                                             + " -> ".join(f.name for f in chain + (files[0],)), entries[0].span))
                continue
            if depth >= MAX_REFERENCE_DEPTH:
                self.problems.append(Problem(INVALID, f"includes nested more than {MAX_REFERENCE_DEPTH} levels deep: "
                                                       f"{files[0].name} is not read", entries[0].span))
                continue
            project_dir_node = item.get("project_directory") if isinstance(item, YMap) else None
            directory = resolve(entries[0].base, text_of(project_dir_node)) if text_of(project_dir_node) \
                else files[0].parent
            env_node = item.get("env_file") if isinstance(item, YMap) else None
            env_files = tuple(resolve(e.base, e.value) for e in sequence_items(env_node)
                              if isinstance(e, YScalar) and e.value)
            included = self._included(files, directory, env_files, lookup, depth + 1, chain, entries[0].span)
            if included is not None:
                resources = [(k, v) for k, v in included.pairs if k.value in _RESOURCES]
                tree = merge_documents(YMap(resources, tree.span, tree.base), tree)
        return tree

    def _included(self, files: list[Path], directory: Path, env_files: tuple[Path, ...], lookup: Lookup, depth: int,
                  chain: tuple[Path, ...], span: Span) -> Optional[YMap]:
        """An included project's tree, resolved once for each set of variables it is included with."""
        key = (tuple(_real(f) for f in files), directory, env_files, id(lookup))
        if key not in self._includes:
            inner = self._lookup(directory, env_files, lookup)
            self._includes[key] = (lookup, self._load_files(files, directory, inner, depth, chain, span))
        return self._includes[key][1]

    # --- extends -------------------------------------------------------------------------------

    def _resolve_extends(self, tree: YMap, lookup: Lookup) -> YMap:
        services = tree.get("services")
        if not isinstance(services, YMap):
            return tree
        resolved = []
        for key, value in services.pairs:
            resolved.append((key, self._extended(key.value, value, services, lookup, ())))
        return _with(tree, "services", YMap(resolved, services.span, services.base))

    def _extended(self, name: str, service: YNode, siblings: YMap, lookup: Lookup,
                  chain: tuple[tuple[str, str], ...]) -> YNode:
        if not isinstance(service, YMap):
            return service
        extends = service.get("extends")
        if extends is None:
            return service
        own = YMap([(k, v) for k, v in service.pairs if k.value != "extends"], service.span, service.base)
        if isinstance(extends, YScalar):
            parent_name, file_node = extends.value, None
        elif isinstance(extends, YMap):
            parent_name, file_node = text_of(extends.get("service")), extends.get("file")
        else:
            return own
        pool = siblings
        where = str(siblings.span.file)
        if isinstance(file_node, YScalar) and file_node.value:
            path = resolve(file_node.base, file_node.value)
            self.referenced.add(path)
            if is_remote(file_node.value) or not is_inside(path, self.env.root):
                self._not_followed(file_node.span, f"extends file {file_node.value} is outside the scanned root")
                return own
            other = self._extends_file(path, lookup, file_node.span)
            if other is None:
                if not self._too_large:
                    self.problems.append(Problem(INVALID, f"extends: cannot read {file_node.value}", file_node.span))
                return own
            other_services = other.get("services")
            if not isinstance(other_services, YMap):
                return own
            pool, where = other_services, str(path)
        link = (where, parent_name)
        if link in chain:
            self.problems.append(Problem(INVALID, f"extends cycle through service '{parent_name}'", extends.span))
            return own
        if len(chain) >= MAX_REFERENCE_DEPTH:
            self.problems.append(Problem(INVALID, f"extends nested more than {MAX_REFERENCE_DEPTH} levels deep: "
                                                   f"service '{parent_name}' is not read", extends.span))
            return own
        parent = self._service_named(pool, parent_name)
        if parent is None:
            self.problems.append(Problem(INVALID, f"extends: service '{parent_name}' not found", extends.span))
            return own
        parent = self._extended(parent_name, parent, pool, lookup, chain + (link,))
        return merge_service(parent, own)

    def _extends_file(self, path: Path, lookup: Lookup, span: Span) -> Optional[YMap]:
        """The tree of a file services extend, loaded once for the variables of a project however many
        services extend it, by whatever path."""
        key = (_real(path), id(lookup))
        if key not in self._extends_trees:
            tree = self._load_file(path, path.parent, lookup, span) if is_file(path) else None
            self._extends_trees[key] = (lookup, tree)
        return self._extends_trees[key][1]

    def _service_named(self, pool: YMap, name: str) -> Optional[YNode]:
        """`pool.get(name)` through an index: a chain of thousands of extends looks up as many names.
        The index keeps its pool alive, so that no other mapping gets its id."""
        if id(pool) not in self._indexes:
            index: dict[str, YNode] = {}
            for key, value in pool.pairs:
                index.setdefault(key.value, value)
            self._indexes[id(pool)] = (pool, index)
        return self._indexes[id(pool)][1].get(name)

    # --- helpers -------------------------------------------------------------------------------

    def _dockerfile_lookup(self) -> DockerfileLookup:
        def lookup(context: Path, dockerfile: Optional[Path], inline: Optional[YScalar],
                   span: Span) -> Optional[Dockerfile]:
            if inline is None and (dockerfile is None or not is_inside(dockerfile, self.env.root)):
                if dockerfile is not None:
                    self._not_followed(span, "the build's Dockerfile is outside the scanned root")
                return None
            return self.env.dockerfiles(context, dockerfile, inline, span)

        return lookup

    def _not_followed(self, span: Optional[Span], message: str) -> None:
        if span is not None:
            self.problems.append(Problem(NOT_FOLLOWED, f"not followed: {message}", span))


def _as_map(node: Optional[YNode]) -> Optional[YMap]:
    return node if isinstance(node, YMap) else None


def _entries(tree: YMap, key: str, context: ServiceContext) -> list[tuple[YScalar, YNode]]:
    """The entries of a top-level mapping (`services`, `volumes`); anything else there is reported."""
    node = tree.get(key)
    if node is not None and not is_null(node) and not isinstance(node, YMap):
        context.invalid(node, f"`{key}` must be a mapping")
    return list(node.pairs) if isinstance(node, YMap) else []


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _fallback(first: Lookup, values: dict[str, str]) -> Lookup:
    """`first`, and `values` for what it does not have."""

    def lookup(name: str) -> Optional[str]:
        value = first(name)
        return value if value is not None else values.get(name)

    return lookup


def _with(node: YMap, key: str, value: YNode) -> YMap:
    """`node` with the value of `key` replaced."""
    return YMap([(k, value if k.value == key else v) for k, v in node.pairs], node.span, node.base)


def _default_build_contexts(tree: YMap, directory: Path) -> YMap:
    """A build that names no context builds the project's directory: Compose fills it in once a project,
    or an included one, is loaded, so it is never the directory of a file that a service extends."""
    services = tree.get("services")
    if not isinstance(services, YMap):
        return tree
    pairs = []
    for key, service in services.pairs:
        build = service.get("build") if isinstance(service, YMap) else None
        if isinstance(service, YMap) and isinstance(build, YMap) and build.get("context") is None:
            default = (YScalar("context", build.span, directory), YScalar(".", build.span, directory))
            service = _with(service, "build", YMap(build.pairs + [default], build.span, build.base))
        pairs.append((key, service))
    return _with(tree, "services", YMap(pairs, services.span, services.base))


def _project_name(directory: Path) -> str:
    # Compose lower-cases the directory name and keeps only [a-z0-9_-]
    return re.sub(r"[^a-z0-9_-]", "", directory.name.lower()) or "default"
