"""Which commands start containers, and what reading one input's commands found.

Only `docker` and `podman` commands are kept: every other command of a script is read (its assignments
and `cd`s matter) but not handed on. Programs that just run the rest of their arguments as a command
(`sudo docker run ...`, `exec docker run ...`) are looked through.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, NamedTuple, Optional, Sequence

from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.text.shell import HERE, SimpleCommand, Word

CONTAINER_TOOLS = frozenset({"docker", "podman"})
# cheap test on raw text: a file without one of these words holds no container command
_TOOL_WORDS = ("docker", "podman")

# programs that run their operands as a command, with the options of each that take a value
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-T", "-U", "--user", "--group",
                       "--host", "--prompt", "--close-from", "--chdir", "--role", "--type", "--command-timeout",
                       "--other-user"}),
    "doas": frozenset({"-u", "-C"}),
    "exec": frozenset({"-a"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "nohup": frozenset(),
    "time": frozenset({"-f", "-o", "--format", "--output"}),
    "env": frozenset({"-u", "-C", "-S", "--unset", "--chdir", "--split-string"}),
    "nice": frozenset({"-n", "--adjustment"}),
}


class ShellContext(NamedTuple):
    """What the input kind knows about where its commands run."""

    directory: Optional[Path]  # what `HERE` stands for
    environment: Mapping[str, str]  # variables known before the text runs: name -> value (`HERE`, `~`...)
    script_directory: bool = False  # `$(dirname "$0")` is `HERE`: the text is a script file in that directory
    opaque: tuple[str, ...] = ()  # what each of bash's `opaque_mark`s in the text stands for, as written


def script_context(directory: Path) -> ShellContext:
    """A script file: it runs where it is, `$0` is itself."""
    return ShellContext(directory, {"PWD": HERE, "HOME": "~"}, True)


class Commands(NamedTuple):
    """What one input's text holds: its container commands in reading order, and its problems."""

    commands: tuple[SimpleCommand, ...] = ()
    problems: tuple[Problem, ...] = ()


def mentions_container_tool(text: str) -> bool:
    """False when the text cannot hold a `docker` or `podman` command: such a file is never parsed."""
    return any(word in text for word in _TOOL_WORDS)


def tool_name(value: str) -> Optional[str]:
    """`docker` for `docker`, `/usr/bin/docker`, `docker.exe`, `C:\\...\\podman.exe`; else None."""
    base = value.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base.endswith(".exe"):
        base = base[:-4]
    return base if base in CONTAINER_TOOLS else None


def container_command(words: Sequence[Word], directory) -> Optional[SimpleCommand]:
    """The container command these words run (wrappers looked through), or None."""
    start = _command_start(words)
    if start is None:
        return None
    kept = tuple(words[start:])
    first, last = kept[0].span, kept[-1].span
    return SimpleCommand(kept, Span(first.file, first.line, first.column, last.end_line, last.end_column), directory)


def _command_start(words: Sequence[Word]) -> Optional[int]:
    index = 0
    while index < len(words):
        word = words[index]
        if not word.resolved:
            return None
        if tool_name(word.value):
            return index
        takes_value = _WRAPPERS.get(word.value.rsplit("/", 1)[-1])
        if takes_value is None:
            return None
        index += 1
        while index < len(words):  # the wrapper's own options (and `env`'s NAME=VALUE operands)
            value = words[index].value
            if value == "--":
                index += 1
                break
            if value.startswith("-") and len(value) > 1:
                index += 2 if value in takes_value else 1
            elif word.value.endswith("env") and "=" in value:
                index += 1
            else:
                break
    return None
