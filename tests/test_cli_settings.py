"""Which files and which settings a lint uses, and saying so: a path with nothing to lint, `exclude` against files
named on the command line, `--exclude` / `--extend-exclude`, which configuration file wins, a single string where
a list is expected, `--show-settings`, `--show-files`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockerstore_lint.config import Config, ConfigError, apply
from tests.cli_process import run_cli

VOLUME = "FROM alpine:3.20\nUSER 1000\nVOLUME /data\n"  # one DSL101 note
CLEAN = "FROM alpine:3.20\nUSER 1000\n"
NOTHING_FOUND = "dockerstore-lint: warning: no Dockerfile, Compose file, script or other file it reads found under"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def linted(done) -> list[str]:
    """The files the findings of a text report are in."""
    return sorted({line.split(":")[0] for line in done.stdout.splitlines()})


# --- a path with nothing to lint -----------------------------------------------------------------------

@pytest.mark.parametrize("files, args", [
    ({"notes.txt": "no code here\n", "src/app.py": "print()\n"}, []),
    ({"notes.txt": "no code here\n"}, ["src", "."]),
    ({"docs/notes.txt": "x\n"}, ["docs"]),
])
def test_a_path_without_a_file_to_lint_is_a_warning_not_a_failure(tmp_path, files, args):
    write(tmp_path, files)
    (tmp_path / "src").mkdir(exist_ok=True)
    done = run_cli(args, cwd=tmp_path)
    assert (done.status, done.stdout) == (0, "")
    assert done.stderr.splitlines()[0] == f"{NOTHING_FOUND} {', '.join(args) or '.'}"
    assert run_cli(["-q", *args], cwd=tmp_path).stderr == ""


def test_no_warning_when_there_is_something_to_lint(tmp_path):
    write(tmp_path, {"app/Dockerfile": CLEAN})
    done = run_cli(["--select", "DSL1"], cwd=tmp_path)
    assert done.status == 0 and NOTHING_FOUND not in done.stderr
    assert NOTHING_FOUND not in run_cli(["--select", "DSL1", "-", "--stdin-filename", "x.txt"], cwd=tmp_path,
                                        stdin=CLEAN.encode()).stderr


# --- exclude and files named on the command line ----------------------------------------------------------

def test_a_named_file_is_linted_though_excluded_unless_force_exclude(tmp_path):
    write(tmp_path, {".dockerstore-lint.yaml": "exclude: [legacy/**]\nselect: [DSL101]\n",
                     "legacy/Dockerfile": VOLUME, "app/Dockerfile": VOLUME})
    assert linted(run_cli([], cwd=tmp_path)) == ["app/Dockerfile"], "a walk leaves it out"
    named = run_cli(["legacy/Dockerfile", "app/Dockerfile"], cwd=tmp_path)
    assert linted(named) == ["app/Dockerfile", "legacy/Dockerfile"], "named, it is linted, as ruff does"
    forced = run_cli(["--force-exclude", "legacy/Dockerfile", "app/Dockerfile"], cwd=tmp_path)
    assert linted(forced) == ["app/Dockerfile"]
    only_excluded = run_cli(["--force-exclude", "legacy/Dockerfile"], cwd=tmp_path)
    assert (only_excluded.status, only_excluded.stdout) == (0, "")
    assert only_excluded.stderr.startswith(f"{NOTHING_FOUND} legacy/Dockerfile")


@pytest.mark.parametrize("args, expected", [
    ([], ["b/Dockerfile", "c/Dockerfile"]),
    (["--exclude", "b/**"], ["a/Dockerfile", "c/Dockerfile"]),  # in place of the configuration's
    (["--extend-exclude", "b/**"], ["c/Dockerfile"]),  # besides the configuration's
    (["--extend-exclude", "b/**,c/**"], []),
    (["--exclude", "b/**", "--exclude", "c"], ["a/Dockerfile"]),
    (["--exclude", "", "."], ["a/Dockerfile", "b/Dockerfile", "c/Dockerfile"]),
])
def test_exclude_on_the_command_line(tmp_path, args, expected):
    write(tmp_path, {".dockerstore-lint.yaml": "exclude: [a/**]\nselect: [DSL101]\n", "a/Dockerfile": VOLUME,
                     "b/Dockerfile": VOLUME, "c/Dockerfile": VOLUME})
    assert linted(run_cli(["-q", *args], cwd=tmp_path)) == expected


def test_command_line_globs_are_relative_to_the_current_directory(tmp_path):
    """The configuration's globs are relative to its file, the command line's to where it runs."""
    write(tmp_path, {".dockerstore-lint.yaml": "select: [DSL101]\n", "x/Dockerfile": VOLUME,
                     "sub/x/Dockerfile": VOLUME, "sub/y/Dockerfile": VOLUME, "sub/[z]/Dockerfile": VOLUME})
    done = run_cli(["-q", "--extend-exclude", "x/**", "--extend-exclude", "[[]z]/**", "."], cwd=tmp_path / "sub")
    assert linted(done) == ["y/Dockerfile"]
    assert linted(run_cli(["-q", "--exclude", "x/**"], cwd=tmp_path)) == [
        "sub/[z]/Dockerfile", "sub/x/Dockerfile", "sub/y/Dockerfile"]


# --- which configuration ---------------------------------------------------------------------------------

PYPROJECT = '[project]\nname = "x"\n\n[tool.dockerstore-lint]\nselect = ["DSL101"]\nlevels = {DSL101 = "error"}\n'


def test_the_yaml_file_wins_over_pyproject_with_a_warning(tmp_path):
    write(tmp_path, {".dockerstore-lint.yaml": "select: [DSL101]\n", "pyproject.toml": PYPROJECT,
                     "Dockerfile": "FROM alpine:3.20\nVOLUME /data\n"})
    done = run_cli([], cwd=tmp_path)
    assert re.findall(r": (\w+): .*\[(DSL\d+)\]", done.stdout) == [("info", "DSL101")]
    assert done.stderr.splitlines()[0] == (
        f"dockerstore-lint: warning: .dockerstore-lint.yaml and pyproject.toml in {tmp_path} both configure "
        "dockerstore-lint: .dockerstore-lint.yaml is used, pyproject.toml is ignored (pass --config to choose)")
    assert run_cli(["-q"], cwd=tmp_path).stderr == ""
    chosen = run_cli(["--config", "pyproject.toml"], cwd=tmp_path)
    assert re.findall(r": (\w+): .*\[(DSL\d+)\]", chosen.stdout) == [("error", "DSL101")]
    assert "both configure" not in chosen.stderr
    assert "both configure" in run_cli(["inspect"], cwd=tmp_path).stderr


@pytest.mark.parametrize("files, warned", [
    ({".dockerstore-lint.yaml": "select: [DSL1]\n", ".dockerstore-lint.yml": "select: [DSL2]\n"}, True),
    ({".dockerstore-lint.yaml": "select: [DSL1]\n", "pyproject.toml": '[project]\nname = "x"\n'}, False),
    ({"sub/.dockerstore-lint.yaml": "select: [DSL1]\n", "pyproject.toml": PYPROJECT}, False),  # nearest wins
])
def test_a_warning_only_when_two_files_in_one_folder_configure(tmp_path, files, warned):
    write(tmp_path, {**files, "sub/Dockerfile": CLEAN})
    done = run_cli(["Dockerfile"], cwd=tmp_path / "sub" if "sub/.dockerstore-lint.yaml" in files else tmp_path)
    assert ("both configure" in done.stderr) is warned


@pytest.mark.parametrize("data, attribute, value", [
    ({"exclude": "vendor/**"}, "exclude", ["vendor/**"]),
    ({"exclude": "vendor/**, gen/*"}, "exclude", ["vendor/**", "gen/*"]),
    ({"throwaway": "deploy/test"}, "throwaway", ["deploy/test"]),
    ({"select": "dsl1"}, "select", ["DSL1"]),
    ({"ignore": "DSL101, DSL2 DSL3"}, "ignore", ["DSL101", "DSL2", "DSL3"]),
    ({"per-path-ignores": {"legacy/*": "DSL101"}}, "per_path_ignores", {"legacy/*": ["DSL101"]}),
])
def test_a_single_string_is_a_list_wherever_a_list_is_expected(tmp_path, data, attribute, value):
    config = Config(base=tmp_path)
    apply(config, data, "test")
    assert getattr(config, attribute) == value


def test_neither_list_nor_string_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match="test: exclude must be a list or a string"):
        apply(Config(base=tmp_path), {"exclude": {"a": 1}}, "test")


def test_a_string_exclude_works_from_toml_too(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.dockerstore-lint]\nexclude = "vendored/**"\nselect = "DSL101"\n',
                     "vendored/Dockerfile": VOLUME, "app/Dockerfile": VOLUME})
    assert linted(run_cli(["-q"], cwd=tmp_path)) == ["app/Dockerfile"]


# --- --show-settings and --show-files --------------------------------------------------------------------

def settings_of(done) -> dict[str, tuple[str, str]]:
    """key -> (value, where it comes from)."""
    rows = {}
    for line in done.stdout.splitlines():
        if not line.startswith("#"):
            setting, _, origin = line.partition("  # ")
            key, _, value = setting.partition(": ")
            rows[key] = (value.strip(), origin)
    return rows


def test_show_settings_says_where_each_value_comes_from(tmp_path):
    write(tmp_path, {".dockerstore-lint.yaml": "ignore: [DSL202]\nlevels: {DSL604: warning}\nenv: {SECRET: s3cr3t}\n",
                     "Dockerfile": VOLUME})
    done = run_cli(["--show-settings", "--ignore", "DSL6", "--fail-level", "error", "--env", "TOKEN=t0ken"],
                   cwd=tmp_path)
    assert done.status == 0 and done.stderr == ""
    assert done.stdout.splitlines()[0] == "# configuration: .dockerstore-lint.yaml"
    shown = settings_of(done)
    assert shown["select"] == ('["DSL"]', "default")
    assert shown["ignore"] == ('["DSL202", "DSL6"]', ".dockerstore-lint.yaml, command line")
    assert shown["levels"] == ('{"DSL604": "warning"}', ".dockerstore-lint.yaml")
    assert shown["fail-level"] == ('"error"', "command line")
    assert shown["max-file-size"] == ("5MB", "default")
    assert shown["env"] == ('["SECRET", "TOKEN"]', ".dockerstore-lint.yaml, command line")
    assert shown["env-from-process"] == ("false", "default"), "--env does not set it"
    assert "s3cr3t" not in done.stdout and "t0ken" not in done.stdout, "variables are shown by name"
    assert list(shown) == ["select", "ignore", "levels", "per-path-ignores", "fail-level", "exclude",
                           "max-file-size", "throwaway", "env", "env-from-process"]


def test_show_settings_without_a_configuration(tmp_path):
    done = run_cli(["--show-settings", "--exclude", "x/**"], cwd=tmp_path)
    assert done.stdout.splitlines()[0] == "# configuration: none found, the defaults apply"
    assert settings_of(done)["exclude"] == ('["x/**"]', "command line")
    assert all(origin == "default" for key, (_, origin) in settings_of(done).items() if key != "exclude")


def test_show_files_says_what_is_read_and_why(tmp_path):
    write(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "build/\n*.generated.yaml\n",
        ".dockerstore-lint.yaml": "exclude: [legacy]\n",
        "Dockerfile": CLEAN, "compose.yaml": "services:\n  app:\n    build: .\n",
        "deploy/stack.yml": "services:\n  db:\n    image: postgres:16\n", "deploy/values.yml": "replicas: 3\n",
        "legacy/Dockerfile": CLEAN, "build/Dockerfile": CLEAN, "node_modules/x/Dockerfile": CLEAN,
        "app.generated.yaml": "services: {}\n", "tmpl/Dockerfile": "FROM {{ .Base }}\n", "README.md": "# x\n",
    })
    shown = run_cli(["--show-files"], cwd=tmp_path)
    assert shown.status == 0
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in shown.stdout.splitlines()}
    assert rows == {
        "Dockerfile": "Dockerfile: claimed by its name",
        "README.md": "Markdown page: claimed by its name",
        "compose.yaml": "Compose file: claimed by its name",
        "deploy/stack.yml": "Compose file: recognised by its content",
        "deploy/values.yml": "skipped: not recognised by its content",
        "legacy": "skipped: excluded by `exclude`",
        "build": "skipped: ignored by git",
        "app.generated.yaml": "skipped: ignored by git",
        # read to see whether it is a Compose file or a script
        ".dockerstore-lint.yaml": "skipped: not recognised by its content",
        ".gitignore": "skipped: not recognised by its content",
        "node_modules": "skipped: other people's code, a cache or a tool's folder",
        "tmpl/Dockerfile": "skipped: a template (`{{ }}`, `%%NAME%%`) to be rendered first",
    }
    assert shown.stdout.splitlines()[0].startswith("Dockerfile "), "what is read first, then what is skipped"


def test_show_files_of_named_files(tmp_path):
    write(tmp_path, {".dockerstore-lint.yaml": "exclude: [legacy/**]\n", "Dockerfile": CLEAN,
                     "compose.yaml": "services:\n  app:\n    build: .\n", "legacy/Dockerfile": CLEAN,
                     "notes.txt": "x\n"})
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in
            run_cli(["--show-files", "Dockerfile", "legacy/Dockerfile"], cwd=tmp_path).stdout.splitlines()}
    assert rows == {
        "Dockerfile": "Dockerfile: named on the command line",
        "legacy/Dockerfile": "Dockerfile: named on the command line",
        "compose.yaml": "Compose file: claimed by its name; read with the project of a named file, its findings "
                        "not reported",
    }
    forced = run_cli(["--show-files", "--force-exclude", "Dockerfile", "legacy/Dockerfile", "notes.txt"],
                     cwd=tmp_path).stdout.splitlines()
    assert "legacy/Dockerfile  skipped: excluded by `exclude` (--force-exclude)" in forced
    assert "notes.txt          skipped: not a kind of file the linter reads (--force-exclude)" in forced
    assert "Dockerfile         Dockerfile: named on the command line" in forced


def test_the_internal_error_report_names_the_issue_tracker_of_pyproject(monkeypatch, capsys):
    """The project's address is written in one place, pyproject.toml's [project.urls]."""
    import sys

    from dockerstore_lint import cli, run

    issues = re.search(r'^Issues = "([^"]+)"', (Path(__file__).parents[1] / "pyproject.toml").read_text(),
                       re.MULTILINE)[1]

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(run, "run_check", broken)
    monkeypatch.setattr(sys, "argv", ["dockerstore-lint", "Dockerfile"])
    with pytest.raises(SystemExit):
        cli.main()
    assert capsys.readouterr().err.endswith(f"This is a bug; please report it at {issues}\n")
