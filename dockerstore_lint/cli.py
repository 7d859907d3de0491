"""The entry point of `dockerstore-lint` and `python -m dockerstore_lint`: arguments in, exit status out.

Exit status: 0 nothing at or above the fail level, 1 findings, 2 usage or configuration error,
3 internal error, 130 interrupted.

A plain lint, `dockerstore-lint [check] PATHS` with no option, is what pre-commit and on-save hooks
run, thousands of times a day; it goes straight to the linter. Every other command line is parsed by
click (`commands`), whose import costs more than linting a file does.
"""

from __future__ import annotations

import os
import sys

# the commands of `commands.main_group`; a first argument that is none of them is a path to check
COMMANDS = ("check", "inspect", "rules", "rule", "server")
REPORT_URL = "https://github.com/dockerstore-lint/dockerstore-lint/issues"


def main() -> None:
    """Console entry point: owns the exit status (click's defaults collide with "1 = findings")."""
    try:
        status = _run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        status = 130
    except BrokenPipeError:
        # the reader went away (`| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    except Exception as error:  # noqa: BLE001 - the one place where anything is caught
        status = _failed(error)
    sys.exit(status)


def _run(args: list[str]) -> int:
    paths = _plain_lint(args)
    if paths is None:
        from dockerstore_lint.commands import run_command_line

        return run_command_line(args)
    from pathlib import Path

    from dockerstore_lint.run import LintRequest, run_check

    return run_check(LintRequest(paths=[Path(path) for path in paths] or [Path(".")]))


def _plain_lint(args: list[str]) -> list[str] | None:  # (no typing import: start-up)
    """The paths of a lint without options, or None for anything click has to read (options, `-`,
    `--`, help, another command). The request is the one click would build from the same words."""
    if args and args[0] == "check":
        args = args[1:]
    elif args and args[0] in COMMANDS:
        return None
    if any(arg.startswith("-") for arg in args):
        return None
    return args


def _failed(error: Exception) -> int:
    from dockerstore_lint.run import UsageError

    if isinstance(error, UsageError):
        sys.stderr.write(f"Error: {error}\n")
        return 2
    # one line, and short: the message of an exception may quote megabytes of the input
    detail = (str(error).splitlines() or [""])[0][:200]
    sys.stderr.write(f"dockerstore-lint: internal error: {type(error).__name__}: {detail}. "
                     f"This is a bug; please report it at {REPORT_URL}\n")
    return 3
