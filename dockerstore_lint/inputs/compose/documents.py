"""One Compose file -> one interpolated tree: its YAML documents merged in order, as Compose does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

from dockerstore_lint.inputs.compose.interpolation import MAX_FILE, MAX_VALUE, interpolate
from dockerstore_lint.inputs.compose.merge import merge_documents
from dockerstore_lint.model.span import INVALID, Problem
from dockerstore_lint.text.sources import Source
from dockerstore_lint.text.yaml_nodes import Loaded, YMap, YNode, YScalar, YSeq, load_yaml

if TYPE_CHECKING:
    from dockerstore_lint.text.yaml_nodes import YamlLoader

Lookup = Callable[[str], Optional[str]]


class ComposeDocument(NamedTuple):
    tree: Optional[YMap]
    problems: list[Problem]


def load_document(source: Source, base: Path, lookup: Lookup, loader: Optional[YamlLoader] = None,
                  parsed: Optional[dict[tuple[Path, Path], Loaded]] = None) -> ComposeDocument:
    """The file's tree, interpolated with `lookup`; `parsed` keeps the YAML read of each (file, base) for the
    next project that reads the file (an `extends` parent that is a project of its own is parsed once)."""
    loaded = parsed.get((source.path, base)) if parsed is not None else None
    if loaded is None:
        loaded = load_yaml(source.text, source.file, base, loader)
        if parsed is not None:
            parsed[(source.path, base)] = loaded
    problems = list(loaded.problems)
    merged: Optional[YMap] = None
    for tree in loaded.documents:
        if isinstance(tree, YScalar) and tree.is_null:
            continue
        if not isinstance(tree, YMap):
            kind = "a list" if isinstance(tree, YSeq) else "a single value"
            problems.append(Problem(INVALID, f"invalid Compose file: the top level is {kind}, "
                                              "not a mapping", tree.span))
            continue
        merged = tree if merged is None else merge_documents(merged, tree)
    interpolated = _Interpolator(lookup, problems).mapping(merged) if isinstance(merged, YMap) else None
    return ComposeDocument(interpolated, problems)


class _Interpolator:
    """Copies the tree with every value interpolated; nodes shared through aliases stay shared (and are
    interpolated once). What variables put into one value, and into the whole file, is capped: a value
    over a cap is left as written and unknown, like one that uses an unset variable."""

    def __init__(self, lookup: Lookup, problems: list[Problem]):
        self.lookup = lookup
        self.problems = problems
        self.done: dict[int, YNode] = {}
        self.left = MAX_FILE  # characters variables may still put into the file's values
        self.over_file_cap = False  # reported

    def node(self, node: YNode) -> YNode:
        known = self.done.get(id(node))
        if known is not None:
            return known
        if isinstance(node, YScalar):
            out: YNode = self.scalar(node)
        elif isinstance(node, YSeq):
            out = YSeq([], node.span, node.base, node.tag)
            self.done[id(node)] = out
            out.items.extend(self.node(item) for item in node.items)
        else:
            out = self.mapping(node)
        self.done[id(node)] = out
        return out

    def mapping(self, node: YMap) -> YMap:
        out = YMap([], node.span, node.base, node.tag)
        self.done[id(node)] = out
        for key, value in node.pairs:
            # extension fields (x-...) are templates for anchors; Compose does not validate them
            out.pairs.append((key, value if key.value.startswith("x-") else self.node(value)))
        return out

    def scalar(self, node: YScalar) -> YScalar:
        if "$" not in node.value:
            return node
        limit = min(MAX_VALUE, self.left)
        result = interpolate(node.value, self.lookup, limit)
        self.left -= min(result.taken, limit)
        if result.too_large:
            if limit == MAX_VALUE:
                self._problem(f"variables expand to more than {MAX_VALUE:,} characters in one value: it is left "
                              "unknown", node)
            elif not self.over_file_cap:
                self.over_file_cap = True
                self._problem(f"variables expand to more than {MAX_FILE:,} characters in this file: from here "
                              "on values that use variables are left unknown", node)
            return YScalar(node.value, node.span, node.base, node.tag, node.plain, result.unset,
                           interpolated=True)
        if result.error and not result.missing:
            self._problem(f"invalid interpolation: {result.error}", node)
        # a missing required variable leaves the value unknown, like an unset one
        unset = result.unset + result.missing
        return YScalar(result.value, node.span, node.base, node.tag, node.plain, unset, interpolated=True)

    def _problem(self, message: str, node: YScalar) -> None:
        self.problems.append(Problem(INVALID, message, node.span))
