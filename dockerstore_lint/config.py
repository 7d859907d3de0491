"""Configuration: `.dockerstore-lint.yaml` or `[tool.dockerstore-lint]` in pyproject.toml, plus CLI flags.

The configuration is the first found from the current directory upwards (up to the repository's top); in one
directory `.dockerstore-lint.yaml` wins over `.dockerstore-lint.yml`, which wins over pyproject.toml. Unknown
keys, codes and levels are usage errors: a typo must not silently turn a rule off. An error names the key,
never the value it holds: a configuration may be a link to a file of secrets. Where a list is expected, a
single string is a list too, split at commas (codes also at spaces), as on the command line.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path
from typing import Any, Optional

from dockerstore_lint.model.host_paths import is_inside
from dockerstore_lint.rule import LEVEL_RANK, LEVELS
from dockerstore_lint.text.elide import shorten
from dockerstore_lint.text.escape import printable
from dockerstore_lint.text.sources import DEFAULT_MAX_BYTES, read_source
from dockerstore_lint.wildcards import GlobSet, TooManyGlobs

CONFIG_FILES = (".dockerstore-lint.yaml", ".dockerstore-lint.yml")
KEYS = ("select", "ignore", "levels", "per-path-ignores", "fail-level", "exclude", "max-file-size", "throwaway",
        "env", "env-from-process")
# where a Compose file is a test's or CI's, whose containers are made to be thrown away: a name without `/` is
# a folder or file name anywhere in the path, as in .gitignore
THROWAWAY = ("tests", "test", "ci", "e2e", "integration-test", "integration-tests", "*.test.yml", "*.test.yaml",
             "*.ci.yml", "*.ci.yaml")
_LARGEST_SIZE = 1024 ** 4
# compiled when first used (by `re`'s cache): most runs never set a size
_SIZE = r"(?i)^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$"
# what Compose accepts as a variable name in an env file
_VARIABLE_NAME = r"[A-Za-z0-9_.\-\[\]]+"


class ConfigError(Exception):
    """A problem with configuration or flags: exit status 2."""


class Config:
    """The defaults; `apply` sets what a configuration file, then the command line, says."""

    __slots__ = ("select", "ignore", "levels", "per_path_ignores", "fail_level", "exclude", "max_file_size",
                 "throwaway", "env", "env_from_process", "base", "source", "origins", "_ignore_globs",
                 "_exclude_globs")

    def __init__(self, base: Optional[Path] = None, source: Optional[str] = None) -> None:
        self.select: list[str] = ["DSL"]
        self.ignore: list[str] = []
        self.levels: dict[str, str] = {}  # selector -> level
        self.per_path_ignores: dict[str, list[str]] = {}  # glob -> selectors
        self.fail_level = "warning"
        self.exclude: list[str] = []
        self.max_file_size = DEFAULT_MAX_BYTES
        self.throwaway: list[str] = list(THROWAWAY)
        self.env: dict[str, str] = {}  # variables for Compose files, as if set in the shell
        self.env_from_process = False  # whether the linter's own environment is read too
        self.base = Path.cwd() if base is None else base  # globs are relative to the config file's directory
        self.source = source
        self.origins: dict[str, list[str]] = {}  # key -> where its value comes from (unset: the default)
        # each list of globs compiled once into one matcher (set by `apply`)
        self._ignore_globs: Optional[tuple[GlobSet, list[list[str]]]] = None  # and the selectors of each glob
        self._exclude_globs: Optional[GlobSet] = None

    def enabled(self, code: str) -> bool:
        return _longest(code, self.select) > _longest(code, self.ignore)

    def level_for(self, code: str, default: str) -> str:
        best, level = -1, default
        for selector, value in self.levels.items():
            if code.startswith(selector) and len(selector) > best:
                best, level = len(selector), value
        return level

    def ignored_at(self, code: str, path: str) -> bool:
        """`path` is a display path; globs match it relative to the configuration's directory."""
        if self._ignore_globs is None:
            return False
        globs, selectors = self._ignore_globs
        return any(code.startswith(s) for index in globs.matching(_relative(path, self.base)) for s in selectors[index])

    def excluded(self, path: Path) -> bool:
        """Whether a glob matches `path`, or a directory above it."""
        return self._exclude_globs is not None and bool(self._exclude_globs.matching(_relative(str(path), self.base)))


    def is_throwaway(self, path: Path) -> bool:
        """Whether the containers a file defines are a test's or CI's (the `throwaway` globs match it)."""
        relative = _relative(str(path), self.base)
        names = relative.split("/")
        return any(any(fnmatch.fnmatchcase(name, glob) for name in names) if "/" not in glob
                   else fnmatch.fnmatchcase(relative, glob) or fnmatch.fnmatchcase(relative, glob.rstrip("/") + "/*")
                   for glob in self.throwaway)


def load_config(explicit: Optional[Path], cwd: Path) -> Config:
    path = explicit or find_config(cwd)
    if path is None:
        return Config(base=cwd)
    data = _read(path)
    config = Config(base=path.parent, source=str(path))
    apply(config, data, str(path))
    return config


def relative_globs(globs: list[str], directory: Path, base: Path) -> list[str]:
    """Globs written relative to `directory` (the command line's, from the current directory) as globs relative
    to `base` (a configuration's directory), which match what they match from `directory`."""
    import glob

    try:
        prefix = directory.relative_to(base).as_posix()
    except ValueError:  # outside the configuration's directory: matched as absolute paths are
        prefix = directory.as_posix()
    if prefix == ".":
        return list(globs)
    return [f"{glob.escape(prefix)}/{pattern}" for pattern in globs]


def other_configurations(path: Path) -> list[Path]:
    """The configuration files beside `path`, the one `find_config` chose, that it wins over (a warning: one of
    them is ignored)."""
    directory = path.parent
    candidates = [directory / name for name in (*CONFIG_FILES, "pyproject.toml")]
    later = candidates[candidates.index(path) + 1:] if path in candidates else []
    return [other for other in later if other.is_file() and (other.name != "pyproject.toml" or _has_section(other))]


def _has_section(pyproject: Path) -> bool:
    # read as carefully as any other file; one that cannot be read is reported by `_read`
    source, _ = read_source(pyproject, str(pyproject))
    return source is None or "[tool.dockerstore-lint" in source.text


def find_config(cwd: Path) -> Optional[Path]:
    """The configuration for `cwd`: searched in it and the directories above, up to its repository's top.

    A configuration file that is a link out of the repository (or, outside a repository, out of its
    directory) is not read: a `.dockerstore-lint.yaml` so is a usage error, a `pyproject.toml` so is passed.
    """
    from dockerstore_lint.gitignore import find_repository

    repository = find_repository(cwd)
    for directory in (cwd, *cwd.parents):
        top = Path(os.path.realpath(repository or directory))
        for name in CONFIG_FILES:
            if (directory / name).is_file():
                if not is_inside(directory / name, top):
                    raise ConfigError(f"{directory / name}: not read: a link to a file outside the repository")
                return directory / name
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and is_inside(pyproject, top) and _has_section(pyproject):
            return pyproject
        if directory == repository:
            return None
    return None


def apply(config: Config, data: dict[str, Any], where: str) -> None:
    """Validate settings (from a file or the command line) and store them."""
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown setting '{_key(unknown[0])}' (known: {', '.join(KEYS)})")
    config.origins.update((key, [where]) for key in data)
    if "select" in data:
        config.select = _codes(data["select"], "select", where)
    if "ignore" in data:
        config.ignore = _codes(data["ignore"], "ignore", where)
    if "levels" in data:
        levels = _mapping(data["levels"], "levels", where)
        for selector, level in levels.items():
            if level not in LEVELS:
                raise ConfigError(f"{where}: levels.{_key(selector)} is not one of {', '.join(LEVELS)}")
        config.levels = {str(k).upper(): str(v) for k, v in levels.items()}
        from dockerstore_lint.registry import unknown_selectors

        not_codes = unknown_selectors(list(config.levels))
        if not_codes:
            raise _not_a_code(where, f"levels.{_key(not_codes[0])}")
    if "per-path-ignores" in data:
        mapping = _mapping(data["per-path-ignores"], "per-path-ignores", where)
        config.per_path_ignores = {str(glob): _codes(codes, f"per-path-ignores.{_key(glob)}", where)
                                   for glob, codes in mapping.items()}
        globs = _globs(list(config.per_path_ignores), "per-path-ignores", where)
        config._ignore_globs = (globs, list(config.per_path_ignores.values())) if globs is not None else None
    if "fail-level" in data:
        level = str(data["fail-level"])
        if level not in LEVEL_RANK:
            raise ConfigError(f"{where}: fail-level is not one of {', '.join(LEVEL_RANK)}")
        config.fail_level = level
    if "exclude" in data:
        config.exclude = [str(x) for x in _list(data["exclude"], "exclude", where)]
        config._exclude_globs = _globs(config.exclude, "exclude", where, below=True)
    if "max-file-size" in data:
        config.max_file_size = parse_size(data["max-file-size"], where)
    if "throwaway" in data:
        config.throwaway = [str(x) for x in _list(data["throwaway"], "throwaway", where)]
    if "env" in data:
        config.env = {_variable_name(name, where): _variable_value(value, f"env.{name}", where)
                      for name, value in _mapping(data["env"], "env", where).items()}
    if "env-from-process" in data:
        if not isinstance(data["env-from-process"], bool):
            raise ConfigError(f"{where}: env-from-process must be true or false")
        config.env_from_process = data["env-from-process"]


def parse_size(value: Any, where: str) -> int:
    match = re.match(_SIZE, str(value))
    if not match:
        raise ConfigError(f"{where}: max-file-size is not a size like 5MB")
    number, unit = float(match.group(1)), (match.group(2) or "b").lower()
    factor = {"b": 1, "kb": 1024, "k": 1024, "mb": 1024 ** 2, "m": 1024 ** 2, "gb": 1024 ** 3, "g": 1024 ** 3}[unit]
    size = number * factor
    if size > _LARGEST_SIZE:
        raise ConfigError(f"{where}: max-file-size is more than 1 TB")
    return int(size)


def _read(path: Path) -> dict[str, Any]:
    # the configuration comes with the repository: it is read as carefully as the files it configures
    source, problem = read_source(path, str(path))
    if source is None:
        assert problem is not None  # read_source gives one or the other
        raise ConfigError(f"{path}: cannot read configuration: {problem.message}")
    text = source.text
    if path.name == "pyproject.toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            import tomli as tomllib
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: invalid TOML: {_unquoted(str(error))}") from None
        except RecursionError:
            raise ConfigError(f"{path}: invalid TOML: nested too deep") from None
        tool = document.get("tool", {})
        section = tool.get("dockerstore-lint", {}) if isinstance(tool, dict) else {}
    else:
        import yaml

        from dockerstore_lint.text.yaml_nodes import load_yaml

        # first with the bounds a Compose file has: nesting, and what aliases expand to
        problems = load_yaml(text, str(path), path.parent).problems
        if problems:
            raise ConfigError(f"{path}:{problems[0].span.line}: {_unquoted(problems[0].message)}")
        try:
            section = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: invalid YAML: {_unquoted(str(error).splitlines()[0])}") from None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return section


def _codes(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    codes = [str(code).strip().upper() for code in _list(value, key, where)]
    _check_codes(codes, key, where)
    return codes


def _check_codes(codes: list[str], key: str, where: str) -> None:
    from dockerstore_lint.registry import unknown_selectors

    bad = set(unknown_selectors(codes))
    for number, code in enumerate(codes):
        if code in bad:
            raise _not_a_code(where, f"{key}[{number}]")


def _not_a_code(where: str, place: str) -> ConfigError:
    return ConfigError(f"{where}: {place} is not a rule code or prefix (see `dockerstore-lint rules`)")


def _key(key: Any) -> str:
    """A key of the configuration as an error message names it: short, and without control characters."""
    return printable(shorten(str(key), 60))


def _unquoted(message: str) -> str:
    """A parser's message without what it quotes of the file (`found undefined alias 'x'`)."""
    return re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "…", message)


def _list(value: Any, key: str, where: str) -> list[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {key} must be a list or a string")
    return value


def _mapping(value: Any, key: str, where: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a mapping")
    return value


def _globs(globs: list[str], key: str, where: str, below: bool = False) -> Optional[GlobSet]:
    if not globs:
        return None
    try:
        return GlobSet(globs, below)
    except TooManyGlobs as error:
        raise ConfigError(f"{where}: {key}: {error}") from None


def _variable_name(name: Any, where: str) -> str:
    if not isinstance(name, str) or not re.fullmatch(_VARIABLE_NAME, name):
        raise ConfigError(f"{where}: env: a variable name is letters, digits and _ . - [ ]")
    return name


def _variable_value(value: Any, key: str, where: str) -> str:
    # what YAML or TOML reads as a number or a boolean is the text a shell would hold
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ConfigError(f"{where}: {key} must be a string")


def _longest(code: str, selectors: list[str]) -> int:
    """Length of the most specific selector matching `code` (-1 for none): `DSL101` beats `DSL1`."""
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


def _relative(path: str, base: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        return Path(absolute).relative_to(base).as_posix()
    except ValueError:
        return Path(absolute).as_posix()
