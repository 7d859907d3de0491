"""Hostile and broken inputs: the real command line, under a 2 GB address-space limit and a timeout.

For every input, in every report format that can be parsed back: the exit status is 0 or 1, nothing
looks like a traceback, the expected DSL001/DSL004 (or nothing) comes out with a position inside the
file, and the other files of the same run (a `control/Dockerfile` with a known finding) are still linted.
The small inputs are files in `fixtures/hostile/` (its README says what each is); the big ones, and
what cannot be committed (FIFOs, symlink loops, unreadable files), are made here in temporary folders.

References that leave the scanned root are checked three ways: a marker string in the files just
outside the root never appears in any output; inotify sees none of those files opened; and an
in-process run with `open`/`os.open` recorded opens nothing outside the root, runs no program and
opens no socket.

Set DOCKERSTORE_LINT_HOSTILE_REPORT=FILE to append each run's wall time and peak memory to FILE.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Optional

import pytest

from tests import bombs
from tests.corpora import CORPUS

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
ADDRESS_SPACE = 2 * 1024 ** 3
TIMEOUT = 60
MARKER = "MARKER-5f3a9c-SHOULD-NEVER-BE-PRINTED"
CONTROL = ("control/Dockerfile", "DSL101", 2)  # FROM busybox / VOLUME /data: a finding on line 2
_VALUE_CAP = "variables expand to more than 1,048,576 characters in one value"
_LEAKY = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "CI", "TERM")


# --- running the command line ------------------------------------------------------------------

@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    timed_out: bool


def _limits(drop_dac: bool) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        if drop_dac:  # root reads any file; without these two capabilities, mode 000 stops it too
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                    os._exit(97)

    return apply


def run_cli(args: list[str], cwd: Path, drop_dac: bool = False, timeout: float = TIMEOUT) -> Run:
    """`python -m dockerstore_lint ARGS`, limited; the peak memory is the child's own (wait4)."""
    environment = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    command = [sys.executable, "-m", "dockerstore_lint", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                   env=environment, preexec_fn=_limits(drop_dac))
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                process.kill()
                timed_out = True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        run = Run(process.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                  seconds, usage.ru_maxrss / 1024, timed_out)
    report = os.environ.get("DOCKERSTORE_LINT_HOSTILE_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as handle:
            test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].rsplit(" ", 1)[0]
            handle.write(json.dumps({"test": test, "format": args[1], "status": run.status,
                                     "seconds": round(seconds, 3), "peak_mb": round(run.peak_mb, 1)}) + "\n")
    return run


def lint_all_formats(paths: list[str], cwd: Path, extra: tuple[str, ...] = (), drop_dac: bool = False,
                     timeout: float = TIMEOUT) -> tuple[list[dict], dict[str, Run]]:
    """Findings (from JSON) and the run of each format; every run is checked for what must always hold."""
    runs = {fmt: run_cli(["--format", fmt, *extra, *paths], cwd, drop_dac, timeout)
            for fmt in ("json", "text", "sarif")}
    for fmt, run in runs.items():
        assert not run.timed_out, f"{fmt}: no result after {timeout}s"
        assert run.status in (0, 1), f"{fmt}: exit {run.status}\n{run.stderr[-2000:]}"
        assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
        assert "internal error" not in run.stderr, run.stderr
        assert MARKER not in run.stdout + run.stderr, f"{fmt} printed the content of a file outside the root"
    assert runs["json"].status == runs["text"].status == runs["sarif"].status
    sarif = json.loads(runs["sarif"].stdout)
    assert sarif["runs"][0]["tool"]["driver"]["name"] == "dockerstore-lint"
    findings = json.loads(runs["json"].stdout)["findings"]
    assert len(sarif["runs"][0]["results"]) == len(findings)
    text_lines = [line for line in runs["text"].stdout.splitlines() if line.endswith("]")]
    assert len(text_lines) >= len([f for f in findings if f["suppressed"] is None])
    return findings, runs


def assert_sensible_positions(findings: list[dict], cwd: Path) -> None:
    for finding in findings:
        where = f"{finding['file']}:{finding['line']}:{finding['column']} {finding['message'][:120]}"
        assert finding["line"] >= 1 and finding["column"] >= 1, where
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"]), where
        path = cwd / finding["file"]
        if path.is_file() and not path.is_symlink() and path.stat().st_size < 50 * 1024 * 1024:
            assert finding["line"] <= path.read_bytes().count(b"\n") + 1, where


def found(findings: list[dict], file: str, code: str, text: str = "", line: Optional[int] = None) -> list[dict]:
    return [f for f in findings if f["file"] == file and f["code"] == code and text in f["message"]
            and (line is None or f["line"] == line)]


def add_control(root: Path) -> str:
    (root / "control").mkdir(parents=True, exist_ok=True)
    (root / "control" / "Dockerfile").write_text("FROM busybox\nVOLUME /data\n", encoding="utf-8")
    return "control"


def assert_control_linted(findings: list[dict]) -> None:
    file, code, line = CONTROL
    assert found(findings, file, code, line=line), "the other file of the run was not linted"


# --- the committed inputs ----------------------------------------------------------------------

# file (relative to fixtures/hostile) -> (code, message part, line) expected, or () for "no DSL001"
COMMITTED = {
    "alias-self-reference.yaml": [("DSL001", "an alias refers to a node that contains it", None)],
    "invalid-utf8.yaml": [("DSL001", "cannot decode file as UTF-8: invalid byte 0xc3", 4)],
    "invalid-utf8.Dockerfile": [("DSL001", "cannot decode file as UTF-8: invalid byte 0x80", 3)],
    "utf16-le-bom.yaml": [],
    "utf16-be-bom.yaml": [],
    "utf16-odd-length.yaml": [("DSL001", "cannot decode file as UTF-16-LE", None)],
    "crlf-bom.Dockerfile": [],
    "crlf-continuation.Dockerfile": [],
    "cr-only.Dockerfile": [("DSL001", "no instructions", 1)],
    "nul.Dockerfile": [("DSL001", "binary file: NUL character", 3)],
    "nul.yaml": [("DSL001", "binary file: NUL character", 4)],
    "duplicate-keys.yaml": [("DSL001", "duplicate key 'image'", 5), ("DSL001", "duplicate key 'app'", 8),
                            ("DSL001", "duplicate key 'data'", 12), ("DSL001", "duplicate key '<<'", 16)],
    "top-level-list.yaml": [("DSL001", "the top level is a list", 2)],
    "top-level-scalar.yaml": [("DSL001", "the top level is a single value", 2)],
    "top-level-many-documents.yaml": [("DSL001", "the top level is a list", 4)],
    "empty.yaml": [],
    "empty.Dockerfile": [("DSL001", "no instructions", 1)],
    "whitespace-only.Dockerfile": [("DSL001", "no instructions", 1)],
    "comments-only.yaml": [],
    "unknown-tags.yaml": [("DSL001", "services.app.volumes must be a list", 7)],
    "numbers-and-timestamps.yaml": [],
    "interpolation.yaml": [("DSL001", "invalid interpolation", 4)],
    "windows-paths.yaml": [("DSL002", "too many colons", 15)],
    "deep-but-allowed.yaml": [],
    "dotenv/compose.yaml": [],
    "include-cycle/compose.yaml": [("DSL001", "include cycle", 3)],  # as the project of b.yaml
    "include-cycle/b.yaml": [("DSL001", "include cycle", 3)],
    "include-self/compose.yaml": [("DSL001", "include cycle", 2)],
    "extends-cycle/compose.yaml": [("DSL001", "extends cycle", 4),
                                   ("DSL001", "extends cycle through service 'self'", 10)],
    "outside-root.yaml": [("DSL004", "included file is outside the scanned root", 3),
                          ("DSL004", "extends file /etc/passwd is outside the scanned root", 9),
                          ("DSL004", "env file shadow is outside the scanned root", 13),
                          ("DSL004", "the build's Dockerfile is outside the scanned root", 16)],
    "broken-dockerfile.Dockerfile": [("DSL001", "FROM without an image", 4)],
    "unterminated-heredoc.Dockerfile": [("DSL001", "unterminated heredoc", 3)],
    "parser-directives.Dockerfile": [("DSL001", "only one escape parser directive", 3)],
}


def test_every_committed_input_is_listed_and_described():
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    files = sorted(str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file() and p.name != "README.md")
    project_files = {"dotenv/.env", "include-cycle/b.yaml", "extends-cycle/other.yaml"}
    assert sorted(set(COMMITTED) | project_files) == files
    for file in files:
        assert f"`{file}`" in readme, f"fixtures/hostile/README.md does not describe {file}"


@pytest.fixture(scope="module")
def committed_run(tmp_path_factory):
    """Every committed input in one run, each named explicitly, with the control project beside them."""
    root = tmp_path_factory.mktemp("committed")
    shutil.copytree(HOSTILE, root / "hostile")
    add_control(root)
    paths = ["control"] + [f"hostile/{name}" for name in COMMITTED]
    findings, _ = lint_all_formats(paths, root)
    return root, findings


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_input(name, committed_run):
    root, findings = committed_run
    assert_control_linted(findings)
    file = f"hostile/{name}"
    mine = [f for f in findings if f["file"] == file]
    assert_sensible_positions(mine, root)
    for code, text, line in COMMITTED[name]:
        assert found(findings, file, code, text, line), f"expected {code} '{text}' at line {line} in {mine}"
    if not COMMITTED[name]:
        assert not [f for f in mine if f["code"] == "DSL001"], mine


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_input_alone(name, tmp_path):
    """Each input as the only file of a run (the whole folder fails or passes together otherwise)."""
    shutil.copytree(HOSTILE, tmp_path / "hostile")
    run = run_cli(["--format", "json", f"hostile/{name}"], tmp_path)
    assert run.status in (0, 1) and "Traceback" not in run.stderr, run.stderr[-2000:]
    findings = json.loads(run.stdout)["findings"]
    assert_sensible_positions(findings, tmp_path)


def test_the_utf16_file_of_the_corpus_is_read():
    corpus = CORPUS / "sixeyed__diamol/ch14/exercises/numbers"
    if not (corpus / "prod-full.yml").is_file():
        pytest.skip("the shared corpus is not available")
    assert (corpus / "prod-full.yml").read_bytes().startswith(b"\xff\xfe")
    run = run_cli(["--format", "json", "prod-full.yml"], corpus)
    assert run.status in (0, 1), run.stderr
    assert not [f for f in json.loads(run.stdout)["findings"] if f["code"] == "DSL001"]


# --- generated inputs --------------------------------------------------------------------------

def _write(path: Path, text) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def billion_laughs(root: Path) -> None:
    lines = ["x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    _write(root / "compose.yaml", "\n".join(lines) + "\nservices:\n  app:\n    image: busybox\n    command: *a9\n")


def merge_key_bomb(root: Path) -> None:
    lines = ["x-m0: &m0 {k0: v, k1: v, k2: v, k3: v, k4: v, k5: v, k6: v, k7: v}"]
    lines += [f"x-m{i}: &m{i}\n  <<: [" + ", ".join([f"*m{i - 1}"] * 8) + f"]\n  n{i}: &n{i} [" +
              ", ".join([f"*m{i - 1}"] * 8) + "]" for i in range(1, 9)]
    _write(root / "compose.yaml", "\n".join(lines) + "\nservices:\n  app:\n    <<: *m8\n    image: busybox\n")


def deep_flow_sequence(root: Path) -> None:
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    x: " + "[" * 50_000 + "]" * 50_000 + "\n")


def deep_flow_mapping(root: Path) -> None:
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    x: " + "{a: " * 50_000 + "1"
           + "}" * 50_000 + "\n")


def deep_block_sequence(root: Path) -> None:
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    x:\n      " + "- " * 50_000 + "x\n")


def deep_aliases(root: Path) -> None:
    # 50,000 anchors, each a list holding the one before: deep only once aliases are followed
    lines = ["x-d0: &d0 [end]"] + [f"x-d{i}: &d{i} [*d{i - 1}]" for i in range(1, 50_000)]
    _write(root / "compose.yaml", "\n".join(lines) + "\nservices:\n  app:\n    image: busybox\n    command: *d49999\n")


def huge_compose(root: Path) -> None:
    service = "  s{0}:\n    image: postgres:16\n    volumes: [\"./data{0}:/var/lib/postgresql/data\"]\n"
    with open(root / "compose.yaml", "w", encoding="utf-8") as handle:
        handle.write("services:\n")
        size, number = 0, 0
        while size < 100 * 1024 * 1024:
            chunk = "".join(service.format(number + i) for i in range(1000))
            handle.write(chunk)
            size += len(chunk)
            number += 1000


def ten_mb_line_compose(root: Path) -> None:
    line = "x" * (10 * 1024 * 1024)
    _write(root / "compose.yaml", f"services:\n  app:\n    image: busybox\n    command: {line}\n")


def ten_mb_line_dockerfile(root: Path) -> None:
    _write(root / "Dockerfile", "FROM busybox\nRUN echo " + "$x " * (10 * 1024 * 1024 // 3) + "\n")


def words_of_10mb(root: Path) -> None:
    # one word each: the regular expressions that cut words once took a gigabyte for it
    word = "a" * (10 * 1024 * 1024)
    _write(root / "Dockerfile", f"FROM busybox\nRUN cp \"{word}\" /x\n")
    _write(root / "env.Dockerfile", f"FROM busybox\nENV A=\"{word}\"\n")
    _write(root / "compose.yaml", f"services:\n  app:\n    image: busybox\n    command: '\"{word}\"'\n")


def interpolation_20000_deep(root: Path) -> None:
    value = "${A:-" * 20_000 + "x" + "}" * 20_000
    _write(root / "compose.yaml", f"services:\n  app:\n    image: busybox\n    command: \"{value}\"\n")


def dockerfile_variables_20000_deep(root: Path) -> None:
    _write(root / "Dockerfile", "FROM busybox\nENV B=" + "${A:-" * 20_000 + "x" + "}" * 20_000 + "\nVOLUME /data\n")


def dockerfile_variable_doubling(root: Path) -> None:
    lines = ["FROM busybox", "ARG A0=xxxxxxxxxxxxxxxx"] + [f"ARG A{i + 1}=${{A{i}}}${{A{i}}}" for i in range(60)]
    _write(root / "Dockerfile", "\n".join(lines + ["ENV LAST=$A60", "VOLUME /data"]) + "\n")


def dockerfile_backtracking_patterns(root: Path) -> None:
    value = "a" * 4000
    _write(root / "Dockerfile", f"FROM busybox\nARG X={value}\nENV A=${{X##*a*a*a*a*a*a*a*b}}\n"
           f"ENV B=${{X%%*a*a*a*a*a*a*a*b}}\nENV C=${{X//*a*a*a*a*a*a*b/y}}\nENV D=${{X/a*a*a*a*a*a*b/y}}\n")


def dockerfile_many_stages(root: Path) -> None:
    _write(root / "Dockerfile", "".join(f"FROM s{i} AS s{i + 1}\nCOPY --from=s{i} /a /b\n"
                                        for i in range(4 * 1024 * 1024 // 50)))


def dockerfile_many_flags(root: Path) -> None:
    _write(root / "Dockerfile", "FROM busybox\nCOPY " + "--chown=1:1 " * (4 * 1024 * 1024 // 12) + "a /b\n")


def dockerfile_many_variables_and_runs(root: Path) -> None:
    variables = "".join(f"ENV V{i}=/x{i}\n" for i in range(100_000))
    runs = "".join(f"RUN mkdir -p $V{i % 1000}/y && cp a $V{i}\n" for i in range(50_000))
    _write(root / "Dockerfile", "FROM busybox\n" + variables + runs)


def directive_with_spaces(root: Path) -> None:
    _write(root / "Dockerfile", "# syntax=x" + " " * (4 * 1024 * 1024) + "y\nFROM busybox\nVOLUME /data\n")


def gitignore_backtracking(root: Path) -> None:
    (root / ".git").mkdir()
    _write(root / ".gitignore",
           "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n**/**/**/**/**/**/**/**/**/**/x\n[]\n[z-a]\n[[:alpha:]\n")
    deep = root.joinpath(*(["a" * 200] * 10))
    deep.mkdir(parents=True)
    _write(deep / "Dockerfile", "FROM busybox\nVOLUME /data\n")


def gitignore_huge(root: Path) -> None:
    (root / ".git").mkdir()
    _write(root / ".gitignore", "".join(f"pattern{i}/*.tmp\n" for i in range(400_000)))
    for i in range(100):
        _write(root / f"d{i}" / "Dockerfile", "FROM busybox\n")


def include_chain(root: Path) -> None:
    for i in range(60):
        _write(root / f"c{i}.yaml", f"include: [c{i + 1}.yaml]\nservices:\n  s{i}:\n    image: busybox\n")
    _write(root / "c60.yaml", "include: [c0.yaml]\nservices: {}\n")
    _write(root / "compose.yaml", "include: [c0.yaml]\nservices: {}\n")


def extends_chain(root: Path) -> None:
    services = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(5000))
    _write(root / "compose.yaml", "services:\n" + services + "  s5000:\n    image: busybox\n")


def many_services(root: Path) -> None:
    services = "".join(f"  s{i}:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data, ./d:/d]\n"
                       "    volumes_from: [s0]\n" for i in range(5_000))
    _write(root / "compose.yaml", "services:\n" + services + "volumes:\n  data: {}\n")


def extends_big_file(root: Path) -> None:
    _write(root / "base.yaml", "services:\n" + "".join(f"  b{i}:\n    image: busybox\n" for i in range(20_000)))
    _write(root / "compose.yaml", "services:\n" + "".join(
        f"  s{i}:\n    extends: {{file: base.yaml, service: b{i}}}\n" for i in range(5_000)))


def long_volume_specs(root: Path) -> None:
    colons, long_source, backslashes = "a:" * 500_000 + "b", "x" * 2_000_000, "\\\\" * 1_000_000
    _write(root / "compose.yaml", f"services:\n  app:\n    image: busybox\n    volumes:\n      - \"{colons}\"\n"
           f"      - \"./{long_source}:/y\"\n      - \"C:{backslashes}:C:\\\\y\"\n")


def yaml_odd_scalars(root: Path) -> None:
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    environment:\n"
           f"      A: {'9' * 1_000_000}\n      B: 0x{'f' * 1_000_000}\n      C: 1e{'9' * 100_000}\n"
           f"      D: 2001-01-01T01:01:01.{'0' * 1_000_000}Z\n      E: {'-' * 1_000_000}\n")


def scripts_beside(root: Path) -> None:
    """Files read beside a Dockerfile at their size caps: an entrypoint script of nothing but separators and
    one of a single token (a pattern that backtracks over either is quadratic), and a plugin config nested
    past the JSON reader's recursion limit."""
    for name, text in (("separators", "(" * (256 * 1024 - 1)), ("token", "/a" * (128 * 1024 - 1))):
        folder = root / name
        folder.mkdir()
        _write(folder / "entrypoint.sh", text)
        _write(folder / "Dockerfile", 'FROM debian:bookworm-slim\nCOPY entrypoint.sh /e\nENTRYPOINT ["/e"]\n')
    _write(root / "plugin" / "config.json", '{"interface": ' + "[" * 60_000 + "]" * 60_000 + "}")
    _write(root / "plugin" / "Dockerfile", "FROM debian:bookworm-slim\nENTRYPOINT [\"/driver\"]\n")


@dataclass
class Generated:
    build: Callable[[Path], None]
    expect: list[tuple[str, str, str, Optional[int]]]  # (file, code, message part, line)
    extra: tuple[str, ...] = ()
    timeout: float = TIMEOUT  # per format


def bomb(build: Callable[[Path], None], expect: list, extra: tuple[str, ...] = ()) -> Generated:
    """A worst case that once took minutes or gigabytes: it is meant to take seconds, so it is allowed 20."""
    return Generated(build, expect, extra, timeout=20)


GENERATED = {
    "billion-laughs": Generated(billion_laughs, [("compose.yaml", "DSL001", "expands to more than", None)]),
    "merge-key-bomb": Generated(merge_key_bomb, [("compose.yaml", "DSL001", "expands to more than", None)]),
    "deep-flow-sequence": Generated(deep_flow_sequence, [("compose.yaml", "DSL001", "nesting depth", 4)]),
    "deep-flow-mapping": Generated(deep_flow_mapping, [("compose.yaml", "DSL001", "nesting depth", 4)]),
    "deep-block-sequence": Generated(deep_block_sequence, [("compose.yaml", "DSL001", "nesting depth", 5)]),
    "deep-aliases": Generated(deep_aliases, [("compose.yaml", "DSL001", "expands to more than 250,000 nodes", 1)]),
    "compose-100MB": Generated(huge_compose,
                               [("compose.yaml", "DSL001", "file too large, 100.0 MB > limit 5.0 MB", 1)]),
    "compose-100MB-over-a-raised-limit": Generated(
        huge_compose, [("compose.yaml", "DSL001", "file too large, 100.0 MB > limit 50.0 MB", 1)],
        ("--max-file-size", "50MB")),
    "compose-10MB-line": Generated(ten_mb_line_compose, [("compose.yaml", "DSL001", "file too large, 10.0 MB", 1)]),
    "compose-10MB-line-allowed": Generated(ten_mb_line_compose, [], ("--max-file-size", "20MB")),
    "dockerfile-10MB-line": Generated(ten_mb_line_dockerfile, [("Dockerfile", "DSL001", "file too large, 10.0 MB", 1)]),
    "dockerfile-10MB-line-allowed": Generated(ten_mb_line_dockerfile, [], ("--max-file-size", "20MB")),
    "words-of-10MB-allowed": Generated(words_of_10mb, [], ("--max-file-size", "20MB")),
    "interpolation-20000-deep": Generated(
        interpolation_20000_deep, [("compose.yaml", "DSL001", "nested more than 100 levels deep", 4)]),
    "dockerfile-variables-20000-deep": Generated(dockerfile_variables_20000_deep, [("Dockerfile", "DSL101", "", 3)]),
    "dockerfile-variable-doubling": Generated(
        dockerfile_variable_doubling, [("Dockerfile", "DSL001", "variables expand to more than", None),
                                       ("Dockerfile", "DSL101", "", 64)]),
    "dockerfile-backtracking-patterns": Generated(dockerfile_backtracking_patterns, []),
    "dockerfile-many-stages": Generated(
        dockerfile_many_stages, [("Dockerfile", "DSL001", "more than 100 build stages: the rest of the file", 201)]),
    "dockerfile-many-flags": Generated(dockerfile_many_flags, []),
    "dockerfile-many-variables-and-runs": Generated(
        dockerfile_many_variables_and_runs, [("Dockerfile", "DSL001", "more than 10,000 instructions", 10_001)]),
    "dockerfile-directive-with-spaces": Generated(directive_with_spaces, [("Dockerfile", "DSL101", "", 3)]),
    "gitignore-backtracking": Generated(gitignore_backtracking, []),
    "gitignore-huge": Generated(
        gitignore_huge, [(".gitignore", "DSL001", "more than 5,000 patterns in one ignore file", 5_001)]),
    # 60 files in a ring: the chain stops at the 32nd level, before it comes back round
    "include-cycle-60-files": Generated(include_chain, [("c31.yaml", "DSL001", "nested more than 32 levels", 1)]),
    "extends-chain-5000": Generated(extends_chain, [("compose.yaml", "DSL001", "extends nested more than 32", None)]),
    "services-5000": Generated(many_services, []),
    "extends-one-big-file-5000-times": Generated(extends_big_file, []),
    "volume-specs-of-megabytes": Generated(long_volume_specs, [("compose.yaml", "DSL002", "too many colons", 5)]),
    "scalars-of-megabytes": Generated(yaml_odd_scalars, []),
    # the worst cases of size and shape in tests/bombs.py, also timed by benchmarks/hostile.py
    "dotenv-doubling": bomb(bombs.dotenv_doubling, [(".env", "DSL001", _VALUE_CAP, 18)]),
    "env-file-doubling": bomb(bombs.env_file_doubling, [("app.env", "DSL001", _VALUE_CAP, 18)]),
    "compose-value-doubling": bomb(bombs.compose_doubling, [("compose.yaml", "DSL001", _VALUE_CAP, 4)]),
    "include-diamonds-41": bomb(
        bombs.include_diamonds, [("l31a.yaml", "DSL001", "includes nested more than 32 levels deep", 1)]),
    "extends-diamonds-41": bomb(
        bombs.extends_diamonds, [("e31.yaml", "DSL001", "extends nested more than 32 levels deep", 3)]),
    "scripts-beside-dockerfiles": Generated(scripts_beside, [("separators/Dockerfile", "DSL202", "", 1),
                                                            ("token/Dockerfile", "DSL202", "", 1),
                                                            ("plugin/Dockerfile", "DSL202", "", 1)]),
    "run-over-800k-lines": bomb(bombs.run_continued_over_800k_lines, [("Dockerfile", "DSL101", "", 800_004)]),
    # twice the paths and twice the RUNs of the benchmark's case: four times its pairs, which took the old
    # rule 20 to 40 s
    "volume-40k-paths-4k-runs": bomb(partial(bombs.volume_paths_before_runs, volumes=40_000, runs=4_000),
                                     [("Dockerfile", "DSL105", "/v0", 3)]),
    "gitignore-5000-double-stars-20k-dirs": bomb(
        bombs.gitignore_double_stars, [("d0/e0/Dockerfile", "DSL101", "", 2)]),
    "gitignore-200-nested-files": bomb(
        bombs.gitignore_nested, [("n/" * 20 + ".gitignore", "DSL001", "more than 20,000 patterns in all", 1),
                                 ("n/" * 200 + "Dockerfile", "DSL101", "", 2)]),
    "config-20k-globs-300-dockerfiles": bomb(bombs.configuration_globs, [("app299/Dockerfile", "DSL101", "", 2)],
                                             ("--config", "input/.dockerstore-lint.yaml")),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_input(name, tmp_path):
    case = GENERATED[name]
    project = tmp_path / "input"
    project.mkdir()
    case.build(project)
    add_control(tmp_path)
    findings, _ = lint_all_formats(["control", "input"], tmp_path, case.extra, timeout=case.timeout)
    assert_control_linted(findings)
    assert_sensible_positions(findings, tmp_path)
    for file, code, text, line in case.expect:
        assert found(findings, f"input/{file}", code, text, line), \
            f"expected {code} '{text}' at {line}: {[f for f in findings if f['file'].startswith('input/')][:10]}"
    if not [e for e in case.expect if e[1] == "DSL001"]:
        assert not [f for f in findings if f["code"] == "DSL001"], findings[:10]


# --- what the file system can hold -------------------------------------------------------------

def test_a_fifo_named_like_a_dockerfile_or_compose_file(tmp_path):
    add_control(tmp_path)
    os.mkfifo(tmp_path / "Dockerfile")
    os.mkfifo(tmp_path / "compose.yaml")
    findings, _ = lint_all_formats([".", "Dockerfile", "compose.yaml"], tmp_path)
    assert_control_linted(findings)
    assert found(findings, "Dockerfile", "DSL001", "not a regular file", 1)
    assert found(findings, "compose.yaml", "DSL001", "not a regular file", 1)


def test_a_directory_named_like_a_dockerfile_or_compose_file(tmp_path):
    add_control(tmp_path)
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "compose.yaml").mkdir()
    (tmp_path / "Dockerfile" / "Dockerfile").write_text("FROM busybox\nVOLUME /inner\n", encoding="utf-8")
    findings, _ = lint_all_formats(["."], tmp_path)
    assert_control_linted(findings)
    assert found(findings, "Dockerfile/Dockerfile", "DSL101", line=2)  # the walk goes into it
    findings, _ = lint_all_formats(["control", "compose.yaml/"], tmp_path)
    assert_control_linted(findings)


def test_symlink_loops(tmp_path):
    add_control(tmp_path)
    os.symlink("Dockerfile", tmp_path / "Dockerfile")
    os.symlink("compose.yml", tmp_path / "compose.yaml")
    os.symlink("compose.yaml", tmp_path / "compose.yml")
    (tmp_path / "loop").mkdir()
    os.symlink("..", tmp_path / "loop" / "up")
    os.symlink(".", tmp_path / "loop" / "here")
    os.symlink("missing", tmp_path / "docker-compose.yml")
    _write(tmp_path / "app" / "compose.yaml", "services:\n  app:\n    image: busybox\n    env_file: [../Dockerfile]\n"
           "    build: {context: ../loop/up/loop/here, dockerfile: ../../Dockerfile}\n"
           "    volumes: [../loop/up/loop/up/loop:/x]\n")
    findings, _ = lint_all_formats([".", "Dockerfile", "compose.yaml"], tmp_path)
    assert_control_linted(findings)
    assert found(findings, "Dockerfile", "DSL001", "cannot read path: Too many levels of symbolic links", 1)
    assert found(findings, "compose.yaml", "DSL001", "cannot read path: Too many levels of symbolic links", 1)


def _can_drop_dac() -> bool:
    done = subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_limits(True), check=False)
    return done.returncode == 0


def test_unreadable_files(tmp_path):
    if os.geteuid() == 0 and not _can_drop_dac():
        pytest.skip("root here cannot give up reading every file (no CAP_SETPCAP)")
    add_control(tmp_path)
    _write(tmp_path / "Dockerfile", "FROM busybox\n")
    _write(tmp_path / "compose.yaml", "services:\n  app:\n    build: .\n    env_file: [.env]\n")
    _write(tmp_path / ".env", "A=1\n")
    _write(tmp_path / "locked" / "Dockerfile", "FROM busybox\n")
    for path in (tmp_path / "Dockerfile", tmp_path / "compose.yaml", tmp_path / ".env"):
        path.chmod(0)
    (tmp_path / "locked").chmod(0)
    try:
        findings, _ = lint_all_formats(["."], tmp_path, drop_dac=os.geteuid() == 0)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert_control_linted(findings)
    assert found(findings, "Dockerfile", "DSL001", "cannot read file: Permission denied", 1)
    assert found(findings, "compose.yaml", "DSL001", "cannot read file: Permission denied", 1)


def test_an_unreadable_file_in_process(tmp_path, monkeypatch):
    """Whoever runs the tests: `os.open` failing with EACCES, as for a file of mode 000."""
    from dockerstore_lint.text.sources import read_source

    _write(tmp_path / "Dockerfile", "FROM busybox\n")
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if Path(path) == tmp_path / "Dockerfile":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    source, problem = read_source(tmp_path / "Dockerfile", "Dockerfile")
    assert source is None
    assert (problem.code, problem.message, problem.span.line) == ("DSL001", "cannot read file: Permission denied", 1)


# --- references out of the root ----------------------------------------------------------------

class _OpenWatch:
    """inotify on folders: which files in them are opened (stat and realpath do not count)."""

    IN_OPEN = 0x20
    IN_ISDIR = 0x40000000

    def __init__(self, folders: list[Path]):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            pytest.skip("inotify is not available")
        self.folders = {}
        for folder in folders:
            watch = self.libc.inotify_add_watch(self.fd, str(folder).encode(), self.IN_OPEN)
            assert watch >= 0
            self.folders[watch] = folder

    def opened(self) -> list[Path]:
        names = []
        while select.select([self.fd], [], [], 0.2)[0]:
            data = os.read(self.fd, 65536)
            offset = 0
            while offset < len(data):
                watch, mask, _, size = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16:offset + 16 + size].rstrip(b"\0").decode()
                offset += 16 + size
                if name and not mask & self.IN_ISDIR:
                    names.append(self.folders[watch] / name)
        return names

    def close(self) -> None:
        os.close(self.fd)


def outside_layout(base: Path) -> Path:
    """base/secret.yaml, base/work/secret.yaml, base/outside/... hold the marker; base/work/root is
    the project, whose references all lead out of it."""
    root = base / "work" / "root"
    outside = base / "outside"
    secret_compose = f"services:\n  {MARKER}:\n    image: {MARKER}\n    volumes: ['{MARKER}:/{MARKER}']\n"
    _write(base / "secret.yaml", secret_compose)
    _write(base / "work" / "secret.yaml", secret_compose)
    _write(outside / "Dockerfile", f"FROM {MARKER}\nVOLUME /{MARKER}\nUSER {MARKER}\n")
    _write(outside / "secret.env", f"{MARKER}={MARKER}\nTAG={MARKER}\n")
    _write(outside / "gitignore", f"{MARKER}\n")
    _write(outside / "compose.yaml", secret_compose)
    os.mkfifo(outside / "fifo.yaml")  # opened blocking, it would hang the run
    os.mkfifo(outside / "fifo.env")
    (root / ".git").mkdir(parents=True)
    add_control(root)
    _write(root / "compose.yaml", f"""
include:
  - ../../secret.yaml
  - ../secret.yaml
  - path: {outside}/compose.yaml
  - link.yaml
  - ../../outside/fifo.yaml
services:
  extends-outside:
    extends: {{file: ../secret.yaml, service: {MARKER}}}
  extends-etc:
    extends: {{file: /etc/passwd, service: root}}
  extends-link:
    extends: {{file: link.yaml, service: {MARKER}}}
  env:
    image: "busybox:${{TAG:-1}}"
    env_file: [/etc/shadow, ../../outside/secret.env, {outside}/fifo.env, linked.env]
  build-etc:
    build: {{context: /etc, dockerfile: passwd}}
  build-outside:
    build: {{context: ../../outside}}
  build-link:
    build: {{context: ., dockerfile: linked.Dockerfile}}
  bind-link:
    image: postgres:16
    volumes: ["./data:/var/lib/postgresql/data", "./data/Dockerfile:/x"]
  secrets-outside:
    image: busybox
    secrets: [s]
secrets:
  s:
    file: ../../outside/secret.env
""")
    os.symlink(outside / "compose.yaml", root / "link.yaml")
    os.symlink(outside / "Dockerfile", root / "linked.Dockerfile")
    os.symlink(outside / "Dockerfile", root / "Dockerfile")
    os.symlink(outside / "secret.env", root / ".env")
    os.symlink(outside / "secret.env", root / "linked.env")
    os.symlink(outside / "gitignore", root / ".gitignore")
    os.symlink(outside, root / "data")
    os.symlink(outside / "compose.yaml", root / "docker-compose.override.yml")
    return root


def test_references_out_of_the_root_are_not_followed_nor_read(tmp_path):
    root = outside_layout(tmp_path)
    watch = _OpenWatch([tmp_path, tmp_path / "work", tmp_path / "outside"])
    try:
        findings, _ = lint_all_formats(["."], root, timeout=30)
        opened = watch.opened()
    finally:
        watch.close()
    assert opened == [], f"files outside the root were opened: {opened}"
    assert_control_linted(findings)
    notes = [(f["line"], f["message"]) for f in findings if f["code"] == "DSL004"]
    for text in ("included file is outside the scanned root", "extends file ../secret.yaml",
                 "extends file /etc/passwd", "env file shadow", "env file secret.env",
                 "the build's Dockerfile is outside the scanned root"):
        assert any(text in message for _, message in notes), (text, notes)


# --- nothing runs, nothing connects, nothing outside is opened (in-process) ----------------------

def _forbidden(*_, **__):
    raise AssertionError("dockerstore-lint tried to run a program or open a socket")


def test_a_lint_runs_nothing_connects_nowhere_and_opens_nothing_outside(tmp_path, monkeypatch):
    from dockerstore_lint.config import Config
    from dockerstore_lint.engine import lint
    from dockerstore_lint.loader import Options, WorkspaceLoader
    from dockerstore_lint.reporters import ReportContext, render

    root = outside_layout(tmp_path)
    shutil.copytree(HOSTILE, root / "hostile")
    corpus = CORPUS
    if corpus.is_dir():
        shutil.copytree(corpus, root / "corpus", symlinks=True)

    def lint_root() -> str:
        config = Config(base=root)
        loader = WorkspaceLoader(root, root, Options(environ={"HOME": "/root"}))
        findings = lint(loader.load([root]), config, loader.lines_of)
        context = ReportContext(rules=[], files=loader.files_seen(), lines_of=loader.lines_of, cwd=root)
        return "".join(render(fmt, findings, context) for fmt in ("text", "json", "sarif", "github", "gitlab"))

    lint_root()  # imports and the knowledge base are loaded now, not while opens are watched
    opened: list[tuple[str, bool]] = []  # (path, whether a symlink at its end is followed)
    real_os_open, real_io_open = os.open, __import__("io").open

    def recording_os_open(path, flags, *args, **kwargs):
        opened.append((os.fsdecode(path), not flags & os.O_NOFOLLOW))
        return real_os_open(path, flags, *args, **kwargs)

    def recording_io_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            opened.append((os.fsdecode(file), True))
        return real_io_open(file, *args, **kwargs)

    import builtins
    import io

    monkeypatch.setattr(os, "open", recording_os_open)
    monkeypatch.setattr(io, "open", recording_io_open)
    monkeypatch.setattr(builtins, "open", recording_io_open)
    for name in ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execle", "execlp",
                 "execlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "posix_spawn", "posix_spawnp", "fork"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _forbidden)
    monkeypatch.setattr(subprocess, "Popen", _forbidden)
    monkeypatch.setattr(socket, "socket", _forbidden)
    monkeypatch.setattr(socket, "create_connection", _forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", _forbidden)
    output = lint_root()
    assert MARKER not in output
    assert opened, "the recording saw no file opened: it does not work"
    real_root = os.path.realpath(root)

    def target(path: str, follow: bool) -> str:
        # with O_NOFOLLOW a symlink is refused, not followed: what is opened is the link itself
        if follow:
            return os.path.realpath(path)
        return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))

    outside = [path for path, follow in opened if not target(path, follow).startswith(real_root + os.sep)]
    assert outside == []


# --- regressions: each crash or hang these inputs found, at the unit that had it -----------------

def test_huge_integers_keep_their_text_or_become_floats_as_go_reads_them():
    from dockerstore_lint.text.yaml_nodes import _go_typed_text

    # was: ValueError (Python refuses to read more than 4,300 decimal digits as an int)
    assert _go_typed_text("9" * 5000) == "9" * 5000  # beyond float64: Go keeps the text
    assert _go_typed_text("9" * 30) == "1e+30"  # docker-compose config prints this
    assert _go_typed_text("1e999999") == "1e999999"  # was "+Inf"
    assert _go_typed_text("1e-999") == "0"
    assert _go_typed_text("18446744073709551615") == "18446744073709551615"


def test_dockerfile_patterns_do_not_backtrack():
    from dockerstore_lint.inputs.dockerfile.words import expand

    scope = {"X": ("a" * 20_000, True)}
    started = time.monotonic()
    assert expand("${X##*a*a*a*a*a*a*a*a*b}", scope).text == "a" * 20_000
    assert expand("${X%%a*a*a*a*a*a*a*a*b}", scope).text == "a" * 20_000
    assert expand("${X//*a*a*a*a*a*a*a*b/y}", scope).text == "a" * 20_000
    assert expand("${X##*a*a}", scope).text == ""
    assert expand("${X#*a*a}", scope).text == "a" * 19_998
    assert time.monotonic() - started < 2


def test_a_star_only_replacement_replaces_once_as_go_does():
    from dockerstore_lint.inputs.dockerfile.words import expand

    assert expand("${X//*/y}", {"X": ("abc", True)}).text == "y"
    assert expand("${X//b*/y}", {"X": ("abcb", True)}).text == "ay"


def test_dockerfile_variables_that_double_stop_at_the_budget():
    from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
    from dockerstore_lint.inputs.dockerfile.words import MAX_EXPANDED
    from dockerstore_lint.text.sources import Source

    lines = ["FROM busybox", "ARG A0=xxxxxxxxxxxxxxxx"] + [f"ARG A{i + 1}=${{A{i}}}${{A{i}}}" for i in range(40)]
    started = time.monotonic()
    parsed = parse_dockerfile(Source(Path("/p/Dockerfile"), "Dockerfile", "\n".join(lines) + "\nUSER $A40\n"))
    assert time.monotonic() - started < 10
    # `ARG Ai=${A(i-1)}${A(i-1)}` looks up 2 * 16 * 2**(i-1) characters; the budget counts them all
    spent, first_over = 0, None
    for i in range(1, 41):
        spent += 16 * 2 ** i
        if spent > MAX_EXPANDED and first_over is None:
            first_over = i + 2  # the line of `ARG Ai`
    problems = [p for p in parsed.problems if "variables expand to more than" in p.message]
    assert [p.span.line for p in problems] == [first_over]
    assert parsed.stages[0].user.resolved is False


def test_long_runs_of_spaces_in_a_parser_directive_are_linear():
    from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
    from dockerstore_lint.text.sources import Source

    text = "# escape=`" + " " * 1_000_000 + "\nFROM busybox\nVOLUME /a `\n /b\n"
    started = time.monotonic()
    parsed = parse_dockerfile(Source(Path("/p/Dockerfile"), "Dockerfile", text))
    assert time.monotonic() - started < 5
    assert parsed.escape == "`"
    assert [v.path.text for v in parsed.stages[0].volumes] == ["/a", "/b"]


def test_a_word_of_megabytes_with_a_variable_is_linear():
    from dockerstore_lint.inputs.dockerfile.words import expand, lex_words

    word = "${A}" + "b" * 2_000_000
    started = time.monotonic()
    assert expand(word, {"A": ("x y", True)}).text == "x y" + "b" * 2_000_000
    assert lex_words("a" * 2_000_000 + " b") == ["a" * 2_000_000, "b"]
    assert time.monotonic() - started < 5


def test_stages_that_each_inherit_the_last_stop_at_the_limit():
    from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
    from dockerstore_lint.inputs.dockerfile.stages import MAX_STAGES
    from dockerstore_lint.text.sources import Source

    # each stage inherits the content of the one before: 20,000 of them made 200 million entries
    text = "".join(f"FROM s{i} AS s{i + 1}\nCOPY --from=s{i} /a /b{i}\n" for i in range(20_000))
    started = time.monotonic()
    parsed = parse_dockerfile(Source(Path("/p/Dockerfile"), "Dockerfile", text))
    assert time.monotonic() - started < 5
    assert len(parsed.stages) == MAX_STAGES
    last = parsed.stages[-1]
    assert last.parent == MAX_STAGES - 2 and len(last.content) == MAX_STAGES
    assert [(p.message, p.span.line) for p in parsed.problems] == [
        (f"more than {MAX_STAGES} build stages: the rest of the file is not analysed", 2 * MAX_STAGES + 1)]


def test_gitignore_patterns_that_backtrack_or_do_not_compile(tmp_path):
    from dockerstore_lint.gitignore import IgnoreRules

    (tmp_path / ".gitignore").write_text("*a*a*a*a*a*a*a*a*a*a*a*a*b\n[]\n[z-a]\n**/**/**/**/**/**/**/z\nkeep*[0-9]\n",
                                         encoding="utf-8")
    rules = IgnoreRules(tmp_path).child(tmp_path)
    started = time.monotonic()
    assert not rules.ignored(tmp_path.joinpath(*["a" * 200] * 20), True)
    assert rules.ignored(tmp_path / "x" / "y" / "z", False)
    assert rules.ignored(tmp_path / "keep7", False) and not rules.ignored(tmp_path / "keepx", False)
    assert time.monotonic() - started < 2


def test_a_symlinked_gitignore_is_not_read(tmp_path):
    from dockerstore_lint.gitignore import IgnoreRules

    (tmp_path / "elsewhere").write_text("*\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", tmp_path / ".gitignore")
    assert not IgnoreRules(tmp_path).child(tmp_path).ignored(tmp_path / "Dockerfile", False)


def test_a_command_of_megabytes_is_split_in_linear_time():
    from dockerstore_lint.inputs.compose.services import command_words

    started = time.monotonic()
    assert command_words("a" * 3_000_000 + " 'b c' \\\" d\\\"") == ["a" * 3_000_000, "b c", '"', 'd"']
    assert command_words("unterminated 'quote") is None
    assert time.monotonic() - started < 5  # shlex took minutes


@pytest.mark.parametrize("written", ["./" + "x" * 5000, "./a\0b", "./" + "d/" * 3000])
def test_bind_sources_the_file_system_refuses_are_unknown(written, tmp_path):
    from dockerstore_lint.inputs.compose.mounts import MountReader
    from dockerstore_lint.model.span import Span
    from dockerstore_lint.text.yaml_nodes import YScalar

    # was: OSError (file name too long) or ValueError (embedded NUL) out of Path.exists()
    mount = MountReader(tmp_path, "linux").volume(YScalar(f"{written}:/x", Span.point("c.yaml", 1), tmp_path))
    assert mount.kind == "bind" and mount.host.exists is not True


@pytest.mark.parametrize("reference", ["a\0b.yaml", "x" * 5000 + ".yaml", "../" * 2000 + "etc/passwd"])
def test_references_the_file_system_refuses_are_reported_not_raised(reference, tmp_path):
    from tests.linting import lint_paths

    quoted = json.dumps(reference)  # a YAML double-quoted string: `\0` is a NUL
    _write(tmp_path / "compose.yaml", f"include: [{quoted}]\nservices:\n  a:\n    extends: {{file: {quoted}, "
                                      f"service: b}}\n    env_file: [{quoted}]\n    build: {{context: {quoted}}}\n")
    findings, _ = lint_paths([tmp_path], tmp_path)
    assert {f.code for f in findings if f.span.file == "compose.yaml"} <= {"DSL001", "DSL004", "DSL202"}
    reported = {f.span.line for f in findings if f.code in ("DSL001", "DSL004")}
    assert {1, 4} <= reported  # the include and the extends; a missing env_file may be optional


def test_a_chain_of_extends_is_looked_up_through_an_index(tmp_path):
    from tests.linting import lint_paths

    services = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(3000))
    _write(tmp_path / "compose.yaml", "services:\n" + services + "  s3000:\n    image: busybox\n")
    started = time.monotonic()
    findings, _ = lint_paths([tmp_path], tmp_path, select=["DSL001"])
    assert time.monotonic() - started < 10  # a scan of the services for each link took minutes
    # each service whose chain is longer than the limit is reported once, at its own `extends`
    assert len(findings) == 3000 - 32


def test_an_override_file_symlinked_out_of_the_root_is_not_merged(tmp_path):
    from tests.linting import lint_paths

    root = tmp_path / "root"
    _write(tmp_path / "outside.yml", f"services:\n  app:\n    image: {MARKER}\n")
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n")
    os.symlink(tmp_path / "outside.yml", root / "compose.override.yml")
    findings, loader = lint_paths([root / "compose.yaml"], root)
    assert [(f.code, f.message, f.span.line) for f in findings if f.code == "DSL004"] == [
        ("DSL004", "not followed: override file compose.override.yml is outside the scanned root", 1)]
    assert loader.files_seen() == 1


def test_a_keyword_that_grows_when_upper_cased_is_pointed_at_as_written():
    from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
    from dockerstore_lint.text.sources import Source

    # `ßß` upper-cased is `SSSS`: the span ran two columns past the end of the line
    parsed = parse_dockerfile(Source(Path("/p/Dockerfile"), "Dockerfile", "ßß"))
    assert [(p.span.line, p.span.column, p.span.end_line, p.span.end_column) for p in parsed.problems
            if p.span.column == 1 and p.span.end_column > 2] == [(1, 1, 1, 3)]


@pytest.mark.parametrize("text", ["-", "services: {}\n&a ", "a: [", "a: 'x"])
def test_yaml_positions_stay_inside_a_file_without_a_final_newline(text):
    from dockerstore_lint.text.yaml_nodes import load_yaml

    # the reader's end marks pointed at a line after the last one
    loaded = load_yaml(text, "c.yaml", Path("/p"))
    spans = [p.span for p in loaded.problems] + [d.span for d in loaded.documents]
    assert spans and all(span.end_line <= text.count("\n") + 1 for span in spans)


def _alias_bomb_value() -> str:
    levels = ["&a0 [DSL1, DSL1, DSL1, DSL1, DSL1, DSL1, DSL1, DSL1, DSL1]"]
    levels += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "[" + ", ".join(levels) + "]"


HOSTILE_CONFIGS = {
    "yaml-50000-deep": (".dockerstore-lint.yaml", "select: " + "[" * 50_000 + "]" * 50_000 + "\n", "nesting depth"),
    "yaml-alias-bomb": (".dockerstore-lint.yaml", f"select: {_alias_bomb_value()}\n", "expands to more than"),
    "yaml-binary": (".dockerstore-lint.yaml", "select: [DSL1]\n\0", "NUL"),
    "toml-50000-deep": ("pyproject.toml", "[tool.dockerstore-lint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n",
                        "nested too deep"),
    "toml-tool-not-a-table": ("pyproject.toml", "tool = 1\n# [tool.dockerstore-lint]\n", None),
    "size-beyond-memory": ("pyproject.toml", "[tool.dockerstore-lint]\nmax-file-size = \"99999999999999999999GB\"\n",
                           "is more than 1 TB"),
    "size-large-but-allowed": ("pyproject.toml", "[tool.dockerstore-lint]\nmax-file-size = \"900GB\"\n", None),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_CONFIGS))
def test_a_hostile_configuration_is_a_usage_error_never_a_crash(name, tmp_path):
    file, text, error = HOSTILE_CONFIGS[name]
    add_control(tmp_path)
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    _write(tmp_path / file, text)
    run = run_cli(["--format", "json", "."], tmp_path)
    assert not run.timed_out and "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    if error is None:
        assert run.status == 0 and found(json.loads(run.stdout)["findings"], *CONTROL[:2], line=CONTROL[2])
    else:
        assert run.status == 2 and error in run.stderr.splitlines()[-1], run.stderr


@pytest.mark.parametrize("text", ["a: " + "[" * 50_000 + "]" * 50_000, "a:\n  " + "- " * 50_000 + "x",
                                  "\n".join(["a0: &a0 [l, l, l, l, l, l, l, l, l]"] + [
                                      f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)])])
def test_the_pure_python_yaml_reader_is_bounded_too(text):
    import yaml

    from dockerstore_lint.text.yaml_nodes import load_yaml

    # where libyaml is missing, PyYAML's own reader has no nesting limit: its recursion is caught
    started = time.monotonic()
    loaded = load_yaml(text, "c.yaml", Path("/p"), yaml.SafeLoader)
    assert time.monotonic() - started < 10
    assert [p.code for p in loaded.problems] == ["DSL001"] and loaded.documents == []


def test_an_internal_error_is_one_short_line_whatever_its_message(tmp_path):
    # a bug whose exception quotes megabytes of input over several lines still reports in one short line
    add_control(tmp_path)
    code = ("import sys; from dockerstore_lint import cli, engine\n"
            "def broken(*_, **__): raise ValueError('first line ' + 'x' * 5_000_000 + '\\nsecond line')\n"
            "engine.lint = broken\n"
            "sys.argv = ['dockerstore-lint', 'control']\n"
            "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          preexec_fn=_limits(False))
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and len(done.stderr) < 400
    assert done.stderr.startswith("dockerstore-lint: internal error: ValueError: first line xxx")
    assert "please report it at https://" in done.stderr


def test_patterns_with_thousands_of_stars_are_left_alone():
    from dockerstore_lint.gitignore import _compile
    from dockerstore_lint.inputs.dockerfile.words import expand
    from dockerstore_lint.wildcards import MAX_STARS

    # each `*` costs a compiled regex: 50,000 of them took seconds for every use
    many = "".join(f"*a{i}" for i in range(50_000))
    started = time.monotonic()
    assert expand("${X##" + many + "}", {"X": ("abc", True)}) == ("${X##" + many + "}", False, None)
    assert _compile(many) is None
    assert time.monotonic() - started < 1
    allowed = "*a" * MAX_STARS
    assert expand("${X##" + allowed + "}", {"X": ("a" * MAX_STARS + "b", True)}).text == "b"
    assert _compile(allowed) is not None
