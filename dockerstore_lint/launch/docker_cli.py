"""A shell command's words -> the docker (or podman) invocation they are, read as the CLI reads them.

The option tables (flag_tables.py) come from docker/cli@28f756087eea5fa301f3fbf12b01ae62f91521c2
(cli/command/container/opts.go, run.go, create.go, cli/flags/options.go, cli/command/volume/create.go,
cli/command/image/build.go), docker/buildx@461836ba0fcb3e847dab6045a726889faa150bdb (commands/build.go,
root.go), docker/compose@f72979427042620a94dd52ce78b39c68cb02c085 (cmd/compose/compose.go) and 1.29.2
(compose/cli/main.py), containers/podman@c6580b4a5219c9efb9ab79a540637d8a58b736f8 (cmd/podman/common/
create.go, netflags.go, containers/run.go, create.go, root.go, volumes/create.go).

Recognised: `docker run|create`, `docker container run|create`, `podman run|create`, `docker volume
create`, `docker build` (also `image build`, `builder build`, `buildx build`/`b`), `docker compose` and
`docker-compose` (their global options only), with global options before the subcommand (`docker
--context x run`, `docker -H tcp://... run`) and behind launchers (`sudo`, `env`, `command`, `exec`,
`time`, `nohup`, `nice`, `timeout`, `winpty`, `doas`).

Options are parsed the way spf13/pflag does: `--name value`, `--name=value`, `-v value`, `-v=value`,
`-vvalue`, bundles of switches (`-itd`), a switch's value only after `=` (`--rm=false`), `--` ending
the options. For `run`/`create` the first operand is the image and everything after it is the
container's command, never options. Whatever cannot be read with confidence (an unknown option, a
missing value, an unquoted `$ARGS` that may be several options) stops the reading with a problem:
nothing after it is guessed.
"""

import re
from typing import Optional

from dockerstore_lint.launch import flag_tables
from dockerstore_lint.launch.flag_tables import FlagTable
from dockerstore_lint.launch.invocations import (
    ComposeCall,
    Flag,
    ImageBuild,
    Invocation,
    Recognised,
    VolumeCreation,
    VolumesFrom,
)
from dockerstore_lint.launch.mount_spec import GO_FALSE, GO_TRUE, MountSpec, mount_flag, tmpfs_flag, volume_flag
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import SimpleCommand, Word
from dockerstore_lint.text.shell_words import Diagnostic

# programs that run the command in their arguments: (options with a value, switches, options that make
# them do something else or change the directory, which we do not follow)
_LAUNCHERS = {
    "sudo": ("u user g group C close-from h host p prompt r role t type T command-timeout U other-user",
             ("A askpass b background E H set-home n non-interactive P preserve-groups S stdin k reset-timestamp "
              "preserve-env"),
             "e edit l list V version v validate K remove-timestamp i login s shell D chdir R chroot"),
    "env": ("u unset", "i ignore-environment 0 null v debug", "C chdir S split-string"),
    "command": ("", "p", "v V"),
    "exec": ("a", "c l", ""),
    "time": ("f format o output", "p portability a append v verbose q quiet", ""),
    "nohup": ("", "", ""),
    "nice": ("n adjustment", "", ""),
    "timeout": ("s signal k kill-after", "foreground preserve-status v verbose", ""),
    "winpty": ("", "", ""),
    "doas": ("u", "n", "s C L"),
}
_ENGINES = {"docker": "docker", "podman": "podman", "podman-remote": "podman"}
_NAME_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
# a word that is one unquoted expansion (or "$@"): the shell may make any number of words of it
_OPAQUE = re.compile(r'\$(?:[A-Za-z_][A-Za-z0-9_]*|[@*0-9])|\$\{[^}]*\}|\$\([\s\S]*\)|`[\s\S]*`'
                     r'|"\$(?:@|\{@\}|\{[A-Za-z_][A-Za-z0-9_]*\[[@*]\]\})"')
_MOUNT_KEY = re.compile(r",?(?:type|source|src|target|dst|destination|readonly|ro|consistency|bind-[a-z-]+"
                        r"|volume-[a-z-]+|image-subpath|tmpfs-[a-z]+)(?:=|,|$)", re.IGNORECASE)
_VALID_MODES = (frozenset(("rw", "ro")), frozenset(("z", "Z")), frozenset(("nocopy",)),
                frozenset(("consistent", "cached", "delegated")))
_PROPAGATIONS = frozenset(("private", "rprivate", "slave", "rslave", "shared", "rshared"))


def interpret(command: SimpleCommand) -> Optional[Recognised]:
    """The invocation `command` is, or None when it is not one of those read here."""
    words = command.words
    start = _after_launchers(words, 0)
    if start is None or start >= len(words) or not words[start].resolved:
        return None
    program = re.split(r"[\\/]", words[start].value)[-1].lower().removesuffix(".exe")
    if program in _ENGINES:
        return _engine(command, start + 1, _ENGINES[program])
    if program == "docker-compose":
        return _compose(command, start + 1, "docker-compose", flag_tables.COMPOSE_V1_GLOBAL)
    return None


# --- launchers -------------------------------------------------------------------------------------

def _after_launchers(words: tuple[Word, ...], index: int) -> Optional[int]:
    """The index of the program after `sudo -E env A=1 ...`; None when a launcher does something we do
    not follow (changes directory, lists, edits, re-splits its arguments)."""
    while index < len(words) and words[index].resolved:
        name = words[index].value.rsplit("/", 1)[-1]
        if name not in _LAUNCHERS:
            return index
        values, switches, refused = (set(group.split()) for group in _LAUNCHERS[name])
        index += 1
        while index < len(words):
            word = words[index]
            text = word.value
            if not word.resolved:
                return None
            if text == "--":
                index += 1
                break
            if not text.startswith("-") or text == "-":
                break
            option, equals, _ = text.lstrip("-").partition("=")
            if text.startswith("--"):
                if option in refused or (option not in values and option not in switches):
                    return None
                index += 2 if option in values and not equals else 1
                continue
            taken = _short_launcher_options(text[1:], values, switches, refused, name)
            if taken is None:
                return None
            index += taken
        if name in ("sudo", "env", "doas"):
            while index < len(words) and _NAME_ASSIGNMENT.match(words[index].value):
                index += 1
        if name == "timeout":
            index += 1  # the duration
    return index if index < len(words) else None


def _short_launcher_options(letters: str, values: set[str], switches: set[str], refused: set[str],
                            launcher: str) -> Optional[int]:
    """How many words a bundle of short options takes (1, or 2 when its last option wants the next)."""
    for position, letter in enumerate(letters):
        if letter in refused:
            return None
        if letter in values:
            return 1 if position + 1 < len(letters) else 2
        if letter in switches or (launcher == "nice" and letter.isdigit()) or (launcher == "winpty"):
            continue
        return None
    return 1


# --- option parsing, as spf13/pflag does it -----------------------------------------------------

class _Parsed:
    def __init__(self) -> None:
        self.flags: list[Flag] = []
        self.operands: list[Word] = []
        self.problems: list[Diagnostic] = []
        self.next = 0  # where the first operand is (options not interspersed), or the end
        self.complete = True

    def stop(self, kind: str, message: str, word: Word) -> "_Parsed":
        self.problems.append(Diagnostic(kind, message, word.span))
        self.complete = False
        return self


def _parse(words: tuple[Word, ...], index: int, table: FlagTable, interspersed: bool) -> _Parsed:
    """Options from `index` on. Without `interspersed`, stops at the first operand (`parsed.next`)."""
    parsed = _Parsed()
    count = len(words)
    while index < count:
        word = words[index]
        text = word.value
        if not word.resolved and _OPAQUE.fullmatch(word.written):
            parsed.next = index
            return parsed.stop("unresolved-argument",
                               f"`{word.written}` may stand for options as well as operands: what follows is not read",
                               word)
        if text == "--":
            parsed.operands.extend(words[index + 1:])
            parsed.next = index + 1
            return parsed
        if text.startswith("--") and len(text) > 2:
            name, equals, _ = text[2:].partition("=")
            option = table.long.get(name)
            if option is None:
                if not equals:  # whether the next word is its value cannot be told
                    parsed.next = index
                    return parsed.stop("unknown-flag", f"unknown flag: --{name}", word)
                parsed.problems.append(Diagnostic("unknown-flag", f"unknown flag: --{name}", word.span))
                index += 1
                continue
            if equals:
                value: Optional[Word] = _tail(word, len(name) + 3)
            elif not option.takes_value:
                value = None
            elif index + 1 < count:
                index += 1
                value = words[index]
            else:
                parsed.next = count
                return parsed.stop("missing-value", f"flag needs an argument: --{name}", word)
            parsed.flags.append(Flag(option.name, value, word))
            index += 1
            continue
        if text.startswith("-") and len(text) > 1:
            position = 1
            while position < len(text):
                letter = text[position]
                option = table.short.get(letter)
                if option is None:
                    parsed.next = index
                    return parsed.stop("unknown-flag", f"unknown shorthand flag: '{letter}' in {text}", word)
                rest = text[position:]
                if len(rest) > 2 and rest[1] == "=":
                    parsed.flags.append(Flag(option.name, _tail(word, position + 2), word))
                    break
                if not option.takes_value:
                    parsed.flags.append(Flag(option.name, None, word))
                    position += 1
                    continue
                if len(rest) > 1:
                    parsed.flags.append(Flag(option.name, _tail(word, position + 1), word))
                elif index + 1 < count:
                    index += 1
                    parsed.flags.append(Flag(option.name, words[index], word))
                else:
                    parsed.next = count
                    return parsed.stop("missing-value", f"flag needs an argument: '{letter}' in {text}", word)
                break
            index += 1
            continue
        if not interspersed:
            parsed.next = index
            return parsed
        parsed.operands.append(word)
        index += 1
    parsed.next = count
    return parsed


def _tail(word: Word, size: int) -> Word:
    """The value in `--name=value` or `-vvalue`: its own span when the option part is written plainly."""
    span = word.span
    written = word.written
    if span.line == span.end_line and written[:size] == word.value[:size]:
        written = written[size:]
        span = Span(span.file, span.line, span.column + size, span.end_line, span.end_column)
    return Word(word.value[size:], written, span, word.resolved)


def _switch(flag: Flag, problems: list[Diagnostic]) -> Optional[bool]:
    """A switch's value: true without `=value`, else Go's strconv.ParseBool; None when unresolved."""
    if flag.value is None:
        return True
    if not flag.value.resolved:
        return None
    text = flag.value.value
    if text in GO_TRUE:
        return True
    if text in GO_FALSE:
        return False
    problems.append(Diagnostic("invalid-value", f'invalid argument "{text}" for "--{flag.name}" flag: '
                                                f'strconv.ParseBool: parsing "{text}": invalid syntax', flag.word.span))
    return None


def _last(flags: list[Flag], name: str) -> Optional[Word]:
    return next((flag.value for flag in reversed(flags) if flag.name == name), None)


def _all(flags: list[Flag], name: str) -> tuple[Word, ...]:
    return tuple(flag.value for flag in flags if flag.name == name and flag.value is not None)


def _subcommand(words: tuple[Word, ...], index: int) -> Optional[str]:
    if index < len(words) and words[index].resolved:
        return words[index].value
    return None


# --- docker / podman ------------------------------------------------------------------------------

def _engine(command: SimpleCommand, index: int, engine: str) -> Optional[Recognised]:
    words = command.words
    docker = engine == "docker"
    parsed = _parse(words, index, flag_tables.DOCKER_GLOBAL if docker else flag_tables.PODMAN_GLOBAL, False)
    if not parsed.complete or any(flag.name in ("version", "help") for flag in parsed.flags):
        return None  # the subcommand cannot be told, or docker only prints something
    index = parsed.next
    subcommand = _subcommand(words, index)
    if subcommand in ("container", "volume", "image", "builder", "buildx"):
        group, index = subcommand, index + 1
        if group == "buildx":
            parsed = _parse(words, index, flag_tables.BUILDX_GLOBAL, False)
            if not parsed.complete:
                return None
            index = parsed.next
        subcommand = _subcommand(words, index)
        if group == "container" and subcommand in ("run", "create"):
            return _container(command, index + 1, engine, subcommand)
        if group == "volume" and subcommand == "create":
            return _volume_create(command, index + 1, engine)
        if docker and (subcommand == "build" or (group == "buildx" and subcommand == "b")) \
                and group in ("image", "builder", "buildx"):
            return _build(command, index + 1, "docker " + group + " build")
        return None
    if subcommand in ("run", "create"):
        return _container(command, index + 1, engine, subcommand)
    if docker and subcommand == "build":
        return _build(command, index + 1, "docker build")
    if docker and subcommand == "compose":
        return _compose(command, index + 1, "docker compose", flag_tables.COMPOSE_GLOBAL)
    return None


def _container(command: SimpleCommand, index: int, engine: str, subcommand: str) -> Invocation:
    words = command.words
    docker = engine == "docker"
    if docker:
        table = flag_tables.DOCKER_RUN if subcommand == "run" else flag_tables.DOCKER_CREATE
    else:
        table = flag_tables.PODMAN_RUN if subcommand == "run" else flag_tables.PODMAN_CREATE
    parsed = _parse(words, index, table, False)
    problems = parsed.problems
    image = None
    arguments: tuple[Word, ...] = ()
    if parsed.complete:
        if parsed.next < len(words):
            image, arguments = words[parsed.next], words[parsed.next + 1:]
        else:
            problems.append(Diagnostic("no-image", f'"{engine} {subcommand}" requires at least 1 argument.',
                                       command.span))
    flags = parsed.flags
    volume_driver = _last(flags, "volume-driver")
    mounts: list[MountSpec] = []
    volumes_from = []
    for flag in flags:
        if flag.value is None:
            continue
        if flag.name == "volume":
            mounts.append(volume_flag(flag.value, engine=engine, volume_driver=volume_driver is not None))
        elif flag.name == "mount":
            mounts.append(mount_flag(flag.value, engine=engine))
            split = _split_mount(flag, mounts[-1], words, image)
            if split is not None:
                problems.append(split)
        elif flag.name == "tmpfs":
            mounts.append(tmpfs_flag(flag.value))
        elif flag.name == "volumes-from":
            volumes_from.append(_volumes_from(flag.value))
    switches: dict[str, Optional[bool]] = {name: False for name in ("read-only", "rm", "detach")}
    for flag in flags:
        if flag.name in switches:
            switches[flag.name] = _switch(flag, problems)
    restart = _last(flags, "restart")
    if switches["rm"] and restart is not None and restart.resolved and restart.value not in ("", "no"):
        message = "conflicting options: cannot specify both --restart and --rm" if docker else \
            'the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"'
        problems.append(Diagnostic("conflict", message, restart.span))
    return Invocation(engine, subcommand, image, arguments, tuple(mounts), tuple(volumes_from), _last(flags, "user"),
                      _all(flags, "env"), _all(flags, "env-file"), switches["read-only"], switches["rm"],
                      switches["detach"] if subcommand == "run" else False, _last(flags, "platform"),
                      _last(flags, "name"), _last(flags, "workdir"), _last(flags, "entrypoint"),
                      _last(flags, "isolation"), volume_driver, tuple(flags), tuple(problems), command.span,
                      parsed.complete)


def _split_mount(flag: Flag, mount: MountSpec, words: tuple[Word, ...], image: Optional[Word]) -> Optional[Diagnostic]:
    """`--mount type=bind, source=/x, target=/y`: the shell split the value at the spaces, and Docker
    refuses the first piece; what it does with the rest is said in the message."""
    value = flag.value
    if value is None or not value.resolved:
        return None
    position = next((index for index, word in enumerate(words) if word is flag.word), None)
    if position is None:
        return None
    if position + 1 < len(words) and words[position + 1] is value:
        position += 1  # `--mount VALUE` rather than `--mount=VALUE`
    if position + 1 >= len(words):
        return None
    following = words[position + 1]
    ends_open = value.value.rstrip().endswith(",")
    if not (ends_open or following.value.startswith(",")) or not _MOUNT_KEY.match(following.value):
        return None
    refused = f" and refuses it ({mount.error})" if mount.error else ""
    taken = ", which it would take as the image name" if following is image else ""
    return Diagnostic("split-mount", f"the shell split this --mount value at a space: Docker gets `{value.value}` as "
                                     f"the whole mount{refused}; `{following.value}` is a separate argument{taken}",
                      Span(value.span.file, value.span.line, value.span.column, following.span.end_line,
                           following.span.end_column))


def _volumes_from(word: Word) -> VolumesFrom:
    """`--volumes-from CONTAINER[:MODE]` as the Linux daemon reads it (ParseVolumesFrom)."""
    container, _, mode = word.value.partition(":")
    if not word.resolved:
        return VolumesFrom(container, mode or "rw", None if "$" in mode or "`" in mode else "ro" in mode.split(","),
                           word)
    if not word.value:
        return VolumesFrom("", "rw", False, word, "volumes-from specification cannot be an empty string")
    mode = mode or "rw"
    items = mode.split(",")
    counts = [sum(item in group for item in items) for group in _VALID_MODES]
    valid = all(any(item in group for group in _VALID_MODES) for item in items) and max(counts) <= 1
    error = None
    if not valid or "nocopy" in items or any(item in _PROPAGATIONS for item in items):
        error = f"invalid mode: {mode}"
    return VolumesFrom(container, mode, "ro" in items, word, error)


def _volume_create(command: SimpleCommand, index: int, engine: str) -> VolumeCreation:
    docker = engine == "docker"
    parsed = _parse(command.words, index, flag_tables.DOCKER_VOLUME_CREATE if docker
                    else flag_tables.PODMAN_VOLUME_CREATE, True)
    problems = parsed.problems
    name = _last(parsed.flags, "name")
    if len(parsed.operands) > 1:
        problems.append(Diagnostic("extra-argument", f'"{engine} volume create" accepts at most 1 argument.',
                                   parsed.operands[1].span))
    elif parsed.operands and name is not None:
        problems.append(Diagnostic("conflict", "conflicting options: cannot specify a volume-name through both "
                                               "--name and as a positional arg", parsed.operands[0].span))
        name = None  # docker creates nothing
    elif parsed.operands:
        name = parsed.operands[0]
    return VolumeCreation(engine, name, _last(parsed.flags, "driver"), _all(parsed.flags, "opt"),
                          _all(parsed.flags, "label"), tuple(parsed.flags), tuple(problems), command.span,
                          parsed.complete)


def _build(command: SimpleCommand, index: int, tool: str) -> ImageBuild:
    parsed = _parse(command.words, index, flag_tables.DOCKER_BUILD, True)
    problems = parsed.problems
    context = parsed.operands[0] if len(parsed.operands) == 1 else None
    if parsed.complete and len(parsed.operands) != 1:
        problems.append(Diagnostic("arguments", f'"{tool}" requires exactly 1 argument.', command.span))
    return ImageBuild("docker", _all(parsed.flags, "tag"), _last(parsed.flags, "file"), _last(parsed.flags, "target"),
                      context, _last(parsed.flags, "platform"), tuple(parsed.flags), tuple(problems), command.span,
                      parsed.complete)


def _compose(command: SimpleCommand, index: int, tool: str, table: FlagTable) -> Optional[ComposeCall]:
    words = command.words
    parsed = _parse(words, index, table, False)
    if any(flag.name in ("version", "help") for flag in parsed.flags):
        return None  # it only prints something
    subcommand = words[parsed.next] if parsed.complete and parsed.next < len(words) else None
    arguments = words[parsed.next + 1:] if subcommand is not None else ()
    flags = parsed.flags
    return ComposeCall(tool, _all(flags, "file"), _last(flags, "project-directory"), _last(flags, "project-name"),
                       _all(flags, "env-file"), _all(flags, "profile"), subcommand, arguments, tuple(flags),
                       tuple(parsed.problems), command.span, parsed.complete)
