"""One Dockerfile's text -> its `Dockerfile` model."""

from __future__ import annotations

from dockerstore_lint.inputs.dockerfile.lexer import lex
from dockerstore_lint.inputs.dockerfile.stages import build_stages
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.text.sources import Source


def parse_dockerfile(source: Source) -> Dockerfile:
    """The Dockerfile's stages as Docker would build them; problems Docker would refuse are in
    `problems` (DSL001), together with the source's own."""
    lexed = lex(source)
    stages, problems = build_stages(lexed, source.file)
    found = sorted(lexed.problems + problems, key=lambda problem: (problem.span.line, problem.span.column))
    return Dockerfile(source.path, source.file, stages, lexed.escape, source.problems + tuple(found))
