"""The positioned YAML tree, under both PyYAML loaders."""

from pathlib import Path

import pytest
import yaml

from dockerstore_lint.text.yaml_nodes import (
    MAX_EXPANDED_NODES,
    YMap,
    YScalar,
    YSeq,
    load_yaml,
)

LOADERS = [pytest.param(yaml.SafeLoader, id="pure")]
if getattr(yaml, "CSafeLoader", None):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


def load(text: str, loader):
    return load_yaml(text, "compose.yaml", Path("/project"), loader)


@pytest.fixture(params=LOADERS)
def loader(request):
    return request.param


def test_positions_of_keys_and_items(loader):
    loaded = load("services:\n  web:\n    volumes:\n      - ./a:/a\n      - type: bind\n", loader)
    assert not loaded.problems
    web = loaded.documents[0].get("services").get("web")
    volumes = web.get("volumes")
    assert isinstance(volumes, YSeq)
    first, second = volumes.items
    assert (first.span.line, first.span.column) == (4, 9)
    assert isinstance(second, YMap) and (second.span.line, second.span.column) == (5, 9)
    key = web.key("volumes")
    assert (key.span.line, key.span.column, key.span.end_column) == (3, 5, 12)


def test_raw_text_not_yaml11_typing(loader):
    loaded = load("volumes: [10:20, 0755, on, '22:22']\n", loader)
    values = [item.value for item in loaded.documents[0].get("volumes").items]
    assert values == ["10:20", "0755", "on", "22:22"]
    assert [item.plain for item in loaded.documents[0].get("volumes").items] == [True, True, True, False]


def test_merge_keys_explicit_wins_and_earlier_merge_wins(loader):
    text = (
        "x-a: &a {image: a, restart: always}\n"
        "x-b: &b {image: b, user: b}\n"
        "services:\n"
        "  web:\n"
        "    <<: [*a, *b]\n"
        "    user: me\n"
    )
    web = load(text, loader).documents[0].get("services").get("web")
    assert {k.value: v.value for k, v in web.pairs} == {"image": "a", "restart": "always", "user": "me"}
    # merged entries keep the anchor's position
    assert web.key("image").span.line == 1


def test_duplicate_key_is_a_problem_with_both_lines(loader):
    loaded = load("services:\n  web:\n    image: a\n    image: b\n", loader)
    assert [(p.code, p.span.line, p.message) for p in loaded.problems] == [
        ("DSL001", 4, "duplicate key 'image' (first defined on line 3)")
    ]
    assert loaded.documents[0].get("services").get("web").get("image").value == "a"


def test_reset_and_override_tags_are_kept(loader):
    loaded = load("services:\n  web:\n    ports: !reset []\n    volumes: !override\n      - a:/a\n", loader)
    web = loaded.documents[0].get("services").get("web")
    assert web.get("ports").tag == "!reset"
    assert web.get("volumes").tag == "!override"
    assert not loaded.problems


def test_unknown_tags_are_ignored_like_compose(loader):
    loaded = load("services:\n  web:\n    image: !foo nginx\n", loader)
    assert not loaded.problems
    assert loaded.documents[0].get("services").get("web").get("image").value == "nginx"


def test_several_documents(loader):
    loaded = load("a: 1\n---\nb: 2\n", loader)
    assert [d.pairs[0][0].value for d in loaded.documents] == ["a", "b"]


def test_syntax_error_position(loader):
    loaded = load("services:\n  web:\n    image: [a\n", loader)
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.code == "DSL001" and problem.message.startswith("invalid YAML")
    assert problem.span.line >= 3


def test_alias_bomb_is_refused_quickly(loader):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        previous = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{previous}]")
    loaded = load("\n".join(lines) + "\n", loader)
    assert [p.code for p in loaded.problems] == ["DSL001"]
    assert f"{MAX_EXPANDED_NODES:,}" in loaded.problems[0].message
    assert not loaded.documents


def test_recursive_alias_is_a_problem(loader):
    loaded = load("a: &a [*a]\n", loader)
    assert loaded.problems and "contains it" in loaded.problems[0].message


def test_null_detection_depends_on_quotes(loader):
    doc = load("a: ~\nb: 'null'\nc:\n", loader).documents[0]
    assert doc.get("a").is_null and not doc.get("b").is_null and doc.get("c").is_null
    assert isinstance(doc.get("c"), YScalar)


def test_deep_nesting_is_bounded(loader):
    text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    loaded = load(text, loader)
    assert loaded.problems and loaded.problems[0].code == "DSL001"
