"""Hostile input for the command sources: arbitrary text through every reader (hypothesis), and huge,
deep and unterminated files read in a child process under a 2 GB address-space limit and a timeout,
as tests/test_hostile_inputs.py runs the command line. The readers are not in the command line yet,
so they are called directly: no exception, a result of the right shape, positions inside the file.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint.inputs import (
    devcontainer,
    github_actions,
    gitlab_ci,
    makefile,
    markdown,
    powershell_script,
    shell_script,
)
from dockerstore_lint.text.sources import Source

ADDRESS_SPACE = 2 * 1024 ** 3
TIMEOUT = 60
ROOT = Path(__file__).resolve().parents[1]

# the characters that matter to the languages read, some Unicode, and control characters
_TEXT = st.text(alphabet=st.sampled_from(list("dockerun -v:/\\$`'\"(){}[]<>|&;#=*?~@,.%^!\n\t\r")
                                         + ["é", "\u2028", "\x00", "\x0b", "😀", "\ue000", "\U000f0001"]),
                max_size=300)
_FILES = {
    "run.sh": lambda text: shell_script.read_shell_script(_source("run.sh", "docker run " + text)),
    "Makefile": lambda text: makefile.read_makefile(_source("Makefile", "X = " + text + "\nt:\n\tdocker run " + text)),
    "run.ps1": lambda text: powershell_script.read_powershell_script(_source("run.ps1", "docker run " + text)),
    "README.md": lambda text: markdown.read_markdown(_source("README.md", "```sh\ndocker run " + text)),
    ".github/workflows/ci.yml": lambda text: github_actions.read_workflow(_source(
        ".github/workflows/ci.yml", "jobs:\n  a:\n    services:\n      s:\n        options: " + text
        + "\n    steps:\n      - run: |\n          docker run " + text.replace("\n", "\n          "))),
    ".gitlab-ci.yml": lambda text: gitlab_ci.read_gitlab_ci(_source(".gitlab-ci.yml", "j:\n  script: docker " + text)),
    ".devcontainer/devcontainer.json": lambda text: devcontainer.read_devcontainer(_source(
        ".devcontainer/devcontainer.json", '{"runArgs": ["' + text + '"], "mounts": [' + text)),
}


def _source(name: str, text: str) -> Source:
    return Source(Path("/repo") / name, name, text)


@pytest.mark.parametrize("name", sorted(_FILES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT)
def test_arbitrary_text_gives_commands_or_problems_never_an_exception(name, text):
    result = _FILES[name](text)
    lines = max(text.count("\n"), 1) * 4 + 12  # every reader wraps the text in a few lines of its own
    for command in getattr(result, "commands", ()):
        assert command.words and command.words[0].value
        for word in command.words:
            assert 1 <= word.span.line <= word.span.end_line <= lines
            assert word.span.column >= 1 and word.span.end_column >= 1
    for problem in result.problems:
        assert problem.code == "DSL001" and problem.span.line >= 1


# Each case builds its text in the child, reads it, and prints one JSON line. Sizes: a 10 MB Markdown
# file of many small fences, one of 5 MB in one fence (the command line refuses larger files), a 2 MB
# script; deep nesting of every kind, unterminated quotes, heredocs and fences, Make variables that
# double at each step, a JSON file nested 100,000 deep, `{` before 4-byte characters.
_CASES = r"""
import json, sys, time, resource
from pathlib import Path
from dockerstore_lint.text.sources import Source
from dockerstore_lint.inputs import devcontainer, github_actions, gitlab_ci, makefile, markdown
from dockerstore_lint.inputs import powershell_script, shell_script

def source(name, text):
    return Source(Path("/repo") / name, name, text)

CASES = {
    "markdown-one-fence-5mb": (markdown.read_markdown, "README.md",
                               lambda: "```bash\n" + "docker run -v a:/b img\n" * 220_000 + "```\n"),
    "markdown-many-fences-10mb": (markdown.read_markdown, "README.md",
                                  lambda: "```bash\ndocker run -v a:/b img\n```\ntext\n" * 250_000),
    "markdown-unterminated-everything": (markdown.read_markdown, "README.md",
                                         lambda: "<!--\n" + "```sh\ndocker run 'x\n~~~\n" * 50_000),
    "script-2mb": (shell_script.read_shell_script, "run.sh",
                   lambda: "X=/a\n" + "docker run -v $X:/y img\n" * 80_000),
    "script-deep-substitutions": (shell_script.read_shell_script, "run.sh",
                                  lambda: "docker run " + "$(" * 100_000 + "x" + ")" * 100_000 + "\n"),
    "script-deep-ifs": (shell_script.read_shell_script, "run.sh",
                        lambda: "if x; then\n" * 30_000 + "docker run -v $X:/x img\n" + "fi\n" * 30_000),
    "script-deep-and-list": (shell_script.read_shell_script, "run.sh",
                             lambda: " && ".join(["docker run -v $X:/x img"] * 20_000) + "\n"),
    "script-variable-chain": (shell_script.read_shell_script, "run.sh",
                              lambda: "".join(f"V{i}=$V{i - 1}/x\n" for i in range(1, 50_000))
                              + "docker run -v $V49999:/x img\n"),
    "script-unterminated-quote-and-heredoc": (shell_script.read_shell_script, "run.sh",
                                              lambda: "cat <<EOF\n" + "docker run \"$(" * 100_000),
    "script-brace-astral": (shell_script.read_shell_script, "run.sh",
                            lambda: "docker run -v /😀:/x img\n{\U00031860 {😀 ${\U000f0001}\n" * 1000),
    "powershell-brace-astral": (powershell_script.read_powershell_script, "run.ps1",
                                lambda: "docker run -v /😀:/x img\n{\U00031860 {😀 ${\U000f0001}\n" * 1000),
    "script-binary-looking": (shell_script.read_shell_script, "run.sh",
                              lambda: "docker " + "".join(chr(i % 250 + 1) for i in range(2_000_000))),
    "makefile-doubling-variables": (makefile.read_makefile, "Makefile",
                                    lambda: "".join(f"A{i} = $(A{i - 1})$(A{i - 1})\n" for i in range(1, 60))
                                    + "A0 = docker run -v x:/y img ;\nB = $(B)\nt:\n\t$(A59) $(B)\n"),
    "makefile-100k-recipe-lines": (makefile.read_makefile, "Makefile",
                                   lambda: "t:\n" + "\tdocker run -v $(CURDIR):/x img\n" * 100_000),
    "powershell-deep-parentheses": (powershell_script.read_powershell_script, "run.ps1",
                                    lambda: "docker run " + "(" * 100_000 + "\n"),
    "powershell-nested-commands": (powershell_script.read_powershell_script, "run.ps1",
                                   lambda: "docker run $(" * 30_000 + "x" + ")" * 30_000 + "\n"),
    "workflow-10k-steps": (github_actions.read_workflow, ".github/workflows/ci.yml",
                           lambda: "jobs:\n  a:\n    steps:\n"
                           + "      - run: docker run -v ${{ github.workspace }}:/w img\n" * 12_000),
    "gitlab-12k-jobs": (gitlab_ci.read_gitlab_ci, ".gitlab-ci.yml",
                        lambda: "".join(f"j{i}:\n  script: docker run -v $CI_PROJECT_DIR:/w img\n"
                                        for i in range(12_000))),
    "devcontainer-deep": (devcontainer.read_devcontainer, ".devcontainer/devcontainer.json",
                          lambda: '{"mounts": ' + "[" * 100_000),
    "devcontainer-huge-string": (devcontainer.read_devcontainer, ".devcontainer/devcontainer.json",
                                 lambda: '{"runArgs": ["' + "\\n\\u00e9" * 200_000 + '"], "image": "x"}'),
}
for name in sys.argv[1:]:
    reader, file, make = CASES[name]
    started = time.monotonic()
    result = reader(source(file, make()))
    commands = getattr(result, "commands", ())
    print(json.dumps({"case": name, "commands": len(commands), "problems": [p.code for p in result.problems],
                      "seconds": round(time.monotonic() - started, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}), flush=True)
"""

_EXPECTED = {  # commands found, problem codes
    "markdown-one-fence-5mb": (10_000, ["DSL001"]),
    "markdown-many-fences-10mb": (10_000, ["DSL001"]),
    "markdown-unterminated-everything": (0, []),
    "script-2mb": (10_000, ["DSL001"]),
    "script-deep-substitutions": (0, []),  # nested too deep to read
    "script-deep-ifs": (0, []),  # nested too deep to judge: not read
    "script-deep-and-list": (None, []),
    "script-variable-chain": (1, []),
    "script-unterminated-quote-and-heredoc": (0, []),
    "script-brace-astral": (None, []),  # tree-sitter-bash 0.25.1 crashes on `{` + U+31860 unless guarded
    "powershell-brace-astral": (None, []),
    "script-binary-looking": (None, None),
    "makefile-doubling-variables": (None, []),
    "makefile-100k-recipe-lines": (10_000, ["DSL001"]),
    "powershell-deep-parentheses": (0, []),
    "powershell-nested-commands": (0, []),
    "workflow-10k-steps": (10_000, ["DSL001"]),
    "gitlab-12k-jobs": (10_000, ["DSL001"]),
    "devcontainer-deep": (0, ["DSL001"]),
    "devcontainer-huge-string": (0, []),
}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.fixture(scope="module")
def hostile_runs() -> dict[str, dict]:
    """Every case in one limited child process (its interpreter and grammars start once)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.run([sys.executable, "-c", _CASES, *_EXPECTED], cwd=ROOT, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, preexec_fn=_limits, timeout=TIMEOUT * 3, check=False,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    assert process.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
    runs = {}
    for line in stdout.splitlines():
        run = json.loads(line)
        runs[run["case"]] = run
    report = os.environ.get("DOCKERSTORE_LINT_HOSTILE_REPORT")
    if report:
        with open(report, "a", encoding="utf-8") as handle:
            handle.writelines(json.dumps(run) + "\n" for run in runs.values())
    return runs


@pytest.mark.parametrize("case", sorted(_EXPECTED))
def test_hostile_file_is_read_within_bounds(case, hostile_runs):
    run = hostile_runs[case]
    commands, problems = _EXPECTED[case]
    if commands is not None:
        assert run["commands"] == commands
    if problems is not None:
        assert run["problems"] == problems
