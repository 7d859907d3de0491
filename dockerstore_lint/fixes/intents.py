"""What a fix does, in the model's terms; `fixes/edits.py` finds the text to change."""

from typing import NamedTuple, Union

from dockerstore_lint.model.container import Mount
from dockerstore_lint.model.dockerfile import VolumeDecl
from dockerstore_lint.model.group import Group, NamedVolume


class SetTarget(NamedTuple):
    """Mount at another path in the container."""

    mount: Mount
    target: str


class AddReadOnly(NamedTuple):
    mount: Mount


class ReplaceMode(NamedTuple):
    """A short-syntax mode Docker or Compose does not know, written as the one meant (`readonly` -> `ro`)."""

    mount: Mount
    wrong: str
    right: str


class NameVolume(NamedTuple):
    """Give an anonymous volume a name (and declare it where the group declares its volumes)."""

    mount: Mount
    name: str
    group: Group


class DeclareVolume(NamedTuple):
    group: Group
    name: str


class RemoveVolume(NamedTuple):
    volume: NamedVolume


class AddShield(NamedTuple):
    """Anonymous volumes at `paths`, below a bind mount, that keep what the image has there visible."""

    mount: Mount
    paths: tuple[str, ...]


class QuoteVolumes(NamedTuple):
    """`VOLUME [/a /b]` written as the JSON array it was meant to be."""

    volumes: tuple[VolumeDecl, ...]
    paths: tuple[str, ...]


Intent = Union[SetTarget, AddReadOnly, ReplaceMode, NameVolume, DeclareVolume, RemoveVolume, AddShield, QuoteVolumes]
