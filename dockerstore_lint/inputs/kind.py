"""What an input kind is: everything the pipeline needs to know about one kind of file, in one place.

Discovery asks each kind whether a file name is its own, the loader has it parse its files into the model,
suppressions read its comments, the editor session maps its editor language ids, and a lint of one named
file asks it for the other files the verdict depends on. Built-in kinds live in `inputs/<kind>/`;
third-party ones are installed through the `dockerstore_lint.inputs` entry points (see `inputs/__init__.py`).
A kind's module stays light: parsers are imported inside `load`, when a file of the kind is in the run.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Problem
from dockerstore_lint.text.comments import HASH, CommentSyntax

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader


# how much of a file `recognises` sees
RECOGNISE_BYTES = 64 * 1024


class Loaded(NamedTuple):
    """What a kind's files add to the model."""

    dockerfiles: tuple[Dockerfile, ...] = ()
    groups: tuple[Group, ...] = ()
    problems: tuple[Problem, ...] = ()


class InputKind:
    name: ClassVar[str] = ""  # "dockerfile", "compose": in configuration, `inspect` and SARIF tags
    noun: ClassVar[str] = ""  # "Dockerfile", "Compose file": in messages
    # the editors' language ids (VS Code's, Neovim's file types) that make a document of this kind whatever its
    # name; a document the kind claims by name is of it whatever its language (`yaml`, `json`)
    language_ids: ClassVar[tuple[str, ...]] = ()
    comments: ClassVar[CommentSyntax] = HASH
    produces: ClassVar[tuple[str, ...]] = ()  # what it adds to the model: "dockerfile", "container"

    def claims(self, path: PurePath) -> bool:
        """Whether the file at `path`, found in a directory walk, is of this kind by its name (and folder)."""
        return False

    def candidate(self, path: PurePath) -> bool:
        """Whether a file that no kind claims is worth reading in a walk, to `recognise` it."""
        return False

    def recognises(self, head: bytes) -> bool:
        """Whether a file that starts with `head` (up to `RECOGNISE_BYTES`) is of this kind, whatever its name."""
        return False

    def template(self, text: str) -> bool:
        """Whether a file of this kind is a template to render (`{{ }}`, `%%NAME%%`) rather than a file Docker
        reads: walks leave templates out; named explicitly, they are linted."""
        return False

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        """The model of `paths`, all of this kind; files are read through `loader` (cached, bounded)."""
        raise NotImplementedError

    def related(self, paths: list[Path], loader: WorkspaceLoader) -> list[Path]:
        """The files a lint of `paths` alone (of this kind, named by an editor or pre-commit) also needs."""
        return []
