"""Questions rules ask about a service's container, answered from the model and the knowledge base.

Rules call these instead of re-deriving the same facts: which image a service really runs (the
registry image its Dockerfile builds FROM, when it builds one), what that image declares as VOLUME,
where it keeps state, who its process runs as, and which mount covers a path.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from typing import Mapping, Optional

from .dockerfile.runs import runs_as_script
from .dockerfile.words import expand
from .images import image_os, parse_image
from .knowledge import DataDir, ImageContent, ImageFacts, image_facts
from .model import Content, Dockerfile, ImageRef, Mount, Run, Service, Span, Stage
from .paths import ContainerPath, container_path

ROOT_USERS = ("root", "0", "containeradministrator")


def registry_image(service: Service) -> Optional[ImageRef]:
    """The image from a registry the service runs: `image:`, or what its built stages start FROM."""
    if service.stage is not None and service.dockerfile is not None:
        return service.dockerfile.lineage(service.stage)[-1].base
    if service.build is not None:
        return None  # a build we could not read: `image:` is only the name it will be tagged with
    if not service.image or not service.image_resolved:
        return None
    return parse_image(service.image)


def facts_for(service: Service) -> Optional[ImageFacts]:
    image = registry_image(service)
    return image_facts(image) if image is not None else None


@dataclass(frozen=True, slots=True)
class ImageVolume:
    """A path the service's image declares as VOLUME, and who says so."""

    path: ContainerPath
    span: Optional[Span]  # the VOLUME line, when the repository's Dockerfile declares it
    from_knowledge: bool
    holds_state: bool = True


def image_volumes(service: Service) -> list[ImageVolume]:
    """VOLUME paths of the service's image: its built stages', then the base image's known ones."""
    found: list[ImageVolume] = []
    if service.stage is not None:
        found.extend(ImageVolume(v.path, v.span, False) for v in service.stage.volumes if not v.malformed)
    facts = facts_for(service)
    if facts is not None:
        for volume in facts.volumes or ():
            if not any(v.path.same(volume.path) for v in found):
                state = volume.holds_state and volume.condition.holds(service.command)
                found.append(ImageVolume(volume.path, None, True, state))
    return found


def data_dirs(service: Service) -> tuple[DataDir, ...]:
    """Where the service's image keeps state, moved where its environment or command says."""
    facts = facts_for(service)
    if facts is None or not facts.stateful:
        return ()
    return facts.data_dirs_for(container_environment(service), service.command)


def container_environment(service: Service) -> dict[str, str]:
    """The variables the container starts with: its built stage's ENV, then Compose's environment."""
    environment = dict(service.stage.env) if service.stage is not None else {}
    environment.update(service.environment)
    return environment


@dataclass(frozen=True, slots=True)
class RuntimeUser:
    """Who the container's main process starts as, and whether it switches to another user itself."""

    name: Optional[str]  # None: not known
    span: Optional[Span]  # where the repository sets it (`user:` or USER)
    drops_root: bool = False

    @property
    def is_root(self) -> Optional[bool]:
        if self.name is None:
            return None
        return is_root_user(self.name)


def runtime_user(service: Service) -> RuntimeUser:
    if service.user is not None:
        return RuntimeUser(service.user.value if service.user.resolved else None, service.user.span)
    if service.stage is not None and service.stage.user is not None:
        user = service.stage.user
        return RuntimeUser(user.value if user.resolved else None, user.span)
    facts = facts_for(service)
    if facts is None or facts.user is None:
        if service.stage is not None and service.stage.base.name == "scratch":
            return RuntimeUser("root", None)
        return RuntimeUser(None, None)
    return RuntimeUser(facts.user.name, None, drops_root=bool(facts.drops_root))


def stage_user_is_root(stage: Stage, facts: Optional[ImageFacts]) -> Optional[bool]:
    """Whether a stage's process runs as root: its USER, else its base image's known user."""
    if stage.user is not None:
        return is_root_user(stage.user.value) if stage.user.resolved else None
    if facts is not None and facts.user is not None:
        return facts.user.privileged
    return None


def is_root_user(value: str) -> bool:
    name = value.split(":", 1)[0].strip().lower()
    return name in ROOT_USERS


def covering_mounts(service: Service, path: ContainerPath) -> list[Mount]:
    """Mounts at `path` or above it, the deepest (the one whose files the container sees) first."""
    found = [m for m in service.mounts if m.target is not None and not m.invalid and path.is_within(m.target)]
    return sorted(found, key=lambda m: len(m.target.parts), reverse=True)


def mounts_below(service: Service, path: ContainerPath) -> list[Mount]:
    """Mounts strictly inside `path`."""
    return [m for m in service.mounts if m.target is not None and not m.invalid and m.target.strictly_within(path)]


@dataclass(frozen=True, slots=True)
class Storage:
    """What keeps the files a container writes at a path."""

    mount: Optional[Mount] = None  # the mount that holds them
    image_volume: Optional[ImageVolume] = None  # an image VOLUME no mount replaces: an anonymous volume
    known: bool = True  # False when a VOLUME of the image we do not know could sit over the path

    @property
    def in_writable_layer(self) -> bool:
        return self.known and self.mount is None and self.image_volume is None


def storage_at(service: Service, path: ContainerPath) -> Storage:
    """Where files written at `path` end up: the deepest mount, or image VOLUME, over it.

    Docker creates an anonymous volume for every VOLUME of the image that no mount targets exactly,
    and mounts the deeper of two nested mount points on top: a VOLUME below a mount wins over it.
    """
    mount = next(iter(covering_mounts(service, path)), None)
    targets = [m.target for m in service.mounts if m.target is not None and not m.invalid]
    volumes = [v for v in image_volumes(service)
               if path.is_within(v.path) and not any(t.same(v.path) for t in targets)]
    volume = max(volumes, key=lambda v: len(v.path.parts), default=None)
    if volume is not None and (mount is None or len(volume.path.parts) > len(mount.target.parts)):
        return Storage(image_volume=volume)
    exact = mount is not None and mount.target.same(path)
    return Storage(mount=mount, known=exact or image_volumes_known(service))


def data_mount_point(service: Service, data_dir: ContainerPath) -> ContainerPath:
    """Where a volume keeps a data directory: the image's VOLUME that holds it, else the directory itself.

    PostgreSQL 18 keeps its data in /var/lib/postgresql/18/docker under VOLUME /var/lib/postgresql, and
    a mount at the VOLUME survives a major upgrade that the versioned directory would not.
    """
    holding = [v.path for v in image_volumes(service) if data_dir.is_within(v.path)]
    return max(holding, key=lambda path: len(path.parts), default=data_dir)


def data_mounts_below(service: Service, path: ContainerPath) -> list[Mount]:
    """Mounts strictly inside `path` that look meant to keep data written there.

    That is writable volumes, and bind mounts of directories the repository does not ship; a read-only
    mount, a single file, or a bind of files the repository ships delivers content (a configuration
    file, Grafana dashboards) instead.
    """
    return [m for m in mounts_below(service, path)
            if not m.read_only and m.origin == "volumes" and not file_extension(m.target.name)
            and (m.type == "volume" or (m.type == "bind" and m.host is not None and m.host.exists is False))]


def image_volumes_known(service: Service) -> bool:
    """Whether every VOLUME of the service's image is known (its Dockerfile's and its base image's)."""
    facts = facts_for(service)
    return facts is not None and facts.volumes is not None


# What a data directory of each kind holds, for messages.
STATE_WORDS = {
    "database": "database files",
    "queue": "queues and messages",
    "search": "search indices",
    "cache": "cached entries",
    "ci": "jobs and builds",
    "registry": "stored images",
    "cms": "site content and uploads",
    "monitoring": "monitoring data",
    "vcs": "repositories",
    "object-storage": "stored objects",
    "management": "settings",
    "dns": "DNS settings",
    "code-quality": "analysis results",
    "collaboration": "files",
}


def state_words(kind: str) -> str:
    return STATE_WORDS.get(kind, "data")


# `nginx.conf`, `init.sql`, `.env.local`: a last component that ends like a file name (`conf.d` is a directory)
_FILE_EXTENSION = re.compile(r"[^.][.]([A-Za-z][A-Za-z0-9]{0,5})$")


def file_extension(path_text: str) -> str:
    """The lower-cased extension when a path, host or container, names what looks like a file; else ""."""
    name = path_text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    match = _FILE_EXTENSION.search(name)
    extension = match.group(1).lower() if match else ""
    return "" if extension == "d" else extension


def is_windows_container(service: Service) -> bool:
    """Whether the service runs as a Windows container: its platform, built stage or image says so, or a
    mount target is a Windows path (Compose reads every target of a Windows service as one)."""
    if service.platform and service.platform.lower().startswith("windows"):
        return True
    if service.stage is not None:
        return service.stage.os == "windows"
    image = registry_image(service)
    if image is not None and image_os(image) == "windows":
        return True
    facts = facts_for(service)
    if facts is not None and facts.os == "windows":
        return True
    return any(m.target is not None and m.target.os == "windows" for m in service.mounts)


def single_file_source(mount: Mount) -> bool:
    """Whether a bind mount's source is one file: the file on disk when the repository has the path,
    otherwise (outside the repository, or missing from it) a name that ends like a file name."""
    host = mount.host
    if host is None or host.kind in ("unresolved", "npipe"):
        return False
    if host.exists:
        return bool(host.is_file)
    return file_extension(mount.source_written or mount.source or "") != ""


@dataclass(frozen=True, slots=True)
class ImageFiles:
    """Files an image has at `path`: put there by an instruction of the repository's Dockerfile, or known
    of its base image from the knowledge base."""

    path: ContainerPath
    what: str
    is_file: bool
    content: Optional[Content] = None  # the Dockerfile instruction behind them
    known: Optional[ImageContent] = None  # the knowledge base's entry behind them


def image_files_under(path: ContainerPath, stage: Optional[Stage],
                      facts: Optional[ImageFacts]) -> list[ImageFiles]:
    """What an image has at `path` or below it: the built stage's content in build order, then the base
    image's known content. WORKDIRs (empty directories) and the base image's directories made to be
    replaced by a mount (nginx's default page) are left out."""
    found = [ImageFiles(c.path, c.what, c.is_file, content=c) for c in (stage.content if stage else ())
             if c.instruction != "WORKDIR" and c.path.is_within(path)]
    if facts is not None:
        found.extend(ImageFiles(k.path, k.what, k.is_file, known=k) for k in facts.content_hidden_by(path)
                     if facts.replaceable_at(k.path) is None)
    return found


def service_image_files(service: Service, path: ContainerPath) -> list[ImageFiles]:
    """`image_files_under` for the image a service runs."""
    return image_files_under(path, service.stage, facts_for(service))


def describe_image_files(files: list[ImageFiles], image: Optional[ImageRef], limit: int = 3) -> str:
    """`/app/node_modules (node_modules from `npm ci`, Dockerfile:4), ... and 2 more`, for messages: each
    path once, in the order given, named after the first entry for it; `image` is the base image whose
    known content is among them."""
    first: dict[ContainerPath, ImageFiles] = {}
    for entry in files:
        first.setdefault(entry.path, entry)
    named = []
    for entry in list(first.values())[:limit]:
        if entry.content is not None:
            where = f"{entry.content.span.file.rsplit('/', 1)[-1]}:{entry.content.span.line}"
            named.append(f"{entry.path} ({entry.what}, {where})")
        else:
            named.append(f"{entry.path} ({entry.what} of {image.display if image else 'the base image'})")
    more = f" and {len(first) - limit} more" if len(first) > limit else ""
    return ", ".join(named) + more


# directories whose files nobody expects to keep: a VOLUME there is about the writable layer, not about data
SCRATCH_DIRECTORIES = (container_path("/tmp"), container_path("/var/tmp"))


def is_scratch_directory(path: ContainerPath) -> bool:
    """Whether `path` is, or is under, a directory of temporary files (`/tmp`, `/var/tmp`)."""
    return any(path.is_within(scratch) for scratch in SCRATCH_DIRECTORIES)


# what entrypoints use to step down from root (the official database images install gosu)
PRIVILEGE_DROP_TOOLS = frozenset(("gosu", "su-exec"))


def installs_privilege_drop(dockerfile: Dockerfile, stage: Stage) -> bool:
    """Whether the image gets gosu or su-exec (RUN installs it, or COPY/ADD puts it in place): its
    entrypoint then starts as root only to run the service as another user, as postgres's does."""
    for member in dockerfile.lineage(stage):
        for instruction in member.instructions:
            if instruction.keyword in ("RUN", "COPY", "ADD") and any(
                    word.strip(";&|()'\"").rsplit("/", 1)[-1] in PRIVILEGE_DROP_TOOLS for word in instruction.args):
                return True
    return False


# --- What a RUN changes, for the commands whose targets are plain on their command line ---------------


@dataclass(frozen=True, slots=True)
class RunWrite:
    """A path a RUN changes, read from its command line."""

    path: ContainerPath
    command: str  # the command, shortened, for messages
    recursive: bool = False  # `chown -R`: everything below `path` changes too


# per command, the options that take the next word as their value
_VALUE_OPTIONS = {
    "chown": ("--from",), "chgrp": (), "chmod": (), "rm": (), "tee": (),
    "mkdir": ("-m", "--mode", "--context"), "touch": ("-d", "--date", "-r", "--reference", "-t"),
    "cp": ("-t", "--target-directory", "-S", "--suffix"), "mv": ("-t", "--target-directory", "-S", "--suffix"),
}
_RECURSIVE = frozenset(("-R", "--recursive"))
# chmod's own options; any other word starting with `-` is a mode (`chmod -x FILE`)
_CHMOD_OPTIONS = frozenset(("-R", "-c", "-f", "-v", "--recursive", "--changes", "--silent", "--quiet", "--verbose",
                            "--preserve-root", "--no-preserve-root"))
_SEPARATORS = frozenset("();|&\n")
_RUN_PREFIXES = frozenset(("if", "then", "else", "elif", "do", "while", "until", "!", "time", "sudo", "exec",
                           "command", "nohup", "env", "{"))
_SHELL_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def run_writes(run: Run, stage: Stage) -> tuple[RunWrite, ...]:
    """Paths a RUN plainly changes: the operands of `mkdir`, `touch`, `chown`, `chgrp`, `chmod`, `rm` and
    `tee`, the destination of `cp` and `mv`, and output redirections (`echo x > FILE`).

    Relative paths are taken from the RUN's WORKDIR and the `cd`s before them in the same RUN, `$VAR`s
    from the stage's ENV. A path that depends on anything else (an ARG, `~`, a command substitution)
    is left out, and so are paths under a `--mount` target of the same RUN: they never reach the
    image. Windows shells are not read.
    """
    if stage.os != "linux":
        return ()
    mounted = [run.workdir.join(m.target) for m in run.mounts if m.target]
    # the shell sees the stage's ENV; a value still holding `$` came from something unknown
    environment = {name: (value, "$" not in value) for name, value in stage.env.items()}
    found: list[RunWrite] = []
    cwd: Optional[ContainerPath] = run.workdir
    for words in _simple_commands(_run_script(run, stage)):
        words, targets = _redirections(words)
        found.extend(RunWrite(path, _short(words + [">", target]))
                     for target in targets if (path := _run_path(target, cwd, environment)) is not None)
        words = _without_prefixes(words)
        if not words:
            continue
        if words[0] == "cd":
            cwd = _run_path(words[1], cwd, environment) if len(words) == 2 and words[1] != "-" else None
            continue
        for operand, recursive in _changed_operands(words):
            path = _run_path(operand, cwd, environment)
            if path is not None:
                found.append(RunWrite(path, _short(words), recursive))
    return tuple(write for write in found if not any(write.path.is_within(target) for target in mounted))


def _run_script(run: Run, stage: Stage) -> str:
    """The shell text a RUN executes: its command line, and its heredocs when they are the script."""
    if run.text.lstrip().startswith("["):
        try:
            argv = json.loads(run.text)
        except ValueError:
            return ""
        if not (isinstance(argv, list) and argv and all(isinstance(word, str) for word in argv)):
            return ""
        if len(argv) > 2 and argv[1] == "-c":
            return argv[2]
        return " ".join(shlex.quote(word) for word in argv)
    line, _, _ = run.text.partition("\n")
    if not runs_as_script(line):
        return line  # heredoc bodies, if any, are some program's input
    instruction = next((i for i in stage.instructions if i.span == run.span), None)
    bodies = [body for _, body in instruction.heredocs] if instruction is not None else []
    return "\n".join([line, *bodies])


def _simple_commands(script: str) -> list[list[str]]:
    """The words of each simple command, quotes removed; redirection operators stay words (`>`, `2>&`)."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars="();<>|&\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # an unbalanced quote: not shell text this can read
        return []
    commands: list[list[str]] = []
    words: list[str] = []
    for token in tokens:
        if token and set(token) <= _SEPARATORS:
            if words:
                commands.append(words)
            words = []
        else:
            words.append(token)
    if words:
        commands.append(words)
    return commands


def _redirections(words: list[str]) -> tuple[list[str], list[str]]:
    """The command's words without its redirections, and the files its output goes to."""
    kept: list[str] = []
    targets: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if ("<" in word or ">" in word) and set(word) <= set("<>&|"):
            if kept and kept[-1].isdigit():
                kept.pop()  # the file descriptor of `2>`
            following = words[index + 1] if index + 1 < len(words) else ""
            if ">" in word and not word.endswith("&") and following:
                targets.append(following)  # `> FILE`, `>> FILE`, `&> FILE`; `>&2` duplicates a descriptor
            index += 2
            continue
        kept.append(word)
        index += 1
    return kept, targets


def _without_prefixes(words: list[str]) -> list[str]:
    """Drop what runs a command without being it: `VAR=x`, `sudo`, `then`, `env`..."""
    index = 0
    while index < len(words) and (words[index] in _RUN_PREFIXES or _SHELL_ASSIGNMENT.match(words[index])):
        index += 1
    return words[index:]


def _changed_operands(words: list[str]) -> list[tuple[str, bool]]:
    """(operand, recursive) for each path the command changes, if it is one of the commands read."""
    program = words[0].rsplit("/", 1)[-1]
    if program not in _VALUE_OPTIONS:
        return []
    options, operands = _split_options(program, words[1:])
    recursive = any(option in _RECURSIVE or (option.startswith("-") and not option.startswith("--")
                                             and "R" in option) for option in options)
    if program in ("chown", "chgrp", "chmod"):
        by_reference = any(option.startswith("--reference") for option in options)
        operands = operands if by_reference else operands[1:]  # the owner, group or mode comes first
        return [(operand, recursive) for operand in operands]
    if program in ("cp", "mv"):
        target = next((o.split("=", 1)[1] for o in options if o.startswith("--target-directory=")), None)
        if target is None and "-t" in options:
            target = options[options.index("-t") + 1] if options.index("-t") + 1 < len(options) else None
        if target is not None:
            return [(target, False)]
        return [(operands[-1], False)] if len(operands) > 1 else []
    return [(operand, False) for operand in operands]


def _split_options(program: str, words: list[str]) -> tuple[list[str], list[str]]:
    """Options (with the values they take) and operands, as GNU and busybox tools read them."""
    takes_value = _VALUE_OPTIONS[program]
    options: list[str] = []
    operands: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--":
            operands.extend(words[index + 1:])
            break
        is_mode = program == "chmod" and word not in _CHMOD_OPTIONS and not word.startswith("--reference")
        if word.startswith("-") and len(word) > 1 and not is_mode:
            options.append(word)
            if word in takes_value and index + 1 < len(words):
                options.append(words[index + 1])
                index += 1
        else:
            operands.append(word)
        index += 1
    return options, operands


def _run_path(word: str, cwd: Optional[ContainerPath],
              environment: Mapping[str, tuple[str, bool]]) -> Optional[ContainerPath]:
    """A path on a RUN's command line as the shell would see it, if that can be told."""
    if not word or word.startswith(("~", "-")):
        return None
    text = expand(word, environment).text if "$" in word else word
    if "$" in text or (cwd is None and not text.startswith("/")):
        return None  # an unknown variable or directory: it could be anywhere
    return container_path(text, "linux") if text.startswith("/") else cwd.join(text)


def _short(words: list[str]) -> str:
    text = " ".join(words)
    return text if len(text) <= 60 else text[:57] + "..."
