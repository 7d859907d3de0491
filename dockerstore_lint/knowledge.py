"""What well-known images do with storage, for the facts a repository cannot tell.

The data lives in knowledge/images.json (its `about` explains the format); this module picks the entry
that fits an image reference and turns it into frozen objects whose paths are `ContainerPath`s.
An image or tag the data does not cover gives None: rules stay silent rather than guess.

How a tag picks an entry: its leading version (`16`, `16.4-alpine`, `v2.45.0`, `2019-latest`) must lie
in the entry's range; a tag without one (`latest`, `alpine3.20`, `lts`, no tag) means the newest
release, so only an entry without an upper bound fits; a digest-only reference could be any release,
so it gets facts only from entries, and facts, that hold for every version (a tag next to a digest is
taken at its word). Words in the tag select
variants (`rootless`, `nanoserver`, `chiseled`): an entry that asks for variant words beats the
generic one, and an entry listing a word in `unless_tag` steps aside for it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, NamedTuple, Optional, Sequence

from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.images import ImageRef, image_os

# What a data directory holds; rules word their messages by it.
KINDS = frozenset({
    "database", "queue", "search", "cache", "ci", "registry", "cms", "monitoring", "vcs",
    "object-storage", "management", "dns", "code-quality", "collaboration", "application", "certificates", "mail",
})

_DATA_FILE = Path(__file__).with_name("knowledge") / "images.json"
_LEADING_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)")
_TAG_WORD = re.compile(r"[a-z0-9]+")

Version = tuple[int, ...]
# A tag without a version follows the newest release; a digest alone could be any release.
NEWEST = "newest"
ANY_RELEASE = "any"


class Citation(NamedTuple):
    """Where a fact comes from: `repo:path@commit` (with lines) or a documentation URL."""

    ref: str
    lines: str = ""  # "L192", "L141-165"

    @property
    def from_docs(self) -> bool:
        return self.ref.startswith(("https://", "http://"))

    def __str__(self) -> str:
        return f"{self.ref} {self.lines}" if self.lines else self.ref


class User(NamedTuple):
    name: str
    uid: Optional[int]
    gid: Optional[int]
    source: Citation

    @property
    def privileged(self) -> bool:
        return self.uid == 0 or self.name in ("root", "ContainerAdministrator")


class CommandStart(NamedTuple):
    """The commands of a container's own (in place of the image's CMD) that an entrypoint treats a certain way, by
    their first word: a pattern is a word, or a word with `*` at its start or end (`mongo*`, `*.conf`); `-*` is an
    option, which the official entrypoints hand to their server (`postgres -c ...`)."""

    patterns: tuple[str, ...]
    source: Citation

    def matches(self, word: str) -> bool:
        return any(_word_matches(word, pattern) for pattern in self.patterns)


class PrivilegeDrop(NamedTuple):
    """Whether the entrypoint starts as root and switches to `to` itself (gosu, su-exec, setpriv, s6)."""

    drops: bool
    to: Optional[User]
    source: Citation
    # variables whose value becomes the uid / gid switched to (linuxserver.io's PUID/PGID)
    uid_env: Optional[str] = None
    gid_env: Optional[str] = None
    # the commands of the container's own it switches for, when they are more than those that start the service
    # (mongo's entrypoint steps down for every `mongo*` tool); None: those of `DefaultCommand.given`
    given: Optional[CommandStart] = None

    def uid(self, environment: Optional[Mapping[str, str]] = None) -> Optional[int]:
        """The uid the process ends up with: the variable's when set, else the image's; None when not known."""
        return _id_from(environment, self.uid_env, self.to.uid if self.to else None)

    def gid(self, environment: Optional[Mapping[str, str]] = None) -> Optional[int]:
        return _id_from(environment, self.gid_env, self.to.gid if self.to else None)


class DefaultCommand(NamedTuple):
    """What the image runs when the container gets no command of its own (ENTRYPOINT and CMD as the image sets them).

    `service` is True when that starts a long-running process: a server, a daemon, or a process supervisor that
    starts them. It is False for a shell, a REPL, a build tool, a language runtime waiting for a program, or no
    command at all: the image is a base or a toolchain, and whatever process runs is the one a derived image or
    the runner names.
    """

    service: bool
    command: Optional[str]  # ENTRYPOINT then CMD as the image's Dockerfile writes them, when recorded
    source: Citation
    # the commands of the container's own that still start the service; None: not known
    given: Optional[CommandStart] = None


class Supervisor(NamedTuple):
    """A process supervisor (s6, runit, supervisord) that the default command starts as root.

    It starts the image's services itself, each under the user its own service definition names, so the user of
    the container's main process says nothing about who runs the services.
    """

    name: str
    source: Citation


class CommandCondition(NamedTuple):
    """A fact that holds only when the container's command does, or does not, contain a word."""

    when_has: Optional[str] = None
    unless_has: Optional[str] = None

    def holds(self, command: Sequence[str]) -> bool:
        if self.when_has is not None and not _mentions(command, self.when_has):
            return False
        return self.unless_has is None or not _mentions(command, self.unless_has)


class DeclaredVolume(NamedTuple):
    """A path of the image's VOLUME instruction."""

    path: ContainerPath
    holds_state: bool  # False for logs and scratch space
    what: str
    condition: CommandCondition
    source: Citation


class DataDir(NamedTuple):
    """Where the image keeps state, and what moves it."""

    path: ContainerPath
    kind: str
    env: Optional[str]  # an environment variable whose value replaces `path` (PGDATA)
    flag: Optional[str]  # a command-line option whose value replaces `path` (--dbpath)
    network_fs_unsafe: Optional[Citation]  # set where the vendor says NFS/CIFS corrupts it
    condition: CommandCondition
    source: Citation
    # set where the entrypoint, started as root, chowns the directory to the user it switches to at every
    # start, so a directory Docker creates root-owned does no harm
    takes_ownership: Optional[Citation] = None


class ImageContent(NamedTuple):
    """Files the image ships at `path`; a mount there hides them."""

    path: ContainerPath
    what: str
    is_file: bool
    source: Citation


class Replaceable(NamedTuple):
    """A directory meant to be filled or replaced by a mount."""

    path: ContainerPath
    what: str
    source: Citation


class Seeding(NamedTuple):
    """The image copies `origin` into an empty `path` at start, so a fresh volume there fills itself."""

    path: ContainerPath
    origin: ContainerPath
    source: Citation


class RejectedMount(NamedTuple):
    """A mount target that stops the container from starting unless `unless_env` is set."""

    path: ContainerPath
    unless_env: Optional[str]
    why: str
    source: Citation
    moving: str = ""  # what moving the mount to the data directory does to data already in it

    def applies(self, environment: Mapping[str, str]) -> bool:
        return not (self.unless_env and environment.get(self.unless_env))


class ImageFacts(NamedTuple):
    key: str  # the entry's id in images.json
    image: str  # the repository name looked up
    os: str
    stateful: Optional[bool]
    user: Optional[User]
    privilege_drop: Optional[PrivilegeDrop]
    workdir: Optional[ContainerPath]
    volumes: Optional[tuple[DeclaredVolume, ...]]  # None: not known; (): no VOLUME
    data_dirs: Optional[tuple[DataDir, ...]]  # None: not known; (): keeps no state
    content: tuple[ImageContent, ...]  # the notable ones, never a full listing
    replaceable: tuple[Replaceable, ...]
    seeding: Optional[Seeding]
    rejected_mounts: tuple[RejectedMount, ...]
    note: str
    default_command: Optional[DefaultCommand] = None
    # the main process stays `user` (it binds ports, reads keys, supervises) while the processes that serve
    # requests or run the application's code run as this user: nginx and Apache workers, php-fpm pools, IIS
    # worker processes
    worker_user: Optional[User] = None
    supervisor: Optional[Supervisor] = None

    @property
    def drops_root(self) -> Optional[bool]:
        return self.privilege_drop.drops if self.privilege_drop else None

    @property
    def runs_service(self) -> Optional[bool]:
        """Whether the image's own default command starts a long-running service; None when not known."""
        return self.default_command.service if self.default_command else None

    def state_volumes(self, command: Sequence[str] = ()) -> tuple[DeclaredVolume, ...]:
        """Declared volumes that hold state when the container runs `command` (empty: the image's)."""
        return tuple(v for v in self.volumes or () if v.holds_state and v.condition.holds(command))

    def data_dirs_for(self, environment: Optional[Mapping[str, str]] = None,
                      command: Sequence[str] = ()) -> tuple[DataDir, ...]:
        """The data directories in use, moved where the command line or the environment says."""
        environment = environment or {}
        chosen = []
        for data_dir in self.data_dirs or ():
            if not data_dir.condition.holds(command):
                continue
            # the command line wins over the environment, as mongod and influxd read them
            value = _flag_value(command, data_dir.flag) if data_dir.flag else None
            if value is not None:
                # entrypoints chown the path they know (mongo's /data/db, redis's working directory), not
                # the one the server is told on its command line
                data_dir = data_dir._replace(path=self._path_in_container(value), takes_ownership=None)
            elif data_dir.env and environment.get(data_dir.env):
                # the entrypoint reads the same variable (PGDATA), so its chown follows the move
                data_dir = data_dir._replace(path=self._path_in_container(environment[data_dir.env]))
            chosen.append(data_dir)
        return tuple(chosen)

    def content_hidden_by(self, target: ContainerPath) -> tuple[ImageContent, ...]:
        """Content a mount at `target` would hide entirely.

        A directory can be both content and replaceable (nginx's default page): ask `replaceable_at`
        first, since a mount there is what the image expects.
        """
        return tuple(c for c in self.content if c.path.is_within(target))

    def replaceable_at(self, target: ContainerPath) -> Optional[Replaceable]:
        """The mount point made for a mount at `target`, if there is one."""
        return next((r for r in self.replaceable if target.is_within(r.path)), None)

    def rejected_mounts_at(self, target: ContainerPath,
                           environment: Optional[Mapping[str, str]] = None) -> tuple[RejectedMount, ...]:
        return tuple(r for r in self.rejected_mounts if r.path.same(target) and r.applies(environment or {}))

    def seeds(self, target: ContainerPath) -> bool:
        return self.seeding is not None and self.seeding.path.same(target)

    def _path_in_container(self, raw: str) -> ContainerPath:
        path = container_path(raw, self.os)
        # a relative data path is relative to the process's working directory
        if not path.absolute and self.workdir is not None:
            return self.workdir.join(raw)
        return path


def image_facts(image: ImageRef) -> Optional[ImageFacts]:
    """The facts for an image reference, or None when the image or tag is not known."""
    if not image.resolved:
        return None
    return _lookup(image.name, image.tag, image.digest is not None, image_os(image))


def entries() -> tuple[Mapping[str, Any], ...]:
    """The raw entries of images.json, for tests and documentation."""
    return tuple(_load()["images"])


def tag_version(tag: Optional[str]) -> Optional[Version]:
    """The leading version of a tag: `16.4-alpine` -> (16, 4); None for `latest` or `alpine3.20`."""
    match = _LEADING_VERSION.match(tag) if tag else None
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def in_range(version: Version | str, bounds: Optional[Mapping[str, str]]) -> bool:
    """Whether a version (or NEWEST / ANY_RELEASE) lies within inclusive `min`/`max` bounds."""
    low = tag_version((bounds or {}).get("min"))
    high = tag_version((bounds or {}).get("max"))
    if version == ANY_RELEASE:
        return low is None and high is None
    if version == NEWEST:
        return high is None
    assert isinstance(version, tuple)
    return (low is None or _at_least(version, low)) and (high is None or _at_most(version, high))


def _at_least(version: Version, bound: Version) -> bool:
    common = min(len(version), len(bound))
    if version[:common] != bound[:common]:
        return version[:common] > bound[:common]
    # equal as far as both go: `17.4` is within `17`, and a floating `17` reaches the newest 17.x
    return True


def _at_most(version: Version, bound: Version) -> bool:
    common = min(len(version), len(bound))
    if version[:common] != bound[:common]:
        return version[:common] < bound[:common]
    # a floating `17` follows 17.x past a `17.1` bound; `17.4` stays within a `17` bound
    return len(version) >= len(bound)


@lru_cache(maxsize=1)
def _load() -> Mapping[str, Any]:
    with _DATA_FILE.open(encoding="utf-8") as handle:
        data: Mapping[str, Any] = json.load(handle)
    return data


@lru_cache(maxsize=1)
def _by_name() -> Mapping[str, tuple[Mapping[str, Any], ...]]:
    index: dict[str, list[Mapping[str, Any]]] = {}
    for entry in _load()["images"]:
        for name in entry["names"]:
            index.setdefault(name, []).append(entry)
    return {name: tuple(found) for name, found in index.items()}


@lru_cache(maxsize=512)
def _lookup(name: str, tag: Optional[str], has_digest: bool, os_hint: Optional[str]) -> Optional[ImageFacts]:
    words = set(_TAG_WORD.findall(tag.lower())) if tag else set()
    fitting = [
        entry for entry in _by_name().get(name, ())
        if set(entry.get("variant", ())) <= words
        and not words.intersection(entry.get("unless_tag", ()))
        and (os_hint is None or entry["os"] == os_hint)
    ]
    # an entry made for the tag's variant beats the generic one
    specific = [entry for entry in fitting if entry.get("variant")]
    pool = specific or fitting
    version: Version | str
    if tag is None and has_digest:
        version = ANY_RELEASE
    else:
        version = tag_version(tag) or NEWEST
    matches = [entry for entry in pool if in_range(version, entry.get("versions"))]
    if len(matches) != 1:
        return None
    return _facts(matches[0], name, version)


def _facts(entry: Mapping[str, Any], name: str, version: Version | str) -> ImageFacts:
    os = entry["os"]
    sources = entry["sources"]

    def source(ref: str) -> Citation:
        key, _, lines = ref.partition(":")
        return Citation(sources[key], lines)

    def path(raw: str) -> ContainerPath:
        return container_path(raw, os)

    def present(items: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return [item for item in items if in_range(version, item.get("versions"))]

    def condition(item: Mapping[str, Any]) -> CommandCondition:
        return CommandCondition(item.get("when_command_has"), item.get("unless_command_has"))

    def user_of(raw: Optional[Mapping[str, Any]]) -> Optional[User]:
        return User(raw["name"], raw.get("uid"), raw.get("gid"), source(raw["src"])) if raw else None

    user = user_of(entry.get("user"))
    def start(raw: Optional[Mapping[str, Any]]) -> Optional[CommandStart]:
        return CommandStart(tuple(raw["first_word"]), source(raw["src"])) if raw else None

    drop = entry.get("drops_root")
    privilege_drop = None
    if drop is not None:
        to = User(drop["to"], drop.get("uid"), drop.get("gid"), source(drop["src"])) if drop.get("to") else None
        privilege_drop = PrivilegeDrop(drop["value"], to, source(drop["src"]), drop.get("uid_env"), drop.get("gid_env"),
                                       start(drop.get("given_command")))

    volumes = None
    if "volumes" in entry:
        volumes = tuple(
            DeclaredVolume(path(v["path"]), v["state"], v.get("what", ""), condition(v), source(v["src"]))
            for v in present(entry["volumes"])
        )
    data_dirs = None
    if "data_dirs" in entry:
        data_dirs = tuple(
            DataDir(path(d["path"]), d["kind"], d.get("env"), d.get("flag"),
                    source(d["network_fs_unsafe"]) if "network_fs_unsafe" in d else None,
                    condition(d), source(d["src"]),
                    source(d["takes_ownership"]) if "takes_ownership" in d else None)
            for d in present(entry["data_dirs"])
        )
    seeding = entry.get("seeds_volume")
    workdir = entry.get("workdir")
    command = entry.get("runs_service")
    supervisor = entry.get("supervisor")
    return ImageFacts(
        key=entry["id"],
        image=name,
        os=os,
        stateful=entry.get("stateful"),
        user=user,
        privilege_drop=privilege_drop,
        workdir=path(workdir["path"]) if workdir else None,
        volumes=volumes,
        data_dirs=data_dirs,
        content=tuple(
            ImageContent(path(c["path"]), c["what"], c.get("file", False), source(c["src"]))
            for c in present(entry.get("content", ()))
        ),
        replaceable=tuple(
            Replaceable(path(r["path"]), r["what"], source(r["src"])) for r in present(entry.get("replaceable", ()))
        ),
        seeding=Seeding(path(seeding["path"]), path(seeding["from"]), source(seeding["src"])) if seeding else None,
        rejected_mounts=tuple(
            RejectedMount(path(r["path"]), r.get("unless_env"), r["why"], source(r["src"]), r.get("moving", ""))
            for r in present(entry.get("rejects_mounts", ()))
        ),
        note=entry.get("note", ""),
        default_command=(DefaultCommand(command["value"], command.get("command"), source(command["src"]),
                                        start(command.get("given_command")))
                         if command else None),
        worker_user=user_of(entry.get("worker_user")),
        supervisor=Supervisor(supervisor["name"], source(supervisor["src"])) if supervisor else None,
    )


def _id_from(environment: Optional[Mapping[str, str]], variable: Optional[str],
             default: Optional[int]) -> Optional[int]:
    """A numeric id from `variable` in the environment, else `default`; None when the value is not a number."""
    value = (environment or {}).get(variable) if variable else None
    if not value:
        return default
    return int(value) if value.isdigit() else None


def _word_matches(word: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    if pattern.startswith("*"):
        return word.endswith(pattern[1:])
    return word == pattern


def _mentions(command: Sequence[str], word: str) -> bool:
    return any(arg == word or arg.startswith(word + "=") for arg in command)


def _flag_value(command: Sequence[str], flag: str) -> Optional[str]:
    """The value of `--flag value` or `--flag=value`, first occurrence, as the entrypoints read it."""
    for index, arg in enumerate(command):
        if arg == flag and index + 1 < len(command):
            return command[index + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1:]
    return None

