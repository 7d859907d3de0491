"""The variables Compose would find in the shell, as far as the linter lets it see them.

The linter never reads its own environment unless asked to: a verdict must not depend on who runs it
(CI's `HOME=/root`), and what is in it (a CI secret) must never reach a report. So the shell holds:

1. the values the user gives: `--env KEY=VALUE`, `--env-file FILE`, `env:` in the configuration;
2. `HOME`, `PWD`, `USER`, `UID` and `GID` as symbols of whoever will run the project: `HOME` is `~`
   (so `${HOME}/x` is a home path exactly like `~/x`), `PWD` is `.` (the project directory), and
   `USER`, `UID`, `GID` stay as written (`${UID}`), a user the rules know is not root;
3. only with `--env-from-process` (or `env-from-process: true`), the linter's own environment for the
   rest. The values it gives are remembered, and `hide` puts the reference (`${NAME}`) back wherever
   one would be printed.

The project's `.env` comes after all of these, as in Compose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Optional

from dockerstore_lint.inputs.compose.interpolation import Lookup

SYMBOLS = {"HOME": "~", "PWD": ".", "USER": "${USER}", "UID": "${UID}", "GID": "${GID}"}
# a value this short is hidden only where it stands alone: "1" must not turn every 1 of a report into ${DEBUG}
_SHORT = 4


class ShellVariables:
    __slots__ = ("given", "process", "taken", "_pattern")

    def __init__(self, given: Optional[Mapping[str, str]] = None,
                 process: Optional[Mapping[str, str]] = None) -> None:
        self.given = dict(given or {})
        self.process = process  # None: the linter's environment is not read
        self.taken: dict[str, str] = {}  # what the process environment gave, by name
        self._pattern: Optional[re.Pattern[str]] = None

    def __call__(self, name: str) -> Optional[str]:
        value = self.given.get(name)
        if value is not None:
            return value
        value = SYMBOLS.get(name)
        if value is not None or self.process is None:
            return value
        value = self.process.get(name)
        if value:
            if name not in self.taken:
                self._pattern = None
            self.taken[name] = value
        return value

    def hide(self, text: str) -> str:
        """`text` with every value taken from the process environment replaced by its reference."""
        if not self.taken:
            return text
        if self._pattern is None:
            self._pattern = _pattern(self.taken)
        references = {value: f"${{{name}}}" for name, value in self.taken.items()}
        return self._pattern.sub(lambda match: references[match.group()], text)


def _pattern(values: Mapping[str, str]) -> re.Pattern[str]:
    # the longest first, so that a value holding another is replaced whole
    alternatives = []
    for value in sorted(set(values.values()), key=len, reverse=True):
        escaped = re.escape(value)
        alternatives.append(escaped if len(value) >= _SHORT else rf"(?<![\w.-]){escaped}(?![\w.-])")
    return re.compile("|".join(alternatives))


def read_env_file(path: Path, lookup: Lookup, max_bytes: int) -> tuple[dict[str, str], Optional[str]]:
    """The variables of an env file the user names (`--env-file`), or why it cannot be used."""
    from dockerstore_lint.inputs.compose.dotenv import parse_dotenv
    from dockerstore_lint.text.sources import read_source

    source, problem = read_source(path, str(path), max_bytes)
    if source is None:
        assert problem is not None  # read_source gives one or the other
        return {}, f"{path}: {problem.message}"
    result = parse_dotenv(source.text, lookup)
    if result.problems:
        line, column, message = result.problems[0]
        return {}, f"{path}:{line}:{column}: {message}"
    return result.values, None
