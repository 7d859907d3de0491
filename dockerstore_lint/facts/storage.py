"""Which mount, or image VOLUME, holds a path of a container."""

from __future__ import annotations

from typing import NamedTuple, Optional

from dockerstore_lint.facts.files import file_extension
from dockerstore_lint.facts.image import ImageVolume, image_volumes, image_volumes_known
from dockerstore_lint.model.container import BIND, STORAGE, VOLUME, Container, Mount
from dockerstore_lint.model.container_paths import ContainerPath


def covering_mounts(container: Container, path: ContainerPath) -> list[Mount]:
    """Mounts at `path` or above it, the deepest (the one whose files the container sees) first.

    A mount Docker refuses counts as where its author meant it: the container does not start as written
    (so nothing is lost anywhere else), and Compose makes a mount whose mode it drops."""
    found = [m for m in container.mounts if m.target is not None and path.is_within(m.target)]
    return sorted(found, key=lambda m: len(known_target(m).parts), reverse=True)


def mounts_below(container: Container, path: ContainerPath) -> list[Mount]:
    """Mounts strictly inside `path`."""
    return [m for m in container.mounts if m.target is not None and m.target.strictly_within(path)]


def known_target(mount: Mount) -> ContainerPath:
    """The target of a mount that was kept for having one (by the functions here, or `judged_mounts`)."""
    assert mount.target is not None
    return mount.target


class Storage(NamedTuple):
    """What keeps the files a container writes at a path."""

    mount: Optional[Mount] = None  # the mount that holds them
    image_volume: Optional[ImageVolume] = None  # an image VOLUME no mount replaces: an anonymous volume
    known: bool = True  # False when a VOLUME of the image we do not know could sit over the path

    @property
    def in_writable_layer(self) -> bool:
        return self.known and self.mount is None and self.image_volume is None


def storage_at(container: Container, path: ContainerPath) -> Storage:
    """Where files written at `path` end up: the deepest mount, or image VOLUME, over it.

    Docker creates an anonymous volume for every VOLUME of the image that no mount targets exactly,
    and mounts the deeper of two nested mount points on top: a VOLUME below a mount wins over it.
    """
    mount = next(iter(covering_mounts(container, path)), None)
    targets = [m.target for m in container.mounts if m.target is not None]
    volumes = [v for v in image_volumes(container)
               if path.is_within(v.path) and not any(t.same(v.path) for t in targets)]
    volume = max(volumes, key=lambda v: len(v.path.parts), default=None)
    if volume is not None and (mount is None or len(volume.path.parts) > len(known_target(mount).parts)):
        return Storage(image_volume=volume)
    exact = mount is not None and known_target(mount).same(path)
    return Storage(mount=mount, known=exact or image_volumes_known(container))


def data_mounts_below(container: Container, path: ContainerPath) -> list[Mount]:
    """Mounts strictly inside `path` that look meant to keep data written there.

    That is writable volumes, and bind mounts of directories the repository does not ship; a read-only
    mount, a single file, or a bind of files the repository ships delivers content (a configuration
    file, Grafana dashboards) instead.
    """
    return [m for m in mounts_below(container, path)
            if not m.read_only and m.purpose == STORAGE and not file_extension(known_target(m).name)
            and (m.kind == VOLUME or (m.kind == BIND and m.host is not None and m.host.exists is False))]


def judged_mounts(container: Container, *kinds: str, writable: bool = False) -> list[Mount]:
    """The storage mounts a rule judges: ones the user asked for (not a secret's or config's file), of one
    of `kinds` (any kind when none is given), that Docker accepts, whose source and target are known (no
    unset variable); only read-write ones when `writable`."""
    return [m for m in container.mounts
            if m.purpose == STORAGE and m.target is not None and not m.invalid and m.resolved
            and (not kinds or m.kind in kinds) and not (writable and m.read_only)]
