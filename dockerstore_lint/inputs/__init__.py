"""The input kinds: one package per kind of file the linter reads, found through this registry.

Built-in kinds are listed here in the order a file is tried against their `recognises`; the last one is
what a file named explicitly is when nothing recognises it. Third-party kinds come from the
`dockerstore_lint.inputs` entry points, tried before the built-in ones.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePath
from typing import Optional

from dockerstore_lint.inputs.kind import InputKind

BUILTIN = (
    "dockerstore_lint.inputs.dockerfile.kind:DockerfileKind",
    "dockerstore_lint.inputs.command_kinds:GitHubActionsKind",
    "dockerstore_lint.inputs.command_kinds:GitLabCiKind",
    "dockerstore_lint.inputs.command_kinds:DevContainerKind",
    "dockerstore_lint.inputs.command_kinds:ShellScriptKind",
    "dockerstore_lint.inputs.command_kinds:MakefileKind",
    "dockerstore_lint.inputs.command_kinds:PowerShellKind",
    "dockerstore_lint.inputs.command_kinds:MarkdownKind",
    "dockerstore_lint.inputs.python.kind:PythonKind",
    "dockerstore_lint.inputs.compose.kind:ComposeKind",
)


@lru_cache(maxsize=None)
def kinds() -> tuple[InputKind, ...]:
    from dockerstore_lint.plugins import INPUTS_GROUP, entry_points, load

    found = []
    for name, reference in entry_points(INPUTS_GROUP):
        kind = load(reference)
        if not (isinstance(kind, type) and issubclass(kind, InputKind)) or not kind.name:
            raise LookupError(f"entry point {name} = {reference} ({INPUTS_GROUP}) is not an input kind")
        found.append(kind())
    found.extend(load_builtin(reference)() for reference in BUILTIN)
    return tuple(found)


def load_builtin(reference: str) -> type[InputKind]:
    import importlib

    module, _, attribute = reference.partition(":")
    kind: type[InputKind] = getattr(importlib.import_module(module), attribute)
    return kind


def kind_named(name: str) -> Optional[InputKind]:
    return next((kind for kind in kinds() if kind.name == name), None)


def kind_of_path(path: PurePath) -> Optional[InputKind]:
    """The kind a file is by its name (and folder); None for a file the linter does not read in a walk."""
    return next((kind for kind in kinds() if kind.claims(path)), None)


def kind_of_content(head: bytes, path: Optional[PurePath] = None) -> Optional[InputKind]:
    """The kind that recognises a file starting with `head`; with `path`, only kinds for which it is a candidate
    (a directory walk's unclaimed files)."""
    return next((kind for kind in kinds() if (path is None or kind.candidate(path)) and kind.recognises(head)), None)


def fallback_kind() -> InputKind:
    """What a file named explicitly is when no kind claims or recognises it."""
    return kinds()[-1]


def is_candidate(path: PurePath) -> bool:
    return any(kind.candidate(path) for kind in kinds())
