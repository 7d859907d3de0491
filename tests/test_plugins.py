"""Third-party rules and input kinds, installed as entry points, are found and run like built-in ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).parent / "plugins"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A folder on the path that looks like site-packages holding one distribution with both entry points."""
    site = tmp_path / "site"
    (site / "toy_plugins-1.0.dist-info").mkdir(parents=True)
    (site / "toy_plugins-1.0.dist-info" / "entry_points.txt").write_text(
        "[console_scripts]\ntoy = toy_input:main\n\n"
        "[dockerstore_lint.inputs]\ntoy = toy_input:ToyKind\n\n"
        "[dockerstore_lint.rules]\nTOY001 = toy_rule:NoLatestTag\n")
    for name in ("toy_input.py", "toy_rule.py"):
        (site / name).write_text((PLUGINS / name).read_text())
    return site


def lint(site: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "dockerstore_lint", *args], cwd=project, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


def test_an_installed_input_kind_feeds_the_built_in_rules(installed, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "stack.toy").write_text("postgres:16 /var/lib/postgresql/data\nnginx:1.27 /var/run/docker.sock:/s\n")
    done = lint(installed, project, "--format", "json", ".")
    findings = [(f["code"], f["line"], f["column"]) for f in json.loads(done.stdout)["findings"]]
    assert ("DSL102", 1, 13) in findings  # an anonymous volume, judged by the built-in rule
    assert ("DSL701", 2, 12) in findings  # the Docker socket
    assert done.returncode == 1, done.stderr


def test_an_installed_rule_runs_and_is_documented(installed, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "compose.yaml").write_text("services:\n  web:\n    image: nginx:latest\n")
    done = lint(installed, project, "--format", "json", "--select", "TOY", ".")
    assert [(f["code"], f["line"]) for f in json.loads(done.stdout)["findings"]] == [("TOY001", 3)]
    listed = lint(installed, project, "rules")
    assert "TOY001  no-latest-tag" in listed.stdout


def test_without_the_distribution_nothing_changes(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "stack.toy").write_text("postgres:16 /var/lib/postgresql/data\n")
    done = lint(tmp_path, project, "--format", "json", ".")
    assert json.loads(done.stdout)["findings"] == []
