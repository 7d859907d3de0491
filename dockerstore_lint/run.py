"""What the `check` and `inspect` commands do, from flags to exit status."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, NamedTuple, Optional, Sequence, TextIO, TypedDict

from dockerstore_lint.config import Config, ConfigError, apply, load_config
from dockerstore_lint.rule import LEVEL_RANK

if TYPE_CHECKING:
    from dockerstore_lint.finding import Finding
    from dockerstore_lint.loader import WorkspaceLoader
    from dockerstore_lint.model.workspace import Workspace


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
    force_exclude: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    env: Sequence[str] = ()  # KEY=VALUE
    env_files: Sequence[Path] = ()
    env_from_process: bool = False
    exclude: Optional[Sequence[str]] = None  # globs relative to the current directory, in place of the configuration's
    extend_exclude: Sequence[str] = ()  # ... and besides them
    statistics: bool = False
    show_settings: bool = False
    show_files: bool = False


def run_check(request: LintRequest) -> int:
    from dockerstore_lint.engine import lint, selected_rules
    from dockerstore_lint.reporters import ReportContext, reporter

    if request.statistics and request.output_format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics prints {' or '.join(STATISTICS_FORMATS)}, not {request.output_format}")
    cwd = Path.cwd()
    warn = _warning if not request.quiet else lambda message: None
    config = _checked_config(request, cwd, warn)
    if request.show_settings:
        from dockerstore_lint.show import settings_text

        sys.stdout.write(settings_text(config, cwd))
        return 0
    loader, paths, report_files = _loader(request, cwd, config)
    workspace = loader.load(paths, request.force_exclude)
    checked = [path for path in loader.linted() if report_files is None or loader.display(path) in report_files]
    if not checked:
        # a mistyped path in CI must not pass silently (ruff says so too)
        warn(f"no Dockerfile, Compose file, script or other file it reads found under "
             f"{', '.join(str(path) for path in request.paths)}")
    if request.show_files:
        from dockerstore_lint.show import files_text

        sys.stdout.write(files_text(loader, request.paths, report_files, request.force_exclude))
        return 0
    findings = lint(workspace, config, loader.lines_of, report_files)
    stream = sys.stdout
    if request.fix or request.diff:
        stdin = loader.provided()  # before the rounds provide the fixed text of every file they fix
        from dockerstore_lint.fixes.apply import Fixable, fix_rounds, unified_diff, write_fixed
        from dockerstore_lint.text.escape import TEXT_ERRORS

        def lint_again() -> tuple[Workspace, list[Finding]]:
            workspace = loader.load(paths, request.force_exclude)
            return workspace, lint(workspace, config, loader.lines_of, report_files)

        outcome = fix_rounds((workspace, findings), lint_again, lambda path: loader.read(path)[0], loader.provide,
                             Fixable(request.unsafe_fixes, loader.path_of, loader.root))
        if request.diff:
            with _report_output(request.output, TEXT_ERRORS) as out:
                out(unified_diff(outcome))
            return 1 if outcome.fixed else 0
        workspace, findings = outcome.workspace, outcome.findings
        if stdin:
            # standard input is fixed to standard output, as ruff does; the report goes to standard error
            stdin_path = next(iter(stdin))
            original = outcome.originals.get(stdin_path) or loader.read(stdin_path)[0]
            sys.stdout.buffer.write(outcome.fixed.get(stdin_path, original.data if original else b""))
            sys.stdout.flush()
            stream = sys.stderr
        else:
            for file in write_fixed(outcome):
                sys.stderr.write(f"dockerstore-lint: {file} changed on disk while it was linted: not fixed\n")
        if not request.quiet:
            files = len(outcome.fixed)
            sys.stderr.write(f"dockerstore-lint: fixed {outcome.applied} finding{'s' * (outcome.applied != 1)} in "
                             f"{files} file{'s' * (files != 1)}\n")
    if loader.shell.taken:
        findings = [hidden(finding, loader.shell.hide) for finding in findings]
    context = ReportContext(
        rules=[type(rule) for rule in selected_rules(config, workspace)],
        files=loader.files_seen(),
        lines_of=loader.lines_of,
        color=_use_color(request.color, request.output),
        show_source=request.show_source,
        quiet=request.quiet,
        sarif_category=request.sarif_category,
        cwd=cwd,
        unsafe_fixes=request.unsafe_fixes,
    )
    report = reporter(request.output_format)
    with _report_output(request.output, report.ERRORS, stream) as out:
        if request.statistics:
            out(statistics(findings, request.unsafe_fixes, request.output_format))
        else:
            report.write(findings, context, out)
    if request.output_format == "text" and not request.quiet:
        # for people: after the report at a terminal, else on standard error, out of the pipe's way
        to = stream if request.output is None and stream.isatty() else sys.stderr
        from dockerstore_lint.reporters.text import summary

        to.write(summary(findings, len(checked), request.unsafe_fixes))
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
    config = _checked_config(request, cwd, _warning)
    loader = _workspace_loader(request.paths, cwd, request.root, config)
    workspace = loader.load(request.paths)
    if request.output_format == "json":
        sys.stdout.write(json.dumps(_hidden_json(model_json(workspace, loader.display), loader.shell.hide),
                                    indent=2) + "\n")
    else:
        sys.stdout.write(loader.shell.hide(model_text(workspace, loader.display)))
    return 0


STATISTICS_FORMATS = ("text", "json")


class _RuleCount(TypedDict):
    """A rule's row of `--statistics` (an object of its JSON)."""

    code: str
    name: str
    count: int
    fixable: bool


def statistics(findings: list[Finding], unsafe_fixes: bool, output_format: str) -> str:
    """`--statistics`: the findings counted by rule, most first, in ruff's layout (count, code, `[*]` when --fix
    fixes every one of them, name), or as JSON."""
    counted: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.suppressed is None:
            counted.setdefault(finding.code, []).append(finding)
    rows: list[_RuleCount] = [{"code": code, "name": same[0].name, "count": len(same),
                               "fixable": all(f.fix is not None and f.fix.applies(unsafe_fixes) for f in same)}
                              for code, same in sorted(counted.items(), key=lambda item: (-len(item[1]), item[0]))]
    if output_format == "json":
        import json

        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    marks = ("[*] ", "[ ] ") if any(row["fixable"] for row in rows) else ("", "")
    return "".join(f"{row['count']:>{count_width}}\t{row['code']:<{code_width}}\t"
                   f"{marks[0] if row['fixable'] else marks[1]}{row['name']}\n" for row in rows)


def _warning(message: str) -> None:
    sys.stderr.write(f"dockerstore-lint: warning: {message}\n")


def _checked_config(request: LintRequest, cwd: Path, warn: Callable[[str], None]) -> Config:
    """The configuration of a lint; a warning when the file chosen silently shadows another one."""
    from dockerstore_lint.config import other_configurations

    try:
        config = _config(request, cwd)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if request.config_path is None and config.source is not None:
        found = Path(config.source)
        for other in other_configurations(found):
            warn(f"{found.name} and {other.name} in {found.parent} both configure dockerstore-lint: {found.name} is "
                 f"used, {other.name} is ignored (pass --config to choose)")
    return config


def _config(request: LintRequest, cwd: Path) -> Config:
    config = load_config(request.config_path, cwd)
    overrides: dict[str, Any] = {}
    if request.select:
        overrides["select"] = list(request.select)
    if request.ignore:
        overrides["ignore"] = [*config.ignore, *request.ignore]
    if request.exclude is not None or request.extend_exclude:
        from dockerstore_lint.config import relative_globs

        given = relative_globs([*(request.exclude or ()), *request.extend_exclude], cwd, config.base)
        overrides["exclude"] = given if request.exclude is not None else [*config.exclude, *given]
    if request.fail_level:
        overrides["fail-level"] = request.fail_level
    if request.max_file_size:
        overrides["max-file-size"] = request.max_file_size
    merged = {"ignore": bool(config.ignore), "exclude": bool(config.exclude) and request.exclude is None}
    _apply_command_line(config, overrides, merged)
    variables: dict[str, Any] = {}
    if request.env or request.env_files:
        variables["env"] = _variables(request, config)
    if request.env_from_process:
        variables["env-from-process"] = True
    _apply_command_line(config, variables, {"env": bool(config.env)})
    return config


def _apply_command_line(config: Config, overrides: dict[str, Any], merged: dict[str, bool]) -> None:
    """Apply the command line's settings; those `merged` with what was configured come from both places."""
    before = {key: config.origins.get(key, []) for key, both in merged.items() if both}
    apply(config, overrides, "command line")
    for key, origins in before.items():
        if key in overrides:
            config.origins[key] = [*origins, "command line"]


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


def _loader(request: LintRequest, cwd: Path,
            config: Config) -> tuple[WorkspaceLoader, list[Path], Optional[set[str]]]:
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


def _workspace_loader(paths: list[Path], cwd: Path, root: Optional[Path], config: Config) -> WorkspaceLoader:
    from dockerstore_lint.loader import Options, WorkspaceLoader, choose_root

    chosen_root = root or choose_root(paths, cwd)
    return WorkspaceLoader(chosen_root, cwd, Options.from_config(config), exclude=config.excluded,
                           throwaway=config.is_throwaway)


def hidden(finding: Finding, hide: Callable[[str], str]) -> Finding:
    """The finding with the values taken from the process environment put back as references."""
    return finding._replace(message=hide(finding.message), help=hide(finding.help) if finding.help else None,
                            related=tuple(r._replace(message=hide(r.message)) for r in finding.related))


def _hidden_json(value: object, hide: Callable[[str], str]) -> object:
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


class _Sink:
    """A report's pieces, handed on in blocks encoded as UTF-8 (`errors` escapes what is not text)."""

    BLOCK = 1 << 16  # characters

    def __init__(self, put: Callable[[bytes], object], errors: str) -> None:  # what `put` returns is not used
        self._put = put
        self._errors = errors
        self._pending: list[str] = []
        self._size = 0

    def write(self, text: str) -> None:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self.BLOCK:
            self.flush()

    def flush(self) -> None:
        text = "".join(self._pending)
        self._pending, self._size = [], 0
        if text:
            self._put(text.encode("utf-8", self._errors))


@contextmanager
def _report_output(output: Optional[Path], errors: str,
                   stream: TextIO = sys.stdout) -> Iterator[Callable[[str], None]]:
    """Where the report goes, as a function that takes it piece by piece: `output`, or `stream`."""
    with _writing("standard output" if output is None else str(output)), ExitStack() as stack:
        sink = _Sink(_destination(output, stack, stream), errors)
        yield sink.write
        sink.flush()


def _destination(output: Optional[Path], stack: ExitStack, stream: TextIO) -> Callable[[bytes], object]:
    """How bytes reach `output`, opened for the time of `stack`.

    Standard output, and the paths that name one of this process's descriptors (/dev/stdout,
    /dev/fd/N), are written on the descriptor itself, where the shell's redirection put it; a device
    or a FIFO is opened and written; only a regular file or a new path is replaced atomically (by a
    temporary file that is renamed): a rename would put a regular file in place of /dev/null, or
    leave a FIFO's reader waiting forever.
    """
    descriptor: Optional[int]
    if output is None:
        stream.flush()
        try:
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):  # replaced by a stream without one (tests)
            return lambda data: stream.write(data.decode("utf-8"))
    else:
        descriptor = _descriptor_named(output)
        if descriptor is not None:
            os.fstat(descriptor)  # EBADF for one that is not open
        elif _is_special(output):
            descriptor = os.open(output, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
            stack.callback(os.close, descriptor)
        else:
            return stack.enter_context(_replacing(output)).write
    return partial(_write_all, descriptor)


@contextmanager
def _writing(what: str) -> Iterator[None]:
    """A failure to write (a full disk, /dev/full, a missing directory) is the user's to fix: exit status 2."""
    try:
        yield
    except BrokenPipeError:
        raise  # the reader went away: cli.main ends quietly
    except OSError as error:
        raise UsageError(f"cannot write {what}: {error.strerror or error}") from None


@contextmanager
def _replacing(output: Path) -> Iterator[BinaryIO]:
    """A new file in place of `output` once it is complete; nothing is left behind if it is not."""
    import tempfile

    directory = output.parent if str(output.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        # mkstemp makes the file private (0600); a report gets the mode any new file would get
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, output)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _descriptor_named(output: Path) -> Optional[int]:
    """The descriptor of this process that `output` names (/dev/stdout, /dev/fd/N, /proc/self/fd/N), if any."""
    import re

    match = re.fullmatch(r"/dev/(stdout|stderr|fd/(\d+))|/proc/(?:self|thread-self)/fd/(\d+)",
                         os.path.abspath(output).replace(os.sep, "/"))
    if match is None:
        return None
    if match.group(1) in ("stdout", "stderr"):
        return 1 if match.group(1) == "stdout" else 2
    return int(match.group(2) or match.group(3))


def _is_special(output: Path) -> bool:
    """An existing path that is not a regular file (a device, a FIFO, a socket), followed through links."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except (OSError, ValueError):
        return False  # a new path, or one the temporary file's creation will report on


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]
