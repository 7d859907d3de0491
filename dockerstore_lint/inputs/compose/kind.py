"""Compose files as an input kind: their names, how they group into projects, and their partner files."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Callable, Optional

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import is_file, is_inside
from dockerstore_lint.model.span import Setting
from dockerstore_lint.text.comments import HASH

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader

_NAME = re.compile(r"^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$")
_YAML = re.compile(r"\.ya?ml$", re.IGNORECASE)
# a top-level `services:` mapping, and in what follows up to the next top-level key, a service's image, build
# or extends: Compose, whatever the file is called (`stack.yml`, `docker-compose-prod.yml`); a Helm chart's
# `services:` with `image: {repository: ...}` mappings is not
_SERVICES = re.compile(rb"^services:[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
_TOP_LEVEL = re.compile(rb"^[^\s#]", re.MULTILINE)
_SERVICE_KEY = re.compile(rb"^[ \t]+(?:image:[ \t]*[^\s#]|build:|extends:)", re.MULTILINE)
# Compose's default file names in the order it looks for them: the first one found is the project's file
DEFAULT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
# the first of these found beside it is merged into it, whatever the default file is called
OVERRIDE_FILES = ("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml",
                  "docker-compose.override.yaml")


class ComposeKind(InputKind):
    name = "compose"
    noun = "Compose file"
    language_ids = ("dockercompose", "yaml.docker-compose", "compose", "docker-compose")
    comments = HASH
    produces = ("container",)

    def claims(self, path: PurePath) -> bool:
        return bool(_NAME.match(path.name))

    def candidate(self, path: PurePath) -> bool:
        return bool(_YAML.search(path.name))

    def recognises(self, head: bytes) -> bool:
        services = _SERVICES.search(head)
        if services is None:
            return False
        end = _TOP_LEVEL.search(head, services.end())
        return _SERVICE_KEY.search(head, services.end(), end.start() if end else len(head)) is not None

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        from dockerstore_lint.inputs.compose.project import ComposeEnvironment, ProjectBuilder

        environment = ComposeEnvironment(
            root=loader.root,
            read=loader.read,
            environ=loader.shell,
            dockerfiles=loader.build_dockerfile,
            display=loader.display,
            loader=loader.options.yaml_loader,
            ignored=loader.git_ignored,
            parsed={},
        )
        built: list[tuple[Path, Group]] = []
        referenced: set[Path] = set()
        for files in group_projects(paths, lambda path: _text(loader, path)):
            builder = ProjectBuilder(environment)
            group = builder.build(files)
            # a project that merges a file of a test's or CI's folder onto another is that test or CI scenario
            if any(loader.throwaway(file) for file in files):
                group = group._replace(containers={key: container._replace(throwaway=True)
                                                   for key, container in group.containers.items()})
            built.append((files[0], group))
            referenced.update(builder.referenced)
        users = _dev_container_users(loader, {main.parent for main, _ in built})
        # a file recognised by its content that another file includes or extends is a part of that project,
        # not one of its own (a Compose file by name is both, as `docker compose` in its folder runs it alone)
        return Loaded(groups=tuple(_as_dev_container(group, main, users) for main, group in built
                                   if self.claims(main) or loader.named(main) or main not in referenced))

    def related(self, paths: list[Path], loader: WorkspaceLoader) -> list[Path]:
        """The other Compose files of each file's directory: the workspace merges a default file with its
        override (so a changed `compose.override.yaml` is judged merged into its base), and rules judge the
        files of one directory together (`docker-compose.prod.yml` may declare what `docker-compose.yml` mounts)."""
        return [partner for path in paths for partner in loader.files_in(path.parent, self)]


def group_projects(compose_files: list[Path], read: Callable[[Path], Optional[str]]) -> list[list[Path]]:
    """The projects `docker compose` makes of the files, each a list of files merged in order:

    - a directory's `COMPOSE_FILE` (its `.env`) names its project's files;
    - otherwise its default file with its override is its project, as `docker compose` without `-f`
      loads them;
    - a file written to be merged onto another (`!override`/`!reset` tags, or services without `image`,
      `build` or `extends`, all of them services of a default file in its folder or one above) is merged
      onto that base, its relative paths taken from the base's folder as `-f base -f overlay` does;
    - every other file is a project of its own.
    """
    found = set(compose_files)
    bases: dict[Path, list[Path]] = {}  # a directory -> its default project's files
    # parents first: a folder's default file may be written to be merged onto one above it (`ci/x/compose.yaml`)
    for directory in sorted({path.parent for path in compose_files}, key=lambda d: len(d.parts)):
        listed = _compose_file_setting(directory, read)
        if listed is not None:
            files = [file for file in listed if file in found or is_file(file)]
        else:
            main = next((directory / name for name in DEFAULT_FILES if directory / name in found), None)
            override = next((directory / name for name in OVERRIDE_FILES if is_file(directory / name)), None) \
                if main is not None else None
            files = [file for file in (main, override) if file is not None]
            if files:
                files = [*_base_of(files[0], bases, read, above=True), *files]
        if files:
            bases[directory] = files
    firsts = {files[-1] if len(files) > 1 and files[0].parent != directory else files[0]: files
              for directory, files in bases.items()}
    claimed = {file for files in bases.values() for file in files if file.parent == files[-1].parent}
    projects: list[list[Path]] = []
    for path in compose_files:
        if path in firsts:
            projects.append(firsts[path])
        elif path not in claimed:
            base = _base_of(path, bases, read)
            projects.append([*base, path] if base else [path])
    return projects


def _compose_file_setting(directory: Path, read: Callable[[Path], Optional[str]]) -> Optional[list[Path]]:
    """The files `COMPOSE_FILE` in the directory's `.env` names, relative to it; None when it names none.
    Both separators are read: `:` (Linux, macOS) and `;` (Windows, and `COMPOSE_PATH_SEPARATOR=;`)."""
    text = read(directory / ".env")
    if text is None or "COMPOSE_FILE" not in text:
        return None
    from dockerstore_lint.inputs.compose.dotenv import parse_dotenv

    values = dict(parse_dotenv(text, lambda name: None).values)
    setting = values.get("COMPOSE_FILE", "")
    separator = values.get("COMPOSE_PATH_SEPARATOR") or (";" if ";" in setting else ":")
    names = [name.strip() for name in setting.split(separator) if name.strip()]
    if not names or any("$" in name or "://" in name for name in names):
        return None
    return [Path(os.path.normpath(directory / name)) for name in names]


# A file's top-level `services:` block, its service names, and what marks it as written to be merged
_SERVICES_BLOCK = re.compile(r"^services:[ \t]*(?:#[^\n]*)?$((?:\n(?:[ \t][^\n]*|#[^\n]*|[ \t]*))*)", re.MULTILINE)
_SERVICE_NAME = re.compile(r"^([ \t]+)([\w.-]+)[ \t]*:", re.MULTILINE)
_MERGE_TAG = re.compile(r"!(?:override|reset)\b")
_INCLUDE = re.compile(r"^include[ \t]*:", re.MULTILINE)
_OWN_IMAGE = re.compile(r"^[ \t]+(?:image|build|extends)[ \t]*:", re.MULTILINE)


def _service_names(text: str) -> list[str]:
    block = _SERVICES_BLOCK.search(text)
    if block is None:
        return []
    names = _SERVICE_NAME.findall(block.group(1))
    indent = min((len(space) for space, _ in names), default=0)
    return [name for space, name in names if len(space) == indent]


def _base_of(path: Path, bases: dict[Path, list[Path]], read: Callable[[Path], Optional[str]],
             above: bool = False) -> list[Path]:
    """The default project a file is written to be merged onto, if it is one: the nearest, in its folder or
    one above it (only above it, for a folder's own default file)."""
    text = read(path)
    if text is None:
        return []
    names = set(_service_names(text))
    if _INCLUDE.search(text):
        return []  # it brings its own base
    block = _SERVICES_BLOCK.search(text)
    tagged = bool(_MERGE_TAG.search(text))
    if not names or not (tagged or (block is not None and _OWN_IMAGE.search(block.group(1)) is None)):
        return []
    for directory in path.parent.parents if above else (path.parent, *path.parent.parents):
        files = bases.get(directory)
        if files is None:
            continue
        offered = {name for file in files for name in _service_names(read(file) or "")}
        # tags that change a base's values only make sense over it; bare services must all complete its own
        if (names & offered) if tagged else (names <= offered):
            return files
    return []


# a dev container that runs in a Compose service: the Compose file, the service, who its editor works as
DevUser = tuple[Path, str, Setting]


def _dev_container_users(loader: WorkspaceLoader, folders: set[Path]) -> list[DevUser]:
    """The Compose services that dev container definitions run in (found in the Compose files' folders and
    the folders above them, up to the root), with the user (`remoteUser`, else `containerUser`) the editor's
    processes, and so the files they write, run as."""
    searched = {folder for start in folders for folder in (start, *start.parents)
                if folder == loader.root or loader.root in folder.parents}
    candidates: list[Path] = []
    for folder in sorted(searched):
        candidates += [folder / ".devcontainer.json", folder / ".devcontainer" / "devcontainer.json"]
        try:
            candidates += sorted(entry / "devcontainer.json" for entry in (folder / ".devcontainer").iterdir()
                                 if entry.is_dir())
        except OSError:
            pass
    found: list[DevUser] = []
    for path in candidates:
        text = _text(loader, path)
        if text is None or "dockerComposeFile" not in text:
            continue
        from dockerstore_lint.inputs.devcontainer import read_devcontainer

        source = loader.read(path)[0]
        dev = read_devcontainer(source).container if source is not None else None
        user = (dev.remote_user or dev.container_user) if dev is not None else None
        if dev is None or user is None or dev.service is None or not user.resolved:
            continue
        for file in dev.compose_files:
            if file.resolved:
                found.append((Path(os.path.normpath(path.parent / file.value)), dev.service.value,
                              Setting(user.value, user.span)))
    return found


def _as_dev_container(group: Group, main: Path, users: list[DevUser]) -> Group:
    """The project a dev container runs in: its service runs the editor's processes as the definition's user."""
    names = {Path(os.path.abspath(file)) for file in group.files}
    for file, service, user in users:
        container = group.containers.get(service)
        if container is not None and (file == main or file in names) and container.user is None:
            containers = dict(group.containers)
            containers[service] = container._replace(user=user)
            group = group._replace(containers=containers)
    return group


def _text(loader: WorkspaceLoader, path: Path) -> Optional[str]:
    """A file of the repository's text, when it is one; a link out of the root is not followed."""
    if path not in loader.provided() and not (is_file(path) and is_inside(path, loader.root)):
        return None
    source = loader.read(path)[0]
    return source.text if source is not None else None
