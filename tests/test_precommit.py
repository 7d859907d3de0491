"""The pre-commit hook: `.pre-commit-hooks.yaml` run by the real `pre-commit try-repo`.

Cost: pre-commit builds the hook's environment the way users get it, a fresh virtualenv with
`pip install .` of this repository, which fetches the build backend and the dependencies from
PyPI (pip's cache helps). try-repo keeps that environment in a temporary store, so every run
builds it again: the runs go in parallel, about 10 s together on a warm pip cache.
The file-pattern test needs neither network nor pre-commit runs; a third run checks that a file the
configuration excludes is left out though pre-commit names it (the hook's `--force-exclude`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli_process import run_cli

REPOSITORY = Path(__file__).resolve().parents[1]
# what `pip install .` needs, and the hook definition
HOOK_REPOSITORY_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "dockerstore_lint", "rules")
TIMEOUT = 600


def hook() -> dict:
    [definition] = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return definition


def kept_by_the_hook(tmp_path: Path, path: str, text: str = "FROM alpine:3.20\n") -> bool:
    """Whether the hook lints a file pre-commit passes: the hook takes every text file and its entry's
    `--force-exclude` keeps what a directory walk would lint."""
    from dockerstore_lint.loader import WorkspaceLoader

    file = tmp_path / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)
    loader = WorkspaceLoader(tmp_path, tmp_path)
    loader.load([file], force_exclude="--force-exclude" in hook()["entry"])
    return file in loader.linted()


def linted_by_a_scan(tmp_path: Path, path: str) -> bool:
    from dockerstore_lint.loader import WorkspaceLoader

    loader = WorkspaceLoader(tmp_path, tmp_path)
    loader.load([tmp_path])
    return tmp_path / path in loader.linted()


@pytest.mark.parametrize("path", [
    "Dockerfile", "app/Dockerfile", "Dockerfile.dev", "Dockerfile-dev", "dockerfile", "dev.Dockerfile",
    "app.dockerfile", "Containerfile", "api.Containerfile", "Containerfile.arm64", "deploy/Dockerfile.prod",
    "compose.yaml", "compose.yml", "compose.override.yaml", "compose.prod.yml", "docker-compose.yml",
    "docker-compose.yaml", "docker-compose.override.yml", "x/docker-compose.test.yml", "Dockerfile.md",
    "Dockerfile.dockerignore", ".dockerignore", "Dockerfile.yaml", "Dockerfile-build.sh", "mydockerfile",
    "notDockerfile", "mycompose.yaml", "composer.yaml", "compose.json", "docker-compose.yml.bak", "README.md",
    "values.yaml", "run.sh", "Makefile", ".github/workflows/ci.yml", ".devcontainer/devcontainer.json",
    "vendor/x/Dockerfile", "node_modules/a/compose.yaml", "Dockerfile.j2",
])
def test_the_hook_lints_exactly_the_files_a_scan_lints(tmp_path, path):
    assert kept_by_the_hook(tmp_path, path) == linted_by_a_scan(tmp_path, path)


def test_a_yaml_file_named_by_pre_commit_is_kept_when_it_is_compose(tmp_path):
    assert kept_by_the_hook(tmp_path, "stack.yml", "services:\n  db:\n    image: postgres:16\n")
    assert not kept_by_the_hook(tmp_path, "deploy/values.yaml", "replicas: 3\n")


@pytest.mark.parametrize("path", ["Dockerfile.j2", "Dockerfile.jinja", "Dockerfile.jinja2", "Dockerfile.tmpl",
                                  "docker/Dockerfile.j2"])
def test_templates_are_not_linted(tmp_path, path):
    """A template is not a Dockerfile yet: the hook leaves it out, as a scan of its directory does."""
    assert not kept_by_the_hook(tmp_path, path)


def test_the_hook_definition():
    definition = hook()
    assert definition["id"] == "dockerstore-lint"
    assert definition["language"] == "python"
    assert definition["types"] == ["text"]
    assert definition["entry"].split() == ["dockerstore-lint", "check", "--force-exclude"]


def test_every_package_is_installed():
    """pre-commit and the Action install the package, not editable: a package left out of pyproject.toml's
    list is missing there, while an editable install (and every other test) still finds it."""
    text = (REPOSITORY / "pyproject.toml").read_text(encoding="utf-8")
    packages = re.search(r"^packages = \[(.*?)\]", text, re.MULTILINE | re.DOTALL)[1]
    listed = set(re.findall(r'"(dockerstore_lint[.\w]*)"', packages))
    found = {".".join(init.parent.relative_to(REPOSITORY).parts) for init in
             (REPOSITORY / "dockerstore_lint").rglob("__init__.py")}
    found |= {"dockerstore_lint.rules"}  # the rules/ folder, mapped by package-dir
    assert listed == found


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=tests", "-c", "user.email=tests@example.com",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, check=True, capture_output=True, env=_environment())


def _environment() -> dict[str, str]:
    # a test run from inside a git hook must not send git to the outer repository
    return {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}


def hook_repository(where: Path) -> Path:
    """This repository's working tree (what is being tested, committed or not) as a git repository."""
    where.mkdir()
    for name in HOOK_REPOSITORY_FILES:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, where / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, where / name)
    git(where, "init", "-q")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "hook")
    return where


def user_repository(where: Path, files: dict[str, str], staged: dict[str, str]) -> Path:
    """A repository with `files` committed and `staged` changes: what a `git commit` would run the hook on."""
    where.mkdir()
    git(where, "init", "-q")
    for name, text in {**files, **staged}.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text, encoding="utf-8")
        if name in files:
            git(where, "add", name)
            git(where, "commit", "-q", "-m", f"add {name}")
            (where / name).write_text(staged.get(name, text), encoding="utf-8")
    git(where, "add", *staged)
    return where


def try_repo(hooks: Path, repository: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "dockerstore-lint",
                             "--color", "never"], cwd=repository, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=_environment())


def test_pre_commit_try_repo_fails_on_a_volume_and_passes_a_clean_dockerfile(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    # compose.yaml is committed and unchanged: only the Dockerfile is passed to the hook, which still
    # reads compose.yaml, whose bind mount hides what the new `RUN npm ci` installs
    failing = user_repository(tmp_path / "failing", files={"compose.yaml": (
        "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n      - app-data:/data\n"
        "volumes:\n  app-data:\n")},
        staged={"Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
                              "USER node\nVOLUME /data\n"})
    passing = user_repository(tmp_path / "passing", files={},
                              staged={"Dockerfile": "FROM alpine:3.20\nUSER 65532\nCMD [\"true\"]\n"})
    # a file the configuration excludes: named by pre-commit, left out by the hook's --force-exclude
    excluded = user_repository(tmp_path / "excluded", files={
        ".dockerstore-lint.yaml": "exclude: [legacy/**]\nfail-level: note\n"},
        staged={"legacy/Dockerfile": "FROM alpine:3.20\nUSER 65532\nVOLUME /data\n"})
    assert run_cli(["legacy/Dockerfile"], cwd=excluded).status == 1, "linted when named without --force-exclude"
    runs = {name: try_repo(hooks, repository)
            for name, repository in (("failing", failing), ("passing", passing), ("excluded", excluded))}
    done = {name: (process.wait(timeout=TIMEOUT), process.stdout.read()) for name, process in runs.items()}

    status, output = done["failing"]
    assert status == 1, output
    assert "dockerstore-lint" in output and "Failed" in output
    assert re.search(r"^Dockerfile:6:8: info: VOLUME /data .*\[DSL101\]$", output, re.MULTILINE), output
    assert re.search(r"^compose\.yaml:5:9: warning: .*node_modules.*\[DSL301\]$", output, re.MULTILINE), output

    for name in ("passing", "excluded"):
        status, output = done[name]
        assert status == 0, output
        assert re.search(r"^dockerstore-lint\.+Passed$", output, re.MULTILINE), output
