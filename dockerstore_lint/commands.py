"""The commands, parsed by click: `check [PATHS]` (the default), `inspect`, `rules`, `rule CODE|NAME`, `server`.

`cli.main` sends here every command line it does not read itself: help, the other commands, and the lints whose
errors click explains. `check`'s options come from `cli.CHECK_OPTIONS`, the table the entry point reads too.
Everything heavy is imported inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

import click

from dockerstore_lint import __version__
from dockerstore_lint.cli import CHECK_OPTIONS, PATH_KINDS, Option, lint_request

_Command = TypeVar("_Command", bound=Callable[..., Any])


class _OneLine(click.Command):
    """A command listed in `--help` with the whole first line of its docstring, which click would cut at 45
    characters: each first line is written to stand alone."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return (self.help or "").strip().split("\n", 1)[0]


class _DefaultToCheck(click.Group):
    """`dockerstore-lint PATHS` means `dockerstore-lint check PATHS`."""

    command_class = _OneLine

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


# paths stay text: a path is the linter's to report on (a DSL001 finding), not click's to refuse
_path_argument = click.argument("paths", nargs=-1)


def _click_option(option: Option) -> Callable[[_Command], _Command]:
    """`option` of `cli.CHECK_OPTIONS` as a click option."""
    settings: dict[str, Any] = {"help": option.help, "multiple": option.many, "metavar": option.metavar}
    if option.kind == "flag":
        settings["is_flag"] = True
    elif option.kind == "switch":
        settings["default"] = None
    elif option.kind == "choice":
        settings.update(type=click.Choice(option.choices), default=option.default,
                        show_default=option.default is not None)
    elif option.kind in PATH_KINDS:
        exists, file_okay, dir_okay = PATH_KINDS[option.kind]
        settings["type"] = click.Path(exists=exists, file_okay=file_okay, dir_okay=dir_okay, path_type=Path)
    flags = ["/".join(option.flags)] if option.kind == "switch" else list(option.flags)
    return click.option(*flags, option.field, **settings)


def _options(*fields: str) -> Callable[[_Command], _Command]:
    """The options of `cli.CHECK_OPTIONS` that set `fields` (all of them without fields), in the table's order."""
    chosen = [option for option in CHECK_OPTIONS if not fields or option.field in fields]

    def decorate(command: _Command) -> _Command:
        for option in reversed(chosen):
            command = _click_option(option)(command)
        return command
    return decorate


@main_group.command()
@_path_argument
@_options()
def check(paths: tuple[str, ...], **values: Any) -> None:
    """Lint the Dockerfiles, Compose files and scripts under PATHS.

    PATHS are files and folders (default: the current directory), or `-` for standard input. The summary line
    (how many findings, in how many of the files checked) follows a text report: on standard output at a
    terminal, else on standard error, so that a pipe gets the findings only.
    """
    from dockerstore_lint.run import run_check

    raise SystemExit(run_check(lint_request(paths, values)))


@main_group.command()
@_path_argument
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_options("root", "env", "env_files", "env_from_process")
def inspect(paths: tuple[str, ...], output_format: str, root: Optional[Path], env: tuple[str, ...],
            env_files: tuple[Path, ...], env_from_process: bool) -> None:
    """Print the storage model of every container PATHS define."""
    from dockerstore_lint.run import LintRequest, run_inspect

    raise SystemExit(run_inspect(LintRequest(paths=[Path(p) for p in paths] or [Path(".")],
                                             output_format=output_format, root=root, env=env, env_files=env_files,
                                             env_from_process=env_from_process)))


@main_group.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_rules(output_format: str) -> None:
    """List the rules: code, name, level, [*] if --fix can fix, summary."""
    from dockerstore_lint.docs import rules_json, rules_table

    click.echo(rules_json() if output_format == "json" else rules_table())


@main_group.command()
@click.argument("code_or_name", metavar="CODE|NAME")
def rule(code_or_name: str) -> None:
    """Print a rule's documentation, by code or name (DSL101, no-user)."""
    from dockerstore_lint.docs import rule_text
    from dockerstore_lint.registry import all_rules

    wanted = code_or_name.strip().lower().replace("_", "-")
    found = next((r for r in all_rules() if wanted in (r.code.lower(), r.name)), None)
    if found is None:
        raise click.UsageError(f"unknown rule '{code_or_name}' (see `dockerstore-lint rules`)")
    click.echo(rule_text(found.code))


@main_group.command()
def server() -> None:
    """Run the language server (LSP over stdio) for editors.

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
