"""The input kinds: one package per kind of file the linter reads, found through this registry.

Built-in kinds are listed here in the order a file named explicitly is tried against their `sniff`; the
last one is what such a file is when nothing else claims it. Third-party kinds come from the
`dockerstore_lint.inputs` entry points, tried before the built-in ones.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from dockerstore_lint.inputs.kind import InputKind

BUILTIN = (
    "dockerstore_lint.inputs.dockerfile.kind:DockerfileKind",
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


def kind_of_name(file_name: str) -> Optional[InputKind]:
    """The kind a file found in a directory walk is, by its name; None for a file the linter does not read."""
    return next((kind for kind in kinds() if kind.claims(file_name)), None)


def kind_of_text(text: str) -> InputKind:
    """The kind a file named explicitly is, by its content."""
    candidates = kinds()
    return next((kind for kind in candidates if kind.sniff(text)), candidates[-1])
