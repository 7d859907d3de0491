"""The commands, parsed by click: `check [PATHS]` (the default), `inspect`, `rules`, `rule CODE`, `server`.

`cli.main` sends here every command line except a plain lint. Everything heavy is imported inside
the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

import click

from dockerstore_lint import __version__

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "checkstyle", "sonarqube")
_Command = TypeVar("_Command", bound=Callable[..., Any])


class _DefaultToCheck(click.Group):
    """`dockerstore-lint PATHS` means `dockerstore-lint check PATHS`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dockerstore-lint")
def main_group() -> None:
    """Lint how Dockerfiles and Docker Compose files use storage.

    Run `dockerstore-lint [PATHS]` (the same as `dockerstore-lint check [PATHS]`) to lint, and
    `dockerstore-lint inspect [PATHS]` to see the storage model the rules judge.
    """


_path_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
_root_option = click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            help="Directory references may not leave (default: the current directory "
                                 "if it holds every path).")


def _variable_options(command: _Command) -> _Command:
    """--env, --env-file and --env-from-process: the variables Compose files are interpolated with."""
    command = click.option("--env-from-process", is_flag=True,
                           help="Also take variables from this process's environment (their values are "
                                "never printed).")(command)
    command = click.option("--env-file", "env_files", multiple=True,
                           type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="Set the variables of FILE (.env syntax) for Compose files (repeatable).")(command)
    return click.option("--env", multiple=True, metavar="KEY=VALUE",
                        help="Set a variable for Compose files (repeatable); by default only the "
                             "project's .env is read, never the environment.")(command)


@main_group.command()
@_path_argument
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--select", multiple=True, help="Only these codes or prefixes (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Skip these codes or prefixes (repeatable, comma-separated).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Configuration file (default: .dockerstore-lint.yaml or pyproject.toml, searched upwards).")
@click.option("--fail-level", type=click.Choice(["error", "warning", "note", "none"]),
              help="Lowest level that makes the exit status 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary line.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal, "
                                                        "unless NO_COLOR is set).")
@click.option("--show-source", is_flag=True, help="Show the offending line under each finding (text format).")
@click.option("--stdin-filename", help="With `-` as the path: the name of the file read from standard input.")
@click.option("--sarif-category", help="SARIF runs[0].automationDetails.id (only when given).")
@click.option("--max-file-size", help="Skip files larger than this, with a DSL001 finding (default 5MB).")
@_root_option
@click.option("--force-exclude", is_flag=True, help="Lint a file named on the command line only if a directory "
                                                    "walk would (not excluded, a file the linter reads).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what is left (with `-`: "
                                          "print the fixed text, and the report on standard error).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: also the fixes that change what a "
                                                   "container may do or where its data lives.")
@click.option("--diff", is_flag=True, help="Print the unified diff of the fixes --fix would apply, write "
                                           "nothing; exit 1 when there is a diff.")
@_variable_options
def check(paths: tuple[Path, ...], output_format: str, output: Optional[Path], select: tuple[str, ...],
          ignore: tuple[str, ...], config_path: Optional[Path], fail_level: Optional[str], exit_zero: bool, quiet: bool,
          color: Optional[bool], show_source: bool, stdin_filename: Optional[str], sarif_category: Optional[str],
          max_file_size: Optional[str], root: Optional[Path], force_exclude: bool, fix: bool, unsafe_fixes: bool,
          diff: bool, env: tuple[str, ...], env_files: tuple[Path, ...], env_from_process: bool) -> None:
    """Lint Dockerfiles and Compose projects under PATHS (default: the current directory)."""
    from dockerstore_lint.run import LintRequest, run_check

    request = LintRequest(
        paths=list(paths) or [Path(".")],
        output_format=output_format,
        output=output,
        select=_split(select),
        ignore=_split(ignore),
        config_path=config_path,
        fail_level=fail_level,
        exit_zero=exit_zero,
        quiet=quiet,
        color=color,
        show_source=show_source,
        stdin_filename=stdin_filename,
        sarif_category=sarif_category,
        max_file_size=max_file_size,
        root=root,
        force_exclude=force_exclude,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        env=env,
        env_files=env_files,
        env_from_process=env_from_process,
    )
    raise SystemExit(run_check(request))


@main_group.command()
@_path_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_root_option
@_variable_options
def inspect(paths: tuple[Path, ...], output_format: str, root: Optional[Path], env: tuple[str, ...],
            env_files: tuple[Path, ...], env_from_process: bool) -> None:
    """Print the storage model of every container PATHS define."""
    from dockerstore_lint.run import LintRequest, run_inspect

    raise SystemExit(run_inspect(LintRequest(paths=list(paths) or [Path(".")], output_format=output_format, root=root,
                                             env=env, env_files=env_files, env_from_process=env_from_process)))


@main_group.command(name="rules")
def list_rules() -> None:
    """List every rule: code, name, default level, summary."""
    from dockerstore_lint.docs import rules_table

    click.echo(rules_table())


@main_group.command()
@click.argument("code")
def rule(code: str) -> None:
    """Print the documentation of one rule (e.g. DSL101)."""
    from dockerstore_lint.docs import rule_text

    text = rule_text(code.upper())
    if text is None:
        raise click.UsageError(f"unknown rule '{code}' (see `dockerstore-lint rules`)")
    click.echo(text)


@main_group.command()
def server() -> None:
    """Run the Language Server (LSP over stdio) that editors start for diagnostics as you type.

    Needs the `lsp` extra: pip install 'dockerstore-lint[lsp]'.
    """
    try:
        from dockerstore_lint.lsp.server import serve
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        raise click.UsageError("the language server needs pygls, which is not installed: "
                               "pip install 'dockerstore-lint[lsp]'") from None
    raise SystemExit(serve())


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def run_command_line(args: list[str]) -> int:
    """The exit status of ARGS; click's own errors are shown here, as click would show them."""
    try:
        main_group.main(args, standalone_mode=False, prog_name="dockerstore-lint")
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else 0
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return 130
    except click.ClickException as error:
        error.show()
        return 2
    return 0
