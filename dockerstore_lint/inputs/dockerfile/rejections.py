"""Instruction arguments Docker refuses to parse (BuildKit's `instructions/parse.go`).

Each check here is one `docker build` fails on; anything merely odd is left to the rules.
Unknown flags are not checked: BuildKit keeps adding flags, and an old list would reject new files.
"""

from __future__ import annotations

import re
from typing import Optional

from dockerstore_lint.inputs.dockerfile.lexer import heredoc_marker
from dockerstore_lint.inputs.dockerfile.syntax import NOT_STRING_ARRAY, Arguments, name_values
from dockerstore_lint.inputs.dockerfile.words import Word

_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")
_BAD_STAGE_NAME = "invalid name for build stage: {!r}, name can't start with a number or contain symbols"
_AT_LEAST_ONE = frozenset("ARG ENV EXPOSE HEALTHCHECK LABEL ONBUILD SHELL VOLUME".split())
_EXACTLY_ONE = frozenset("MAINTAINER STOPSIGNAL USER WORKDIR".split())

Rejection = tuple[str, Optional[Word]]  # message, and the word it is about (None: the instruction)


def rejection(keyword: str, arguments: Arguments) -> Optional[Rejection]:
    """Why Docker refuses this instruction, if it does."""
    words = arguments.words
    if arguments.error:
        return f"{keyword}: {NOT_STRING_ARRAY}", None
    if keyword == "FROM":
        return _from(words)
    if keyword in _AT_LEAST_ONE and not words:
        return f"{keyword} requires at least one argument", None
    if keyword in _EXACTLY_ONE and len(words) != 1:
        return f"{keyword} requires exactly one argument", None
    if keyword in ("ENV", "LABEL", "ARG"):
        _, error = name_values(keyword, arguments)
        return (error, None) if error else None
    if keyword in ("COPY", "ADD"):
        if len(words) < 2:
            return f"{keyword} requires a source and a destination: {keyword} <src>... <dest>", None
        if heredoc_marker(words[-1].raw) is not None:
            return f"{keyword} cannot take a heredoc as its destination", words[-1]
        return None
    if keyword == "VOLUME":
        empty = next((word for word in words if not word.raw.strip()), None)
        return ("VOLUME specified can not be an empty string", empty) if empty else None
    if keyword == "ONBUILD":
        trigger = words[0].raw.upper()
        if trigger == "ONBUILD":
            return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", words[0]
        if trigger in ("MAINTAINER", "FROM"):
            return f"{trigger} isn't allowed as an ONBUILD trigger", words[0]
        return None
    if keyword == "HEALTHCHECK":
        return _healthcheck(words)
    if keyword == "SHELL" and not arguments.json_form:
        return 'SHELL requires the arguments in JSON form: SHELL ["executable", "parameters"]', None
    return None


def _from(words: tuple[Word, ...]) -> Optional[Rejection]:
    if not words:
        return "FROM without an image: write FROM <image> [AS <name>]", None
    if len(words) == 3 and words[1].raw.lower() == "as":
        name = words[2]
        if not _STAGE_NAME.match(name.raw.lower()):
            return _BAD_STAGE_NAME.format(name.raw), name
        return None
    if len(words) != 1:
        return "FROM requires either one or three arguments: FROM <image> [AS <name>]", None
    return None


def _healthcheck(words: tuple[Word, ...]) -> Optional[Rejection]:
    kind = words[0].raw.upper()
    if kind == "NONE":
        return ("HEALTHCHECK NONE takes no arguments", words[1]) if len(words) > 1 else None
    if kind != "CMD":
        return f"Unknown type {words[0].raw!r} in HEALTHCHECK (try CMD)", words[0]
    if len(words) == 1:
        return "Missing command after HEALTHCHECK CMD", None
    return None
