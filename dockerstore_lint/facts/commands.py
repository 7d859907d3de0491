"""What a container's command does to the directory it runs in."""

from __future__ import annotations

import re
from typing import Optional

from dockerstore_lint.model.container import Container
from dockerstore_lint.model.container_paths import ContainerPath, container_path

# Commands that write into the directory they run in: package installs (`vendor/`, `node_modules/`, a
# target folder) and builds and test runners that leave their output next to the sources.
_WRITERS = re.compile(
    r"\b(?:composer\s+(?:install|update|require)|npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?\b"
    r"|pnpm\s+(?:install|i)\b|pip3?\s+install\s[^;&|\n]*(?:-t\b|--target\b)|bundle\s+install|go\s+build"
    r"|cargo\s+build|mvn\s|gradle\s|npx\s+playwright\s+test|cypress\s+run)")


def writes_where_it_runs(container: Container) -> Optional[str]:
    """The part of the container's own command that writes into its working directory, if one plainly does."""
    match = _WRITERS.search(" ".join(container.command))
    return match.group(0).strip() if match else None


def working_directory(container: Container) -> Optional[ContainerPath]:
    """Where the container's command runs: what the container sets, else its built stage's WORKDIR."""
    if container.workdir is not None:
        path = container_path(container.workdir)
    elif container.stage is not None and container.stage.workdir is not None:
        path = container_path(container.stage.workdir.value)
    else:
        return None
    return path if path.absolute and path.resolved else None
