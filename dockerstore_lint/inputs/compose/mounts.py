"""A service's storage entries (volumes, tmpfs, secrets, configs) -> `Mount`s, as Compose reads them.

Short syntax follows Compose's own reader: fields split on `:` except after a one-letter drive, one or
two characters alone are an anonymous volume's target, a source that looks like a path (`.`, `/`, `~`,
`\\\\`, a drive letter) is a bind and anything else names a volume. Unlike Compose, which silently drops
options it does not know, we keep them so DSL002 can report them.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.model.container import BIND, CREATE, REFUSE, TMPFS, VOLUME, Mount
from dockerstore_lint.model.container_paths import ContainerPath, container_path, looks_windows
from dockerstore_lint.model.host_paths import HostPath, home_path, host_path
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.yaml_nodes import YMap, YNode, YScalar, is_true, text_of

MOUNT_TYPES = ("bind", "volume", "tmpfs", "npipe", "image", "cluster")
_PROPAGATION = ("rprivate", "private", "rshared", "shared", "rslave", "slave")
_SELINUX = ("z", "Z")
_CONSISTENCY = ("consistent", "cached", "delegated")
SHORT_MODES = ("ro", "rw", "nocopy") + _PROPAGATION + _SELINUX + _CONSISTENCY
# a drive letter with a separator: the only Windows paths Compose does not join to the project directory
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")


class ShortVolume(NamedTuple):
    source: Optional[str]
    target: str
    modes: tuple[str, ...]
    error: Optional[str] = None


def split_short_volume(spec: str) -> ShortVolume:
    """`[SOURCE:]TARGET[:MODES]` split the way Compose splits it."""
    if not spec:
        return ShortVolume(None, "", (), "empty volume spec")
    if len(spec) <= 2:
        return ShortVolume(None, spec, ())
    fields: list[str] = []
    buffer = ""
    for char in spec:
        if char == ":" and not (len(buffer) == 1 and buffer.isalpha()):
            fields.append(buffer)
            buffer = ""
        else:
            buffer += char
    fields.append(buffer)
    if any(field == "" for field in fields):
        return ShortVolume(None, "", (), f"invalid volume spec '{spec}': empty section between colons")
    if len(fields) > 3:
        return ShortVolume(None, "", (), f"invalid volume spec '{spec}': too many colons")
    if len(fields) == 1:
        return ShortVolume(None, fields[0], ())
    modes = tuple(fields[2].split(",")) if len(fields) == 3 else ()
    return ShortVolume(fields[0], fields[1], modes)


def short_volume_target(node: YNode) -> Optional[str]:
    """The key Compose merges volume entries by: the short syntax's target cleaned as a POSIX path
    (`/x/./` is `/x`, backslashes are left alone), the long syntax's as written."""
    if isinstance(node, YScalar):
        target = split_short_volume(node.value).target
        return _clean_posix(target) if target else None
    if isinstance(node, YMap):
        written = node.get("target")
        return written.value if isinstance(written, YScalar) else None
    return None


def _clean_posix(path: str) -> str:
    cleaned = posixpath.normpath(path)
    # POSIX keeps a leading `//`; Go's path.Clean, which Compose uses, does not
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def is_host_path(source: str) -> bool:
    """Whether a short-syntax source is a path (a bind) rather than a volume name, as Compose decides."""
    return source[:1] in (".", "/", "~") or source.startswith("\\\\") or _has_drive(source)


def _has_drive(text: str) -> bool:
    # Compose's test: one letter (any alphabet) and a colon, whatever follows
    return len(text) >= 2 and text[0].isalpha() and text[1] == ":"


def compose_path(base: Path, written: str) -> str:
    """A host path as Compose resolves it, before Docker sees it.

    `~` is the home directory followed by the rest, cleaned, and stays a home path (`home_path`); an
    absolute path, POSIX or Windows (`C:\\x`, `c:/x`, `\\\\server\\share`), stays exactly as written;
    anything else, `c:x` included, is joined to `base` and cleaned.
    """
    if written.startswith("~"):
        return home_path(written)
    if written.startswith(("/", "\\\\")) or _WINDOWS_ABSOLUTE.match(written):
        return written
    return os.path.normpath(os.path.join(base, written))


class MountReader:
    """Builds the mounts of one service; `root` bounds where bind sources may be looked at on disk."""

    def __init__(self, root: Path, os_name: str, ignored: Optional[Callable[[Path], bool]] = None):
        self.root = root
        self.os = os_name
        self.ignored = ignored

    def volume(self, node: YNode) -> Mount:
        if isinstance(node, YScalar) and node.is_null:
            return Mount(VOLUME, None, node.span, invalid="empty volume entry")
        if isinstance(node, YScalar):
            return self._short(node)
        if isinstance(node, YMap):
            return self._long(node)
        return Mount(VOLUME, None, node.span, invalid="a volume entry must be a string or a mapping")

    def _short(self, node: YScalar) -> Mount:
        spec = split_short_volume(node.value)
        resolved = not node.unset
        if spec.error:
            return Mount(VOLUME, None, node.span, invalid=spec.error, resolved=resolved)
        unknown = [mode for mode in spec.modes if mode not in SHORT_MODES]
        invalid = f"unknown mode '{unknown[0]}' in '{node.value}'" if unknown else None
        options: dict[str, object] = {}
        for mode in spec.modes:
            if mode in _PROPAGATION:
                options["propagation"] = mode
            elif mode in _SELINUX:
                options["selinux"] = mode
            elif mode == "nocopy":
                options["nocopy"] = True
        read_only = False
        for mode in spec.modes:  # the last of ro/rw wins
            if mode in ("ro", "rw"):
                read_only = mode == "ro"
        target = self._target(spec.target)
        invalid = invalid or self._target_problem(spec.target, target)
        if spec.source is None:
            return Mount(VOLUME, target, node.span, read_only=read_only, options=options, invalid=invalid,
                         resolved=resolved, unknown_modes=tuple(unknown))
        if is_host_path(spec.source):
            return Mount(BIND, target, node.span, spec.source, self._host(spec.source, node.base, node.unset),
                         read_only, options=options, invalid=invalid, resolved=resolved, unknown_modes=tuple(unknown))
        return Mount(VOLUME, target, node.span, spec.source, read_only=read_only, options=options, invalid=invalid,
                     resolved=resolved, unknown_modes=tuple(unknown))

    def _long(self, node: YMap) -> Mount:
        kind = text_of(node.get("type")) or ""
        source_node = node.get("source")
        source_text = text_of(source_node)
        target_text = text_of(node.get("target"))
        resolved = not any(s.unset for s in (source_node, node.get("target")) if isinstance(s, YScalar))
        target = self._target(target_text) if target_text else None
        invalid = None
        if not kind:
            invalid = "long syntax without `type`"
        elif kind not in MOUNT_TYPES:
            invalid = f"unknown mount type '{kind}' (expected one of {', '.join(MOUNT_TYPES)})"
        elif not target_text:
            invalid = "long syntax without `target`"
        elif kind in ("bind", "npipe") and not source_text:
            invalid = f"a {kind} mount needs a `source`"
        else:
            invalid = self._target_problem(target_text, target)
        options: dict[str, object] = {}
        for section in ("bind", "volume", "tmpfs", "image"):
            sub = node.get(section)
            if isinstance(sub, YMap):
                for key, value in sub.pairs:
                    if isinstance(value, YScalar):
                        options[key.value] = _scalar_value(value)
        consistency = text_of(node.get("consistency"))
        if consistency:
            options["consistency"] = consistency
        host = None
        if kind in ("bind", "npipe") and source_text:
            host = self._host(source_text, node.base, source_node.unset if isinstance(source_node, YScalar) else ())
        # Compose makes a missing bind source unless `bind.create_host_path` is false
        missing = REFUSE if kind == "bind" and options.get("create_host_path") is False else CREATE
        target_node = node.get("target")
        return Mount(kind or VOLUME, target, node.span, None if kind == "tmpfs" else source_text or None, host,
                     is_true(node.get("read_only")), written_as="compose-long", missing_source=missing,
                     options=options, invalid=invalid, resolved=resolved,
                     target_span=target_node.span if isinstance(target_node, YScalar) else None)

    def tmpfs(self, node: YScalar) -> Mount:
        path, _, options = node.value.partition(":")
        target = self._target(path) if path else None
        invalid = self._target_problem(path, target) if path else "empty tmpfs path"
        parsed = dict(item.partition("=")[::2] for item in options.split(",") if item) if options else {}
        return Mount(TMPFS, target, node.span, written_as="compose-tmpfs", options=parsed, invalid=invalid,
                     resolved=not node.unset)

    def file_mount(self, purpose: str, source_file: str, base: Path, target: str, span: Span) -> Mount:
        """A file-based secret or config: plain Compose bind-mounts the file read-only."""
        return Mount(BIND, self._target(target), span, source_file, self._host(source_file, base), True,
                     purpose=purpose, written_as="compose-file")

    def _target(self, raw: str) -> ContainerPath:
        return container_path(raw, "windows" if self.os == "windows" or looks_windows(raw) else "linux")

    @staticmethod
    def _target_problem(raw: str, target: Optional[ContainerPath]) -> Optional[str]:
        if not raw:
            return "empty target"
        if target is not None and not target.absolute and target.resolved:
            return f"container path '{raw}' is not absolute"
        return None

    def _host(self, written: str, base: Path, unset: tuple[str, ...] = ()) -> HostPath:
        """The host path, relative to the directory of the file that wrote it, and what the repository knows of it."""
        return host_path(written, self.root, relative_to=base, resolved=not unset, ignored=self.ignored)


def _scalar_value(node: YScalar) -> object:
    lowered = node.value.lower()
    if node.plain and lowered in ("true", "false"):
        return lowered == "true"
    return node.value
