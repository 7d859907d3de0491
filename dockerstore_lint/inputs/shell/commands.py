"""Which commands start containers, and what reading one input's commands found.

Only `docker` and `podman` commands are kept: every other command of a script is read (its assignments
and `cd`s matter) but not handed on. Programs that just run the rest of their arguments as a command
(`sudo docker run ...`, `exec docker run ...`) are looked through.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Mapping, NamedTuple, Optional, Sequence

from dockerstore_lint.model.span import INVALID, Problem, Span
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand, Word

if TYPE_CHECKING:
    from dockerstore_lint.inputs.github_actions import JobContainers

CONTAINER_TOOLS = frozenset({"docker", "podman"})
# what one file is read for at most: container commands kept, and shell texts parsed (a Markdown file
# has one per code block, a Makefile one per recipe line); the rest of a file past either is not read
MAX_COMMANDS = 10_000
MAX_TEXTS = 10_000
# brackets nested deeper than this (no real script comes near) make a text not read at all: tree-sitter's
# queries slow down with the square of the nesting, past a minute for a few thousand levels
MAX_NESTING = 500
_BRACKET = re.compile(r"[(){}\[\]]")
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
    opaque: tuple[str, ...] = ()  # what each `opaque_mark` in the text stands for, as written


# text an outer language left unknown (a Makefile's `$(VAR)`) is handed in as one of these characters,
# the n-th standing for `ShellContext.opaque[n]`: whatever quotes it is in, the word is unresolved
_OPAQUE_FIRST = 0xF0000
_OPAQUE_LAST = 0xFFFFD
_OPAQUE = re.compile("[\U000F0000-\U000FFFFD]")


def opaque_mark(index: int) -> str:
    """The character that stands for the `index`-th unknown piece of an outer language's text."""
    return chr(min(_OPAQUE_FIRST + index, _OPAQUE_LAST))


def reveal_opaque(word: Word, context: ShellContext) -> Word:
    """A word holding opaque marks: unresolved, with what each mark stands for put back in its value."""
    if not context.opaque or not _OPAQUE.search(word.value):
        return word

    def written(match: re.Match[str]) -> str:
        index = ord(match.group()) - _OPAQUE_FIRST
        return context.opaque[index] if index < len(context.opaque) else ""

    return word._replace(value=_OPAQUE.sub(written, word.value), resolved=False)


def script_context(directory: Path) -> ShellContext:
    """A script file: it runs where it is, `$0` is itself."""
    return ShellContext(directory, {"PWD": HERE, "HOME": HOME}, True)


class Commands(NamedTuple):
    """What one input's text holds: its container commands in reading order, the containers its CI jobs
    declare (a workflow's `container:` and `services:`), and its problems."""

    commands: tuple[SimpleCommand, ...] = ()
    problems: tuple[Problem, ...] = ()
    # per command, whether the machine it runs on is discarded with everything on it once the command's job
    # ends (a CI job on a hosted runner); empty when none is
    discarded: tuple[bool, ...] = ()
    jobs: tuple[JobContainers, ...] = ()

    def each(self) -> Iterator[tuple[SimpleCommand, bool]]:
        """Each command, and whether its machine is discarded after it."""
        for index, command in enumerate(self.commands):
            yield command, index < len(self.discarded) and self.discarded[index]


class Budget:
    """What is left to read of one file; a file that uses it up gets a problem saying so."""

    __slots__ = ("file", "commands", "texts", "problem")

    def __init__(self, file: str) -> None:
        self.file = file
        self.commands = MAX_COMMANDS
        self.texts = MAX_TEXTS
        self.problem: Optional[Problem] = None

    def parse(self, span: Span) -> bool:
        """Whether one more shell text (starting at `span`) may be parsed."""
        if self.texts > 0 and self.commands > 0:
            self.texts -= 1
            return True
        self._stop(span)
        return False

    def keep(self, found: Sequence[SimpleCommand]) -> tuple[SimpleCommand, ...]:
        kept = tuple(found[:max(self.commands, 0)])
        self.commands -= len(kept)
        if len(kept) < len(found):
            self._stop(found[len(kept)].span)
        return kept

    def _stop(self, span: Span) -> None:
        if self.problem is None:
            self.problem = Problem(INVALID, f"too many commands: only the first {MAX_COMMANDS:,} container commands "
                                             f"and {MAX_TEXTS:,} scripts of a file are read", span)

    def problems(self) -> tuple[Problem, ...]:
        return (self.problem,) if self.problem else ()


def too_deep(text: str) -> bool:
    """Whether brackets nest deeper than MAX_NESTING (counted on the raw text, quotes and all)."""
    if text.count("(") + text.count("{") + text.count("[") < MAX_NESTING:
        return False
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "({[":
            depth += 1
            if depth > MAX_NESTING:
                return True
        elif depth:
            depth -= 1
    return False


def mentions_container_tool(text: str) -> bool:
    """False when the text cannot hold a `docker` or `podman` command: such a file is never parsed."""
    return any(word in text for word in _TOOL_WORDS)


def tool_name(value: str) -> Optional[str]:
    """`docker` for `docker`, `/usr/bin/docker`, `docker.exe`, `C:\\...\\podman.exe`; else None."""
    base = value.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base.endswith(".exe"):
        base = base[:-4]
    return base if base in CONTAINER_TOOLS else None


def container_command(words: Sequence[Word], directory: Optional[Path]) -> Optional[SimpleCommand]:
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
