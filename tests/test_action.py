"""The composite GitHub Action in action.yml: its interface, and its steps run here as a runner runs them.

The `run:` steps are run with bash the way GitHub runs `shell: bash` (`bash --noprofile --norc -eo
pipefail`), in order, with the `${{ }}` expressions of their `env:` evaluated from the inputs given and the
outputs of the steps before, and with the variables the runner sets (RUNNER_TEMP, RUNNER_OS, GITHUB_OUTPUT,
GITHUB_ACTION_PATH) pointing into a temporary directory. The `uses:` steps (the pip cache) need GitHub's
cache service: they are checked for what they are given, not run.

Two installs are real (a virtualenv, and `pip install --target` with Debian's own python3 as in a container
job without python3-venv; the build backend and dependencies come from the package index): about 10 s
each, once. The Windows runner is played by a fake `python` that lays out a Windows virtualenv
(Scripts\\python.exe) and prints \\r\\n line ends, with RUNNER_OS=Windows and backslashed paths.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
# what steps.sh runs besides Python and bash builtins: a PATH of these alone hides every Python
TOOLS = ("bash", "sed", "mkdir", "rm", "dirname")


def action() -> dict:
    return yaml.safe_load((REPOSITORY / "action.yml").read_text(encoding="utf-8"))


def steps() -> list[dict]:
    return action()["runs"]["steps"]


def test_inputs_and_outputs():
    definition = action()
    assert definition["runs"]["using"] == "composite"
    assert {name: spec["default"] for name, spec in definition["inputs"].items()} == {
        "paths": ".", "fail-level": "warning", "output": "dockerstore-lint.sarif", "config": "", "args": "",
        "version": "", "cache": "true"}
    assert all(spec["description"] for spec in definition["inputs"].values())
    assert {name: spec["value"] for name, spec in definition["outputs"].items()} == {
        "sarif": "${{ steps.lint.outputs.sarif }}", "exit-code": "${{ steps.lint.outputs.exit-code }}"}


def test_inputs_never_reach_a_script_as_text():
    """Expressions in `run:` would paste input text into the script (script injection); every script is
    steps.sh, found through $GITHUB_ACTION_PATH (in a container job `github.action_path` is the host's)."""
    commands = []
    for step in steps():
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], step["name"]
            commands.append(step["run"])
    assert commands == [f'bash "$GITHUB_ACTION_PATH/.github/action/steps.sh" {command}'
                        for command in ("setup", "install", "lint")]


def test_the_pip_cache_is_restored_before_the_install_and_saved_right_after_it():
    """Saved by its own step, not by actions/cache's post-job step, which skips a job that failed (as a job
    does when the lint finds something); keyed by what the setup step found; pinned to a commit."""
    order = [step.get("id") or step["uses"].split("@")[0] for step in steps()]
    assert order == ["setup", "restore", "install", "actions/cache/save", "lint"]
    restore, save = steps()[1], steps()[3]
    assert re.fullmatch(r"actions/cache/restore@[0-9a-f]{40}", restore["uses"])
    assert save["uses"] == restore["uses"].replace("/restore@", "/save@")
    assert restore["if"] == "inputs.cache == 'true'"
    assert save["if"] == "inputs.cache == 'true' && steps.restore.outputs.cache-hit != 'true'"
    assert restore["with"] == {"path": "${{ steps.setup.outputs.cache-dir }}",
                               "key": "${{ steps.setup.outputs.cache-key }}",
                               "restore-keys": "${{ steps.setup.outputs.cache-restore-key }}"}
    assert save["with"] == {"path": "${{ steps.setup.outputs.cache-dir }}",
                            "key": "${{ steps.setup.outputs.cache-key }}"}


class Runner:
    """Runs the action's `run:` steps on this machine, keeping each step's outputs for the steps after it."""

    def __init__(self, root: Path, path: str | None = None, **variables: str):
        self.root = root
        self.temp = root / "runner-temp"
        self.temp.mkdir()
        self.path = path or os.environ["PATH"]
        self.variables = {"RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "RUNNER_TEMP": str(self.temp),
                          **variables}
        self.outputs: dict[str, dict[str, str]] = {}
        self.stdout = ""

    def step(self, step_id: str, workspace: Path, **inputs: str) -> int:
        """Runs the step `step_id` with the given inputs (as keyword arguments, `-` spelt `_`) and defaults."""
        [step] = [step for step in steps() if step.get("id") == step_id]
        given = {name: spec["default"] for name, spec in action()["inputs"].items()}
        given.update({name.replace("_", "-"): value for name, value in inputs.items()})
        context = {f"inputs.{name}": value for name, value in given.items()}
        context.update({f"steps.{done}.outputs.{name}": value
                        for done, outputs in self.outputs.items() for name, value in outputs.items()})
        output = self.root / f"output-{step_id}"
        output.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
        env.update({name: EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(value))
                    for name, value in step.get("env", {}).items()})
        env.update(self.variables, PATH=self.path, GITHUB_OUTPUT=str(output),
                   GITHUB_ACTION_PATH=str(REPOSITORY))
        script = self.root / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run([shutil.which("bash"), "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              check=False, cwd=workspace, env=env, capture_output=True, text=True, timeout=600)
        self.stdout = done.stdout + done.stderr
        self.outputs[step_id] = dict(line.split("=", 1) for line in output.read_text().split("\n") if "=" in line)
        return done.returncode

    def install(self, workspace: Path, **inputs: str) -> None:
        for step_id in ("setup", "install"):
            assert self.step(step_id, workspace, **inputs) == 0, self.stdout

    def lint(self, workspace: Path, **inputs: str) -> tuple[int, dict[str, str]]:
        status = self.step("lint", workspace, **inputs)
        assert status in (0, 1), self.stdout
        return status, self.outputs["lint"]


def hostile(directory: Path, *modules: str) -> None:
    """Modules that would leave a mark if imported: a repository is linted, never run."""
    for module in modules:
        path = directory / (module.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"open({str(directory / 'IMPORTED')!r}, 'a').write({module!r})\n")


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    """A runner on which the setup and install steps have run with the defaults (this checkout)."""
    runner = Runner(tmp_path_factory.mktemp("runner"))
    workspace = tmp_path_factory.mktemp("install")
    hostile(workspace, "venv", "pip.__init__", "hashlib", "ensurepip.__init__")
    runner.install(workspace)
    assert not (workspace / "IMPORTED").exists()
    return runner


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "workspace"
    (root / "app").mkdir(parents=True)
    # a note (DSL101) and a warning (DSL105)
    (root / "app" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65532\nVOLUME /data\nRUN mkdir -p /data/cache\n")
    (root / "docs").mkdir()
    hostile(root, "dockerstore_lint.__init__", "click.__init__", "yaml", "shlex", "site")
    yield root
    assert not (root / "IMPORTED").exists()


def sarif_run(sarif: Path) -> dict:
    return json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]


def category(sarif: Path) -> str:
    """The --sarif-category given (SARIF's automationDetails.id adds a `/`)."""
    return sarif_run(sarif)["automationDetails"]["id"].removesuffix("/")


def results(sarif: Path) -> list[tuple[str, str]]:
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for r in sarif_run(sarif)["results"]]


def test_setup_finds_python_and_keys_the_cache_on_it_and_on_the_dependencies(runner):
    setup = runner.outputs["setup"]
    python = subprocess.run([setup["python"], "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert setup["python"] == shutil.which("python3")
    assert setup["requirement"] == str(REPOSITORY)
    assert setup["cache-restore-key"] == f"dockerstore-lint-pip-Linux-X64-py{python}-"
    fingerprint = setup["cache-key"].removeprefix(setup["cache-restore-key"])
    assert fingerprint == hashlib.sha256((REPOSITORY / "pyproject.toml").read_bytes()).hexdigest()[:16]
    assert setup["cache-dir"] == str(runner.temp / "dockerstore-lint" / "pip-cache")


def test_install_uses_a_virtualenv(runner):
    assert runner.outputs["install"] == {
        "python": str(runner.temp / "dockerstore-lint" / "venv" / "bin" / "python"), "site": ""}


def test_findings_fail_the_step_and_the_sarif_is_written(runner, workspace):
    status, outputs = runner.lint(workspace)
    assert (status, outputs) == (1, {"sarif": "dockerstore-lint.sarif", "exit-code": "1"})
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL101", "app/Dockerfile"), ("DSL105", "app/Dockerfile")]


def test_inputs_choose_paths_fail_level_and_output(runner, workspace):
    status, outputs = runner.lint(workspace, paths="docs\n  app/Dockerfile", fail_level="error",
                                  output="reports/lint.sarif")
    # a warning is below the error fail level; the report names the file it was given
    assert (status, outputs) == (0, {"sarif": "reports/lint.sarif", "exit-code": "0"})
    assert results(workspace / "reports" / "lint.sarif") == [("DSL101", "app/Dockerfile"), ("DSL105", "app/Dockerfile")]


def test_paths_are_not_globbed(runner, workspace):
    status, _ = runner.lint(workspace, paths="app/*")
    assert status == 1  # `app/*` does not exist: DSL001, an error
    assert [code for code, _ in results(workspace / "dockerstore-lint.sarif")] == ["DSL001"]


def test_a_quoted_path_keeps_its_spaces(runner, workspace):
    (workspace / "app").rename(workspace / "my app")
    status, _ = runner.lint(workspace, paths="'my app' docs")
    assert status == 1
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL101", "my%20app/Dockerfile"),
                                                              ("DSL105", "my%20app/Dockerfile")]


def test_config_input_names_the_configuration(runner, workspace):
    (workspace / "ci").mkdir()
    (workspace / "ci" / "lint.yaml").write_text("ignore: [DSL105]\n")
    status, outputs = runner.lint(workspace, config="ci/lint.yaml")
    # only the note is left, below the warning fail level
    assert (status, outputs["exit-code"]) == (0, "0")
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL101", "app/Dockerfile")]


def test_a_missing_config_is_a_usage_error(runner, workspace):
    assert runner.step("lint", workspace, config="nowhere.yaml") == 2
    assert runner.outputs["lint"]["exit-code"] == "2"


def test_args_are_split_into_words_as_written(runner, workspace):
    status, _ = runner.lint(workspace, args="--select DSL105\n--sarif-category \"my scan\"")
    assert status == 1
    assert category(workspace / "dockerstore-lint.sarif") == "my scan"
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL105", "app/Dockerfile")]


@pytest.mark.parametrize("written, word", [
    ("$HOME/*", "$HOME/*"),                     # no expansion of variables or globs
    ("`id`$(id)", "`id`$(id)"),                 # no command substitution
    (r"C:\scans\docker", r"C:\scans\docker"),   # a backslash is a character (Windows paths)
    ("'a b'\"c d\"e", "a bc de"),                # quotes group, as in a shell
    ("#1", "#1"),                               # no comments
])
def test_args_are_never_expanded(runner, workspace, written, word):
    runner.lint(workspace, args=f"--sarif-category {written}")
    assert category(workspace / "dockerstore-lint.sarif") == word


def test_an_unbalanced_quote_in_args_is_a_usage_error(runner, workspace):
    assert runner.step("lint", workspace, args="--sarif-category 'mine") == 2
    assert "::error title=dockerstore-lint::" in runner.stdout
    assert "No closing quotation" in runner.stdout
    assert not (workspace / "dockerstore-lint.sarif").exists()


@pytest.mark.parametrize("args", ["--format github", "--format=json", "-o other.sarif", "--output=x",
                                  "-- extra"])
def test_args_cannot_move_the_report_or_add_paths(runner, workspace, args):
    assert runner.step("lint", workspace, args=args) == 2
    assert f"::error title=dockerstore-lint::args: {args.split()[0]}" in runner.stdout


def test_version_chooses_what_is_installed(tmp_path):
    """A version number comes from the package index, anything else is a git ref of the project's
    repository, named once in pyproject.toml."""
    with (REPOSITORY / "pyproject.toml").open("rb") as file:
        repository = tomllib.load(file)["project"]["urls"]["Repository"]
    runner = Runner(tmp_path)
    sha = "1234567890" * 4
    for version, requirement in [
        ("0.2.0", "dockerstore-lint==0.2.0"),
        ("1.0rc1", "dockerstore-lint==1.0rc1"),
        ("v0.2.0", f"dockerstore-lint @ git+{repository}@v0.2.0"),
        ("main", f"dockerstore-lint @ git+{repository}@main"),
        ("release/1.x", f"dockerstore-lint @ git+{repository}@release/1.x"),
        (sha, f"dockerstore-lint @ git+{repository}@{sha}"),
    ]:
        assert runner.step("setup", tmp_path, version=version) == 0, runner.stdout
        outputs = runner.outputs["setup"]
        assert outputs["requirement"] == requirement
        assert outputs["cache-key"] == outputs["cache-restore-key"] + version


@pytest.mark.parametrize("version", ["--index-url=https://example.invalid", "1.0 --pre", "a..b", "main/",
                                     "x@{1}", "v1#egg=other", "ref.lock", "1.0\n2.0"])
def test_a_version_that_is_neither_is_refused(tmp_path, version):
    runner = Runner(tmp_path)
    assert runner.step("setup", tmp_path, version=version) == 2
    assert "::error title=dockerstore-lint::version " in runner.stdout
    assert "requirement" not in runner.outputs["setup"]


def tools_only(directory: Path) -> Path:
    """A directory of the commands steps.sh needs, and no Python."""
    directory.mkdir()
    for tool in TOOLS:
        (directory / tool).symlink_to(shutil.which(tool))
    return directory


def test_without_python_3_10_the_setup_says_what_to_do(tmp_path):
    bin_ = tools_only(tmp_path / "bin")
    # Python 2 refuses -I; an old Python 3 answers the version question with "too old"
    (bin_ / "python").write_text("#!/bin/sh\necho 'Unknown option: -I' >&2\nexit 2\n")
    (bin_ / "python3").write_text("#!/bin/sh\nexit 1\n")
    for fake in ("python", "python3"):
        (bin_ / fake).chmod(0o755)
    runner = Runner(tmp_path, path=str(bin_))
    assert runner.step("setup", tmp_path) == 2
    assert "::error title=dockerstore-lint::no Python 3.10 or newer on PATH" in runner.stdout
    assert "actions/setup-python" in runner.stdout


# A Windows Python as Git Bash sees it: `python` (no python3), a virtualenv with Scripts\python.exe, \r\n
# line ends on standard output. It logs how it was called; pip and dockerstore-lint are pretended, the
# small programs steps.sh gives it with -c (version, hash, word splitting) are run.
FAKE_WINDOWS_PYTHON = """\
import io, json, os, shutil, sys
LOGGED = ("PIP_CACHE_DIR", "MSYS_NO_PATHCONV", "MSYS2_ARG_CONV_EXCL")
with open(os.environ["FAKE_PYTHON_LOG"], "a") as log:
    log.write(json.dumps(sys.argv + [{name: os.environ.get(name) for name in LOGGED}]) + "\\n")
assert sys.argv[1] == "-I", sys.argv
if sys.argv[2:4] == ["-m", "venv"]:
    scripts = os.path.join(sys.argv[4], "Scripts")
    os.makedirs(scripts)
    shutil.copy(__file__, os.path.join(scripts, "python.exe"))
elif sys.argv[2:4] == ["-m", "pip"]:
    pass
elif "dockerstore_lint" in sys.argv[3]:
    sys.exit(1)
else:
    code, sys.argv = sys.argv[3], ["-c"] + sys.argv[4:]
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, newline="\\r\\n")
    exec(compile(code, "-c", "exec"), {"__name__": "__main__"})
"""


def test_windows_venv_layout_and_backslashed_paths(tmp_path):
    bin_ = tools_only(tmp_path / "bin")
    fake = bin_ / "python"
    fake.write_text(f"#!{sys.executable}\n{FAKE_WINDOWS_PYTHON}")
    fake.chmod(0o755)
    runner = Runner(tmp_path, path=str(bin_), RUNNER_OS="Windows", RUNNER_ARCH="ARM64")
    runner.variables["RUNNER_TEMP"] = str(runner.temp).replace("/", "\\")
    log = tmp_path / "python.log"
    runner.variables["FAKE_PYTHON_LOG"] = str(log)
    workspace = tmp_path / "workspace"
    workspace.mkdir()

    runner.install(workspace)
    tool = f"{runner.temp}/dockerstore-lint"  # the backslashes of RUNNER_TEMP are now slashes
    setup = runner.outputs["setup"]
    assert setup["python"] == str(fake)
    assert re.fullmatch(r"dockerstore-lint-pip-Windows-ARM64-py3\.\d+-[0-9a-f]{16}", setup["cache-key"])
    assert setup["cache-dir"] == f"{tool}/pip-cache"
    venv_python = f"{tool}/venv/Scripts/python.exe"
    assert runner.outputs["install"] == {"python": venv_python, "site": ""}
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    # pip caches into the directory the cache steps restore and save; Git Bash is told to pass arguments
    # as written (it would make C:/Program Files/Git/srv/data of /srv/data)
    env = {"PIP_CACHE_DIR": f"{tool}/pip-cache", "MSYS_NO_PATHCONV": "1", "MSYS2_ARG_CONV_EXCL": "*"}
    assert [str(fake), "-I", "-m", "venv", f"{tool}/venv", env] in calls
    assert calls[-1] == [venv_python, "-I", "-m", "pip", "install", "--quiet", str(REPOSITORY), env]

    status, outputs = runner.lint(workspace, output=r"reports\windows.sarif", config=r"ci\lint.yaml",
                                  args=r"--sarif-category C:\scans --env DATA=/srv/data",
                                  paths=r"src\app 'my app'")
    assert (status, outputs) == (1, {"sarif": r"reports\windows.sarif", "exit-code": "1"})
    assert (workspace / "reports").is_dir()  # the report's directory, read with Windows separators
    assert json.loads(log.read_text().splitlines()[-1])[4:-1] == [
        "",  # no --target directory to add to sys.path
        "check", "--format", "sarif", "--output", r"reports\windows.sarif", "--fail-level", "warning",
        "--config", r"ci\lint.yaml", "--sarif-category", r"C:\scans", "--env", "DATA=/srv/data",
        "--", r"src\app", "my app"]


def debian_python() -> str | None:
    """Debian's own python3 with pip, marked externally managed (PEP 668), as in a container job."""
    python = Path("/usr/bin/python3")
    if not python.exists():
        return None
    check = subprocess.run([python, "-I", "-c", "import sys, sysconfig, pip, os; sys.exit(sys.version_info < (3, 10) or"
                            " not os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"],
                           capture_output=True, check=False)
    return str(python) if check.returncode == 0 else None


def without_venv(bin_: Path, python: str, pip: bool = True) -> None:
    """python3 as in a container without python3-venv (and, unless `pip`, without python3-pip)."""
    wrapper = bin_ / "python3"
    refusals = ['if [ "$2 $3" = "-m venv" ]; then mkdir -p "$4"; echo "The virtual environment was not created'
                ' successfully because ensurepip is not available." >&2; exit 1; fi']
    if not pip:
        refusals.append('if [ "$2 $3" = "-m pip" ]; then echo "No module named pip" >&2; exit 1; fi')
    wrapper.write_text("#!/bin/sh\necho \"$*\" >> \"$FAKE_PYTHON_LOG\"\n" + "\n".join(refusals)
                       + f'\nexec {python} "$@"\n')
    wrapper.chmod(0o755)


@pytest.mark.skipif(debian_python() is None, reason="needs Debian's python3 (3.10 or newer) with python3-pip")
def test_a_container_without_python3_venv_installs_with_pip_target(tmp_path, workspace):
    bin_ = tools_only(tmp_path / "bin")
    without_venv(bin_, debian_python())
    runner = Runner(tmp_path, path=str(bin_), FAKE_PYTHON_LOG=str(tmp_path / "python.log"))
    runner.install(workspace)
    tool = runner.temp / "dockerstore-lint"
    assert "::notice title=dockerstore-lint::" in runner.stdout and "ensurepip is not available" in runner.stdout
    assert runner.outputs["install"] == {"python": str(bin_ / "python3"), "site": str(tool / "site")}
    assert not (tool / "venv").exists()
    # everything it needs is in the directory, whatever the system has (Debian's python3-yaml, say)
    assert {"dockerstore_lint", "click", "yaml"} <= {path.name for path in (tool / "site").iterdir()}
    pip = [line for line in (tmp_path / "python.log").read_text().splitlines() if line.startswith("-I -m pip install")]
    assert pip == [f"-I -m pip install --quiet --target {tool}/site {REPOSITORY}"]

    status, outputs = runner.lint(workspace)
    assert (status, outputs) == (1, {"sarif": "dockerstore-lint.sarif", "exit-code": "1"})
    assert results(workspace / "dockerstore-lint.sarif") == [("DSL101", "app/Dockerfile"), ("DSL105", "app/Dockerfile")]


def test_a_container_without_venv_or_pip_says_what_to_install(tmp_path):
    bin_ = tools_only(tmp_path / "bin")
    without_venv(bin_, sys.executable, pip=False)
    runner = Runner(tmp_path, path=str(bin_), FAKE_PYTHON_LOG=str(tmp_path / "python.log"))
    assert runner.step("setup", tmp_path) == 0, runner.stdout
    assert runner.step("install", tmp_path) == 2
    assert "ensurepip is not available" in runner.stdout
    assert "::error title=dockerstore-lint::" in runner.stdout
    assert "install python3-venv or python3-pip" in runner.stdout


def test_the_readme_documents_every_input_with_an_example():
    section = (REPOSITORY / "README.md").read_text(encoding="utf-8").split("### GitHub Actions\n", 1)[1]
    section = section.split("\n### ", 1)[0]
    inputs = action()["inputs"]
    table = section.split("| input | default | meaning | example |\n|---|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    rows = [[cell.strip() for cell in row.strip("|").split(" | ")] for row in table.splitlines()]
    assert [row[0] for row in rows] == [f"`{name}`" for name in inputs]
    for (name, spec), row in zip(inputs.items(), rows, strict=True):
        if spec["default"]:
            assert row[1] == f"`{spec['default']}`", name
        else:  # what happens without it, in words
            assert row[1].startswith("(") and row[1].endswith(")"), name
        assert row[3].startswith(f"`{name}: "), name
    # and one workflow step that sets them all
    with_all = [block for block in section.split("```yaml\n")[1:]
                if all(f"          {name}:" in block.split("```")[0] for name in inputs)]
    assert len(with_all) == 1
