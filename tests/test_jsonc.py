"""The positioned JSON-with-comments reader."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerstore_lint.text.jsonc import MAX_DEPTH, JArray, JObject, JScalar, JString, load_jsonc
from dockerstore_lint.text.positions import FileText


def load(text: str):
    return load_jsonc(FileText("d.json", text))


def plain(value):
    """The reader's tree as Python values, to compare with `json`."""
    if isinstance(value, JObject):
        return {key.value: plain(item) for key, item in value.pairs}
    if isinstance(value, JArray):
        return [plain(item) for item in value.items]
    return value.value


def test_comments_trailing_commas_and_positions():
    text = '// top\n{\n  "a": [1, 2.5, true, null,], /* inline */\n  "b": {"c": "d\\u00e9\\n",},\n}\n'
    value, problems = load(text)
    assert problems == ()
    assert plain(value) == {"a": [1, 2.5, True, None], "b": {"c": "dé\n"}}
    origin = FileText("d.json", text)
    string = value.get("b").get("c")
    assert isinstance(string, JString)
    assert tuple(origin.span(string.start, string.end)) == ("d.json", 4, 14, 4, 25)
    inner = string.text(origin)
    assert inner.text == "dé\n" and inner.written(1, 2) == "\\u00e9"


def test_the_last_of_repeated_keys_wins():
    value, _ = load('{"a": 1, "a": 2}')
    assert value.get("a") == JScalar(2, 14, 15)


@pytest.mark.parametrize(("text", "message", "column"), [
    ('{"a" 1}', "':' was expected after the property name", 6),
    ("[1,,2]", "unexpected character ','", 4),
    ('{"a": "b', "unterminated string", 7),
    ("/* open", "unterminated comment", 1),
    ('{"a": 1} 2', "unexpected text after the value", 10),
    ('"\\q"', "invalid escape", 2),
    ("", "unexpected end of file", 1),
    ("[" * (MAX_DEPTH + 5), f"nested more than {MAX_DEPTH} levels deep", MAX_DEPTH + 1),
])
def test_problems_are_values_with_positions(text, message, column):
    value, (problem,) = load(text)
    assert value is None
    assert problem.code == "DSL001" and message in problem.message and problem.span.column == column


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                   max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(_JSON)
def test_reads_what_json_writes(document):
    value, problems = load(json.dumps(document, indent=1))
    assert problems == () and plain(value) == document


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[],:"\\/*\n tfn0123.-eu', max_size=60))
def test_any_text_gives_a_value_or_a_problem(text):
    value, problems = load(text)
    assert (value is None) == bool(problems)
