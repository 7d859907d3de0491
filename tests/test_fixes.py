"""`--fix`, `--unsafe-fixes` and `--diff` on real files: `fixtures/fixes/<case>/`.

Each case is a small project in `before/`, the flags in `args.txt`, and in `after/` the project as the
fixes leave it, byte for byte (comments, quoting, line endings and unrelated lines untouched). The test
fixes a copy, compares it with `after/`, fixes again (nothing changes: fixes are idempotent), checks that
`--diff` prints the same change and writes nothing, and, for Compose files, that the real Compose CLI
accepts the fixed project and resolves its mounts as our model does. `pytest --update-expected` rewrites
`after/` from what the fixes do now: review the diff.
"""

from __future__ import annotations

import difflib
import filecmp
import os
import shutil
from pathlib import Path

import pytest

from dockerstore_lint.loader import Options, WorkspaceLoader
from tests.cli_process import run_cli
from tests.compose_oracle import compose_config, needs_compose, our_spelling
from tests.corpora import CORPUS

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "fixes"


def cases() -> list:
    return [pytest.param(case, id=case.name) for case in sorted(CASES.iterdir()) if case.is_dir()]


def args_of(case: Path) -> list[str]:
    return (case / "args.txt").read_text(encoding="utf-8").split()


def files_of(tree: Path) -> dict[str, bytes]:
    return {path.relative_to(tree).as_posix(): path.read_bytes() for path in sorted(tree.rglob("*")) if path.is_file()}


def fixed_copy(case: Path, tmp_path: Path) -> Path:
    work = tmp_path / "project"
    shutil.copytree(case / "before", work)
    done = run_cli([*args_of(case), "."], cwd=work)
    assert done.status in (0, 1) and "Traceback" not in done.stderr, done.stderr
    return work


@pytest.mark.parametrize("case", cases())
def test_fixes_give_the_after_tree_and_a_second_fix_changes_nothing(case, tmp_path, request):
    work = fixed_copy(case, tmp_path)
    if request.config.getoption("--update-expected"):
        shutil.rmtree(case / "after", ignore_errors=True)
        shutil.copytree(work, case / "after")
    assert files_of(work) == files_of(case / "after")
    again = run_cli([*args_of(case), "."], cwd=work)
    assert files_of(work) == files_of(case / "after"), "a second --fix changed the files"
    assert "fixed 0 findings in 0 files" in again.stderr


@pytest.mark.parametrize("case", cases())
def test_diff_shows_the_fix_and_writes_nothing(case, tmp_path):
    work = tmp_path / "project"
    shutil.copytree(case / "before", work)
    args = [arg if arg != "--fix" else "--diff" for arg in args_of(case)]
    done = run_cli([*args, "."], cwd=work)
    assert files_of(work) == files_of(case / "before")
    before, after = files_of(case / "before"), files_of(case / "after")
    changed = [name for name in sorted(before) if before[name] != after[name]]
    assert done.status == (1 if changed else 0), done.stderr
    expected = "".join(line for name in changed for line in difflib.unified_diff(
        _lines(before[name]), _lines(after[name]), f"a/{name}", f"b/{name}"))
    assert done.stdout == expected


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines(keepends=True)


@needs_compose
@pytest.mark.parametrize("case", [c for c in cases() if (c.values[0] / "after").is_dir()
                                  and any((c.values[0] / "after").glob("compose.y*ml"))])
def test_compose_accepts_every_fixed_project_and_mounts_what_our_model_says(case):
    after = case / "after"
    (compose_file,) = after.glob("compose.y*ml")
    status, config, error = compose_config(after, [compose_file])
    if case.name == "unparsed_file_untouched":
        assert status != 0, "the case is a file Compose refuses, which fixes leave alone"
        return
    assert status == 0, error
    loader = WorkspaceLoader(after, after, Options())
    workspace = loader.load([compose_file])
    (group,) = [g for g in workspace.groups if g.kind == "compose"]
    for name, container in group.containers.items():
        theirs = our_spelling(config["services"][name].get("volumes", []))
        ours = [(m.target.text if m.target else None, _source(m, after), m.read_only) for m in container.mounts
                if m.purpose == "storage"]
        assert sorted(ours, key=str) == sorted(((v["target"], v.get("source"), v.get("read_only", False))
                                                for v in theirs), key=str), name


def _source(mount, root: Path):
    if mount.host is not None and mount.host.local is not None:
        return os.fspath(mount.host.local)
    return mount.source


def test_a_file_that_changed_on_disk_after_it_was_read_is_not_written(tmp_path):
    from dockerstore_lint.fixes.apply import Outcome, write_fixed
    from dockerstore_lint.text.sources import read_source

    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine\nVOLUME [/data]\n")
    source, _ = read_source(path, "Dockerfile")
    assert source is not None
    path.write_text("FROM alpine\nVOLUME [/other]\n")  # an editor saved meanwhile
    skipped = write_fixed(Outcome({path: source}, {path: b"FROM alpine\nVOLUME [\"/data\"]\n"}, 1, [], None))
    assert skipped == ["Dockerfile"] and path.read_text() == "FROM alpine\nVOLUME [/other]\n"


def test_fixes_never_touch_a_file_outside_the_root(tmp_path):
    """A fix whose edits reach a file outside the root (through a link) is not taken at all."""
    from dockerstore_lint.finding import SAFE, Edit, Finding, Fix
    from dockerstore_lint.fixes.apply import Fixable, fix_rounds
    from dockerstore_lint.model.span import Span
    from dockerstore_lint.model.workspace import Workspace
    from dockerstore_lint.text.sources import read_source

    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM alpine\nVOLUME [/data]\n")
    os.symlink(outside / "Dockerfile", root / "Dockerfile")
    (root / "other").write_text("x\n")
    paths = {"Dockerfile": root / "Dockerfile", "other": root / "other"}
    fix = Fix("both", (Edit(Span("other", 1, 1, 1, 2), "y"), Edit(Span("Dockerfile", 2, 8, 2, 15), '["/data"]')), SAFE)
    finding = Finding("DSL003", "x", "error", "m", Span("Dockerfile", 2, 1, 2, 15), fix=fix)
    provided = []
    outcome = fix_rounds((Workspace(root, (), ()), [finding]), lambda: (Workspace(root, (), ()), []),
                         lambda path: read_source(path, path.name)[0], lambda path, data: provided.append(path),
                         Fixable(False, paths.get, root))
    assert outcome.applied == 0 and not outcome.fixed and not provided


def test_fixing_standard_input_prints_the_fixed_text_and_reports_on_stderr(tmp_path):
    done = run_cli(["--fix", "--stdin-filename", "Dockerfile", "-"], cwd=tmp_path,
                   stdin=b"FROM alpine:3.20\nVOLUME [/data]\n")
    assert done.stdout == 'FROM alpine:3.20\nVOLUME ["/data"]\n'
    assert "DSL101" in done.stderr and "DSL003" not in done.stderr
    assert not (tmp_path / "Dockerfile").exists()


def test_fixed_trees_match_after_byte_for_byte_including_line_endings():
    crlf = (CASES / "crlf_and_bom" / "after" / "compose.yaml").read_bytes()
    assert crlf.startswith(b"\xef\xbb\xbf") and b"\n" not in crlf.replace(b"\r\n", b"")
    assert filecmp.cmp(CASES / "unparsed_file_untouched" / "before" / "compose.yaml",
                       CASES / "unparsed_file_untouched" / "after" / "compose.yaml", shallow=False)




@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not available")
def test_fixing_a_copy_of_the_corpus(tmp_path):
    """Every fix applied: the findings fixed are gone, no file without a fix changed, and a Compose file
    Compose accepted before is accepted after."""
    from collections import Counter

    from tests.compose_oracle import compose_binary
    from tests.linting import lint_paths

    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work, symlinks=True)
    before, _ = lint_paths([work], cwd=work)
    fixable = [f for f in before if f.fix is not None and f.fix.applies(True) and f.suppressed is None]
    assert fixable, "the corpus has findings with fixes"
    touched = {edit.span.file for f in fixable for edit in f.fix.edits}
    original = files_of(work)
    done = run_cli(["--fix", "--unsafe-fixes", "-q", "."], cwd=work)
    assert done.status in (0, 1) and "Traceback" not in done.stderr, done.stderr
    changed = {name for name, data in files_of(work).items() if original[name] != data}
    assert changed and changed <= touched
    after, _ = lint_paths([work], cwd=work)
    counts_before = Counter((f.code, f.span.file) for f in before if f.suppressed is None)
    counts_fixed = Counter((f.code, f.span.file) for f in fixable)
    counts_after = Counter((f.code, f.span.file) for f in after if f.suppressed is None)
    for key, count in counts_after.items():
        assert count <= counts_before[key] - counts_fixed[key], key
    if compose_binary() is None:
        return
    for name in sorted(changed):
        if Path(name).suffix not in (".yml", ".yaml"):
            continue
        status_before = compose_config((CORPUS / name).parent, [CORPUS / name])[0]
        status_after, _, error = compose_config((work / name).parent, [work / name])
        assert status_before != 0 or status_after == 0, f"{name}: {error}"


SERVICE = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"


@pytest.mark.parametrize(("volumes", "fixed"), [
    # the last line of a file without a final line break: the break before it goes
    ("volumes:\n  pgdata:\n  old:", "volumes:\n  pgdata:"),
    ("volumes:\n  old:\n  pgdata:\n", "volumes:\n  pgdata:\n"),
    # between blank lines, one of them goes with it
    ("volumes:\n  pgdata:\n\n  old:\n    driver: local\n\nnetworks: {}\n", "volumes:\n  pgdata:\n\nnetworks: {}\n"),
    # a flow mapping is left to the author
    ("volumes: {pgdata: {}, old: {}}\n", "volumes: {pgdata: {}, old: {}}\n"),
])
def test_removing_a_volume_keeps_the_file_well_formed(tmp_path, volumes, fixed):
    (tmp_path / "compose.yaml").write_text(SERVICE + volumes)
    run_cli(["--fix", "--unsafe-fixes", "--select", "DSL602", "."], cwd=tmp_path)
    assert (tmp_path / "compose.yaml").read_text() == SERVICE + fixed


@pytest.mark.parametrize(("before", "after"), [
    ("", "\nvolumes:\n  pgdata:\n"),
    ("volumes:\n", "volumes:\n  pgdata:\n"),
    ("volumes: # ours\n  cache:\n", "volumes: # ours\n  pgdata:\n  cache:\n"),
    ("volumes: ~\n", "volumes:\n  pgdata:\n"),
    # a flow mapping, and a key that is not at the top of the main file: no fix
    ("volumes: {cache: {}}\n", "volumes: {cache: {}}\n"),
])
def test_declaring_a_volume_where_the_project_declares_them(tmp_path, before, after):
    (tmp_path / "compose.yaml").write_text(SERVICE + before)
    run_cli(["--fix", "--select", "DSL601", "."], cwd=tmp_path)
    assert (tmp_path / "compose.yaml").read_text() == SERVICE + after
