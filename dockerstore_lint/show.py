"""`check --show-settings` and `check --show-files`: what a lint would use and read, and why, without linting.

Both answer "why is this (not) linted the way I expect?" as a list a person reads and `grep` can filter.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from dockerstore_lint.config import KEYS, Config
from dockerstore_lint.loader import WorkspaceLoader, display_path
from dockerstore_lint.text.escape import printable

_COMMAND_LINE = "command line"
_ALIGNED = 40  # characters of a setting after which its comment is not aligned with the others


def settings_text(config: Config, cwd: Path) -> str:
    """Each setting as YAML the configuration file takes, and where its value comes from; variables by name only
    (an env file may hold secrets)."""
    source = printable(display_path(Path(config.source), cwd)) if config.source else "none found, the defaults apply"
    lines = [f"# configuration: {source}", f"# globs are relative to {printable(display_path(config.base, cwd))}/"]
    rows = [(f"{key}: {_value(config, key)}", ", ".join(_where(origin, cwd) for origin in config.origins.get(key, []))
             or "default") for key in KEYS]
    # aligned, except after a value too long to align with the others
    width = max(len(setting) for setting, _ in rows if len(setting) <= _ALIGNED)
    lines.extend(f"{setting:<{width}}  # {origin}" for setting, origin in rows)
    return "\n".join(lines) + "\n"


def _value(config: Config, key: str) -> str:
    value = getattr(config, key.replace("-", "_"))
    if key == "env":
        value = sorted(value)
    elif key == "max-file-size":
        return _size(value)
    return json.dumps(value)


def _size(size: int) -> str:
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def _where(origin: str, cwd: Path) -> str:
    return origin if origin == _COMMAND_LINE else printable(display_path(Path(origin), cwd))


def files_text(loader: WorkspaceLoader, paths: list[Path], report_files: Optional[set[str]],
               force_exclude: bool) -> str:
    """The files the last `load` of `loader` took, with their kind and why, then what it left out and why (what
    costs nothing to tell: folders and files a walk skips, unrecognised candidates, templates, dropped names)."""
    from dockerstore_lint.discovery import discover
    from dockerstore_lint.inputs import kind_of_path

    named = {Path(os.path.abspath(path)) for path in paths}
    stdin = loader.provided()
    linted = loader.linted()
    rows = []
    for path, kind in sorted(linted.items()):
        if path in stdin:
            why = "standard input"
        elif path in named:
            why = "named on the command line"
        elif kind_of_path(path) is not None:
            why = "claimed by its name"
        else:
            why = "recognised by its content"
        if report_files is not None and loader.display(path) not in report_files:
            why += "; read with the project of a named file, its findings not reported"
        rows.append((loader.display(path), f"{kind.noun}: {why}"))
    # the walk again, this time for what it leaves out (only --show-files pays for it)
    found = discover([path for path in paths if Path(os.path.abspath(path)) not in stdin], loader.root,
                     loader.display, loader.exclude, force_exclude)
    skipped = dict(found.skipped)
    for path in found.files:
        if path not in linted and path not in skipped:
            if path in found.candidates:
                skipped[path] = "not recognised by its content"
            elif path in found.explicit:
                skipped[path] = "cannot be read (a DSL001 finding says why)"
            else:
                skipped[path] = "a template (`{{ }}`, `%%NAME%%`) to be rendered first"
    rows.extend((loader.display(path), f"skipped: {why}") for path, why in sorted(skipped.items()))
    rows = [(printable(shown), why) for shown, why in rows]
    width = max((len(shown) for shown, _ in rows), default=0)
    return "".join(f"{shown:<{width}}  {why}\n" for shown, why in rows)
