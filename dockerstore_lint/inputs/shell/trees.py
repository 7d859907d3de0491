"""What the two tree-sitter readers share: text the grammars can be given safely, offsets between the
bytes tree-sitter reads and the characters of the text, and the one walk that finds the nodes they read."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

# the walk does not go deeper than this into a tree
MAX_TREE_DEPTH = 1000
_NOT_BMP = re.compile("[\\U00010000-\\U0010FFFF\\ud800-\\udfff]")


def tree_sitter_text(text: str) -> str:
    """The text tree-sitter is given: characters beyond the Basic Multilingual Plane (and lone
    surrogates) become U+FFFD, one character for one. tree-sitter-bash 0.25.1 reads out of bounds on
    `{` followed by a 4-byte UTF-8 character (its issue #337: a segmentation fault on Linux); such a
    character is only ever text, never syntax, and the words' values are taken from the real text."""
    return _NOT_BMP.sub("\ufffd", text) if not text.isascii() else text


_PARSERS: dict[str, Parser] = {}


def parse_tree(text: str, grammar: str) -> tuple[str, bytes, Tree]:
    """`text` read by the tree-sitter grammar of the module `grammar` (`tree_sitter_bash`): the text given to
    it (`tree_sitter_text`), its bytes, and the tree. tree-sitter and the grammar are imported on first use
    (20 ms, and most runs read no shell text), and each parser is made once per process."""
    if grammar not in _PARSERS:
        import importlib

        import tree_sitter

        language = importlib.import_module(grammar).language()
        _PARSERS[grammar] = tree_sitter.Parser(tree_sitter.Language(language))
    parsed = tree_sitter_text(text)
    data = parsed.encode("utf-8")
    return parsed, data, _PARSERS[grammar].parse(data)


class Chars:
    """Byte offsets of the UTF-8 text tree-sitter read <-> character offsets of the text."""

    def __init__(self, text: str, data: bytes) -> None:
        self.identity = len(text) == len(data)
        self.byte_ends: list[int] = []  # per non-ASCII character: where it ends in bytes, in characters
        self.char_ends: list[int] = []
        self.extra: list[int] = []  # bytes beyond one per character, up to its end
        if not self.identity:
            extra = 0
            for match in re.finditer(r"[^\x00-\x7f]", text):
                extra += len(match.group().encode("utf-8", "surrogatepass")) - 1
                self.byte_ends.append(match.end() + extra)
                self.char_ends.append(match.end())
                self.extra.append(extra)

    def __call__(self, byte: int) -> int:
        if self.identity:
            return byte
        index = bisect_right(self.byte_ends, byte) - 1
        return byte - (self.extra[index] if index >= 0 else 0)

    def byte(self, char: int) -> int:
        if self.identity:
            return char
        index = bisect_right(self.char_ends, char) - 1
        return char + (self.extra[index] if index >= 0 else 0)


def nodes_of_kinds(tree: Tree, kinds: frozenset[str]) -> dict[str, list[Node]]:
    """The nodes of the given kinds, in text order, by kind: one walk of the tree with a cursor, not
    deeper than MAX_TREE_DEPTH (nothing nested that deep is read). Faster than tree-sitter's queries,
    which cost 10-25 ms to compile per process and grow with the square of the nesting."""
    found: dict[str, list[Node]] = {kind: [] for kind in kinds}
    cursor = tree.walk()
    depth = 0
    while True:
        node = cursor.node
        assert node is not None  # a cursor over a tree is always on one of its nodes
        if node.type in kinds:
            found[node.type].append(node)
        if depth < MAX_TREE_DEPTH and cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found
            depth -= 1
