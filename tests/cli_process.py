"""Running the real command line in a child process: exit status, streams, and a terminal when asked.

Tests that judge exit statuses, colour or standard input need the process as users run it; the
environment is cleared of NO_COLOR, CI and GitHub variables so the host's settings do not leak in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

_LEAKY = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "CI", "TERM")


@dataclass
class Completed:
    status: int
    stdout: str
    stderr: str


def run_cli(args: list[str], cwd: Path, stdin: bytes = b"", env: Optional[dict] = None,
            terminal: bool = False) -> Completed:
    """`python -m dockerstore_lint ARGS` in `cwd`; with `terminal`, standard output is a pseudo-terminal."""
    environment = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    environment.update(env or {})
    command = [sys.executable, "-m", "dockerstore_lint", *args]
    if not terminal:
        done = subprocess.run(command, check=False, cwd=cwd, input=stdin, capture_output=True, env=environment,
                              timeout=120)
        return Completed(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))
    import pty

    controller, child_end = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=child_end,
                               stderr=subprocess.PIPE, env=environment)
    os.close(child_end)
    process.stdin.write(stdin)
    process.stdin.close()
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    stderr = process.stderr.read()
    status = process.wait(timeout=120)
    # a terminal turns "\n" into "\r\n"
    return Completed(status, b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), stderr.decode("utf-8"))
