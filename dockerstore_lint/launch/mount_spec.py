"""A mount as `docker run` reads it: `-v`/`--volume`, `--mount`, `--tmpfs`; and the same `--mount`
CSV as BuildKit's `RUN --mount=` and dev container `mounts` strings.

The rules are Docker's own (not Compose's), re-expressed from its sources:
- docker/cli@28f756087eea5fa301f3fbf12b01ae62f91521c2: internal/volumespec/volumespec.go (how the CLI
  splits `-v`, drive letters kept), cli/command/container/opts.go (since Docker 23 a `-v` source that
  starts with `.` is a path made absolute against the working directory; before, a volume name and an
  error), opts/mount.go and opts/mount_utils.go (`--mount`: Go CSV, keys, booleans, errors);
- moby/moby@b985e2313a8676e18072b442911fc8f64f17d440: daemon/volume/mounts/linux_parser.go,
  windows_parser.go, validate.go, parser.go, mounts.go (what the daemon refuses, and its messages; a
  missing `-v` bind source is created as a root-owned directory on Linux, `--mount type=bind` refuses
  to start unless `bind-create-src`, and a Windows daemon refuses both), daemon/volume/local/local.go
  and service/errors.go (local volume names);
- containers/podman@c6580b4a5219c9efb9ab79a540637d8a58b736f8: pkg/specgen/volumes.go, pkg/specgenutil/
  volumes.go, vendor/go.podman.io/common/pkg/parse/parse.go (podman's `-v` and `--mount`; podman never
  creates a missing bind source);
- moby/buildkit@73ed6825c4b7569379ef89df0aedcdbe64473d31: frontend/dockerfile/instructions/
  commands_runmount.go (`RUN --mount`: bind by default, keys lower-cased).

A value that depends on something unresolved is read as far as it is certain and never judged: its
`kind`, `read_only` or `error` is None where the unknown part decides them.
"""

import re
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.model.container_paths import is_named_pipe, looks_windows
from dockerstore_lint.model.dockerfile import RunMount
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE, HOME, Word


class MountSpec(NamedTuple):
    kind: Optional[str]  # bind | volume | tmpfs | npipe | image | cluster (podman: also glob, ramfs, devpts,
    #                      artifact); None when an unresolved value decides it
    source: Optional[str]  # volume name or host path as written (`HERE` kept, `./x` not made absolute)
    target: Optional[str]  # the path in the container, as written
    read_only: Optional[bool]  # None when an unresolved value decides it
    options: tuple[tuple[str, str], ...]  # the other options, in order: `--mount` keys lower-cased, `-v` modes
    written_as: str  # "docker-v" | "docker-mount" | "docker-tmpfs"
    missing_source: Optional[str]  # binds: "create" (-v on Linux) or "refuse"; None otherwise
    error: Optional[str]  # why Docker refuses it, in Docker's words (None: accepted, or not known)
    span: Span
    resolved: bool = True
    windows: bool = False  # read with a Windows daemon's rules: the target has a drive letter or is a pipe
    unknown_modes: tuple[str, ...] = ()  # `-v` modes the daemon does not know


# the local driver's volume names, daemon/names/names.go
_VOLUME_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
_LOCAL_NAME_ERROR = ('create {0}: "{0}" includes invalid characters for a local volume name, only '
                     '"[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, '
                     'use absolute path')
_SHORT_NAME_ERROR = "create {0}: volume name is too short, names should be at least two alphanumeric characters"
_PROPAGATIONS = frozenset(("private", "rprivate", "slave", "rslave", "shared", "rshared"))
_CONSISTENCIES = frozenset(("consistent", "cached", "delegated"))
_MODE_GROUPS = (frozenset(("rw", "ro")), frozenset(("z", "Z")), _PROPAGATIONS, frozenset(("nocopy",)), _CONSISTENCIES)
# what podman's `-v` accepts (go.podman.io/common/pkg/parse ValidateVolumeOpts)
_PODMAN_MODES = frozenset(("noexec", "exec", "nodev", "dev", "nosuid", "suid", "rw", "ro", "z", "Z", "O", "U",
                           "private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable",
                           "bind", "rbind", "cached", "delegated", "copy", "nocopy", "no-dereference", "nocreate"))
_PODMAN_MODE_PREFIXES = ("upperdir=", "workdir=", "idmap", "U=", "chown=")
_WINDOWS_RESERVED = re.compile(r"(con|prn|nul|aux|com[1-9]|lpt[1-9])\Z")
_WINDOWS_NAME = re.compile(r'[^\\/:*?"<>|\r\n]+\Z')
_WINDOWS_PATH_PART = re.compile(r'[^\\/:*?"<>\r\n]+\Z')
_WINDOWS_HOST_PART = re.compile(r'[^\\/:*?"<>|\r\n]+\Z')
_WINDOWS_DRIVE = re.compile(r"(\\\\\?\\)?[A-Za-z]:")
_HOST_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_SEPARATOR = re.compile(r"[\\/]")
# Go's strconv.ParseBool, which pflag and the daemon use; `--mount` booleans accept fewer spellings
GO_TRUE = frozenset(("1", "t", "T", "TRUE", "true", "True"))
GO_FALSE = frozenset(("0", "f", "F", "FALSE", "false", "False"))
_SIZE = re.compile(r"\d+(?:\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?\Z")  # docker/go-units RAMInBytes
_OCTAL = re.compile(r"[0-7]+\Z")
# unresolved text still in a value: an expansion, a backquote, a glob, an unexpanded `~`
_UNCERTAIN = re.compile(r"[$`*?\[{]|^~")
# `--mount` keys by the options group they belong to (opts/mount.go ensure*Options)
_GROUPS = {"bind-propagation": "bind", "bind-recursive": "bind", "bind-create-src": "bind",
           "volume-subpath": "volume", "volume-nocopy": "volume", "volume-label": "volume", "volume-driver": "volume",
           "volume-opt": "volume", "image-subpath": "image", "tmpfs-size": "tmpfs", "tmpfs-mode": "tmpfs"}
_NO_VALUE_KEYS = frozenset(("readonly", "ro", "volume-nocopy", "bind-nonrecursive", "bind-create-src"))
_KNOWN_KEYS = frozenset(("type", "source", "src", "target", "dst", "destination", "readonly", "ro", "consistency",
                         "bind-nonrecursive", *_GROUPS))
_BIND_RECURSIVE = frozenset(("enabled", "disabled", "writable", "readonly"))
_PODMAN_TYPES = frozenset(("bind", "glob", "tmpfs", "ramfs", "devpts", "image", "artifact", "volume"))


class _Certainty:
    """Which parts of a word's value an unresolved expansion may have changed."""

    def __init__(self, word: Word) -> None:
        self.all_known = word.resolved
        # unresolved, yet nothing of it is visible in the text (a value the shell splits): nothing is known
        self.nothing_known = not word.resolved and _UNCERTAIN.search(word.value) is None

    def known(self, text: Optional[str]) -> bool:
        if self.all_known or text is None:
            return True
        return not self.nothing_known and _UNCERTAIN.search(text) is None


# --- -v / --volume ---------------------------------------------------------------------------------

def volume_flag(word: Word, *, engine: str = "docker", volume_driver: bool = False, api: bool = False) -> MountSpec:
    """`-v SPEC`. `volume_driver`: the command also has `--volume-driver`, so names are not the local
    driver's to check. `api`: SPEC goes to the engine's API as it is (docker-py's `volumes=`), without the
    command line's making `./x` absolute: a relative source is a volume name there."""
    if engine == "podman":
        return _podman_volume(word)
    certainty = _Certainty(word)
    if certainty.nothing_known:
        return _unusable(word, "docker-v", None)
    spec = word.value
    sections, problem = _cli_sections(spec)
    if problem is not None:
        return _unusable(word, "docker-v", f"invalid spec: {spec}: {problem}" if certainty.known(spec) else None)
    source, target, mode = _source_target_mode(sections)
    if looks_windows(target):
        return _windows_volume(word, spec, source, target, mode, certainty)
    return _linux_volume(word, spec, source, target, mode, certainty, volume_driver, api)


def _cli_sections(spec: str) -> tuple[list[str], Optional[str]]:
    """`[SOURCE:]TARGET[:MODE]` split as docker/cli's volumespec does: a colon after a lone letter
    belongs to a drive (`C:\\data`); the error, if it refuses."""
    if not spec:
        return [], "invalid empty volume spec"
    if len(spec.encode("utf-8", "surrogatepass")) <= 2:
        return [spec], None
    pieces = spec.split(":")
    sections: list[str] = []
    current = pieces[0]
    for piece in pieces[1:]:
        if len(current) == 1 and current.isalpha():
            current += ":" + piece
            continue
        sections.append(current)
        current = piece
    sections.append(current)
    for index, section in enumerate(sections):
        if not section:
            return sections, "empty section between colons"
        if index == 3:
            return sections, "too many colons"
    return sections, None


def _source_target_mode(sections: list[str]) -> tuple[Optional[str], str, str]:
    if len(sections) == 1:
        return None, sections[0], ""
    return sections[0], sections[1], sections[2] if len(sections) > 2 else ""


def _linux_volume(word: Word, spec: str, source: Optional[str], target: str, mode: str, certainty: _Certainty,
                  volume_driver: bool, api: bool = False) -> MountSpec:
    modes = mode.split(",") if mode else []
    known_mode = certainty.known(mode)
    desktop_path = source is not None and _is_windows_host_path(source)
    kind = _linux_source_kind(source, certainty, api)
    error = None
    if not desktop_path and certainty.known(spec):
        # the daemon splits again, at every colon: `/data:ro` is a target and a mode, no source
        parts = spec.split(":", 3)
        if not parts[0] or len(parts) > 3 or (len(parts) == 2 and _valid_linux_mode(parts[1])):
            error = f"invalid volume specification: '{spec}'"
    if error is None and known_mode and not _valid_linux_mode(mode):
        error = f"invalid mode: {mode}"
    if error is None and kind is not None and certainty.known(target):
        problem = _linux_target_problem(target)
        if problem:
            error = f"invalid volume specification: '{spec}': invalid mount config for type \"{kind}\": {problem}"
    if error is None and kind == "volume" and source is not None and certainty.known(source) and not volume_driver:
        error = _local_name_error(source)  # when the local driver creates it
    options = tuple(_volume_option(item) for item in modes if item not in ("ro", "rw"))
    unknown = tuple(item for item in modes if known_mode and not any(item in words for words in _MODE_GROUPS))
    return MountSpec(kind, source, target, ("ro" in modes) if known_mode else None, options, "docker-v",
                     "create" if kind == "bind" else None, error, word.span, word.resolved, unknown_modes=unknown)


def _linux_source_kind(source: Optional[str], certainty: _Certainty, api: bool = False) -> Optional[str]:
    """The daemon binds an absolute path (the CLI makes `.`-relative ones absolute, the API does not) and
    takes anything else as a volume name; Docker Desktop also takes a Windows host path."""
    if source is None:
        return "volume"
    if source.startswith(("/", HERE, HOME)) or (source.startswith(".") and not api) \
            or _is_windows_host_path(source):
        return "bind"
    if certainty.known(source):
        return "volume"
    # `$DIR/data`, `~/data`: a volume name has no `/`, so this is a path whatever the variable holds
    return "bind" if "/" in source else None


def _valid_linux_mode(mode: str) -> bool:
    """daemon/volume/mounts/linux_parser.go linuxValidMountMode: known words, one per group."""
    if not mode:
        return True
    counts = [0] * len(_MODE_GROUPS)
    for item in mode.split(","):
        group = next((index for index, words in enumerate(_MODE_GROUPS) if item in words), None)
        if group is None:
            return False
        counts[group] += 1
    return max(counts) <= 1


def _volume_option(item: str) -> tuple[str, str]:
    """A `-v` mode word under its `--mount` name, where there is one."""
    if item in _PROPAGATIONS:
        return "bind-propagation", item
    if item == "nocopy":
        return "volume-nocopy", "true"
    if item in _CONSISTENCIES:
        return "consistency", item
    return item, ""


def _linux_target_problem(target: str) -> Optional[str]:
    path = target.replace("\\", "/")
    if _clean_posix(path) == "/":
        return "invalid specification: destination can't be '/'"
    if not path.startswith("/"):
        return f"invalid mount path: '{path}' mount path must be absolute"
    return None


def _clean_posix(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return ("/" if path.startswith("/") else "") + "/".join(parts)


def _local_name_error(name: str) -> Optional[str]:
    if len(name) == 1:
        return _SHORT_NAME_ERROR.format(name)
    if not _VOLUME_NAME.fullmatch(name):
        return _LOCAL_NAME_ERROR.format(name)
    return None


def _is_windows_host_path(text: str) -> bool:
    """`C:\\data`, `C:/data` or a UNC path `\\\\server\\share`: a Windows host's directory."""
    return _HOST_DRIVE.match(text) is not None or text.startswith("\\\\")


def _windows_volume(word: Word, spec: str, source: Optional[str], target: str, mode: str,
                    certainty: _Certainty) -> MountSpec:
    """A Windows daemon: ro/rw only, Windows paths, named pipes, and no bind source created."""
    invalid = f"invalid volume specification: '{spec}'"
    error = None
    if mode and mode.lower() not in ("ro", "rw") and certainty.known(mode):
        error = invalid
    kind = _windows_source_kind(source, certainty)
    if error is None and certainty.known(target) and not _windows_destination(target):
        error = invalid
    if error is None and source is not None and kind is None and certainty.known(source):
        error = invalid  # neither a path, a pipe nor a volume name
    if error is None and kind is not None:
        error = _windows_config_problem(kind, source, target, mode.lower() == "ro", certainty)
        if error is not None:
            error = f"{invalid}: {error}"
    read_only = (mode.lower() == "ro") if certainty.known(mode) else None
    return MountSpec(kind, source, target, read_only, (), "docker-v", "refuse" if kind == "bind" else None, error,
                     word.span, word.resolved, True)


def _windows_source_kind(source: Optional[str], certainty: _Certainty) -> Optional[str]:
    if source is None:
        return "volume"
    if is_named_pipe(source):
        return "npipe"
    if source.startswith((HERE, HOME)) or _windows_host_dir(source):
        return "bind"
    if certainty.known(source):
        return "volume" if _WINDOWS_NAME.match(source) else None
    return "bind" if ("\\" in source or "/" in source) else None


def _windows_host_dir(text: str) -> bool:
    """windows_parser.go rxHostDir: `c:\\` then non-empty parts of allowed characters."""
    drive = _WINDOWS_DRIVE.match(text)
    if drive is None or drive.end() >= len(text) or text[drive.end()] not in "\\/":
        return False
    rest = text[drive.end() + 1:]
    parts = _SEPARATOR.split(rest)
    if parts and parts[-1] == "":
        parts.pop()  # one trailing separator is allowed
    return all(_WINDOWS_HOST_PART.match(part) for part in parts)


def _windows_destination(text: str) -> bool:
    """windows_parser.go rxDestination: a drive path or a named pipe."""
    if is_named_pipe(text):
        return len(text) > 9 and ":" not in text
    drive = _WINDOWS_DRIVE.match(text)
    if drive is None:
        return False
    rest = text[drive.end():]
    if not rest:
        return True
    if rest[0] not in "\\/":
        return False
    parts = _SEPARATOR.split(rest[1:])
    if parts and parts[-1] == "":
        parts.pop()
    return all(_WINDOWS_PATH_PART.match(part) for part in parts)


def _windows_config_problem(kind: str, source: Optional[str], target: str, read_only: bool,
                            certainty: _Certainty) -> Optional[str]:
    """windows_parser.go validateMountConfigReg, wrapped as the daemon wraps it."""
    def config(problem: str) -> str:
        return f'invalid mount config for type "{kind}": {problem}'

    if certainty.known(target):
        lowered = target.lower().replace("/", "\\")
        if lowered in ("c:", "c:\\"):
            return config(f"destination path ({lowered}) cannot be 'c:' or 'c:\\'")
    if kind == "volume" and source is not None and certainty.known(source) \
            and _WINDOWS_RESERVED.match(source.lower()):
        return config(f'volume name "{source}" cannot be a reserved word for Windows filenames')
    if kind == "npipe":
        if read_only:
            return config("field ReadOnly must not be specified")
        if certainty.known(target) and not is_named_pipe(target):
            return config(f"'{target}' is not a valid pipe path")
    return None


def _podman_volume(word: Word) -> MountSpec:
    """podman's `-v`: split at every colon, a path starts with `/` or `.`, no missing source created."""
    certainty = _Certainty(word)
    spec = word.value
    sections = spec.split(":")
    if len(sections) > 3:
        format_error = f"{spec}: incorrect volume format, should be [host-dir:]ctr-dir[:option]"
        return _unusable(word, "docker-v", format_error if certainty.known(spec) else None)
    source, target, mode = _source_target_mode(sections)
    modes = mode.split(",") if mode else []
    error = None
    if source == "":
        error = "host directory cannot be empty"
    elif certainty.known(mode):
        bad = next((item for item in modes if item not in _PODMAN_MODES and not item.startswith(_PODMAN_MODE_PREFIXES)),
                   None)
        if bad is not None:
            error = f'invalid option type "{bad}"'
    if source is None:
        kind: Optional[str] = "volume"
    elif source.startswith(("/", ".", HERE, HOME)):
        kind = "bind"
    elif certainty.known(source):
        kind = "volume"
    else:
        kind = "bind" if "/" in source else None
    options = tuple(_volume_option(item) for item in modes if item not in ("ro", "rw"))
    return MountSpec(kind, source or None, target, ("ro" in modes) if certainty.known(mode) else None, options,
                     "docker-v", "refuse" if kind == "bind" else None, error, word.span, word.resolved)


def _unusable(word: Word, written_as: str, error: Optional[str]) -> MountSpec:
    return MountSpec(None, None, None, None, (), written_as, None, error, word.span, word.resolved)


# --- --mount ---------------------------------------------------------------------------------------

def mount_flag(word: Word, *, engine: str = "docker", written_as: str = "docker-mount") -> MountSpec:
    """`--mount type=...,source=...,target=...`; also a dev container `mounts` string (pass its own
    `written_as`), which the dev container CLI hands to `docker run --mount`."""
    certainty = _Certainty(word)
    if certainty.nothing_known:
        return _unusable(word, written_as, None)
    value = word.value.strip()
    if not value:
        return _unusable(word, written_as, "value is empty")
    fields, problem = csv_record(value)
    if problem is not None:
        return _unusable(word, written_as, problem if certainty.known(value) else None)
    if engine == "podman":
        return _podman_mount(word, fields, written_as, certainty)
    return _docker_mount(word, fields, written_as, certainty)


class _Mount:
    """A `--mount` being read, with the first error Docker would stop at."""

    def __init__(self) -> None:
        self.kind: Optional[str] = "volume"
        self.source: Optional[str] = None
        self.target: Optional[str] = None
        self.read_only: Optional[bool] = False
        self.options: list[tuple[str, str]] = []
        self.groups: set[str] = set()
        self.create_source: Optional[bool] = False
        self.error: Optional[str] = None
        self.uncertain_options = False  # an option with an unresolved value: its checks are not made


def _docker_mount(word: Word, fields: list[str], written_as: str, certainty: _Certainty) -> MountSpec:
    mount = _Mount()
    for field in fields:
        key, has_value, value = field.partition("=")
        if not certainty.known(key):
            return _unusable(word, written_as, None)
        known = certainty.known(value)
        mount.error = _field_error(key, bool(has_value), value, field) if known else None
        if mount.error is not None:
            break
        key = key.lower()
        mount.error = _apply(mount, key, bool(has_value), value, known, field)
        if mount.error is not None:
            break
    if mount.error is None:
        mount.error = _cli_validation(mount)
    if mount.error is None:
        mount.error = _daemon_validation(mount, certainty)
    windows = mount.target is not None and looks_windows(mount.target)
    missing = None
    if mount.kind == "bind":
        missing = "refuse" if windows or mount.create_source is False else "create" if mount.create_source else None
    return MountSpec(mount.kind, mount.source, mount.target, mount.read_only, tuple(mount.options), written_as,
                     missing, mount.error, word.span, word.resolved, windows)


def _field_error(key: str, has_value: bool, value: str, field: str) -> Optional[str]:
    if key.strip() != key:
        return f"invalid option '{key.strip()}' in '{field}': option should not have whitespace"
    if has_value:
        if not value.strip():
            return f"invalid value for '{key}': value is empty"
        if value.strip() != value:
            return f"invalid value for '{key}' in '{field}': value should not have whitespace"
    elif key.lower() not in _NO_VALUE_KEYS:
        return f"invalid field '{field}' must be a key=value pair"
    return None


def _apply(mount: _Mount, key: str, has_value: bool, value: str, known: bool, field: str) -> Optional[str]:
    """One `--mount` field, as opts/mount.go reads it; the error it stops at."""
    if key not in _KNOWN_KEYS:
        return f"unknown option '{key}' in '{field}'"
    if key in _GROUPS and not (key == "bind-recursive" and value == "enabled"):  # `enabled` sets nothing
        mount.groups.add(_GROUPS[key])
    if key == "type":
        mount.kind = value.lower() if known else None
    elif key in ("source", "src"):
        mount.source = value
    elif key in ("target", "dst", "destination"):
        mount.target = value
    elif key in ("readonly", "ro"):
        mount.read_only, error = _mount_bool(key, value, has_value, known)
        return error
    elif key == "bind-nonrecursive":
        return "bind-nonrecursive is deprecated, use bind-recursive=disabled instead"
    else:
        mount.options.append((key, value if has_value else "true"))
        if key in ("bind-create-src", "volume-nocopy"):
            flag, error = _mount_bool(key, value, has_value, known)
            if key == "bind-create-src":
                mount.create_source = flag
            return error
        if not known:
            mount.uncertain_options = True
            return None
        return _option_error(key, value)
    return None


def _mount_bool(key: str, value: str, has_value: bool, known: bool) -> tuple[Optional[bool], Optional[str]]:
    """opts/mount_utils.go parseBoolValue: only 1, true, 0 and false."""
    if not has_value:
        return True, None
    if not known:
        return None, None
    if value in ("1", "true"):
        return True, None
    if value in ("0", "false"):
        return False, None
    return None, (f'invalid value for \'{key}\': invalid boolean value ("{value}"): must be one of "true", "1", '
                  f'"false", or "0" (default "true")')


def _option_error(key: str, value: str) -> Optional[str]:
    if key == "bind-recursive" and value not in _BIND_RECURSIVE:
        return f'invalid value for {key}: {value} (must be "enabled", "disabled", "writable", or "readonly")'
    if key == "tmpfs-size" and not _SIZE.match(value):
        return f"invalid value for {key}: {value}"
    if key == "tmpfs-mode" and not (_OCTAL.match(value) and int(value, 8) < 1 << 32):
        return f"invalid value for {key}: {value}"
    return None


def _cli_validation(mount: _Mount) -> Optional[str]:
    """opts/mount_utils.go validateMountOptions."""
    if mount.kind is None:
        return None
    for group in ("bind", "volume", "image", "tmpfs"):
        if group in mount.groups and mount.kind != group:
            return f"cannot mix '{group}-*' options with mount type '{mount.kind}'"
    options = dict(mount.options)
    recursive = options.get("bind-recursive")
    if recursive == "writable" and mount.read_only is False:
        return "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction"
    if recursive == "readonly":
        if mount.read_only is False:
            return "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction"
        if options.get("bind-propagation", "").lower() != "rprivate":
            return ("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in "
                    "conjunction")
    return None


def _daemon_validation(mount: _Mount, certainty: _Certainty) -> Optional[str]:
    """What the daemon refuses before it looks at the host's filesystem."""
    kind = mount.kind
    if kind is None:
        return None

    def config(problem: str) -> str:
        return f'invalid mount config for type "{kind}": {problem}'

    target = mount.target
    if target is None:
        return config("field Target must not be empty")
    windows = looks_windows(target)
    if certainty.known(target):
        problem = _windows_target_problem(target) if windows else _linux_target_problem(target)
        if problem:
            return config(problem)
    source = mount.source
    options = dict(mount.options)
    if kind == "bind":
        if source is None:
            return config("field Source must not be empty")
        propagation = options.get("bind-propagation")
        if propagation is not None and not mount.uncertain_options \
                and (windows or propagation.lower() not in _PROPAGATIONS):
            return config(f"invalid propagation mode: {propagation.lower()}")
        if certainty.known(source) and not (source.startswith(("/", ".", HERE, HOME)) or _is_windows_host_path(source)):
            return config(f"invalid mount path: '{source}' mount path must be absolute")
    elif kind == "volume":
        subpath = options.get("volume-subpath")
        if subpath is not None and not mount.uncertain_options:
            if source is None:
                return config("must not set Subpath when using anonymous volumes")
            if not _is_local(subpath):
                return config("subpath must be a relative path within the volume")
        if source is not None and certainty.known(source) and "volume-driver" not in options:
            if windows:
                if not _WINDOWS_NAME.match(source):
                    return config("invalid volume name")
                if _WINDOWS_RESERVED.match(source.lower()):
                    return config(f'volume name "{source}" cannot be a reserved word for Windows filenames')
            else:
                return _local_name_error(source)
    elif kind == "tmpfs" and not windows:
        if source is not None:
            return config("field Source must not be specified")
    elif kind == "image" and not windows:
        if source is None:
            return config("field Source must not be empty")
        subpath = options.get("image-subpath")
        if subpath is not None and not mount.uncertain_options and not _is_local(subpath):
            return config("subpath must be a relative path within the volume")
    elif kind == "npipe" and windows:
        if source is None:
            return config("field Source must not be empty")
        if mount.read_only:
            return config("field ReadOnly must not be specified")
        for path in (source, target):
            if certainty.known(path) and not is_named_pipe(path):
                return config(f"'{path}' is not a valid pipe path")
    else:
        return config("mount type unknown")
    return None


def _windows_target_problem(target: str) -> Optional[str]:
    lowered = target.lower().replace("/", "\\")
    if lowered in ("c:", "c:\\"):
        return f"destination path ({lowered}) cannot be 'c:' or 'c:\\'"
    if not _windows_destination(target):
        return f"invalid mount path: '{target}'"
    return None


def _is_local(path: str) -> bool:
    """Go's filepath.IsLocal on Linux: relative, not empty, and not leaving its directory."""
    if not path or path.startswith("/"):
        return False
    depth = 0
    for part in path.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part not in ("", "."):
            depth += 1
    return True


def _podman_mount(word: Word, fields: list[str], written_as: str, certainty: _Certainty) -> MountSpec:
    """podman's `--mount`: `type=` found anywhere (volume by default), a bind without source binds its
    target, and nothing missing is created."""
    kind: Optional[str] = "volume"
    source = target = None
    read_only: Optional[bool] = False
    options = []
    error = None
    for field in fields:
        key, has_value, value = field.partition("=")
        if not certainty.known(key):
            return _unusable(word, written_as, None)
        known = certainty.known(value)
        if key == "type" and has_value:
            kind = value if known else None
        elif key in ("src", "source"):
            source = value
        elif key in ("target", "dst", "dest", "destination"):
            target = value
        elif key in ("readonly", "ro", "rw"):
            flag: Optional[bool] = value.lower() != "false" if has_value else True
            read_only = (flag if key != "rw" else not flag) if known else None
        else:
            options.append((key, value if has_value else "true"))
    if kind is not None and kind not in _PODMAN_TYPES:
        error = f'invalid filesystem type "{kind}"'
    elif target is None:
        error = "must set volume destination"
    if kind == "bind" and source is None:
        source = target
    return MountSpec(kind, source, target, read_only, tuple(options), written_as, "refuse" if kind == "bind" else None,
                     error, word.span, word.resolved, target is not None and looks_windows(target))


# --- --tmpfs ---------------------------------------------------------------------------------------

def tmpfs_flag(word: Word) -> MountSpec:
    """`--tmpfs /run:size=64m,mode=1777`: the target, then mount(8) options."""
    certainty = _Certainty(word)
    if certainty.nothing_known:
        return _unusable(word, "docker-tmpfs", None)
    target, _, options_text = word.value.partition(":")
    options = tuple((key, value) for key, _, value in (item.partition("=") for item in options_text.split(",") if item))
    error = None
    windows = looks_windows(target)
    if certainty.known(target):
        error = "windows does not support tmpfs" if windows else _linux_target_problem(target)
    read_only = any(key == "ro" for key, _ in options) if certainty.known(options_text) else None
    kept = tuple(option for option in options if option[0] not in ("ro", "rw"))
    return MountSpec("tmpfs", None, target, read_only, kept, "docker-tmpfs", None, error, word.span, word.resolved,
                     windows)


# --- the CSV under --mount -------------------------------------------------------------------------

def csv_record(text: str) -> tuple[list[str], Optional[str]]:
    """The first record of `text` as Go's encoding/csv reads it (`--mount`, BuildKit, podman):
    `"..."` quotes a field (`""` is a quote in it) and may span lines; a quote elsewhere, or text
    after a closing quote, is an error with Go's message."""
    fields: list[str] = []
    length = len(text)
    position = 0
    while text.startswith("\n", position) or text.startswith("\r\n", position):
        position = text.index("\n", position) + 1  # Go skips empty lines before a record
    if position >= length:
        return fields, None  # no record at all
    record_line = text.count("\n", 0, position) + 1
    while True:
        if position < length and text[position] == '"':
            pieces = []
            position += 1
            while True:
                quote = text.find('"', position)
                if quote < 0:
                    return fields, _csv_error(text, record_line, length, 'extraneous or missing " in quoted-field')
                pieces.append(text[position:quote])
                position = quote + 1
                following = text[position:position + 1]
                if following == '"':
                    pieces.append('"')
                    position += 1
                elif following == ",":
                    fields.append("".join(pieces))
                    position += 1
                    break
                elif following in ("", "\n") or text.startswith("\r\n", position):
                    fields.append("".join(pieces))
                    return fields, None
                else:
                    return fields, _csv_error(text, record_line, quote, 'extraneous or missing " in quoted-field')
            continue
        line_end = text.find("\n", position)
        line_end = length if line_end < 0 else line_end
        comma = text.find(",", position, line_end)
        end = comma if comma >= 0 else line_end
        field = text[position:end]
        if comma < 0 and field.endswith("\r"):
            field = field[:-1]
        bare = field.find('"')
        if bare >= 0:
            return fields, _csv_error(text, record_line, position + bare, 'bare " in non-quoted-field')
        fields.append(field)
        if comma < 0:
            return fields, None
        position = comma + 1


def _csv_error(text: str, record_line: int, offset: int, message: str) -> str:
    line = text.count("\n", 0, offset) + 1
    column = len(text[text.rfind("\n", 0, offset) + 1:offset].encode("utf-8", "surrogatepass")) + 1
    if line != record_line:
        return f"record on line {record_line}; parse error on line {line}, column {column}: {message}"
    return f"parse error on line {line}, column {column}: {message}"


def buildkit_mount(value: str, expand: Callable[[str], str]) -> Optional[RunMount]:
    """`RUN --mount=VALUE` as BuildKit reads it: bind by default, keys lower-cased, values expanded
    with `expand`; None when its CSV is malformed."""
    fields, problem = csv_record(value)
    if problem is not None:
        return None
    kind, target, options = "bind", None, {}
    for field in fields:
        key, has_value, raw = field.partition("=")
        key = key.lower()
        text = expand(raw) if has_value else ""
        if key == "type":
            kind = text.lower()
        elif key in ("target", "dst", "destination"):
            target = text
        else:
            options[key] = text
    return RunMount(kind, target, options)
