"""The files a lint of a few named files also reads, and which findings concern the named files.

pre-commit names only the files that changed, maybe split over several processes, and an editor
lints one buffer; cross-file rules still need the rest of the group: each named file's input kind says
what else its verdict depends on (a Compose file: the other Compose files of its directory, its override
or its base; a Dockerfile: the Compose projects that build it, found in its directory and those above it,
up to the root). Those files are read from disk (or from the buffers provided for them), and only
findings that concern the named files are reported: the ones located in them, and the cross-file ones
that point into them (a bind mount in compose.yaml hiding what a `RUN npm ci` of the changed Dockerfile
installs).
"""

from __future__ import annotations

import os
from pathlib import Path

from dockerstore_lint.finding import Finding
from dockerstore_lint.inputs import kind_of_path, kinds
from dockerstore_lint.loader import WorkspaceLoader


def related_files(loader: WorkspaceLoader, files: list[Path]) -> list[Path]:
    """The files to load besides `files` (all explicitly named), in a stable order, none of `files`."""
    named = [Path(os.path.abspath(path)) for path in files]
    by_kind: dict[str, list[Path]] = {}
    for path in named:
        kind = kind_of_path(path)
        if kind is not None:
            by_kind.setdefault(kind.name, []).append(path)
    wanted: dict[Path, None] = {}
    for kind in kinds():
        if kind.name in by_kind:
            wanted.update(dict.fromkeys(kind.related(by_kind[kind.name], loader)))
    return [path for path in wanted if path not in named]


def concerns(finding: Finding, files: set[str]) -> bool:
    """Whether a finding is located in one of `files` (display paths) or points into one."""
    return finding.span.file in files or any(related.span.file in files for related in finding.related)
