"""Heavy libraries are imported only where they are used, so an editor's on-save check stays fast.

Checked on `sys.modules` in a fresh interpreter, not on timings, which are flaky on shared CI.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("sarif_om", "jsonschema", "libcst", "attr", "yaml")

_PROBE = """
import json, sys
sys.argv = ["dockerstore-lint", *sys.argv[1:]]
from dockerstore_lint.cli import main
try:
    main()
except SystemExit as exit_:
    status = exit_.code
print(json.dumps({"status": status, "loaded": sorted(sys.modules)}))
"""


def lint_in_fresh_interpreter(tmp_path, args: list[str]) -> set[str]:
    """The top-level packages loaded by a run that must end normally (status 0 or 1)."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=tmp_path, check=False, capture_output=True,
                          text=True, timeout=60)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["status"] in (0, 1), done.stderr
    return {name.split(".")[0] for name in report["loaded"]}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM postgres:16\nVOLUME /var/lib/postgresql/data\nUSER postgres\n")
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    build: .\n    volumes:\n      - /data\n")
    return tmp_path


def test_text_output_on_one_dockerfile_imports_nothing_heavy(tmp_path):
    # no Compose project builds it, so not even YAML is needed (with one, its compose file is read too)
    (tmp_path / "Dockerfile").write_text("FROM postgres:16\nVOLUME /var/lib/postgresql/data\nUSER postgres\n")
    loaded = lint_in_fresh_interpreter(tmp_path, ["Dockerfile"])
    assert "dockerstore_lint" in loaded
    assert sorted(loaded & set(HEAVY)) == []
    assert "click" not in loaded, "a lint without options is not parsed by click"


def test_the_probe_sees_what_sarif_and_compose_import(project):
    """The same probe does see the libraries when they are needed: the check above can fail."""
    loaded = lint_in_fresh_interpreter(project, ["--format", "sarif", "compose.yaml"])
    assert {"sarif_om", "attr", "yaml"} <= loaded
    assert not loaded & {"jsonschema", "libcst", "click"}, "a lint with options is not parsed by click either"
