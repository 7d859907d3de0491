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


# --- a plain lint skips click ----------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    [], ["check"], ["Dockerfile"], ["check", "a/compose.yaml", "Dockerfile"], ["inspect/compose.yaml"],
    ["check", "check"], ["check", "rules"], [""], ["dir with space/Dockerfile", "ünïcode.yaml"],
])
def test_a_plain_lint_makes_the_request_click_makes(monkeypatch, args):
    """`dockerstore-lint [check] PATHS` skips click; what it asks of the linter must not change."""
    from dockerstore_lint import commands, run

    requests = []
    monkeypatch.setattr(run, "run_check", lambda request: requests.append(request) or 0)
    monkeypatch.setattr(sys, "argv", ["dockerstore-lint", *args])
    with pytest.raises(SystemExit):
        cli.main()
    assert commands.run_command_line(list(args)) == 0
    plain, parsed = requests
    assert plain == parsed
    assert plain.paths, "no path means the current directory"


@pytest.mark.parametrize("args", [["--quiet", "Dockerfile"], ["Dockerfile", "-q"], ["-"], ["--", "Dockerfile"],
                                  ["rules"], ["rule", "DSL101"], ["inspect"], ["--help"], ["check", "--help"]])
def test_anything_else_is_read_by_click(args):
    assert cli._plain_lint(args) is None


def test_the_entry_point_knows_every_command():
    """A command missing from `cli.COMMANDS` would be linted as a path of that name."""
    from dockerstore_lint import commands

    assert sorted(commands.main_group.commands) == sorted(cli.COMMANDS)


def test_a_usage_error_reads_the_same_either_way(tmp_path):
    (tmp_path / ".dockerstore-lint.yaml").write_text("selct: [DSL1]\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    plain, parsed = run_cli(["Dockerfile"], cwd=tmp_path), run_cli(["--quiet", "Dockerfile"], cwd=tmp_path)
    assert plain.status == parsed.status == 2
    assert plain.stderr == parsed.stderr
    assert plain.stderr.startswith("Error: ") and "selct" in plain.stderr


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


def test_summary_on_a_terminal_unless_quiet():
    def lines(*args, terminal=True):
        return run_cli([*args, *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS,
                       terminal=terminal).stdout.splitlines()

    shown = lines("--no-color")
    # the anonymous volumes can be named, which changes where the data lives: an unsafe fix each
    assert shown[-2:] == ["2 findings (0 errors, 2 warnings, 0 info) in 1 file",
                          "2 fixable with --fix --unsafe-fixes"]
    assert lines("--no-color", "--quiet") == shown[:-2]
    assert lines(terminal=False) == shown[:-2]
    assert lines("--no-color", "--unsafe-fixes")[-1] == "[*] 2 fixable with --fix"


def test_show_source():
    lines = run_cli(["--show-source", *ONLY[ANONYMOUS], "bad_short_and_long.yaml"], cwd=ANONYMOUS).stdout
    lines = lines.splitlines()
    assert lines[0].startswith("bad_short_and_long.yaml:5:9: warning:")
    caret = "            " + "^" * len("/var/lib/postgresql/data")
    assert lines[1:3] == ["          - /var/lib/postgresql/data", caret]


def test_paths_are_relative_to_the_current_directory():
    done = run_cli([*ONLY[ANONYMOUS], "dsl102_anonymous_volume/bad_short_and_long.yaml"], cwd=FIXTURES)
    assert done.stdout.startswith("dsl102_anonymous_volume/bad_short_and_long.yaml:5:9: ")
