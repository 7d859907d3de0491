#!/usr/bin/env python3
"""How fast dockerstore-lint is next to its peers: one run prints one Markdown table.

Scenarios (see benchmarks/README.md):
  1. corpus   dockerstore-lint on the whole corpus (SARIF) vs hadolint on the same Dockerfiles
  2. compose  dockerstore-lint vs dclint on the Compose files of awesome-compose
  3. on save  one Dockerfile, text output, vs hadolint; the same with the options an editor passes (JSON, standard
              input) vs the bare interpreter; and `dockerstore-lint server` didSave -> diagnostics
  4. scale    the corpus copied 10 times vs once: wall time, peak memory, cost per file

Installs nothing: dockerstore-lint is the console script next to this Python, the peers come from
../shared/tools/peers-setup.sh. A missing peer makes its rows say "not installed".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"
DEFAULT_PEERS = Path("/tmp/peers")
COMPOSE_PROJECTS = "docker__awesome-compose"
# a typical small application Dockerfile: two stages, heredoc RUNs, COPY --from
ON_SAVE_PROJECT = "docker__awesome-compose/react-express-mongodb"
ON_SAVE_FILE = "backend/Dockerfile"
SCALE_COPIES = 10
# a one-file run costs about a twentieth of a corpus run, and small timings are the noisy ones
ON_SAVE_RUNS_FACTOR = 5
LSP_TIMEOUT = 5.0
CHANGE_SETTLE = 0.25  # how long an edit may take to be linted before the save is sent
GNU_TIME = Path("/usr/bin/time")


@dataclass
class Command:
    label: str
    argv: Optional[list[str]]  # None: the tool is not installed
    cwd: Path
    files: int
    accepted_status: tuple[int, ...] = (0,)
    output: Optional[Path] = None  # where the report lands, to count its findings
    stdin: Optional[Path] = None  # a file to read standard input from


@dataclass
class Sample:
    wall: float
    peak_rss_kib: int
    status: int
    parent_rss_kib: int  # this script's own peak when it spawned the child: see peak_memory


@dataclass
class Row:
    scenario: str
    command: str
    files: str = ""
    runs: int = 0
    median_ms: Optional[float] = None
    min_ms: Optional[float] = None
    peak_mb: Optional[float] = None
    peak_exact: bool = True  # False: peak_mb is only an upper bound
    ratio: Optional[float] = None  # the quantity the acceptance line judges
    note: str = ""


@dataclass
class Check:
    """One acceptance line of the issue: `measured <= limit`."""
    name: str
    limit: float
    unit: str = ""
    measured: Optional[float] = None
    missing: str = ""  # why it could not be measured
    aside: str = ""  # context printed after the verdict

    def text(self) -> str:
        if self.measured is None:
            return f"{self.name} <= {self.limit:g}{self.unit}: {self.missing}"
        verdict = "PASS" if self.measured <= self.limit else "FAIL"
        aside = f" ({self.aside})" if self.aside else ""
        return f"{self.name} {self.measured:.2f}{self.unit} <= {self.limit:g}{self.unit}: **{verdict}**{aside}"


@dataclass
class Timings:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def median(self, label: str) -> Optional[float]:
        runs = self.samples.get(label)
        return statistics.median(s.wall for s in runs) if runs else None

    def fastest(self, label: str) -> Optional[float]:
        runs = self.samples.get(label)
        return min(s.wall for s in runs) if runs else None


def run_once(command: Command, scratch: Path) -> tuple[Sample, str]:
    """One run, timed around spawn and reap; `os.wait4` gives this child's own peak RSS,
    which `getrusage(RUSAGE_CHILDREN)` cannot (it keeps the largest child ever seen)."""
    stdout_path = command.output or scratch / "stdout"
    stderr_path = scratch / "stderr"
    with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr, \
            open(command.stdin or os.devnull, "rb") as stdin:
        parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        process = subprocess.Popen(command.argv, cwd=command.cwd, stdin=stdin, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall, usage.ru_maxrss, process.returncode, parent_rss), stderr_path.read_text(errors="replace")


def measure(commands: list[Command], runs: int, warmup: int, scratch: Path) -> Timings:
    """Warm-up rounds, then `runs` rounds of A B A B ...: drift in the machine hits every command alike."""
    timings = Timings()
    active = [c for c in commands if c.argv is not None]
    for round_number in range(warmup + runs):
        for command in list(active):
            sample, stderr = run_once(command, scratch)
            if sample.status not in command.accepted_status:
                # one failed run makes the others suspect: the command leaves the table
                last_line = (stderr.strip().splitlines() or [""])[-1][:200]
                timings.errors[command.label] = f"exit {sample.status}: {last_line}"
                timings.samples.pop(command.label, None)
                active.remove(command)
            elif round_number >= warmup:
                timings.samples.setdefault(command.label, []).append(sample)
        progress("w" if round_number < warmup else ".", end="")
    progress("")
    return timings


def peak_memory(command: Command, samples: list[Sample], scratch: Path) -> tuple[float, bool]:
    """Peak RSS in MB, and whether it is exact. Linux starts a child's ru_maxrss at the peak of the
    address space its exec replaced, i.e. this script's own peak, so a value that high only bounds
    the child's; then one more run under GNU time, whose fork of the command is tiny, measures it."""
    peak = max(s.peak_rss_kib for s in samples)
    # 1 MiB of slack for what this script allocates between getrusage and the fork
    if peak > max(s.parent_rss_kib for s in samples) + 1024:
        return peak * 1024 / 1e6, True
    if os.access(GNU_TIME, os.X_OK):
        report = scratch / "peak-rss"
        timed = replace(command, argv=[str(GNU_TIME), "-f", "%M", "-o", str(report), *command.argv])
        if run_once(timed, scratch)[0].status in command.accepted_status:
            # GNU time writes "Command exited with non-zero status N" before the number
            return int(report.read_text().split()[-1]) * 1024 / 1e6, True
    return peak * 1024 / 1e6, False


def rows_for(scenario: str, commands: list[Command], timings: Timings, scratch: Path) -> list[Row]:
    rows = []
    for command in commands:
        row = Row(scenario, command.label, files=str(command.files))
        runs = timings.samples.get(command.label)
        if command.argv is None:
            row.note = "not installed"
        elif command.label in timings.errors:
            row.note = f"failed ({timings.errors[command.label]})"
        elif runs:
            walls = [s.wall for s in runs]
            row.runs = len(runs)
            row.median_ms = statistics.median(walls) * 1000
            row.min_ms = min(walls) * 1000
            row.peak_mb, row.peak_exact = peak_memory(command, runs, scratch)
        rows.append(row)
    return rows


def ratio_check(name: str, limit: float, timings: Timings, ours: Command, theirs: Command) -> Check:
    check = Check(name, limit)
    mine, peer = timings.median(ours.label), timings.median(theirs.label)
    if mine is not None and peer is not None:
        check.measured = mine / peer
        # on a shared machine the fastest runs are the least disturbed: their ratio shows how much
        # of the median's is load
        check.aside = f"ratio of the fastest runs {timings.fastest(ours.label) / timings.fastest(theirs.label):.2f}"
    else:
        missing = theirs if mine is not None else ours
        check.missing = f"not measured ({missing.label}: {'not installed' if missing.argv is None else 'failed'})"
    return check


# --- the tools -------------------------------------------------------------------------------

@dataclass
class Tools:
    dockerstore_lint: Path
    hadolint: Optional[Path]
    dclint: Optional[Path]

    @classmethod
    def find(cls, peers: Path) -> "Tools":
        # the console script users run, not `python -m`: its start-up is part of what users feel
        ours = Path(sys.executable).parent / "dockerstore-lint"
        if not os.access(ours, os.X_OK):
            sys.exit(f"no dockerstore-lint next to {sys.executable}: install the project in this environment")
        hadolint = peers / "venv" / "bin" / "hadolint"
        dclint = peers / "npm" / "node_modules" / ".bin" / "dclint"
        return cls(ours, hadolint if os.access(hadolint, os.X_OK) else None,
                   dclint if os.access(dclint, os.X_OK) else None)

    def versions(self) -> list[str]:
        found = [("dockerstore-lint", self.dockerstore_lint), ("hadolint", self.hadolint), ("dclint", self.dclint)]
        versions = [f"{name} {version_of(path) if path else 'not installed'}" for name, path in found]
        if editable_install():
            versions[0] += " (an editable install: its import hook adds about 10 ms to every start)"
        return versions


def editable_install() -> bool:
    """Whether the dockerstore-lint next to this Python is `pip install -e`: users have a regular install."""
    from importlib import metadata

    try:
        direct_url = json.loads(metadata.distribution("dockerstore-lint").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return bool(direct_url.get("dir_info", {}).get("editable"))


def version_of(tool: Path) -> str:
    done = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=False)
    return (done.stdout.split() or ["?"])[-1]


def linted_files(tools: Tools, path: Path, cwd: Path) -> tuple[list[Path], list[Path]]:
    """The Dockerfiles and Compose files dockerstore-lint reads under `path`, from its own `inspect`,
    so the peers get exactly the same files."""
    done = subprocess.run([str(tools.dockerstore_lint), "inspect", "--format", "json", str(path)], cwd=cwd,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"dockerstore-lint inspect {path} failed (exit {done.returncode}): {done.stderr.strip()}")
    model = json.loads(done.stdout)
    compose = sorted({cwd / name for project in model["projects"] for name in project["files"]})
    # an inline Dockerfile (`dockerfile_inline`) is reported under its Compose file: not a file for hadolint
    dockerfiles = sorted({cwd / d["file"] for d in model["dockerfiles"]} - set(compose))
    return dockerfiles, compose


def count_findings(path: Optional[Path]) -> Optional[int]:
    """Findings in a report, to show both sides did the work: SARIF, our JSON, hadolint or dclint JSON."""
    try:
        report = json.loads(path.read_text()) if path else None
    except (OSError, ValueError):
        return None
    if isinstance(report, dict) and "runs" in report:
        return sum(len(run.get("results", [])) for run in report["runs"])
    if isinstance(report, dict) and "findings" in report:
        return len(report["findings"])
    if isinstance(report, list) and all(isinstance(entry, dict) and "messages" in entry for entry in report):
        return sum(len(entry["messages"]) for entry in report)
    return len(report) if isinstance(report, list) else None


# --- scenarios -------------------------------------------------------------------------------

@dataclass
class Settings:
    corpus: Path
    runs: int
    warmup: int
    work: Path
    tools: Tools


@dataclass
class Outcome:
    rows: list[Row]
    checks: list[Check]
    notes: list[str] = field(default_factory=list)


def compared(scenario: str, commands: list[Command], timings: Timings, check: Check, scratch: Path) -> Outcome:
    """dockerstore-lint first, its peer second; the ratio goes on our row."""
    rows = rows_for(scenario, commands, timings, scratch)
    rows[0].ratio = check.measured
    return Outcome(rows, [check], [findings_note(commands, timings)])


def findings_note(commands: list[Command], timings: Timings) -> str:
    counts = [f"{c.label} {count_findings(c.output)}" for c in commands
              if c.output is not None and c.label in timings.samples]
    return "findings in the last report: " + ", ".join(counts) if counts else ""


def corpus_scenario(settings: Settings) -> Outcome:
    tools, work = settings.tools, settings.work
    dockerfiles, compose = linted_files(tools, settings.corpus, work)
    ours = Command("dockerstore-lint (SARIF)",
                   [str(tools.dockerstore_lint), "--format", "sarif", "-o", str(work / "corpus.sarif"),
                    "--exit-zero", str(settings.corpus)],
                   work, len(dockerfiles) + len(compose), output=work / "corpus.sarif")
    hadolint = [str(tools.hadolint), "--no-fail", "-f", "json", *map(str, dockerfiles)] if tools.hadolint else None
    theirs = Command("hadolint (JSON, Dockerfiles only, 1 process)", hadolint, work, len(dockerfiles),
                     output=work / "corpus.hadolint.json")
    progress(f"1 corpus: {len(dockerfiles)} Dockerfiles + {len(compose)} Compose files")
    timings = measure([ours, theirs], settings.runs, settings.warmup, work)
    return compared("1 corpus", [ours, theirs], timings,
                    ratio_check("corpus: dockerstore-lint / hadolint", 0.35, timings, ours, theirs), work)


def compose_scenario(settings: Settings) -> Outcome:
    tools, work = settings.tools, settings.work
    # the same explicit list for both: dclint lints what it is given, and so do we (plus the
    # Dockerfiles their `build:` points at, which is part of our job and stays in the timing)
    _, compose = linted_files(tools, settings.corpus / COMPOSE_PROJECTS, work)
    ours = Command("dockerstore-lint (JSON, same files)",
                   [str(tools.dockerstore_lint), "--format", "json", "-o", str(work / "compose.json"),
                    "--exit-zero", *map(str, compose)],
                   work, len(compose), output=work / "compose.json")
    # dclint's piped output is cut at 64 KiB: it writes its report with -o
    theirs = Command("dclint (JSON, same files)",
                     [str(tools.dclint), "-f", "json", "-o", str(work / "compose.dclint.json"), *map(str, compose)]
                     if tools.dclint else None,
                     work, len(compose), accepted_status=(0, 1), output=work / "compose.dclint.json")
    progress(f"2 compose: {len(compose)} Compose files of {COMPOSE_PROJECTS}")
    timings = measure([ours, theirs], settings.runs, settings.warmup, work)
    return compared("2 compose", [ours, theirs], timings,
                    ratio_check("compose: dockerstore-lint / dclint", 0.10, timings, ours, theirs), work)


def on_save_scenario(settings: Settings) -> Outcome:
    tools = settings.tools
    # run from the project folder with a relative path, as an editor's on-save hook does
    project = settings.corpus / ON_SAVE_PROJECT
    ours = Command("dockerstore-lint (text)", [str(tools.dockerstore_lint), ON_SAVE_FILE], project, 1,
                   accepted_status=(0, 1))
    theirs = Command("hadolint (text)", [str(tools.hadolint), ON_SAVE_FILE] if tools.hadolint else None, project, 1,
                     accepted_status=(0, 1))
    # the options editors pass (nvim-lint, ALE, efm): the buffer on standard input, a JSON report
    editor = Command("dockerstore-lint check --format json --stdin-filename FILE - (editor)",
                     [str(tools.dockerstore_lint), "check", "--format", "json", "--stdin-filename", ON_SAVE_FILE, "-"],
                     project, 1, accepted_status=(0, 1), stdin=project / ON_SAVE_FILE)
    # what no Python program can start faster than: the interpreter of the same environment, doing nothing
    interpreter = Command("python -c pass (same environment)", [sys.executable, "-c", "pass"], project, 0)
    runs = settings.runs * ON_SAVE_RUNS_FACTOR
    progress(f"3 on save: {ON_SAVE_PROJECT}/{ON_SAVE_FILE}")
    commands = [ours, theirs, editor, interpreter]
    timings = measure(commands, runs, settings.warmup, settings.work)
    outcome = compared("3 on save", commands, timings,
                       ratio_check("on save: dockerstore-lint / hadolint", 2.5, timings, ours, theirs),
                       settings.work)
    start_up = ratio_check("on save with an editor's options: dockerstore-lint / python -c pass", 4.0, timings,
                           editor, interpreter)
    without_options = timings.median(ours.label)
    if start_up.measured is not None and without_options is not None:
        start_up.aside += f"; without options {without_options / timings.median(interpreter.label):.2f}"
    outcome.rows[2].ratio = start_up.measured
    outcome.checks.append(start_up)
    lsp_rows, lsp_check = lsp_scenario(settings, runs)
    outcome.rows.extend(lsp_rows)
    outcome.checks.append(lsp_check)
    return outcome


def lsp_scenario(settings: Settings, runs: int) -> tuple[list[Row], Check]:
    """didSave -> diagnostics is the acceptance line; didChange -> diagnostics is shown beside it, as
    a server that lints the edit already may answer the save from what it parsed then."""
    rows = [Row("3 on save", f"dockerstore-lint server: {event} -> publishDiagnostics", files="1")
            for event in ("didSave", "didChange")]
    check = Check("LSP didSave -> diagnostics median", 20, " ms")
    server = [str(settings.tools.dockerstore_lint), "server"]
    if not server_available(server):
        rows[0].note = check.missing = "server not available"
        return rows[:1], check
    progress("3 on save: LSP server")
    # the whole project, as in the command-line case: the server reads the Compose file that builds it
    project = settings.work / "lsp"
    shutil.copytree(settings.corpus / ON_SAVE_PROJECT, project, symlinks=True)
    try:
        saves, changes = edit_latencies(server, project, project / ON_SAVE_FILE, settings.warmup, runs)
    except LspError as error:
        rows[0].note = check.missing = f"server failed: {error}"
        return rows[:1], check
    for row, latencies in zip(rows, (saves, changes), strict=True):
        if latencies:
            row.runs = len(latencies)
            row.median_ms = statistics.median(latencies) * 1000
            row.min_ms = min(latencies) * 1000
    check.measured = rows[0].median_ms
    if len(changes) < len(saves):
        rows[1].note = f"diagnostics within {CHANGE_SETTLE * 1000:.0f} ms after {len(changes)} of {len(saves)} edits"
    return rows, check


def scale_scenario(settings: Settings) -> Outcome:
    tools, work = settings.tools, settings.work
    commands, counts = [], {}
    for copies in (1, SCALE_COPIES):
        top = work / f"x{copies}"
        progress(f"4 scale: copying the corpus {copies} time(s)")
        for number in range(copies):
            # both sizes are copies on the same file system, so 1x is not favoured by where it lives
            shutil.copytree(settings.corpus, top / f"copy{number}", symlinks=True)
        dockerfiles, compose = linted_files(tools, top, work)
        counts[copies] = len(dockerfiles) + len(compose)
        report = work / f"x{copies}.sarif"
        commands.append(Command(f"dockerstore-lint (SARIF) {copies}x", [
            str(tools.dockerstore_lint), "--format", "sarif", "-o", str(report), "--exit-zero", str(top)],
            work, counts[copies], output=report))
    small, large = commands
    timings = measure(commands, settings.runs, settings.warmup, work)
    rows = rows_for("4 scale", commands, timings, work)
    per_file = Check(f"scale: per-file cost {SCALE_COPIES}x / 1x", 1.3)
    memory = Check(f"scale: peak memory at {SCALE_COPIES}x", 200, " MB")
    one, ten = timings.median(small.label), timings.median(large.label)
    if one is None or ten is None:
        per_file.missing = memory.missing = "not measured (dockerstore-lint failed)"
    else:
        per_file.measured = (ten / counts[SCALE_COPIES]) / (one / counts[1])
        if rows[1].peak_exact:
            memory.measured = rows[1].peak_mb
        else:
            memory.missing = f"only bounded: <= {rows[1].peak_mb:.1f} MB (no {GNU_TIME})"
        rows[1].ratio = per_file.measured
        for row, copies in zip(rows, (1, SCALE_COPIES), strict=True):
            row.note = f"{row.median_ms / counts[copies]:.2f} ms per file"
    return Outcome(rows, [per_file, memory])


# --- a minimal LSP client over stdio ------------------------------------------------------------

class LspError(Exception):
    pass


def server_available(server: list[str]) -> bool:
    # `dockerstore-lint server --help` without a server command means `check server --help`
    done = subprocess.run([*server, "--help"], capture_output=True, text=True, check=False)
    return done.returncode == 0 and "Usage: dockerstore-lint server" in done.stdout


class LspClient:
    """JSON-RPC with Content-Length framing; a reader thread stamps each message on arrival."""

    def __init__(self, argv: list[str], cwd: Path):
        self.process = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[tuple[float, Optional[dict]]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read_all, daemon=True).start()

    def _read_all(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self.inbox.put((time.perf_counter(), None))
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii", "replace").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = stream.read(length or 0)
            try:
                message = json.loads(body)
            except ValueError:
                continue
            self.inbox.put((time.perf_counter(), message))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        _, reply = self.wait_for(lambda m: m.get("id") == wanted and "method" not in m, LSP_TIMEOUT)
        if reply is None:
            raise LspError(f"no reply to {method} within {LSP_TIMEOUT:g} s")
        if "error" in reply:
            raise LspError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result") or {}

    def wait_for(self, wanted: Callable[[dict], bool], timeout: float) -> tuple[float, Optional[dict]]:
        """The first message `wanted` accepts, with its arrival time; requests from the server are
        answered with null on the way (configuration, capability registration, progress)."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                arrived, message = self.inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                return time.perf_counter(), None
            if message is None:
                raise LspError(f"the server exited (status {self.process.wait()})")
            if "method" in message and "id" in message:
                items = message.get("params", {}).get("items") if isinstance(message.get("params"), dict) else None
                self.send({"id": message["id"], "result": [None] * len(items) if items else None})
            elif wanted(message):
                return arrived, message

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=LSP_TIMEOUT)
        except (LspError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


def diagnostics_for(uri: str, version: int) -> Callable[[dict], bool]:
    def wanted(message: dict) -> bool:
        params = message.get("params") or {}
        return (message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri
                and params.get("version", version) == version)
    return wanted


def edit_latencies(server: list[str], root: Path, document: Path, warmup: int,
                   runs: int) -> tuple[list[float], list[float]]:
    """initialize, didOpen, then per edit didChange + didSave: seconds from sending didSave to the
    publishDiagnostics for that version, and from didChange to those the server sent before the save."""
    uri = document.as_uri()
    text = document.read_text()
    client = LspClient(server, root)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {"textDocument": {"synchronization": {"didSave": True},
                                              "publishDiagnostics": {"versionSupport": True}}}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen",
                      {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}})
        client.wait_for(diagnostics_for(uri, 1), LSP_TIMEOUT)  # a server may lint on open, or not
        saves, changes = [], []
        for version in range(2, 2 + warmup + runs):
            # a real edit each time, so no server can answer from a cache keyed on the text
            edited = text + f"# edit {version}\n"
            document.write_text(edited)
            changed = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": edited}]})
            # a server that also lints on change gets to finish that first, as when a person saves later
            linted, message = client.wait_for(diagnostics_for(uri, version), CHANGE_SETTLE)
            if message is not None and version >= 2 + warmup:
                changes.append(linted - changed)
            sent = time.perf_counter()
            client.notify("textDocument/didSave", {"textDocument": {"uri": uri}, "text": edited})
            arrived, message = client.wait_for(diagnostics_for(uri, version), LSP_TIMEOUT)
            if message is None:
                raise LspError(f"no publishDiagnostics within {LSP_TIMEOUT:g} s of didSave (version {version})")
            if version >= 2 + warmup:
                saves.append(arrived - sent)
        return saves, changes
    finally:
        client.close()


# --- the report --------------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    lines = ["| scenario | command | files | runs | median (ms) | min (ms) | peak RSS (MB) | ratio | note |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        lines.append(f"| {row.scenario} | {row.command} | {row.files} | {row.runs or ''} | {number(row.median_ms, 1)} "
                     f"| {number(row.min_ms, 1)} | {'' if row.peak_exact else '<= '}{number(row.peak_mb, 1)} "
                     f"| {number(row.ratio, 2)} | {row.note} |")
    return "\n".join(lines)


def number(value: Optional[float], decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def progress(message: str, end: str = "\n") -> None:
    print(message, file=sys.stderr, end=end, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=13,
                        help=f"timed runs per command (on-save and LSP: {ON_SAVE_RUNS_FACTOR} times as many; "
                             "default 13)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per command first (default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 3 runs, 1 warm-up")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="default: %(default)s")
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS,
                        help="where peers-setup.sh installed the peers (default: %(default)s)")
    arguments = parser.parse_args()
    runs, warmup = (3, 1) if arguments.quick else (arguments.runs, arguments.warmup)
    tools = Tools.find(arguments.peers)
    corpus = arguments.corpus.resolve()
    started, load = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="dockerstore-bench-") as scratch:
        # an installed copy has its bytecode compiled (pip does it), a checkout being edited or an
        # environment with PYTHONDONTWRITEBYTECODE does not: without this, every run could pay for
        # compiling the modules, which can double an on-save run. The warm-up fills this cache.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "bytecode")
        versions = tools.versions()  # here: it writes bytecode into the scratch directory too
        settings = Settings(corpus, runs, warmup, Path(scratch), tools)
        outcomes = [scenario(settings) for scenario in
                    (corpus_scenario, compose_scenario, on_save_scenario, scale_scenario)]
    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"load average {load:.1f} before and {os.getloadavg()[0]:.1f} after, Python {platform.python_version()}; "
          + "; ".join(versions))
    print(f"Runs: {runs} per command ({runs * ON_SAVE_RUNS_FACTOR} for on save), {warmup} warm-up, interleaved, "
          "Python bytecode cached; "
          f"benchmark took {time.perf_counter() - started:.0f} s.\n")
    print(table([row for outcome in outcomes for row in outcome.rows]))
    print("\nAcceptance (ratios of medians from this run):\n")
    for outcome in outcomes:
        for check in outcome.checks:
            print(f"- {check.text()}")
    notes = [note for outcome in outcomes for note in outcome.notes if note]
    if notes:
        print()
        for note in notes:
            print(f"- {note}")


if __name__ == "__main__":
    main()
