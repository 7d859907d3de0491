#!/usr/bin/env python3
"""The worst cases of size and shape, timed: each must lint in under 10 s within a 2 GB address space.

The cases are those of `tests/bombs.py` (the hostile test harness lints the same ones): variables
that double in a `.env`, an `env_file` and a Compose file, include and extends graphs of diamonds, a
RUN continued over 800,000 lines, VOLUME with 20,000 paths before 2,000 RUNs, `.gitignore` files
with thousands of patterns over thousands of directories, and 20,000 configuration globs. Each is
written once into a scratch directory, then linted `--runs` times by the `dockerstore-lint` next to
this Python (JSON report to a file), under RLIMIT_AS = 2 GB; the table has the median wall time, the
peak RSS of the slowest run, the exit status and the findings of the last run by code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from tests.bombs import BOMBS  # noqa: E402 - the cases live with the tests that check their findings

ADDRESS_SPACE = 2 * 1024 ** 3
TARGET_SECONDS = 10.0
# the case that needs a configuration file named: the search starts from the current directory
EXTRA_ARGUMENTS = {"config-20k-globs-300-dockerfiles": ["--config", ".dockerstore-lint.yaml"]}


class Outcome(NamedTuple):
    seconds: float
    peak_mb: float
    status: int  # -9: killed at the time-out
    findings: Counter


def lint(tool: Path, project: Path, report: Path, timeout: float, extra: list[str]) -> Outcome:
    """One lint of `project`, limited in address space and time; the peak RSS is the child's own (wait4)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    with open(report, "wb") as stdout:
        started = time.perf_counter()
        process = subprocess.Popen([str(tool), "--format", "json", "--exit-zero", *extra, "."], cwd=project,
                                   stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.DEVNULL,
                                   preexec_fn=limit)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    findings: Counter = Counter()
    if code == 0:
        findings.update(finding["code"] for finding in json.loads(report.read_text())["findings"])
    return Outcome(seconds, usage.ru_maxrss / 1024, code, findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="lints per case; the median is shown (default 3)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a lint is killed (default 120)")
    parser.add_argument("--case", action="append", choices=sorted(BOMBS), help="only this case (repeatable)")
    arguments = parser.parse_args()
    tool = Path(sys.executable).parent / "dockerstore-lint"
    if not os.access(tool, os.X_OK):
        sys.exit(f"no dockerstore-lint next to {sys.executable}: install the project in this environment")
    rows = ["| case | median (s) | peak RSS (MB) | exit | findings | verdict |", "|---|---:|---:|---:|---|---|"]
    load = os.getloadavg()[0]
    for name in arguments.case or list(BOMBS):
        with tempfile.TemporaryDirectory(prefix="dockerstore-hostile-") as scratch:
            project = Path(scratch) / "project"
            project.mkdir()
            BOMBS[name](project)
            outcomes = [lint(tool, project, Path(scratch) / "report.json", arguments.timeout,
                             EXTRA_ARGUMENTS.get(name, [])) for _ in range(arguments.runs)]
        median = statistics.median(outcome.seconds for outcome in outcomes)
        last = outcomes[-1]
        failed = [outcome.status for outcome in outcomes if outcome.status != 0]
        verdict = "PASS" if not failed and median < TARGET_SECONDS else \
            "FAIL (killed at the time-out)" if -9 in failed else f"FAIL (exit {failed[0]})" if failed else "FAIL"
        findings = ", ".join(f"{count} {code}" for code, count in sorted(last.findings.items()))
        rows.append(f"| {name} | {median:.1f} | {max(o.peak_mb for o in outcomes):.0f} | {last.status} "
                    f"| {findings} | **{verdict}** |")
        print(rows[-1], file=sys.stderr, flush=True)
    print(f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, load average {load:.1f} before "
          f"and {os.getloadavg()[0]:.1f} after, Python {platform.python_version()}; {arguments.runs} runs per case, "
          f"RLIMIT_AS {ADDRESS_SPACE // 1024 ** 3} GB, target {TARGET_SECONDS:.0f} s.\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
