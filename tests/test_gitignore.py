"""Ignore rules: the indexed matcher says what trying every pattern in order says, and its limits are reported.

The reference is the plain reading of git's rule: the last pattern that matches a path (or a directory
above it) decides, patterns of deeper ignore files coming after those of the files above them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint import gitignore
from dockerstore_lint.gitignore import IgnoreRules, _compile

_NAMES = ["a", "b", "ab", "ba", "x.o", "y.log", ".env", "A"]
_SEGMENTS = _NAMES + ["*", "?", "**", "[ab]", "a*", "*.o", "*b", "[!a]*", "\\*", "a?b", "*.log*"]


@st.composite
def _pattern(draw) -> str:
    segments = draw(st.lists(st.sampled_from(_SEGMENTS), min_size=1, max_size=3))
    text = "/".join(segments)
    return draw(st.sampled_from(["", "!"])) + draw(st.sampled_from(["", "/"])) + text \
        + draw(st.sampled_from(["", "/"]))


_DIRECTORIES = st.lists(st.sampled_from(_NAMES), max_size=3).map(tuple)


def reference(files: dict[tuple[str, ...], list[str]], path: tuple[str, ...], is_dir: bool) -> bool:
    """Every pattern of the files above `path`, top first, tried in order: the last match decides."""
    verdict = False
    for directory in sorted(files, key=len):
        if path[:len(directory)] != directory or len(path) <= len(directory):
            continue
        for line in files[directory]:
            pattern = _compile(line)
            if pattern is None or (pattern.directory_only and not is_dir):
                continue
            if pattern.matches(list(path[len(directory):])):
                verdict = not pattern.negated
    return verdict


def rules_for(top: Path, directory: tuple[str, ...]) -> IgnoreRules:
    """As the walk builds them: the repository's rules, then one child per directory down to `directory`."""
    rules = IgnoreRules.for_repository(top).child(top)
    for depth in range(1, len(directory) + 1):
        rules = rules.child(top.joinpath(*directory[:depth]))
    return rules


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.dictionaries(_DIRECTORIES, st.lists(_pattern(), max_size=6), max_size=4),
       paths=st.lists(st.tuples(_DIRECTORIES, st.sampled_from(_NAMES), st.booleans()), min_size=1, max_size=8))
def test_the_index_agrees_with_trying_every_pattern(tmp_path_factory, files, paths):
    top = tmp_path_factory.mktemp("repository")
    for directory, lines in files.items():
        top.joinpath(*directory).mkdir(parents=True, exist_ok=True)
        top.joinpath(*directory, ".gitignore").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for directory, name, is_dir in paths:
        rules = rules_for(top, directory)
        path = (*directory, name)
        assert rules.ignored(top.joinpath(*path), is_dir) == reference(files, path, is_dir), (path, is_dir)


def test_a_directory_hands_down_the_patterns_its_names_bring_up(tmp_path):
    (tmp_path / ".gitignore").write_text("/build/**/cache\n**/vendor/*.tmp\n!keep.tmp\n", encoding="utf-8")
    rules = rules_for(tmp_path, ("build", "x", "y"))
    assert rules.ignored(tmp_path / "build/x/y/cache", True)
    assert not rules.ignored(tmp_path / "build/x/y/other", True)
    vendor = rules_for(tmp_path, ("src", "vendor"))
    assert vendor.ignored(tmp_path / "src/vendor/a.tmp", False)
    assert not vendor.ignored(tmp_path / "src/vendor/keep.tmp", False)


def _problems(rules: IgnoreRules) -> list[tuple[str, int, str]]:
    return [(path.name, line, message) for path, line, message in rules.problems]


def test_patterns_past_the_limit_of_a_file_are_reported(tmp_path):
    lines = ["# comment"] + [f"p{i}" for i in range(gitignore.MAX_PATTERNS + 10)]
    (tmp_path / ".gitignore").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rules = rules_for(tmp_path, ())
    assert rules.ignored(tmp_path / f"p{gitignore.MAX_PATTERNS - 1}", False)
    assert not rules.ignored(tmp_path / f"p{gitignore.MAX_PATTERNS}", False)
    assert _problems(rules) == [(".gitignore", gitignore.MAX_PATTERNS + 2, f"more than {gitignore.MAX_PATTERNS:,} "
                                 "patterns in one ignore file: from here on its patterns are not used, so files git "
                                 "ignores may be linted")]


def test_the_total_of_patterns_and_of_files_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(gitignore, "MAX_TOTAL_PATTERNS", 25)
    monkeypatch.setattr(gitignore, "MAX_FILES", 4)
    directory = tmp_path
    for depth in range(6):
        (directory / ".gitignore").write_text("".join(f"d{depth}-{i}\n" for i in range(10)), encoding="utf-8")
        directory = directory / "n"
        directory.mkdir()
    rules = rules_for(tmp_path, ("n",) * 5)
    assert rules.ignored(directory / "d1-9", True) and not rules.ignored(directory / "d2-5", True)
    assert [(name, line, message.split(":")[0]) for name, line, message in _problems(rules)] == [
        (".gitignore", 6, "more than 25 patterns in all ignore files")]
    monkeypatch.setattr(gitignore, "MAX_TOTAL_PATTERNS", 1000)
    rules = rules_for(tmp_path, ("n",) * 5)
    assert rules.ignored(directory / "d3-0", True) and not rules.ignored(directory / "d4-0", True)
    assert [message.split(":")[0] for _, _, message in _problems(rules)] == [
        "more than 4 ignore files apply to one directory"]


def test_past_the_budget_of_tries_nothing_is_ignored_and_that_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(gitignore, "MAX_TRIES", 500)
    (tmp_path / ".gitignore").write_text("*.o\n*[0-9]\n", encoding="utf-8")  # the second needs no particular name
    rules = rules_for(tmp_path, ())
    assert rules.ignored(tmp_path / "x.o", False)
    for i in range(200):
        rules.ignored(tmp_path / f"f{i}", False)
    assert not rules.ignored(tmp_path / "x.o", False)
    assert _problems(rules) == [(".gitignore", 1, "trying the ignore patterns took more than 500 steps: from here on "
                                 "nothing is ignored, so files git ignores may be linted")]


@pytest.mark.parametrize("line", ["[z-a]", "*a" * 300, "x[z-a]*"])
def test_a_pattern_that_cannot_be_compiled_matches_nothing(tmp_path, line):
    (tmp_path / ".gitignore").write_text(f"{line}\n*\n!Dockerfile\n", encoding="utf-8")
    rules = rules_for(tmp_path, ())
    assert not rules.ignored(tmp_path / "Dockerfile", False) and rules.ignored(tmp_path / "other", False)
