"""The entry point of `dockerstore-lint` and `python -m dockerstore_lint`: arguments in, exit status out.

Exit status: 0 nothing at or above the fail level, 1 findings, 2 usage or configuration error,
3 internal error, 130 interrupted.

A lint, `dockerstore-lint [check] [OPTIONS] PATHS`, is what pre-commit, editors and on-save hooks run,
thousands of times a day; it goes straight to the linter, read with the option table `CHECK_OPTIONS`.
Every other command line (help, another command, anything the table does not read exactly as click
would) is parsed by click (`commands`), which builds `check`'s options from the same table: importing
click costs more than linting a file does.
"""

from __future__ import annotations

import os
import sys

# NamedTuple is the option table's type (run.py, next on a lint's path, imports typing anyway); what only
# annotations name is imported for mypy alone
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from typing import Any

    from dockerstore_lint.run import LintRequest

# the commands of `commands.main_group`; a first argument that is none of them is a path to check
COMMANDS = ("check", "inspect", "rules", "rule", "server")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "checkstyle", "sonarqube")  # reporters/ has each
# what people type for a command (`explain DSL101`): answered with the command, not linted as paths
_ALIASES = {"explain": "rule", "describe": "rule", "doc": "rule", "show": "rule", "info": "rule", "list": "rules",
            "ls": "rules", "lint": "check", "scan": "check", "lsp": "server", "serve": "server",
            "language-server": "server", "help": "--help", "version": "--version"}


class Option(NamedTuple):
    """One option of `check`: its flags, the `LintRequest` field it sets, and what it takes.

    `kind` is "flag" (no value, True when given), "switch" (`--x/--no-x`: True, False, or None when absent),
    "text", "choice" (one of `choices`), "output" (a path that is not a directory), "file" (an existing
    file) or "directory" (an existing directory); `many` options may be repeated and collect a tuple.
    """

    flags: tuple[str, ...]
    field: str
    kind: str
    help: str
    many: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    metavar: str | None = None


CHECK_OPTIONS = (
    Option(("--format",), "output_format", "choice", "Report format.", choices=FORMATS, default="text"),
    Option(("-o", "--output"), "output", "output",
           "Write the report to FILE (atomically) instead of standard output.", metavar="FILE"),
    Option(("--select",), "select", "text", "Only these codes or prefixes (repeatable, comma-separated).", many=True),
    Option(("--ignore",), "ignore", "text", "Skip these codes or prefixes (repeatable, comma-separated).", many=True),
    Option(("--config",), "config_path", "file",
           "Configuration file (default: .dockerstore-lint.yaml or pyproject.toml, searched upwards).",
           metavar="FILE"),
    Option(("--exclude",), "exclude", "text", "Globs of paths not to lint, relative to the current directory, in "
           "place of the configuration's `exclude` (repeatable, comma-separated).", many=True, metavar="GLOB"),
    Option(("--extend-exclude",), "extend_exclude", "text", "Globs of paths not to lint besides the configuration's "
           "`exclude` (repeatable, comma-separated).", many=True, metavar="GLOB"),
    Option(("--fail-level",), "fail_level", "choice", "Lowest level that makes the exit status 1 (default: warning).",
           choices=("error", "warning", "note", "none")),
    Option(("--exit-zero",), "exit_zero", "flag", "Exit 0 even when there are findings."),
    Option(("-q", "--quiet"), "quiet", "flag", "Print findings only: no summary line, no warning."),
    Option(("--statistics",), "statistics", "flag",
           "Print how many findings each rule has (text or json), instead of the findings."),
    Option(("--color", "--no-color"), "color", "switch",
           "Colour the text report (default: on a terminal, unless NO_COLOR is set)."),
    Option(("--show-source",), "show_source", "flag", "Show the offending line under each finding (text format)."),
    Option(("--stdin-filename",), "stdin_filename", "text",
           "With `-` as the path: the name of the file read from standard input."),
    Option(("--sarif-category",), "sarif_category", "text", "SARIF runs[0].automationDetails.id (only when given)."),
    Option(("--max-file-size",), "max_file_size", "text",
           "Skip files larger than this, with a DSL001 finding (default 5MB)."),
    Option(("--root",), "root", "directory", "Directory references may not leave (default: the current directory "
           "if it holds every path).", metavar="DIRECTORY"),
    Option(("--force-exclude",), "force_exclude", "flag", "Lint a file named on the command line only if a "
           "directory walk would (not excluded, a file the linter reads)."),
    Option(("--fix",), "fix", "flag", "Apply the safe fixes in place, then report what is left (with `-`: print "
           "the fixed text, and the report on standard error)."),
    Option(("--unsafe-fixes",), "unsafe_fixes", "flag", "With --fix or --diff: also the fixes that change what a "
           "container may do or where its data lives."),
    Option(("--diff",), "diff", "flag",
           "Print the unified diff of the fixes --fix would apply, write nothing; exit 1 when there is a diff."),
    Option(("--show-settings",), "show_settings", "flag",
           "Print the settings a lint would use and where each comes from, and lint nothing."),
    Option(("--show-files",), "show_files", "flag",
           "Print the files a lint would read and why (and what it skips), and lint nothing."),
    Option(("--env",), "env", "text", "Set a variable for Compose files (repeatable); by default only the "
           "project's .env is read, never the environment.", many=True, metavar="KEY=VALUE"),
    Option(("--env-file",), "env_files", "file",
           "Set the variables of FILE (.env syntax) for Compose files (repeatable).", many=True, metavar="FILE"),
    Option(("--env-from-process",), "env_from_process", "flag",
           "Also take variables from this process's environment (their values are never printed)."),
)
# what each path kind asks of an existing path: (must exist, may be a file, may be a directory)
PATH_KINDS = {"output": (False, True, False), "file": (True, True, False), "directory": (True, False, True)}
_BY_FLAG = {flag: option for option in CHECK_OPTIONS for flag in option.flags}


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
    suggestion = mistyped_command(args)
    if suggestion is not None:
        sys.stderr.write(f"Error: '{args[0]}' is neither a command nor a path; did you mean "
                         f"`dockerstore-lint {suggestion}`?\n")
        return 2
    lint = parse_check(args)
    if lint is None:
        from dockerstore_lint.commands import run_command_line

        return run_command_line(args)
    from dockerstore_lint.run import run_check

    return run_check(lint_request(*lint))


def parse_check(args: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """The paths and option values of a lint, exactly as click reads them, or None for anything left to click:
    another command, help, an option that is unknown, misses its value or has one it does not accept (click
    explains), combined short flags, `--`."""
    if args and args[0] == "check":
        args = args[1:]
    elif args and args[0] in COMMANDS:
        return None
    # keyed by `LintRequest` field: the table, not mypy, says which value each field gets (tests compare with click)
    values: dict[str, Any] = {option.field: () if option.many else False if option.kind == "flag" else option.default
                              for option in CHECK_OPTIONS}
    paths: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        flag, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = _BY_FLAG.get(flag)
        if option is None:
            return None
        if option.kind in ("flag", "switch"):
            if equals:
                return None
            values[option.field] = flag == option.flags[0] if option.kind == "switch" else True
            continue
        if not equals:
            if position == len(args):
                return None
            value = args[position]
            position += 1
        if not _acceptable(option, value):
            return None
        converted = _converted(option, value)
        values[option.field] = (*values[option.field], converted) if option.many else converted
    return paths, values


def _acceptable(option: Option, value: str) -> bool:
    """Whether click would take `value` for `option` (a choice it offers, a path of the right kind); if not,
    click is left to say why."""
    if option.kind == "choice":
        return value in option.choices
    if option.kind not in PATH_KINDS:
        return True
    import stat

    exists, file_okay, dir_okay = PATH_KINDS[option.kind]
    try:
        mode = os.stat(value).st_mode
    except (OSError, ValueError):
        return not exists
    if (not file_okay and stat.S_ISREG(mode)) or (not dir_okay and stat.S_ISDIR(mode)):
        return False
    return os.access(value, os.R_OK)


def _converted(option: Option, value: str) -> str | Path:
    if option.kind in PATH_KINDS:
        from pathlib import Path

        return Path(value)
    return value


def lint_request(paths: Iterable[str], values: dict[str, Any]) -> LintRequest:
    """The `LintRequest` of a lint's paths and option values, however they were read."""
    from pathlib import Path

    from dockerstore_lint.run import LintRequest

    values = dict(values)
    for field in ("select", "ignore"):
        values[field] = tuple(part.upper() for part in _split(values[field]))
    values["extend_exclude"] = _split(values["extend_exclude"])
    # `--exclude ""` replaces the configuration's globs with none
    values["exclude"] = _split(values["exclude"]) if values["exclude"] else None
    return LintRequest(paths=[Path(path) for path in paths] or [Path(".")], **values)


def _split(values: Iterable[str]) -> tuple[str, ...]:
    """Repeated and comma-separated values, one by one."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def mistyped_command(args: list[str]) -> str | None:
    """The command line meant by one whose first word is neither a command nor an existing path but what people
    type for a command (`explain DSL101`, `DSL101`, `inspcet`); None when it is to be linted as given."""
    import re

    if not args or args[0] in COMMANDS or not re.fullmatch(r"[A-Za-z][\w-]*", args[0]) or os.path.lexists(args[0]):
        return None
    rest = args[1:]
    if re.fullmatch(r"[A-Za-z]{2,5}\d{3}", args[0]):
        command, rest = "rule", [args[0].upper(), *rest]
    else:
        import difflib

        word = args[0].lower()
        close = difflib.get_close_matches(word, [*COMMANDS, *_ALIASES], n=1, cutoff=0.75)
        if not close:
            return None
        command = _ALIASES.get(close[0], close[0])
        if command == "rule" and not rest:
            command = "rules"
    import shlex

    return shlex.join([command, *rest])


def _failed(error: Exception) -> int:
    from dockerstore_lint.run import UsageError

    if isinstance(error, UsageError):
        sys.stderr.write(f"Error: {error}\n")
        return 2
    # one line, and short: the message of an exception may quote megabytes of the input
    detail = (str(error).splitlines() or [""])[0][:200]
    sys.stderr.write(f"dockerstore-lint: internal error: {type(error).__name__}: {detail}. "
                     f"This is a bug; please report it{_where_to_report()}\n")
    return 3


def _where_to_report() -> str:
    """` at URL`, the project's issue tracker as pyproject.toml names it; nothing if even that fails."""
    try:
        from dockerstore_lint.docs import repository_url

        return f" at {repository_url()}/issues"
    except Exception:  # noqa: BLE001 - the bug being reported may be in the very modules this needs
        return ""
