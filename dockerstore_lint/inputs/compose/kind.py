"""Compose files as an input kind: their names, how they group into projects, and their partner files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import is_file
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
    language_ids = ("dockercompose",)
    comments = HASH
    produces = ("container",)

    def claims(self, name: str) -> bool:
        return bool(_NAME.match(name))

    def candidate(self, name: str) -> bool:
        return bool(_YAML.search(name))

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
            environ=loader.environ.get,
            dockerfiles=loader.build_dockerfile,
            display=loader.display,
            loader=loader.options.yaml_loader,
            ignored=loader.git_ignored,
        )
        built: list[tuple[Path, Group]] = []
        referenced: set[Path] = set()
        for files in group_projects(paths):
            builder = ProjectBuilder(environment)
            group = builder.build(files)
            if loader.throwaway(files[0]):
                group = group._replace(containers={key: container._replace(throwaway=True)
                                                   for key, container in group.containers.items()})
            built.append((files[0], group))
            referenced.update(builder.referenced)
        # a file recognised by its content that another file includes or extends is a part of that project,
        # not one of its own (a Compose file by name is both, as `docker compose` in its folder runs it alone)
        return Loaded(groups=tuple(group for main, group in built
                                   if self.claims(main.name) or main not in referenced))

    def related(self, paths: list[Path], loader: WorkspaceLoader) -> list[Path]:
        """The other Compose files of each file's directory: the workspace merges a default file with its
        override (so a changed `compose.override.yaml` is judged merged into its base), and rules judge the
        files of one directory together (`docker-compose.prod.yml` may declare what `docker-compose.yml` mounts)."""
        return [partner for path in paths for partner in loader.files_in(path.parent, self)]


def group_projects(compose_files: list[Path]) -> list[list[Path]]:
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
