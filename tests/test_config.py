"""Configuration: `exclude` and `per-path-ignores` globs matched as `fnmatch` matches them, through one
compiled matcher with its limits; `env` and `env-from-process`; the same size cap for every file read.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerstore_lint.config import Config, ConfigError, apply, find_config, load_config
from dockerstore_lint.text.sources import DEFAULT_MAX_BYTES
from dockerstore_lint.wildcards import GlobSet, TooManyGlobs

_GLOB_PIECES = ["a", "b", "/", ".", "*", "**", "?", "[ab]", "[!a]", "x.j2", "tests/", "[", "]"]
_PATH_PIECES = ["a", "b", "/", ".", "x.j2", "tests", "ab", "c"]


@settings(max_examples=300, deadline=None, database=None)
@given(globs=st.lists(st.lists(st.sampled_from(_GLOB_PIECES), max_size=5).map("".join), min_size=1, max_size=8),
       paths=st.lists(st.lists(st.sampled_from(_PATH_PIECES), max_size=6).map("".join), min_size=1, max_size=6),
       below=st.booleans())
def test_a_glob_set_matches_what_fnmatch_matches(globs, paths, below):
    matcher = GlobSet(globs, below)
    for path in paths:
        expected = tuple(index for index, glob in enumerate(globs) if fnmatch.fnmatch(path, glob)
                         or (below and fnmatch.fnmatch(path, glob.rstrip("/") + "/*")))
        assert matcher.matching(path) == expected, path


def configured(tmp_path: Path, data: dict) -> Config:
    config = Config(base=tmp_path)
    apply(config, data, "test")
    return config


def test_exclude_covers_what_is_below_a_matched_directory(tmp_path):
    config = configured(tmp_path, {"exclude": ["vendor", "build/", "*.j2", "gen*/**"]})
    excluded = [name for name in ("vendor", "vendor/x/Dockerfile", "vendored", "build", "build/Dockerfile",
                                  "a/Dockerfile.j2", "a.j2/Dockerfile", "gen1/x", "src/Dockerfile")
                if config.excluded(tmp_path / name)]
    # `build/` names what is in build, not build itself
    assert excluded == ["vendor", "vendor/x/Dockerfile", "build/Dockerfile", "a/Dockerfile.j2", "a.j2/Dockerfile",
                        "gen1/x"]


def test_per_path_ignores_apply_each_glob_its_own_codes(tmp_path):
    config = configured(tmp_path, {"per-path-ignores": {"tests/*": ["DSL1"], "*.yaml": ["DSL201", "DSL603"]}})
    assert config.ignored_at("DSL101", str(tmp_path / "tests/Dockerfile"))
    assert not config.ignored_at("DSL201", str(tmp_path / "tests/Dockerfile"))
    assert config.ignored_at("DSL603", str(tmp_path / "tests/compose.yaml"))
    assert not config.ignored_at("DSL603", str(tmp_path / "compose.yml"))


def test_twenty_thousand_globs_are_one_matcher(tmp_path):
    data = {"exclude": [f"generated{i}/**" for i in range(20_000)],
            "per-path-ignores": {f"vendor{i}/*": ["DSL101"] for i in range(20_000)}}
    config = configured(tmp_path, data)
    assert config.excluded(tmp_path / "generated19999/Dockerfile") and not config.excluded(tmp_path / "app/Dockerfile")
    assert config.ignored_at("DSL101", str(tmp_path / "vendor7/Dockerfile"))
    assert not config.ignored_at("DSL101", str(tmp_path / "app/Dockerfile"))


@pytest.mark.parametrize(("globs", "message"), [
    ([f"*x{i}*" for i in range(GlobSet.MAX_PER_KEY + 1)], "start and end with a wildcard"),
    ([f"tests/*{i}*" for i in range(GlobSet.MAX_PER_KEY + 1)], "start with `tests/`"),
])
def test_globs_that_would_all_be_tried_on_one_path_are_a_configuration_error(tmp_path, globs, message):
    with pytest.raises(TooManyGlobs, match=message):
        GlobSet(globs)
    with pytest.raises(ConfigError, match=f"test: exclude: more than {GlobSet.MAX_PER_KEY} globs {message}"):
        configured(tmp_path, {"exclude": globs})


def test_env_is_a_mapping_of_variable_names_to_text(tmp_path):
    config = configured(tmp_path, {"env": {"DATA_DIR": "./data", "PORT": 8080, "DEBUG": True},
                                   "env-from-process": True})
    assert config.env == {"DATA_DIR": "./data", "PORT": "8080", "DEBUG": "true"} and config.env_from_process
    for bad in ({"env": ["A=1"]}, {"env": {"A B": "1"}}, {"env": {"A": None}}, {"env": {"A": [1]}},
                {"env-from-process": "yes"}):
        with pytest.raises(ConfigError):
            configured(tmp_path, bad)


def test_the_pyproject_search_reads_no_more_than_the_size_cap(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("# " + "x" * DEFAULT_MAX_BYTES + "\n[tool.dockerstore-lint]\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError, match="cannot read configuration: file too large"):
        load_config(None, tmp_path)


def test_a_pyproject_without_the_section_is_not_the_configuration(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert find_config(tmp_path) is None
