"""Dockerfiles -> the storage model: `parse_dockerfile(source)`.

The steps, in the order they run: `lexer` (physical lines -> instructions, over dockerfile-parse),
`syntax` and `words` (arguments, BuildKit's quoting and `$VAR` expansion), `rejections` (what Docker
refuses), `stages` (scoping, inheritance, OS), with `content` (COPY/ADD) and `runs` (RUN).
"""

from __future__ import annotations

from dockerstore_lint.inputs.dockerfile.lexer import lex
from dockerstore_lint.inputs.dockerfile.stages import build_stages
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.text.sources import Source

__all__ = ["parse_dockerfile"]


def parse_dockerfile(source: Source) -> Dockerfile:
    """The Dockerfile's stages as Docker would build them; problems Docker would refuse are in
    `problems` (DSL001), together with the source's own."""
    lexed = lex(source)
    stages, problems = build_stages(lexed, source.file)
    found = sorted(lexed.problems + problems, key=lambda problem: (problem.span.line, problem.span.column))
    return Dockerfile(source.path, source.file, stages, lexed.escape, source.problems + tuple(found))
