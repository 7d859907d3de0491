"""The composite GitHub Action in action.yml: its interface, and its steps run here as a runner runs them.

The steps are run with bash the way GitHub runs `shell: bash` (`bash --noprofile --norc -eo pipefail`),
with the `${{ }}` expressions of their `env:` evaluated for the inputs given and RUNNER_TEMP and
GITHUB_OUTPUT pointing into a temporary directory. The install step really creates a virtualenv and
pip-installs this repository (the build backend and dependencies come from PyPI): about 10 s, once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def action() -> dict:
    return yaml.safe_load((REPOSITORY / "action.yml").read_text(encoding="utf-8"))


def test_inputs_and_outputs():
    definition = action()
    assert definition["runs"]["using"] == "composite"
    assert {name: spec["default"] for name, spec in definition["inputs"].items()} == {
        "paths": ".", "fail-level": "warning", "output": "dockerstore-lint.sarif"}
    assert all(spec["description"] for spec in definition["inputs"].values())
    assert {name: spec["value"] for name, spec in definition["outputs"].items()} == {
        "sarif": "${{ steps.lint.outputs.sarif }}", "exit-code": "${{ steps.lint.outputs.exit-code }}"}


def test_inputs_never_reach_a_script_as_text():
    """Expressions in `run:` would paste input text into the script (script injection)."""
    for step in action()["runs"]["steps"]:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]


class Runner:
    """Runs the action's steps on this machine."""

    def __init__(self, temp: Path):
        self.temp = temp / "runner-temp"
        self.temp.mkdir()

    def step(self, step: dict, inputs: dict[str, str], workspace: Path) -> tuple[int, dict[str, str]]:
        output = workspace.parent / f"output-{step.get('id', 'step')}"
        output.write_text("")
        context = {"github.action_path": str(REPOSITORY),
                   **{f"inputs.{name}": value for name, value in inputs.items()}}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
        env.update({name: EXPRESSION.sub(lambda m: context[m.group(1)], str(value))
                    for name, value in step.get("env", {}).items()})
        env.update({"RUNNER_TEMP": str(self.temp), "GITHUB_OUTPUT": str(output)})
        script = workspace.parent / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], check=False,
                              cwd=workspace, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        return done.returncode, outputs


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """A runner on which the install step has run."""
    runner = Runner(tmp_path_factory.mktemp("runner"))
    install = next(step for step in action()["runs"]["steps"] if step["name"].startswith("Install"))
    workspace = tmp_path_factory.mktemp("install") / "workspace"
    workspace.mkdir()
    status, _ = runner.step(install, {}, workspace)
    assert status == 0
    return runner


def lint(runner: Runner, workspace: Path, **inputs: str) -> tuple[int, dict[str, str]]:
    definition = action()
    given = {name: spec["default"] for name, spec in definition["inputs"].items()}
    given.update({name.replace("_", "-"): value for name, value in inputs.items()})
    [step] = [step for step in definition["runs"]["steps"] if step.get("id") == "lint"]
    return runner.step(step, given, workspace)


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "workspace"
    (root / "app").mkdir(parents=True)
    # a note (DSL101) and a warning (DSL105)
    (root / "app" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65532\nVOLUME /data\nRUN mkdir -p /data/cache\n")
    (root / "docs").mkdir()
    return root


def results(sarif: Path) -> list[tuple[str, str]]:
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in run["results"]]


def test_findings_fail_the_step_and_the_sarif_is_written(runner, workspace):
    status, outputs = lint(runner, workspace)
    assert (status, outputs) == (1, {"sarif": "dockerstore-lint.sarif", "exit-code": "1"})
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL101", "app/Dockerfile"), ("DSL105", "app/Dockerfile")]


def test_inputs_choose_paths_fail_level_and_output(runner, workspace):
    status, outputs = lint(runner, workspace, paths="docs\n  app/Dockerfile", fail_level="error",
                           output="reports/lint.sarif")
    # a warning is below the error fail level; the report names the file it was given
    assert (status, outputs) == (0, {"sarif": "reports/lint.sarif", "exit-code": "0"})
    assert results(workspace / "reports" / "lint.sarif") == [("DSL101", "app/Dockerfile"), ("DSL105", "app/Dockerfile")]


def test_paths_are_not_globbed(runner, workspace):
    status, _ = lint(runner, workspace, paths="app/*")
    assert status == 1  # `app/*` does not exist: DSL001, an error
    assert [code for code, _ in results(workspace / "dockerstore-lint.sarif")] == ["DSL001"]
