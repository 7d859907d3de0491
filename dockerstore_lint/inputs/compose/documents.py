"""One Compose file -> one interpolated tree: its YAML documents merged in order, as Compose does."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.inputs.compose.interpolation import interpolate
from dockerstore_lint.inputs.compose.merge import merge_documents
from dockerstore_lint.model.span import INVALID, Problem
from dockerstore_lint.text.sources import Source
from dockerstore_lint.text.yaml_nodes import YMap, YNode, YScalar, YSeq, load_yaml

Lookup = Callable[[str], Optional[str]]


class ComposeDocument(NamedTuple):
    tree: Optional[YMap]
    problems: list[Problem]


def load_document(source: Source, base: Path, lookup: Lookup, loader: Optional[type] = None) -> ComposeDocument:
    loaded = load_yaml(source.text, source.file, base, loader)
    problems = list(loaded.problems)
    merged: Optional[YNode] = None
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
    """Copies the tree with every value interpolated; nodes shared through aliases stay shared."""

    def __init__(self, lookup: Lookup, problems: list[Problem]):
        self.lookup = lookup
        self.problems = problems
        self.done: dict[int, YNode] = {}

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
        result = interpolate(node.value, self.lookup)
        if result.error and not result.missing:
            self.problems.append(Problem(INVALID, f"invalid interpolation: {result.error}", node.span))
        # a missing required variable leaves the value unknown, like an unset one
        unset = result.unset + result.missing
        return YScalar(result.value, node.span, node.base, node.tag, node.plain, unset, interpolated=True)
