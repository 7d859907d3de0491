#!/usr/bin/env python3
"""What reading Python files for containers costs: a generated tree of Python files that mention docker.

    python benchmarks/python_sources.py                  # 1,000 files, 3 runs, about a minute on 2 cores
    python benchmarks/python_sources.py --files 200 --runs 1

Each run is a fresh interpreter that reads every file of the tree as the linter would: the bytes, the first
look (`might_start_containers`), then `read_python` (the pre-scan, libcst, the recognisers). It prints
one Markdown table: libcst's import on its own, the whole run, the cost per file, peak memory; and a
check that reading every `*.py` of the shared corpora does not import libcst. The tree mixes, as real
repositories do, pytest files with testcontainers, ops scripts with the Docker SDK, and files that only
mention docker (a comment, a docstring, a `subprocess` call), which the first look turns away.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
CORPORA = [REPOSITORY.parent / "shared" / "corpus", REPOSITORY.parent / "shared" / "corpus-rw"]

TESTCONTAINERS = '''\
"""Integration tests for the {name} repository, against a real database."""
import os
from pathlib import Path

import pytest
from testcontainers.postgres import PostgresContainer
from testcontainers.redis import RedisContainer

HERE = Path(__file__).parent
SEED = HERE / "seed_{n}"


@pytest.fixture(scope="session")
def database():
    postgres = PostgresContainer("postgres:{version}").with_volume_mapping(SEED, "/docker-entrypoint-initdb.d")
    postgres.with_env("POSTGRES_DB", "{name}")
    with postgres as started:
        yield started.get_connection_url()


@pytest.fixture
def cache():
    with RedisContainer().with_volume_mapping("/tmp/redis-{n}", "/data", "rw") as redis:
        yield redis


def test_{name}_roundtrip(database, cache):
    rows = [(i, f"row {{i}}") for i in range({n})]
    assert len(rows) == {n}
    assert database.startswith("postgresql")
'''

SDK = '''\
#!/usr/bin/env python3
"""Start the {name} stack on the build host."""
import argparse
import logging
import os

import docker
from docker.types import Mount

log = logging.getLogger("{name}")
DATA = "/srv/{name}"


def start(client: docker.DockerClient, tag: str):
    client.volumes.create("{name}-data", driver="local", driver_opts={{"type": "nfs", "o": "addr=10.0.0.{n}"}})
    return client.containers.run(
        f"registry.example.com/{name}:{{tag}}",
        detach=True,
        name="{name}",
        user="1000",
        volumes={{
            f"{{DATA}}/uploads": {{"bind": "/app/uploads", "mode": "rw"}},
            os.path.join(os.getcwd(), "config"): {{"bind": "/app/config", "mode": "ro"}},
        }},
        mounts=[Mount("/var/lib/{name}", "{name}-data"), Mount("/tmp", None, type="tmpfs")],
        environment={{"LOG_LEVEL": "info", "WORKERS": "{n}"}},
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tag", default="latest")
    arguments = parser.parse_args()
    client = docker.from_env()
    container = start(client, arguments.tag)
    log.info("started %s", container.id)


if __name__ == "__main__":
    main()
'''

MENTION = '''\
"""Helpers for the {name} build: wraps `docker build` and `docker push`."""
import shlex
import subprocess

# docker must be on PATH; see docs/docker.md
IMAGE = "registry.example.com/{name}"


def build(tag: str) -> None:
    command = ["docker", "build", "-t", f"{{IMAGE}}:{{tag}}", "."]
    print("running", shlex.join(command))
    subprocess.run(command, check=True)


def push(tag: str) -> None:
    subprocess.run(["docker", "push", f"{{IMAGE}}:{{tag}}"], check=True)


def versions(count: int = {n}) -> list:
    return [f"1.{{minor}}.0" for minor in range(count)]
'''

_READER = r"""
import json, os, resource, sys, time
started = time.perf_counter()
from pathlib import Path
from dockerstore_lint.inputs.python import might_start_containers, read_python
files = [Path(line) for line in open(sys.argv[1], encoding="utf-8").read().splitlines()]
containers = volumes = read = skipped = 0
for path in files:
    data = path.read_bytes()
    if not might_start_containers(data):
        continue
    result = read_python(data.decode("utf-8"), path.name, path.parent)
    read += 1
    skipped += bool(result.skipped)
    containers += len(result.containers)
    volumes += len(result.volumes)
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(files), "read": read, "skipped": skipped,
                  "containers": containers, "volumes": volumes, "libcst": "libcst" in sys.modules,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_IMPORT = "import time; t = time.perf_counter(); import libcst; print(time.perf_counter() - t)"


def generate(root: Path, count: int, seed: int = 1) -> list[Path]:
    """`count` files, in folders of 20: half tests with testcontainers, a quarter SDK scripts, a quarter that
    only mention docker."""
    chooser = random.Random(seed)
    files = []
    for index in range(count):
        folder = root / f"project{index // 20:03d}" / ("tests" if index % 4 < 2 else "scripts")
        folder.mkdir(parents=True, exist_ok=True)
        template = (TESTCONTAINERS, TESTCONTAINERS, SDK, MENTION)[index % 4]
        name = f"service{index}"
        text = template.format(name=name, n=chooser.randint(1, 250), version=chooser.choice(["15", "16", "17", "18"]))
        path = folder / f"{'test_' if template is TESTCONTAINERS else ''}{name}.py"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def run_python(code: str, *arguments: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    done = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True,
                          env=environment, cwd=REPOSITORY)
    return done.stdout.strip().splitlines()[-1]


def read_all(files: list[Path], scratch: Path) -> dict:
    listing = scratch / "files.txt"
    listing.write_text("\n".join(str(path) for path in files), encoding="utf-8")
    return json.loads(run_python(_READER, str(listing)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="python-sources-") as scratch_name:
        scratch = Path(scratch_name)
        files = generate(scratch / "tree", options.files)
        imports = sorted(float(run_python(_IMPORT)) for _ in range(max(options.runs, 3)))
        runs = [read_all(files, scratch) for _ in range(options.runs)]
        corpus_files = sorted({path.resolve() for corpus in CORPORA if corpus.is_dir()
                               for path in corpus.rglob("*.py")})
        corpus = read_all(corpus_files, scratch) if corpus_files else None
    seconds = statistics.median(run["seconds"] for run in runs)
    last = runs[-1]
    per_file = (seconds - statistics.median(imports)) / max(last["read"], 1) * 1000
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average before: "
          f"{' '.join(f'{value:.1f}' for value in load)}\n")
    print("| measure | value |\n|---|---|")
    print(f"| `import libcst` in a fresh interpreter (median of {len(imports)}) | "
          f"{statistics.median(imports) * 1000:.0f} ms |")
    print(f"| files in the tree | {last['files']:,} ({last['read']:,} past the first look, "
          f"{last['skipped']} skipped) |")
    print(f"| found | {last['containers']:,} containers, {last['volumes']:,} named volumes |")
    print(f"| reading the tree, fresh interpreter (median of {len(runs)}) | {seconds:.2f} s "
          f"(min {min(run['seconds'] for run in runs):.2f} s) |")
    print(f"| per file read with libcst, import excluded | {per_file:.1f} ms |")
    print(f"| peak memory | {max(run['peak_mb'] for run in runs):.0f} MB |")
    if corpus is None:
        print("| the shared corpora | not available |")
    else:
        print(f"| the shared corpora: {corpus['files']} `*.py`, {corpus['read']} past the first look | "
              f"libcst {'imported' if corpus['libcst'] else 'not imported'}, {corpus['seconds'] * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
