"""Dockerfiles as an input kind: their names, their comments, and the Compose files that build them."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.text.comments import HASH_OWN_LINE

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader

_NAME = re.compile(r"^(?:(?:Dockerfile|dockerfile|Containerfile)(?:[.-].+)?"
                   r"|.+\.(?:Dockerfile|dockerfile|Containerfile))$")
# `Dockerfile.md`, `Dockerfile.dockerignore`, `Dockerfile-build.sh`: about a Dockerfile, not one;
# `Dockerfile.j2`, `Dockerfile-alpine.template`: a template that renders one
_NOT_DOCKERFILE = re.compile(
    r"\.(?:dockerignore|md|markdown|rst|txt|adoc|html|orig|bak|swp|tmp|sh|bash|ps1|bat|cmd|py|js|ts|json|"
    r"ya?ml|toml|ini|cfg|conf|lock|env|sig|asc|sha256|j2|jinja2?|tmpl|tpl|template|in|erb|mustache|hbs)$",
    re.IGNORECASE)
_START = re.compile(rb"^\s*(?:FROM|ARG)\s", re.IGNORECASE)
# a template's placeholders where an instruction's words go: Jinja/Go/Mustache control lines and values,
# docker-library's `%%NAME%%`
_TEMPLATE = re.compile(r"^\s*\{[{%]|^\s*[A-Za-z]+\s[^\n]*\{\{[^\n]*\}\}|%%[A-Z][A-Z0-9_]*%%", re.MULTILINE)
# `{{ }}` inside a RUN is often a Go template the command itself reads (`docker inspect --format '{{.Id}}'`)
_GO_FORMAT = re.compile(r"^\s*RUN\s", re.IGNORECASE)


class DockerfileKind(InputKind):
    name = "dockerfile"
    noun = "Dockerfile"
    language_ids = ("dockerfile", "containerfile")
    comments = HASH_OWN_LINE
    produces = ("dockerfile",)

    def claims(self, path: PurePath) -> bool:
        return bool(_NAME.match(path.name)) and not _NOT_DOCKERFILE.search(path.name)

    def recognises(self, head: bytes) -> bool:
        """A Dockerfile starts with FROM or ARG, after comments and blank lines."""
        for line in head.split(b"\n"):
            stripped = line.strip()
            if stripped and not stripped.startswith(b"#"):
                return bool(_START.match(line))
        return False

    def template(self, text: str) -> bool:
        return any(not _GO_FORMAT.match(text, text.rfind("\n", 0, match.start()) + 1)
                   for match in _TEMPLATE.finditer(text))

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        problems = []
        for path in paths:
            if loader.dockerfile(path) is None:
                problem = loader.read(path)[1]
                if problem is not None:
                    problems.append(problem)
        return Loaded(problems=tuple(problems))

    def related(self, paths: list[Path], loader: WorkspaceLoader) -> list[Path]:
        """The Compose files, in the Dockerfiles' directories and their parents up to the root, whose project
        has a service whose `build` uses one of the Dockerfiles."""
        from dockerstore_lint.inputs import kind_named

        compose = kind_named("compose")
        if compose is None:
            return []
        candidates = list(dict.fromkeys(path for dockerfile in paths
                                        for directory in _directories_up_to(dockerfile.parent, loader.root)
                                        for path in loader.files_in(directory, compose)))
        if not candidates:
            return []
        targets = {os.path.realpath(dockerfile) for dockerfile in paths}
        by_display = {loader.display(path): path for path in candidates}
        building: list[Path] = []
        # every candidate is built once, however many of the Dockerfiles it is a candidate for
        for group in loader.load(candidates).groups:
            if any(c.build is not None and c.build.dockerfile is not None
                   and os.path.realpath(c.build.dockerfile) in targets for c in group.containers.values()):
                # the project's other files (an override) come with its main file
                building.extend(by_display[file] for file in group.files[:1] if file in by_display)
        return building


def _directories_up_to(start: Path, root: Path) -> list[Path]:
    real = Path(os.path.realpath(start))
    if real != root and root not in real.parents:
        return [real]  # a Dockerfile outside the root: only its own directory
    return [real, *(parent for parent in real.parents if parent == root or root in parent.parents)]
