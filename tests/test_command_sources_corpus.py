"""Every file of the real corpora that a command source claims: read with no exception, and the number
of container commands found stays at least what was measured when the readers were written."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from dockerstore_lint.inputs import (
    devcontainer,
    github_actions,
    gitlab_ci,
    makefile,
    markdown,
    powershell_script,
    shell_script,
)
from dockerstore_lint.text.sources import read_source
from tests.corpora import CORPUS, CORPUS_RW

CORPORA = (CORPUS, CORPUS_RW)

pytestmark = pytest.mark.skipif(not all(corpus.is_dir() for corpus in CORPORA), reason="the corpora are not available")


def _kind(path: Path, text: str):
    if shell_script.is_shell_script(path, text):
        return "shell", lambda source: shell_script.read_shell_script(source).commands
    if makefile.claims(path):
        return "makefile", lambda source: makefile.read_makefile(source).commands
    if powershell_script.claims(path):
        return "powershell", lambda source: powershell_script.read_powershell_script(source).commands
    if markdown.claims(path):
        return "markdown", lambda source: markdown.read_markdown(source).commands
    if github_actions.claims(path):
        return "github", lambda source: github_actions.read_workflow(source).commands
    if gitlab_ci.claims(path):
        return "gitlab", lambda source: gitlab_ci.read_gitlab_ci(source).commands
    if devcontainer.claims(path):
        return "devcontainer", lambda source: tuple(filter(None, (devcontainer.read_devcontainer(source).container,)))
    return None


@cache
def found() -> dict[str, Counter]:
    """Per corpus, per kind: files read, container commands, and `run`/`create` commands."""
    counts: dict[str, Counter] = {}
    for corpus in CORPORA:
        counter: Counter = Counter()
        for path in sorted(corpus.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            source, problem = read_source(path, str(path.relative_to(corpus)))
            if source is None:
                continue
            kind = _kind(path, source.text)
            if kind is None:
                continue
            name, read = kind
            commands = read(source)
            counter[f"{name} files"] += 1
            counter[f"{name} commands"] += len(commands)
            counter[f"{name} run"] += sum(1 for command in commands if _starts_container(command))
        counts[corpus.name] = counter
    return counts


def _starts_container(command) -> bool:
    values = [word.value for word in getattr(command, "words", ())]
    return values[1:2] in (["run"], ["create"]) or values[1:3] in (["container", "run"], ["container", "create"])


# measured when the readers were written ("run" counts `run`/`create` commands; the corpora hold no
# PowerShell script, GitLab CI file or non-empty dev container)
MEASURED = {
    "corpus": {"markdown files": 4, "markdown commands": 13, "markdown run": 8},
    "corpus-rw": {"shell files": 278, "shell commands": 79, "shell run": 11,
                  "makefile files": 24, "makefile commands": 65, "makefile run": 36,
                  "markdown files": 1146, "markdown commands": 271, "markdown run": 67,
                  "github files": 124, "github commands": 113, "github run": 7},
}


@pytest.mark.parametrize(("corpus", "key"), [(corpus, key) for corpus, keys in MEASURED.items() for key in keys])
def test_at_least_as_many_commands_as_measured(corpus, key):
    assert found()[corpus][key] >= MEASURED[corpus][key], dict(found()[corpus])
