"""A YAML scalar's value mapped back to where each character is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerstore_lint.text.positions import FileText
from dockerstore_lint.text.yaml_nodes import YNode, YScalar, YSeq, load_yaml
from dockerstore_lint.text.yaml_scalars import exact_scalar_text, scalar_text

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if getattr(yaml, "CSafeLoader", None) else [])


def value_of(text: str, key: str = "run", loader=yaml.SafeLoader):
    loaded = load_yaml(text, "w.yml", Path("/"), loader)
    assert not loaded.problems
    (scalar,) = [node.get(key) for node in _maps(loaded.documents[0]) if node.get(key) is not None]
    return scalar_text(scalar, FileText("w.yml", text)), scalar


def _maps(node):
    from dockerstore_lint.text.yaml_nodes import YMap, YSeq

    if isinstance(node, YMap):
        yield node
        for _, value in node.pairs:
            yield from _maps(value)
    elif isinstance(node, YSeq):
        for item in node.items:
            yield from _maps(item)


def locate(embedded, needle: str):
    start = embedded.text.index(needle)
    span = embedded.span(start, start + len(needle))
    return span.line, span.column, span.end_line, span.end_column


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(("text", "needle", "where"), [
    ("steps:\n  - run: |\n      docker run \\\n        -v a:/b img\n", "-v a:/b", (4, 9, 4, 16)),
    ("run: >-\n  docker run\n  -v a:/b\n  img\n", "-v a:/b", (3, 3, 3, 10)),
    ("run: &anchor !!str |2\n    docker run -v a:/b\n", "-v a:/b", (2, 16, 2, 23)),
    ("run: docker run\n  -v a:/b img\n", "-v a:/b", (2, 3, 2, 10)),
    ("run: 'docker run ''x''\n  -v a:/b'\n", "-v a:/b", (2, 3, 2, 10)),
    ('run: "docker run \\"x\\" \\\n  -v a:/b"\n', "-v a:/b", (2, 3, 2, 10)),
    ('run: "\\u0041 -v a:/b"\n', "A -v", (1, 7, 1, 16)),
])
def test_positions_inside_scalars(loader, text, needle, where):
    embedded, scalar = value_of(text, loader=loader)
    assert exact_scalar_text(scalar, FileText("w.yml", text)) is not None
    assert locate(embedded, needle) == where


def test_a_scalar_this_reading_gets_wrong_maps_to_the_whole_scalar():
    text = "run: docker run -v a:/b\n"
    loaded = load_yaml(text, "w.yml", Path("/"))
    scalar = loaded.documents[0].get("run")
    scalar.value = "something else"  # what this reading cannot give
    embedded = scalar_text(scalar, FileText("w.yml", text))
    assert embedded.text == "something else"
    assert embedded.written(3, 4) == "docker run -v a:/b"


def test_an_escape_maps_to_the_whole_escape():
    embedded, _ = value_of('run: "a\\tb"\n')
    assert embedded.text == "a\tb"
    assert embedded.written(1, 2) == "\\t"


_LINE = st.text(alphabet=" ab-:#'\"\\\t", max_size=12)


@settings(max_examples=300, deadline=None)
@given(header=st.sampled_from(["|", "|-", "|+", ">", ">-", ">+", "|2", ">1-"]),
       lines=st.lists(st.one_of(_LINE, st.just("")), min_size=1, max_size=6),
       indent=st.integers(min_value=2, max_value=4))
def test_block_scalars_read_as_pyyaml_reads_them(header, lines, indent):
    body = "".join(" " * indent + line.rstrip() + "\n" if line.strip() else "\n" for line in lines)
    text = f"jobs:\n  run: {header}\n{body}"
    _check_every_scalar(text)


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet="ab \n\t'\"\\-:#", max_size=30), style=st.sampled_from(["'", '"', ""]))
def test_flow_scalars_read_as_pyyaml_reads_them(value, style):
    if style == "'":
        written = "'" + value.replace("'", "''") + "'"
    elif style == '"':
        written = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        written = value
    _check_every_scalar("run: " + written.replace("\n", "\n  ") + "\n")


def _check_every_scalar(text: str) -> None:
    loaded = load_yaml(text, "w.yml", Path("/"))
    if loaded.problems or not loaded.documents:
        return
    origin = FileText("w.yml", text)
    for scalar in walk_scalars(loaded.documents[0]):
        embedded = exact_scalar_text(scalar, origin)
        assert embedded is not None, repr(scalar.value)
        # every character maps inside the scalar's own region of the file
        first = origin.offset(scalar.span.line, scalar.span.column)
        last = origin.offset(scalar.span.end_line, scalar.span.end_column)
        for offset in range(len(embedded.text)):
            start, end = embedded.file_range(offset, offset + 1)
            assert first <= start and end <= max(last, first + 1) + 1


def walk_scalars(node: YNode):
    """Every scalar value (not keys) once, even where aliases share it."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, YScalar):
            yield current
        elif isinstance(current, YSeq):
            stack.extend(reversed(current.items))
        else:
            stack.extend(value for _, value in reversed(current.pairs))
