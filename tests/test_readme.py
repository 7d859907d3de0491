"""The README tells the truth: its quick start is what CI runs, and its demo output is the real output."""

from __future__ import annotations

import re
from pathlib import Path

from tests.linting import lint_paths, text_lines

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "fixtures/demo" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_demo_output_in_readme_is_what_the_linter_prints():
    block = README.split("$ dockerstore-lint fixtures/demo\n", 1)[1].split("```", 1)[0]
    findings, loader = lint_paths([ROOT / "fixtures" / "demo"], cwd=ROOT)
    assert block.splitlines() == text_lines(findings, loader)
