"""Compose files as an input kind: their names, how they group into projects, and their partner files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.host_paths import is_file
from dockerstore_lint.text.comments import HASH

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader

_NAME = re.compile(r"^(?:docker-)?compose(?:\.[^/]+)?\.ya?ml$")
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

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        from dockerstore_lint.inputs.compose.project import ComposeEnvironment, ProjectBuilder

        environment = ComposeEnvironment(
            root=loader.root,
            read=loader.read,
            environ=loader.environ.get,
            dockerfiles=loader.build_dockerfile,
            display=loader.display,
            loader=loader.options.yaml_loader,
        )
        return Loaded(groups=tuple(ProjectBuilder(environment).build(files) for files in group_projects(paths)))

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
