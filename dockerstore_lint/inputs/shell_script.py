"""Shell scripts (`*.sh`, `*.bash`, and files without an extension that start with a sh/bash/zsh
shebang) -> the container commands they run.

A script runs in its own directory as far as this reader knows: `$PWD`, `$(pwd)` and
`$(dirname "$0")` are that directory (`HERE`). Comments are `#`, to the end of the line.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Optional

from dockerstore_lint.inputs.shell.commands import Budget, Commands, mentions_container_tool, script_context
from dockerstore_lint.text.positions import FileText
from dockerstore_lint.text.sources import Source

SUFFIXES = (".sh", ".bash")
COMMENT_PREFIX = "#"
# the shells whose language is bash's or a subset of it
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ash"})
_SHEBANG = re.compile(r"#![ \t]*(\S+)(?:[ \t]+(\S+))?(?:[ \t]+(\S+))?")


def claims(path: PurePath) -> bool:
    """A name that is a shell script whatever it holds."""
    return path.name.endswith(SUFFIXES)


def may_claim(path: PurePath) -> bool:
    """A name whose first line decides (no extension): read it and ask `shebang_shell`."""
    return "." not in path.name.lstrip(".")


def shebang_shell(first_line: str) -> Optional[str]:
    """`bash` for `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`...; None otherwise."""
    match = _SHEBANG.match(first_line.removeprefix("\ufeff"))
    if match is None:
        return None
    program, first, second = match.groups()
    name = program.rsplit("/", 1)[-1]
    if name == "env":
        name = (second if first == "-S" else first) or ""
        name = name.rsplit("/", 1)[-1]
    return name if name in _SHELLS else None


def is_shell_script(path: PurePath, text: str) -> bool:
    return claims(path) or (may_claim(path) and shebang_shell(text[:200].split("\n", 1)[0]) is not None)


def read_shell_script(source: Source) -> Commands:
    if not mentions_container_tool(source.text):
        return Commands()
    from dockerstore_lint.inputs.shell.bash import bash_commands

    text = FileText(source.file, source.text).whole()
    budget = Budget(source.file)
    commands = budget.keep(bash_commands(text, script_context(source.path.parent), budget.commands))
    return Commands(commands, budget.problems())
