"""The variables Compose files are read with: never the linter's own environment unless asked, never
printed when asked; HOME, PWD, USER, UID and GID as symbols; `--env`, `--env-file`, `env:`; a project's
`.env`, or the `.env.example` it ships instead; and every `.env` that cannot be read is reported.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from dockerstore_lint.cli import FORMATS
from dockerstore_lint.loader import Options, WorkspaceLoader
from tests import bombs
from tests.cli_process import run_cli

PROJECT = {
    "compose.yaml": """\
services:
  db:
    image: postgres:16
    volumes:
      - ~/pgdata:/var/lib/postgresql/data
      - ${HOME}/cache:/cache
      - ./${PROJECT_DIR}:/srv
      - ${DATA_ROOT:-./data}:/data
  worker:
    image: busybox
    user: "${UID}:${GID}"
    volumes: ["${PWD}/work:/work", "/home/${USER}/x:/x"]
""",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def model(root: Path, **options) -> dict:
    """`inspect --format json` of `root`, in-process."""
    from dockerstore_lint.inspection import model_json

    loader = WorkspaceLoader(root, root, Options(**options))
    return model_json(loader.load([root]), loader.display)


def test_no_value_of_the_linters_environment_changes_the_output(tmp_path):
    write(tmp_path, PROJECT)
    environments = [
        {"HOME": "/root", "USER": "root", "UID": "0", "GID": "0", "PWD": "/", "PROJECT_DIR": "alpha",
         "DATA_ROOT": "/mnt/a"},
        {"HOME": "/home/bob", "USER": "bob", "UID": "1000", "GID": "1000", "PWD": "/tmp", "PROJECT_DIR": "beta",
         "DATA_ROOT": "/srv/b", "COMPOSE_PROJECT_NAME": "other"},
    ]
    for output_format in FORMATS:
        outputs = {run_cli(["--format", output_format, "."], tmp_path, env=env).stdout for env in environments}
        assert len(outputs) == 1, output_format
    inspected = {run_cli(["inspect", "--format", "json"], tmp_path, env=env).stdout for env in environments}
    assert len(inspected) == 1


def test_home_pwd_user_uid_and_gid_are_symbols(tmp_path):
    write(tmp_path, PROJECT)
    (project,) = model(tmp_path)["projects"]
    sources = {m["target"]: m["source"] for service in project["services"].values() for m in service["mounts"]}
    assert sources["/var/lib/postgresql/data"] == sources["/cache"].replace("cache", "pgdata") == "~/pgdata"
    assert sources["/work"] == str(tmp_path / "work") and sources["/x"] == "/home/${USER}/x"
    assert project["services"]["worker"]["user"] == "${UID}:${GID}"
    # unset: the mount is unknown, not the project directory
    resolved = {m["target"]: m["resolved"] for service in project["services"].values() for m in service["mounts"]}
    assert resolved["/srv"] is False and resolved["/work"] is True
    assert sources["/data"] == str(tmp_path / "data")  # the default of ${DATA_ROOT:-./data}


def test_a_home_path_through_home_is_judged_like_one_written_with_a_tilde(tmp_path):
    compose = "services:\n  app:\n    image: postgres:16\n    user: root\n    volumes: [\"{}/.ssh:/root/.ssh\"]\n"
    findings = {}
    for written in ("~", "${HOME}"):
        write(tmp_path, {"compose.yaml": compose.format(written)})
        report = json.loads(run_cli(["--format", "json", "."], tmp_path).stdout)["findings"]
        findings[written] = sorted((f["code"], f["line"], f["message"]) for f in report)
    assert findings["~"] == findings["${HOME}"] and "DSL701" in {code for code, _, _ in findings["~"]}


def test_the_invoking_user_is_not_root(tmp_path):
    compose = "services:\n  app:\n    image: busybox\n    user: \"{}\"\n    volumes: [./data:/data]\n"
    (tmp_path / "data").mkdir()
    codes = {}
    for user in ("${UID}:${GID}", "${USER}", "root"):
        write(tmp_path, {"compose.yaml": compose.format(user)})
        codes[user] = {f["code"] for f in json.loads(run_cli(["--format", "json", "."], tmp_path).stdout)["findings"]}
    assert "DSL201" in codes["root"]
    assert "DSL201" not in codes["${UID}:${GID}"] and "DSL201" not in codes["${USER}"]


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_a_value_from_the_process_environment_is_used_but_never_printed(tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: busybox\n    volumes:\n"
                                     "      - ./${AWS_SECRET_ACCESS_KEY}:/data\n      - ${SHORT}:/short\n"})
    env = {"AWS_SECRET_ACCESS_KEY": SECRET, "SHORT": "/a"}
    for output_format in FORMATS:
        run = run_cli(["--env-from-process", "--format", output_format, "."], tmp_path, env=env)
        assert run.status == 1 and SECRET not in run.stdout + run.stderr, output_format
        assert "${AWS_SECRET_ACCESS_KEY}" in run.stdout, output_format
    for output_format in ("text", "json"):
        run = run_cli(["inspect", "--env-from-process", "--format", output_format, "."], tmp_path, env=env)
        assert SECRET not in run.stdout and "${AWS_SECRET_ACCESS_KEY}" in run.stdout, output_format
    # without asking, the value is not even read: the mount is unknown
    quiet = run_cli(["--format", "json", "."], tmp_path, env=env)
    assert SECRET not in quiet.stdout and "${AWS_SECRET_ACCESS_KEY}" not in quiet.stdout


def test_values_given_on_the_command_line_and_in_the_configuration(tmp_path):
    write(tmp_path, {
        "compose.yaml": "services:\n  app:\n    image: \"${IMAGE}:${TAG}\"\n    user: \"${RUN_AS}\"\n",
        ".env": "IMAGE=from-dotenv\nTAG=dotenv\nRUN_AS=dotenv\n",
        ".dockerstore-lint.yaml": "env:\n  IMAGE: from-config\n  TAG: 1\n",
        "more.env": "TAG=from-file\nRUN_AS=${IMAGE}-user\n",
    })

    def service(*args: str) -> dict:
        run = run_cli(["inspect", "--format", "json", *args, "."], tmp_path)
        assert run.status == 0, run.stderr
        return json.loads(run.stdout)["projects"][0]["services"]["app"]

    assert (service()["image"], service()["user"]) == ("from-config:1", "dotenv")
    assert (service("--env-file", "more.env")["image"], service("--env-file", "more.env")["user"]) == (
        "from-config:from-file", "from-config-user")
    both = service("--env-file", "more.env", "--env", "TAG=cli", "--env", "IMAGE=x=y")
    assert (both["image"], both["user"]) == ("x=y:cli", "x=y-user")


@pytest.mark.parametrize(("args", "message"), [
    (["--env", "NOEQUALS"], "--env takes KEY=VALUE"),
    (["--env", "A B=1"], "env: a variable name is"),
    (["--env-file", "bad.env"], "--env-file bad.env:2:3: unterminated quoted value"),
])
def test_a_bad_variable_is_a_usage_error(tmp_path, args, message):
    write(tmp_path, {"compose.yaml": "services: {}\n", "bad.env": "A=1\nB='2\n"})
    run = run_cli([*args, "."], tmp_path)
    assert run.status == 2 and message in run.stderr, run.stderr


@pytest.mark.parametrize("stand_in", [".env.example", "env.example", ".env.sample", ".env.dist", ".env.template"])
def test_without_a_dotenv_the_example_it_ships_is_read_and_inspect_says_so(tmp_path, stand_in):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: busybox\n    volumes: [\"${DATA}:/data\"]\n",
                     stand_in: "DATA=./from-example\n", "later.env.template": "DATA=./no\n"})
    (project,) = model(tmp_path)["projects"]
    assert project["dotenv"] == stand_in
    assert project["services"]["app"]["mounts"][0]["source"] == str(tmp_path / "from-example")
    text = run_cli(["inspect"], tmp_path).stdout
    assert f"  variables from {stand_in} (the project has no .env)\n" in text
    (tmp_path / ".env").write_text("DATA=./real\n", encoding="utf-8")
    (project,) = model(tmp_path)["projects"]
    assert project["dotenv"] == ".env" and project["services"]["app"]["mounts"][0]["source"] == str(tmp_path / "real")
    assert "(the project has no .env)" not in run_cli(["inspect"], tmp_path).stdout


def test_the_first_stand_in_in_order_wins(tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: \"${IMAGE}\"\n",
                     ".env.dist": "IMAGE=dist\n", "env.example": "IMAGE=example\n"})
    (project,) = model(tmp_path)["projects"]
    assert (project["dotenv"], project["services"]["app"]["image"]) == ("env.example", "example")


# --- a .env or env_file that cannot be read is reported --------------------------------------------

def _reported(root: Path) -> list[tuple[str, str, str]]:
    findings = json.loads(run_cli(["--format", "json", "--select", "DSL001,DSL004", "."], root).stdout)["findings"]
    return [(f["file"], f["code"], f["message"]) for f in findings]


@pytest.mark.parametrize("where", [".env", "app.env"])
@pytest.mark.parametrize(("content", "message"), [
    (b"A=1\n\x00\n", "binary file: NUL character"),
    (b"A=\xff\n", "cannot decode file as UTF-8"),
    (b"A=" + b"x" * (6 * 1024 * 1024) + b"\n", "file too large"),
])
def test_a_dotenv_or_env_file_that_cannot_be_read_is_reported(tmp_path, where, content, message):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: busybox\n    env_file: [app.env]\n"})
    (tmp_path / ("app.env" if where == ".env" else ".env")).write_text("B=2\n", encoding="utf-8")
    (tmp_path / where).write_bytes(content)
    assert [(file, code) for file, code, text in _reported(tmp_path) if message in text] == [(where, "DSL001")]


def test_an_unreadable_dotenv_or_env_file_is_reported(tmp_path):
    from tests.test_hostile_inputs import _can_drop_dac, found, lint_all_formats

    if os.geteuid() == 0 and not _can_drop_dac():
        pytest.skip("root here cannot give up reading every file (no CAP_SETPCAP)")
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: busybox\n    env_file: [app.env]\n",
                     ".env": "A=1\n", "app.env": "B=2\n"})
    for name in (".env", "app.env"):
        (tmp_path / name).chmod(0)
    findings, _ = lint_all_formats(["."], tmp_path, drop_dac=os.geteuid() == 0)
    for name in (".env", "app.env"):
        assert found(findings, name, "DSL001", "cannot read file: Permission denied", 1), name


def test_a_dotenv_linked_out_of_the_root_is_not_read_and_reported(tmp_path):
    root = tmp_path / "project"
    write(root, {"compose.yaml": "services:\n  app:\n    image: \"${IMAGE}\"\n"})
    (tmp_path / "secret.env").write_text("IMAGE=MARKER-outside\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.env", root / ".env")
    run = run_cli(["--format", "json", "."], root)
    assert "MARKER-outside" not in run.stdout
    assert (".env", "DSL004", "not followed: env file .env is outside the scanned root") in _reported(root)


# --- the language server's session reads the same way, within the same bounds ---------------------

_SESSION = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
from dockerstore_lint.lsp.session import Session
root = Path(sys.argv[1])
session = Session(root, [root])
linted, error = session.lint(root / "compose.yaml")
print(len(linted.findings), error)
"""


@pytest.mark.parametrize("build", [bombs.dotenv_doubling, bombs.env_file_doubling])
def test_the_language_server_session_is_bounded_by_the_same_caps(tmp_path, build):
    build(tmp_path)
    done = subprocess.run([sys.executable, "-c", _SESSION, str(tmp_path)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU, (30, 30)))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
