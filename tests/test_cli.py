"""The `check` command as users run it: exit statuses, fail levels, output files, standard input, colour.

Exit status: 0 nothing at or above the fail level, 1 findings, 2 usage or configuration error,
3 internal error.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint import cli
from dockerstore_lint.registry import by_code
from tests.cli_process import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# each fixture folder is linted with only its rule, so that rules added later do not change the counts
ANONYMOUS = FIXTURES / "dsl102_anonymous_volume"  # warnings
NOT_FOLLOWED = FIXTURES / "dsl004_reference_not_followed"  # notes
PARSE_ERROR = FIXTURES / "dsl001_parse_error"  # errors
ONLY = {ANONYMOUS: ["--select", "DSL102"], NOT_FOLLOWED: ["--select", "DSL004"], PARSE_ERROR: ["--select", "DSL001"]}
DATA = Path(__file__).resolve().parent / "data" / "reporters"


# --- exit statuses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("folder, args, status", [
    (ANONYMOUS, ["good_named.yaml"], 0),
    (ANONYMOUS, [*ONLY[ANONYMOUS], "bad_short_and_long.yaml"], 1),
    (PARSE_ERROR, ["bad_duplicate_key.yaml"], 1),
    (NOT_FOLLOWED, ["bad_remote_include"], 0),  # a note is below the default fail level
    (ANONYMOUS, ["--no-such-flag", "."], 2),
    (ANONYMOUS, ["--select", "DSL999", "."], 2),
    (ANONYMOUS, ["--format", "xml", "."], 2),
])
def test_exit_status(folder, args, status):
    done = run_cli([*ONLY[folder], *args], cwd=folder)
    assert done.status == status, done.stdout + done.stderr


@pytest.mark.parametrize("fail_level, notes, warnings, errors", [
    ("note", 1, 1, 1),
    ("warning", 0, 1, 1),
    ("error", 0, 0, 1),
    ("none", 0, 0, 0),
])
def test_fail_level(fail_level, notes, warnings, errors):
    def status(folder, path):
        return run_cli([*ONLY[folder], "--fail-level", fail_level, path], cwd=folder).status

    assert status(NOT_FOLLOWED, "bad_remote_include") == notes
    assert status(ANONYMOUS, "bad_short_and_long.yaml") == warnings
    assert status(PARSE_ERROR, "bad_duplicate_key.yaml") == errors


def test_exit_zero_still_reports():
    done = run_cli(["--exit-zero", *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS)
    assert done.status == 0
    assert "[DSL102]" in done.stdout


def test_suppressed_findings_do_not_fail_the_run(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  db:\n    image: postgres:16\n    volumes:\n"
        "      - /var/lib/postgresql/data  # dockerstore-lint: ignore=DSL102\n")
    done = run_cli([*ONLY[ANONYMOUS], "compose.yaml"], cwd=tmp_path)
    assert (done.status, done.stdout) == (0, "")


def test_internal_error_is_exit_3_with_a_one_line_report(monkeypatch, capsys):
    def broken(self, container, group):
        raise RuntimeError("boom")

    monkeypatch.setattr(by_code()["DSL102"], "container", broken)
    monkeypatch.chdir(ANONYMOUS)
    monkeypatch.setattr(sys, "argv", ["dockerstore-lint", *ONLY[ANONYMOUS], "bad_short_and_long.yaml"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 3
    error = capsys.readouterr().err
    assert error.startswith("dockerstore-lint: internal error: RuntimeError: boom.")
    assert len(error.splitlines()) == 1


# --- a lint skips click ---------------------------------------------------------------------------

# files and folders the option values below name, made by `project`
_EXISTING = {"conf.yaml": "select: [DSL1]\n", "prod.env": "A=1\n", "out.json": "", "Dockerfile": "FROM alpine\n"}


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name, text in _EXISTING.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "folder").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def requests_both_ways(monkeypatch, args):
    """The request of `args` read by the entry point's table (None if it leaves them to click), and by click."""
    from dockerstore_lint import commands, run

    requests = []
    monkeypatch.setattr(run, "run_check", lambda request: requests.append(request) or 0)
    parsed = cli.parse_check(list(args))
    fast = cli.lint_request(*parsed) if parsed is not None else None
    status = commands.run_command_line(list(args))
    return fast, requests[0] if status == 0 and requests else None


@pytest.mark.parametrize("args", [
    [], ["check"], ["Dockerfile"], ["check", "a/compose.yaml", "Dockerfile"], ["inspect/compose.yaml"],
    ["check", "check"], ["check", "rules"], [""], ["dir with space/Dockerfile", "ünïcode.yaml"],
    # what editors and hooks pass
    ["--format", "json", "--stdin-filename", "app/Dockerfile", "-"], ["check", "--format=text", "-", "--exit-zero"],
    ["-o", "out.json", "--format", "sarif", "--exit-zero", "."], ["--output=new.txt", "--config", "conf.yaml", "x"],
    ["check", "--force-exclude", "Dockerfile", "README.md"], ["--select", "dsl1, DSL2", "--select=DSL3", "--ignore",
                                                             "DSL101", "."],
    ["--fix", "--unsafe-fixes", "x"], ["--diff", "-q", "x"], ["--quiet", "Dockerfile"], ["Dockerfile", "-q"],
    ["--color", "--no-color", "--show-source", "x"], ["--no-color", "--color", "x"], ["--fail-level", "none", "x"],
    ["--root", "folder", "--max-file-size", "1MB", "--sarif-category", "cat", "folder/x"],
    ["--env", "A=1", "--env", "B=", "--env-file", "prod.env", "--env-from-process", "x"],
    ["--exclude", "vendor/**, gen/*", "--extend-exclude=a,b", "--exclude", "c"], ["--statistics", "x"],
    ["--show-settings"], ["--show-files", "."], ["--stdin-filename", "-o", "-"], ["--select", "-x", "x"],
])
def test_a_lint_with_options_makes_the_request_click_makes(project, monkeypatch, args):
    """`dockerstore-lint [check] [OPTIONS] PATHS` skips click; what it asks of the linter must not change."""
    fast, parsed = requests_both_ways(monkeypatch, args)
    assert fast is not None, "read by the entry point's table"
    assert fast == parsed
    assert fast.paths, "no path means the current directory"


_WORDS = ["--format", "json", "text", "xml", "-o", "out.json", "folder", "--select", "DSL1,dsl2", "--ignore",
          "--exit-zero", "--exit-zero=1", "-q", "--quiet", "--color", "--no-color", "--config", "conf.yaml",
          "missing.yaml", "--root", "Dockerfile", "--env-file", "prod.env", "--env", "A=1", "--fix", "--statistics",
          "--exclude", "x/**", "--extend-exclude=y", "--fail-level", "none", "bogus", "-", "--", "-h", "--help",
          "-qo", "--no-such", "--format=sarif", "rules", "check", "inspect", "path/compose.yaml", ""]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(st.sampled_from(_WORDS), max_size=7))
def test_the_table_never_reads_a_command_line_otherwise_than_click(project, monkeypatch, args):
    """Whatever the words, the entry point either reads them exactly as click does or leaves them to click
    (which explains what is wrong)."""
    fast, parsed = requests_both_ways(monkeypatch, args)
    if fast is not None:
        assert fast == parsed


@pytest.mark.parametrize("args", [
    ["--", "Dockerfile"], ["rules"], ["rule", "DSL101"], ["inspect"], ["--help"], ["check", "--help"], ["-h"],
    ["--version"], ["--format", "xml", "."], ["--no-such-flag"], ["--select"], ["--exit-zero=1"], ["-qo", "x.json"],
    ["--config", "missing.yaml"], ["--config", "folder"], ["--root", "Dockerfile"], ["-o", "folder"],
    ["--env-file", "missing.env"],
])
def test_what_click_explains_is_left_to_click(project, args):
    assert cli.parse_check(args) is None


def test_the_table_is_the_check_command(project):
    """Every option of `check` comes from the table: one the table lacks would send its lints through click."""
    from dockerstore_lint import commands

    options = [param for param in commands.check.params if param.param_type_name == "option"]
    table = [option.field for option in cli.CHECK_OPTIONS]
    assert [option.name for option in options] == table


@pytest.mark.parametrize("args", [
    ["--format", "json", "--stdin-filename", "Dockerfile", "-"],
    ["check", "--format", "text", "-o", "report.txt", "--exit-zero", "--config", "conf.yaml", "--force-exclude",
     "--select", "DSL1", "--ignore", "DSL101", "--no-color", "Dockerfile"],
    ["--fix", "--unsafe-fixes", "--statistics", "--exclude", "vendor/**", "Dockerfile"],
])
def test_a_lint_with_the_options_editors_and_hooks_pass_does_not_import_click(project, args):
    import subprocess

    script = ("import atexit, sys\n"
              "atexit.register(lambda: sys.stderr.write('click imported: %s\\n' % ('click' in sys.modules)))\n"
              "from dockerstore_lint.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=project, input=b"FROM alpine:3.20\n",
                          capture_output=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr.decode().splitlines()[-1] == "click imported: False"
    assert run_cli(["--no-such-flag"], cwd=project).status == 2, "the same check sees click when it is needed"


def test_the_entry_point_knows_every_command():
    """A command missing from `cli.COMMANDS` would be linted as a path of that name."""
    from dockerstore_lint import commands

    assert sorted(commands.main_group.commands) == sorted(cli.COMMANDS)


def test_a_usage_error_reads_the_same_either_way(tmp_path):
    (tmp_path / ".dockerstore-lint.yaml").write_text("selct: [DSL1]\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    plain, parsed = run_cli(["Dockerfile"], cwd=tmp_path), run_cli(["--", "Dockerfile"], cwd=tmp_path)
    assert plain.status == parsed.status == 2
    assert plain.stderr == parsed.stderr
    assert plain.stderr.startswith("Error: ") and "selct" in plain.stderr


# --- commands ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, meant", [
    (["explain", "DSL101"], "rule DSL101"), (["DSL101"], "rule DSL101"), (["dsl604", "--format", "json"],
                                                                          "rule DSL604 --format json"),
    (["explain"], "rules"), (["inpsect", "."], "inspect ."), (["lint", "--format", "json", "a b"],
                                                               "check --format json 'a b'"),
    (["lsp"], "server"), (["list"], "rules"), (["help"], "--help"),
])
def test_a_mistyped_command_is_answered_with_the_command_meant(tmp_path, args, meant):
    done = run_cli(args, cwd=tmp_path)
    assert (done.status, done.stdout) == (2, "")
    assert done.stderr == f"Error: '{args[0]}' is neither a command nor a path; did you mean " \
                          f"`dockerstore-lint {meant}`?\n"


@pytest.mark.parametrize("args", [["explain"], ["DSL101"], ["lint", "."]])
def test_a_path_named_like_a_command_is_linted(tmp_path, args):
    (tmp_path / args[0]).mkdir()
    (tmp_path / args[0] / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\n")
    done = run_cli(["--select", "DSL1", *args], cwd=tmp_path)
    assert done.status == 0, done.stderr
    assert "did you mean" not in done.stderr


def test_a_word_like_no_command_is_linted_as_a_path(tmp_path):
    done = run_cli(["nothing-like-any-command"], cwd=tmp_path)
    assert done.status == 1
    assert "cannot read path" in done.stdout and "did you mean" not in done.stderr


@pytest.mark.parametrize("wanted", ["DSL101", "dsl101", "dockerfile-volume", "dockerfile_volume"])
def test_rule_by_code_or_name(wanted):
    done = run_cli(["rule", wanted], cwd=FIXTURES)
    assert done.status == 0
    assert done.stdout.startswith("# DSL101 dockerfile-volume\n")


def test_rule_unknown_is_a_usage_error():
    done = run_cli(["rule", "no-such-rule"], cwd=FIXTURES)
    assert done.status == 2 and "unknown rule 'no-such-rule'" in done.stderr


def test_rules_mark_what_fix_can_fix_in_text_and_json():
    from dockerstore_lint.docs import sections

    expected = {rule.code: "Fix safety" in sections(rule) for rule in by_code().values()}
    assert any(expected.values()) and not all(expected.values())
    text = run_cli(["rules"], cwd=FIXTURES).stdout.splitlines()
    assert {line.split()[0]: "[*]" in line.split("  ")[1:4] or " [*] " in line for line in text} == expected
    listed = json.loads(run_cli(["rules", "--format", "json"], cwd=FIXTURES).stdout)
    assert {rule["code"]: rule["fixable"] for rule in listed} == expected
    assert set(listed[0]) == {"code", "name", "level", "fixable", "summary", "url"}


def test_help_lists_each_command_with_its_whole_summary():
    from dockerstore_lint import commands

    shown = " ".join(run_cli(["--help"], cwd=FIXTURES).stdout.split("Commands:")[1].split())
    assert "..." not in shown
    for name, command in commands.main_group.commands.items():
        first_line = command.help.strip().splitlines()[0]
        assert f"{name} {first_line}" in shown


def test_check_help_shows_every_option():
    shown = run_cli(["check", "--help"], cwd=FIXTURES).stdout
    for option in cli.CHECK_OPTIONS:
        assert all(flag in shown for flag in option.flags), option.flags


# --- output ----------------------------------------------------------------------------------------

def test_output_file_is_the_report_and_replaces_the_old_one(tmp_path):
    stdout = run_cli(["--format", "sarif", *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS).stdout
    target = tmp_path / "report.sarif"
    target.write_text("x" * 100_000)
    done = run_cli(["--format", "sarif", "-o", str(target), *ONLY[ANONYMOUS], "bad_short_and_long.yaml"],
                   cwd=ANONYMOUS)
    assert (done.status, done.stdout) == (1, "")
    assert target.read_text(encoding="utf-8") == stdout
    assert [p.name for p in tmp_path.iterdir()] == ["report.sarif"], "no temporary file is left behind"


def test_output_file_gets_the_usual_mode(tmp_path):
    target = tmp_path / "report.txt"
    run_cli(["--output", str(target), *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_output_has_no_summary_even_from_a_terminal(tmp_path):
    target = tmp_path / "report.txt"
    done = run_cli(["-o", str(target), *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS, terminal=True)
    assert done.stdout == ""
    assert target.read_text().count("\n") == 2 and "\x1b[" not in target.read_text()
    assert done.stderr.splitlines() == SUMMARY


@pytest.mark.parametrize("where", ["missing/report.sarif", "file/report.sarif"])
def test_unwritable_output_is_exit_2(tmp_path, where):
    (tmp_path / "file").write_text("a file, not a directory")
    done = run_cli(["--format", "sarif", "-o", str(tmp_path / where), *ONLY[ANONYMOUS], "bad_short_and_long.yaml"],
                   cwd=ANONYMOUS)
    assert done.status == 2
    assert "cannot write" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# --- standard input --------------------------------------------------------------------------------

DOCKERFILE = b"FROM alpine:3.20\nVOLUME /data\nFOO bar\n"


@pytest.mark.parametrize("name", ["app/Dockerfile", "app/compose.yaml"])
def test_stdin_is_linted_as_the_named_file(tmp_path, name):
    (tmp_path / "app").mkdir()
    (tmp_path / name).write_bytes(DOCKERFILE)
    from_disk = run_cli(["--format", "json", name], cwd=tmp_path)
    (tmp_path / name).unlink()
    from_stdin = run_cli(["--format", "json", "-", "--stdin-filename", name], cwd=tmp_path, stdin=DOCKERFILE)
    assert json.loads(from_stdin.stdout)["findings"], "the content has findings either way"
    assert (from_stdin.status, from_stdin.stdout) == (from_disk.status, from_disk.stdout)
    assert all(f["file"] == name for f in json.loads(from_stdin.stdout)["findings"])


def test_stdin_name_decides_the_kind():
    def as_file(name):
        return run_cli(["--format", "json", "-", "--stdin-filename", name], cwd=DATA, stdin=DOCKERFILE)

    as_dockerfile, as_compose = as_file("Dockerfile"), as_file("compose.yaml")
    assert as_dockerfile.stdout != as_compose.stdout
    assert "Compose" in json.loads(as_compose.stdout)["findings"][0]["message"]


def test_stdin_without_a_name_is_reported_as_dash():
    compose = (ANONYMOUS / "bad_short_and_long.yaml").read_bytes()
    done = run_cli([*ONLY[ANONYMOUS], "-"], cwd=ANONYMOUS, stdin=compose)
    assert done.status == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["-", "-"]


def test_stdin_compose_reads_related_files_from_disk(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "common.yaml").write_text("services:\n  base:\n    image: postgres:16\n")
    compose = b"services:\n  db:\n    extends:\n      file: common.yaml\n      service: base\n"
    beside = run_cli([*ONLY[PARSE_ERROR], "-", "--stdin-filename", "project/compose.yaml"], cwd=tmp_path, stdin=compose)
    assert (beside.status, beside.stdout) == (0, "")
    elsewhere = run_cli([*ONLY[PARSE_ERROR], "-", "--stdin-filename", "compose.yaml"], cwd=tmp_path, stdin=compose)
    assert elsewhere.status == 1
    assert elsewhere.stdout.startswith("compose.yaml:4:13: error: extends: cannot read common.yaml")


def test_stdin_compose_builds_the_dockerfile_on_disk(monkeypatch):
    """The project's `build:` is linked to the Dockerfile next to the named file, parsed from disk."""
    import io

    from dockerstore_lint.config import Config
    from dockerstore_lint.run import LintRequest, _loader

    compose = (DATA / "compose.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(compose)))
    monkeypatch.chdir(DATA.parent)
    request = LintRequest(paths=[Path("-")], stdin_filename="reporters/compose.yaml")
    loader, paths, report_files = _loader(request, DATA.parent, Config(base=DATA.parent))
    service = loader.load(paths).groups[0].containers["api"]
    assert report_files == {"reporters/compose.yaml"}
    assert service.dockerfile.file == "reporters/app/Dockerfile"
    assert service.stage.base.name == "node"


@pytest.mark.parametrize("args", [["-", "compose.yaml"], ["--stdin-filename", "x.yaml", "compose.yaml"]])
def test_stdin_misuse_is_a_usage_error(args):
    assert run_cli(args, cwd=DATA).status == 2


# --- colour, summary, source -----------------------------------------------------------------------

ESCAPE = "\x1b["


@pytest.mark.parametrize("args, env, terminal, coloured", [
    ([], {}, True, True),
    ([], {"NO_COLOR": "1"}, True, False),
    (["--no-color"], {}, True, False),
    ([], {}, False, False),
    (["--color"], {}, False, True),
])
def test_colour(args, env, terminal, coloured):
    done = run_cli([*args, *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS, env=env,
                   terminal=terminal)
    assert done.status == 1
    assert (ESCAPE in done.stdout) is coloured


SUMMARY = ["2 findings (0 errors, 2 warnings, 0 info) in 1 file; 1 file checked",
           # the anonymous volumes can be named, which changes where the data lives: an unsafe fix each
           "2 fixable with --fix --unsafe-fixes"]


def lint_anonymous(*args, terminal=True):
    return run_cli([*args, *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS, terminal=terminal)


def test_summary_follows_the_report_on_a_terminal_unless_quiet():
    shown = lint_anonymous("--no-color")
    assert shown.stdout.splitlines()[-2:] == SUMMARY and shown.stderr == ""
    quiet = lint_anonymous("--no-color", "--quiet")
    assert (quiet.stdout.splitlines(), quiet.stderr) == (shown.stdout.splitlines()[:-2], "")
    assert lint_anonymous("--no-color", "--unsafe-fixes").stdout.splitlines()[-1] == "[*] 2 fixable with --fix"


def test_summary_goes_to_standard_error_when_the_report_is_piped():
    piped = lint_anonymous(terminal=False)
    assert [line.split(":")[0] for line in piped.stdout.splitlines()] == ["bad_short_and_long.yaml"] * 2
    assert piped.stderr.splitlines() == SUMMARY
    assert lint_anonymous("-q", terminal=False).stderr == ""
    assert lint_anonymous("--format", "json", terminal=False).stderr == ""


def test_summary_counts_the_files_with_findings_and_the_files_checked(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 1000\nVOLUME /data\n")
    (tmp_path / "b" / "compose.yaml").write_text("services:\n  db:\n    image: postgres:16\n    volumes:\n"
                                                 "      - pg:/var/lib/postgresql\nvolumes:\n  pg:\n")
    assert run_cli(["--select", "DSL101"], cwd=tmp_path).stderr == \
        "1 finding (0 errors, 0 warnings, 1 info) in 1 file; 3 files checked\n"
    assert run_cli(["--select", "DSL101", "a"], cwd=tmp_path).stderr == "no findings (1 file checked)\n"


def test_statistics_count_findings_by_rule_in_ruffs_layout(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  a:\n    image: alpine\n    volumes:\n      - /x\n      - /y\n      - missing:/z\n"
        "  b:\n    image: alpine\n    volumes:\n      - /w\n")
    done = run_cli(["--statistics", "--select", "DSL102,DSL601"], cwd=tmp_path)
    # DSL601's fix (declaring the volume) is safe, DSL102's (naming the volume) is not
    assert done.stdout == "3\tDSL102\t[ ] anonymous-volume\n1\tDSL601\t[*] undefined-named-volume\n"
    assert done.status == 1 and done.stderr.startswith("4 findings")
    unsafe = run_cli(["--statistics", "--unsafe-fixes", "--select", "DSL102,DSL601"], cwd=tmp_path).stdout
    assert unsafe == "3\tDSL102\t[*] anonymous-volume\n1\tDSL601\t[*] undefined-named-volume\n"
    assert run_cli(["--statistics", "--select", "DSL102"], cwd=tmp_path).stdout == "3\tDSL102\tanonymous-volume\n"
    as_json = run_cli(["--statistics", "--format", "json", "--select", "DSL102,DSL601"], cwd=tmp_path)
    assert json.loads(as_json.stdout) == [
        {"code": "DSL102", "name": "anonymous-volume", "count": 3, "fixable": False},
        {"code": "DSL601", "name": "undefined-named-volume", "count": 1, "fixable": True}]
    wrong = run_cli(["--statistics", "--format", "sarif"], cwd=tmp_path)
    assert wrong.status == 2 and "--statistics prints text or json" in wrong.stderr


def test_show_source():
    lines = run_cli(["--show-source", *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS).stdout
    lines = lines.splitlines()
    assert lines[0].startswith("bad_short_and_long.yaml:5:9: warning:")
    caret = "            " + "^" * len("/var/lib/postgresql/data")
    assert lines[1:3] == ["          - /var/lib/postgresql/data", caret]


def test_paths_are_relative_to_the_current_directory():
    done = run_cli([*ONLY[ANONYMOUS], "dsl102_anonymous_volume/bad_short_and_long.yaml"], cwd=FIXTURES)
    assert done.stdout.startswith("dsl102_anonymous_volume/bad_short_and_long.yaml:5:9: ")


def test_the_readme_documents_every_option_of_check():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Options of `check`", 1)[1].split("\n## ", 1)[0]
    for option in cli.CHECK_OPTIONS:
        assert any(f"`{flag}" in table or f", {flag}" in table or f"/ {flag}" in table for flag in option.flags), \
            option.flags
