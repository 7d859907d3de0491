"""What the `check` and `inspect` commands do, from flags to exit status."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

from dockerstore_lint.config import Config, ConfigError, apply, load_config
from dockerstore_lint.rule import LEVEL_RANK


class UsageError(Exception):
    """A request that cannot be carried out as given (a bad configuration, an unwritable output):
    reported as `Error: MESSAGE`, exit status 2, whichever way the command line was read."""


class LintRequest(NamedTuple):
    paths: list[Path]
    output_format: str = "text"
    output: Optional[Path] = None
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    config_path: Optional[Path] = None
    fail_level: Optional[str] = None
    exit_zero: bool = False
    quiet: bool = False
    color: Optional[bool] = None
    show_source: bool = False
    stdin_filename: Optional[str] = None
    sarif_category: Optional[str] = None
    max_file_size: Optional[str] = None
    root: Optional[Path] = None
    env: Sequence[str] = ()  # KEY=VALUE
    env_files: Sequence[Path] = ()
    env_from_process: bool = False


def run_check(request: LintRequest) -> int:
    from dockerstore_lint.engine import lint, selected_rules
    from dockerstore_lint.reporters import ReportContext, render

    cwd = Path.cwd()
    try:
        config = _config(request, cwd)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    loader, paths, report_files = _loader(request, cwd, config)
    workspace = loader.load(paths)
    findings = lint(workspace, config, loader.lines_of, report_files)
    if loader.shell.taken:
        findings = [_hidden(finding, loader.shell.hide) for finding in findings]
    context = ReportContext(
        rules=[type(rule) for rule in selected_rules(config, workspace)],
        files=loader.files_seen(),
        lines_of=loader.lines_of,
        color=_use_color(request.color, request.output),
        terminal=request.output is None and sys.stdout.isatty(),
        show_source=request.show_source,
        quiet=request.quiet,
        sarif_category=request.sarif_category,
        cwd=cwd,
    )
    _write(render(request.output_format, findings, context), request.output)
    if request.exit_zero or config.fail_level == "none":
        return 0
    threshold = LEVEL_RANK[config.fail_level]
    return 1 if any(LEVEL_RANK[f.level] >= threshold for f in findings if f.suppressed is None) else 0


def run_inspect(request: LintRequest) -> int:
    """`inspect`: the model, with the configuration and variables `check` would use (of the request, only
    the paths, format, root and variables count)."""
    import json

    from dockerstore_lint.inspection import model_json, model_text

    cwd = Path.cwd()
    try:
        config = _config(request, cwd)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    loader = _workspace_loader(request.paths, cwd, request.root, config)
    workspace = loader.load(request.paths)
    if request.output_format == "json":
        sys.stdout.write(json.dumps(_hidden_json(model_json(workspace, loader.display), loader.shell.hide),
                                    indent=2) + "\n")
    else:
        sys.stdout.write(loader.shell.hide(model_text(workspace, loader.display)))
    return 0


def _config(request: LintRequest, cwd: Path) -> Config:
    config = load_config(request.config_path, cwd)
    overrides: dict = {}
    if request.select:
        overrides["select"] = list(request.select)
    if request.ignore:
        overrides["ignore"] = [*config.ignore, *request.ignore]
    if request.fail_level:
        overrides["fail-level"] = request.fail_level
    if request.max_file_size:
        overrides["max-file-size"] = request.max_file_size
    apply(config, overrides, "command line")
    if request.env or request.env_files or request.env_from_process:
        apply(config, {"env": _variables(request, config), "env-from-process": config.env_from_process
                       or request.env_from_process}, "command line")
    return config


def _variables(request: LintRequest, config: Config) -> dict[str, str]:
    """The configuration's `env:`, then each `--env-file`, then `--env`: a later value wins."""
    from dockerstore_lint.inputs.compose.variables import ShellVariables, read_env_file

    given: dict[str, str] = {}
    for item in request.env:
        name, equals, value = item.partition("=")
        if not equals:
            raise ConfigError("--env takes KEY=VALUE")
        given[name] = value
    variables = dict(config.env)
    for path in request.env_files:
        # an env file may use what the configuration and --env give, not the process environment
        values, problem = read_env_file(path, ShellVariables({**variables, **given}), config.max_file_size)
        if problem is not None:
            raise ConfigError(f"--env-file {problem}")
        variables.update(values)
    variables.update(given)
    return variables


def _loader(request: LintRequest, cwd: Path, config: Config):
    """The workspace loader; with `-`, standard input stands in for the `--stdin-filename` file."""
    paths = request.paths
    report_files = None
    stdin_path = None
    names = [str(p) for p in paths]
    if names != ["-"] and ("-" in names or request.stdin_filename):
        raise UsageError("standard input (`-`) must be the only path, and --stdin-filename needs it")
    if names == ["-"]:
        stdin_path = Path(os.path.abspath(request.stdin_filename or "-"))
        paths = [stdin_path]
    loader = _workspace_loader(paths, cwd, request.root, config)
    if stdin_path is not None:
        loader.provide(stdin_path, sys.stdin.buffer.read())
    if stdin_path is not None or not any(os.path.isdir(p) for p in paths):
        from dockerstore_lint.related import related_files

        # files named one by one (pre-commit, editors): judged with their projects, reported alone
        report_files = {loader.display(Path(os.path.abspath(p))) for p in paths}
        paths = [*paths, *related_files(loader, paths)]
    return loader, paths, report_files


def _workspace_loader(paths: list[Path], cwd: Path, root: Optional[Path], config: Config):
    from dockerstore_lint.loader import Options, WorkspaceLoader, choose_root

    chosen_root = root or choose_root(paths, cwd)
    return WorkspaceLoader(chosen_root, cwd, Options.from_config(config), exclude=config.excluded)


def _hidden(finding, hide):
    """The finding with the values taken from the process environment put back as references."""
    return finding._replace(message=hide(finding.message),
                            related=tuple(r._replace(message=hide(r.message)) for r in finding.related))


def _hidden_json(value, hide):
    if isinstance(value, str):
        return hide(value)
    if isinstance(value, dict):
        return {hide(k): _hidden_json(v, hide) for k, v in value.items()}
    if isinstance(value, list):
        return [_hidden_json(item, hide) for item in value]
    return value


def _use_color(flag: Optional[bool], output: Optional[Path]) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR") or output is not None:
        return False
    return sys.stdout.isatty()


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import tempfile

    directory = output.parent if str(output.parent) else Path(".")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        # mkstemp makes the file private (0600); a report gets the mode any new file would get
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, output)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None

