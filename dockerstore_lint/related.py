"""The files a lint of a few named files also reads, and which findings concern the named files.

pre-commit names only the files that changed, maybe split over several processes, and an editor
lints one buffer; cross-file rules still need the rest of the Compose project: a Compose file is
judged with the other Compose files of its directory (its override, or its base), a Dockerfile with
the Compose projects that build it (found in its directory and those above it, up to the root). Those
files are read from disk (or from the buffers provided for them), and only findings that concern
the named files are reported: the ones located in them, and the cross-file ones that point into
them (a bind mount in compose.yaml hiding what a `RUN npm ci` of the changed Dockerfile installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from dockerstore_lint.discovery import COMPOSE, DOCKERFILE, kind_by_name
from dockerstore_lint.loader import WorkspaceLoader
from dockerstore_lint.rule import Finding


def related_files(loader: WorkspaceLoader, files: list[Path]) -> list[Path]:
    """The files to load besides `files` (all explicitly named), in a stable order, none of `files`."""
    named = [Path(os.path.abspath(path)) for path in files]
    wanted: dict[Path, None] = {}
    for path in named:
        if kind_by_name(path.name) == COMPOSE:
            wanted.update(dict.fromkeys(_project_partners(path, loader)))
    dockerfiles = [path for path in named if kind_by_name(path.name) == DOCKERFILE]
    wanted.update(dict.fromkeys(_compose_files_building(dockerfiles, loader)))
    return [path for path in wanted if path not in named]


def concerns(finding: Finding, files: set[str]) -> bool:
    """Whether a finding is located in one of `files` (display paths) or points into one."""
    return finding.span.file in files or any(related.span.file in files for related in finding.related)


def _project_partners(path: Path, loader: WorkspaceLoader) -> list[Path]:
    """The other Compose files of the directory: the workspace merges a default file with its override
    (so a changed `compose.override.yaml` is judged merged into its base), and rules judge the files of
    one directory together (`docker-compose.prod.yml` may declare what `docker-compose.yml` mounts)."""
    return _compose_files_in(path.parent, loader)


def _compose_files_building(dockerfiles: list[Path], loader: WorkspaceLoader) -> list[Path]:
    """The Compose files, in the Dockerfiles' directories and their parents up to the root, whose project
    has a service whose `build` uses one of the Dockerfiles."""
    candidates = list(dict.fromkeys(path for dockerfile in dockerfiles
                                    for directory in _directories_up_to(dockerfile.parent, loader.root)
                                    for path in _compose_files_in(directory, loader)))
    if not candidates:
        return []
    targets = {os.path.realpath(dockerfile) for dockerfile in dockerfiles}
    by_display = {loader.display(path): path for path in candidates}
    building = []
    # every candidate is built once, however many of the Dockerfiles it is a candidate for
    for project in loader.load(candidates).projects:
        if any(service.build is not None and service.build.dockerfile is not None
               and os.path.realpath(service.build.dockerfile) in targets for service in project.services.values()):
            # the project's other files (an override) come with its main file
            building.extend(by_display[file] for file in project.files[:1] if file in by_display)
    return building


def _directories_up_to(start: Path, root: Path) -> list[Path]:
    real = Path(os.path.realpath(start))
    if real != root and root not in real.parents:
        return [real]  # a Dockerfile outside the root: only its own directory
    return [real, *(parent for parent in real.parents if parent == root or root in parent.parents)]


def _compose_files_in(directory: Path, loader: WorkspaceLoader) -> list[Path]:
    try:
        names = sorted(entry.name for entry in os.scandir(directory) if entry.is_file())
    except OSError:
        return []
    return [directory / name for name in names
            if kind_by_name(name) == COMPOSE and not loader.exclude(directory / name)]
