"""What a container's command does: whether it runs its image's own service (and so whether the image's entrypoint
steps down from root for it), and what it writes into the directory it runs in."""

from __future__ import annotations

import re
from typing import Optional, Sequence

from dockerstore_lint.facts.image import facts_for
from dockerstore_lint.facts.users import PRIVILEGE_DROP_TOOLS, defines_process
from dockerstore_lint.knowledge import CommandStart, DefaultCommand
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.container_paths import ContainerPath, container_path

# Commands that write into the directory they run in: package installs (`vendor/`, `node_modules/`, a
# target folder) and builds and test runners that leave their output next to the sources.
_WRITERS = re.compile(
    r"\b(?:composer\s+(?:install|update|require)|npm\s+(?:ci|install|i)\b|yarn(?:\s+install)?\b"
    r"|pnpm\s+(?:install|i)\b|pip3?\s+install\s[^;&|\n]*(?:-t\b|--target\b)|bundle\s+install|go\s+build"
    r"|cargo\s+build|mvn\s|gradle\s|npx\s+playwright\s+test|cypress\s+run)")
_SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "ksh"))
# programs that run the rest of their words as the command
_RUNNERS = frozenset(("exec", "command", "nohup", "time", "nice", "env"))
# what a value holds where it was not known (a variable, a command substitution)
_UNKNOWN = re.compile(r"[$`]")


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


def runs_image_service(container: Container) -> Optional[bool]:
    """Whether the container runs the service its image starts by default (a database server...): False when it
    runs another command instead; None when that cannot be told, or the image starts no service (a base image or a
    toolchain, whose command is the container's business).

    A container that sets no command runs the image's default. One that replaces the entrypoint does not run the
    image's, which is what starts the server (Docker and Compose then drop the image's CMD as well), unless the new
    one is a shell script that ends by running the image's (`sh -c 'mkdir ...; /run.sh'`). A command of its
    own starts the service when the knowledge base says the entrypoint takes it for the server (`postgres`, an
    option it hands to the server); any other (`sh -c 'pg_dumpall ...'`, `psql`) runs instead of it. A Dockerfile
    of the repository that sets its own CMD or ENTRYPOINT makes the image's default unknown here.
    """
    facts = facts_for(container)
    default = facts.default_command if facts is not None else None
    if default is None or not default.service or _defines_own_process(container):
        return None
    if container.entrypoint is not None:
        return _wrapper_runs(default, [*container.entrypoint, *container.command])
    if not container.command:
        return True
    return _given_is(default.given, container.command, default, inner=True)


def _wrapper_runs(default: DefaultCommand, entrypoint: Sequence[str]) -> bool:
    """Whether a replaced entrypoint is a shell script that prepares and then ends by running the image's own
    entrypoint (`sh -c 'mkdir -p ...; /run.sh'`): the service starts as it would have."""
    script = _shell_script(entrypoint) if entrypoint else None
    service = (default.command or "").split()[:1]
    if script is None or not service:
        return False
    from dockerstore_lint.text.shell_words import parse_shell, resolve_word

    parsed = parse_shell(script, "")
    if parsed.problems or not parsed.commands:
        return False
    last = [resolve_word(word).value for word in parsed.commands[-1].words]
    return bool(last) and _program(last) == service[0].rsplit("/", 1)[-1]


def entrypoint_drops_root(container: Container) -> Optional[bool]:
    """Whether the image's entrypoint starts as root and switches to its own user for what the container runs.

    False when it does not: the image never switches, or the container replaces the entrypoint, or runs a command
    the entrypoint leaves to root (the official database images step down only to start their server: `sh -c` runs
    as root). A command the knowledge base cannot place is taken to be stepped down for. None when the knowledge
    base does not know whether the image switches at all.
    """
    facts = facts_for(container)
    if facts is None or facts.privilege_drop is None:
        return None
    drop = facts.privilege_drop
    if not drop.drops:
        return False
    if _defines_own_process(container) or (container.entrypoint is None and not container.command):
        return True
    if container.entrypoint is not None:
        return False
    default = facts.default_command
    given = drop.given or (default.given if default is not None else None)
    return _given_is(given, container.command, default) is not False


# what deletes files or hands them back (`chown`), creating none
_REMOVERS = frozenset(("rm", "rmdir", "unlink", "chown", "chmod", "true", ":"))


def only_removes(container: Container) -> bool:
    """Whether the container's own command only deletes files or hands them back (`rm -rf`, `find ... -delete`,
    `chown`), directly or in a shell's `-c` script: a container that cleans up what others left owned by root,
    which creates nothing (and run as another user could not do its job)."""
    if not container.command:
        return False
    script = _shell_script(container.command)
    commands: list[Sequence[str]] = [container.command]
    if script is not None:
        from dockerstore_lint.text.shell_words import parse_shell, resolve_word

        parsed = parse_shell(script, "")
        if parsed.problems or not parsed.commands:
            return False
        commands = [[resolve_word(word).value for word in found.words] for found in parsed.commands]
    for words in commands:
        program = _program(words) if words else None
        if program not in _REMOVERS and not (program == "find" and "-delete" in words):
            return False
    return True


def _defines_own_process(container: Container) -> bool:
    return container.stage is not None and container.dockerfile is not None \
        and defines_process(container.dockerfile, container.stage)


def _given_is(start: Optional[CommandStart], command: Sequence[str], default: Optional[DefaultCommand],
              inner: bool = False) -> Optional[bool]:
    """Whether a command of the container's own is one `start` names: None when that cannot be told (nothing known
    of the image's commands, a value not known, a program that may run the entrypoint in turn). The entrypoint
    only sees the first word: a program `start` names inside a shell's script counts (as not known) only when
    `inner`."""
    first = command[0]
    if start is None or _UNKNOWN.search(first):
        return None
    if start.matches(first):
        return True
    # the image's entrypoint (its script, tini...), which a script may run in turn, and which steps down for it
    words = (default.command or "").split() if default is not None else []
    entrypoint = {word.rsplit("/", 1)[-1] for word in words if not word.startswith("-") and not start.matches(word)}
    programs = _programs(command)
    if programs is None:
        return None
    for program in programs:
        if program in entrypoint or program in PRIVILEGE_DROP_TOOLS or (inner and start.matches(program)):
            return None
    return False


def _programs(command: Sequence[str]) -> Optional[list[str]]:
    """The programs a command runs, by name: its own, and those of a shell's `-c` script; None when the script
    cannot be read or a program is not known."""
    commands = [command]
    script = _shell_script(command)
    if script is not None:
        from dockerstore_lint.text.shell_words import parse_shell, resolve_word

        parsed = parse_shell(script, "")
        if parsed.problems:
            return None
        commands += [[resolve_word(word).value for word in found.words] for found in parsed.commands if found.words]
    programs = []
    for words in commands:
        program = _program(words)
        if program is None:
            return None
        programs.append(program)
    return programs


def _program(words: Sequence[str]) -> Optional[str]:
    """The program a command runs (`exec`, `env` and the like looked through, with their options and
    `NAME=value` operands), by name; None when not known."""
    index = 0
    while index < len(words) and words[index] in _RUNNERS:
        index += 1
        while index < len(words) and (words[index].startswith("-") or "=" in words[index]):
            index += 1
    if index >= len(words) or _UNKNOWN.search(words[index]):
        return None
    return words[index].rsplit("/", 1)[-1]


def _shell_script(command: Sequence[str]) -> Optional[str]:
    """The script of `sh -c SCRIPT` (`bash -ec`, `/bin/sh -c`...)."""
    if command[0].rsplit("/", 1)[-1] not in _SHELLS:
        return None
    with_c = False
    for word in command[1:]:
        if word.startswith("-") and not word.startswith("--"):
            with_c = with_c or "c" in word[1:]
        elif not word.startswith("-"):
            return word if with_c else None
    return None
