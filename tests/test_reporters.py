"""Every report format: exact output on small hand-made findings, and the real pipeline on fixtures.

The hand-made findings point into `tests/data/reporters` (a Compose file and the Dockerfile it builds),
so that source lines, fingerprints and paths come from real files while the messages stay fixed
whatever the rules' authors change. The fixture runs go through the command line and check that every
format says the same thing as the text report, whose expected lines live in `fixtures/*/expected.txt`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerstore_lint.docs import help_uri, markdown, stem, summary
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.span import Span
from dockerstore_lint.registry import by_code
from dockerstore_lint.reporters import ReportContext, render
from dockerstore_lint.reporters.github import escape_data, escape_property
from tests.cli_process import run_cli

DATA = Path(__file__).resolve().parent / "data" / "reporters"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = by_code()

PARSE_ERROR = Finding("DSL001", "parse-error", "error", "cannot read file: permission denied",
                      Span("app/Dockerfile", 1, 1, 1, 2))
NOT_FOLLOWED = Finding("DSL004", "reference-not-followed", "note",
                       "not followed: build context ./app is outside the scanned root",
                       Span("compose.yaml", 3, 12, 3, 17))
ANONYMOUS = Finding("DSL102", "anonymous-volume", "warning", "service 'api' keeps /cache in an anonymous volume",
                    Span("compose.yaml", 5, 9, 5, 15),
                    related=(Related(Span("app/Dockerfile", 2, 1, 2, 21), "the image's working directory"),))
SUPPRESSED = Finding("DSL102", "anonymous-volume", "warning", "service 'api' keeps /scratch in an anonymous volume",
                     Span("compose.yaml", 7, 9, 7, 17), suppressed="inSource")
FINDINGS = [PARSE_ERROR, NOT_FOLLOWED, ANONYMOUS, SUPPRESSED]


def lines_in(cwd: Path):
    def lines_of(file: str) -> tuple[list[str], bool]:
        path = cwd / file
        return (path.read_text(encoding="utf-8").split("\n") if path.is_file() else []), file.endswith(".yaml")
    return lines_of


def context(cwd: Path = DATA, **options) -> ReportContext:
    rules = [RULES[code] for code in ("DSL001", "DSL004", "DSL102")]
    return ReportContext(rules=rules, files=2, lines_of=lines_in(cwd), cwd=cwd, **options)


# --- text ------------------------------------------------------------------------------------------

def test_text_is_one_gcc_line_per_shown_finding():
    assert render("text", FINDINGS, context()).splitlines() == [
        "app/Dockerfile:1:1: error: cannot read file: permission denied [DSL001]",
        "compose.yaml:3:12: info: not followed: build context ./app is outside the scanned root [DSL004]",
        "compose.yaml:5:9: warning: service 'api' keeps /cache in an anonymous volume [DSL102]",
    ]


def test_text_summary_only_for_a_terminal_and_not_when_quiet():
    summary_line = "3 findings (1 error, 1 warning, 1 info) in 2 files"
    assert render("text", FINDINGS, context(terminal=True)).splitlines()[-1] == summary_line
    assert summary_line not in render("text", FINDINGS, context(terminal=True, quiet=True))
    assert render("text", [], context(terminal=True)) == "no findings in 2 files\n"


def test_text_show_source_puts_a_caret_under_the_span():
    out = render("text", [ANONYMOUS], context(show_source=True)).splitlines()
    assert out == [
        "compose.yaml:5:9: warning: service 'api' keeps /cache in an anonymous volume [DSL102]",
        "          - /cache",
        "            ^^^^^^",
    ]


def test_text_show_source_of_a_long_line_shows_the_part_around_the_span(tmp_path):
    (tmp_path / "compose.yaml").write_text("x" * 100_000 + "\tNEEDLE\x1b" + "y" * 100_000 + "\n")
    finding = Finding("DSL102", "anonymous-volume", "warning", "m", Span("compose.yaml", 1, 100_002, 1, 100_008))
    message, line, caret = render("text", [finding], context(tmp_path, show_source=True)).splitlines()
    assert len(line) < 420 and line.startswith("    …x") and line.endswith("y…")
    assert "x NEEDLE\\x1by" in line  # the tab shown as a space, the escape escaped
    assert caret.index("^") == line.index("NEEDLE") and caret.count("^") == len("NEEDLE")


def test_text_escapes_control_characters_in_names_and_source():
    finding = Finding("DSL102", "anonymous-volume", "warning", "service 'a\nb:1:1: error: x [DSL701]' \u202eok",
                      Span("we\rird/compose.yaml", 5, 9, 5, 15))
    assert render("text", [finding], context()) == (
        "we\\x0dird/compose.yaml:5:9: warning: service 'a\\x0ab:1:1: error: x [DSL701]' \\u202eok [DSL102]\n")


def test_text_colour():
    out = render("text", [ANONYMOUS], context(color=True))
    assert out == ("\x1b[1mcompose.yaml:5:9:\x1b[0m \x1b[33m\x1b[1mwarning\x1b[0m: "
                   "service 'api' keeps /cache in an anonymous volume [DSL102]\n")
    assert "\x1b[" not in render("text", [ANONYMOUS], context(color=False))


# --- json ------------------------------------------------------------------------------------------

def test_json_document():
    document = json.loads(render("json", [ANONYMOUS, SUPPRESSED], context()))
    assert document == {"version": 1, "findings": [
        {"code": "DSL102", "name": "anonymous-volume", "level": "warning",
         "message": "service 'api' keeps /cache in an anonymous volume",
         "file": "compose.yaml", "line": 5, "column": 9, "end_line": 5, "end_column": 15,
         "related": [{"file": "app/Dockerfile", "line": 2, "column": 1, "end_line": 2, "end_column": 21,
                      "message": "the image's working directory"}],
         "suppressed": None, "url": help_uri(RULES["DSL102"])},
        {"code": "DSL102", "name": "anonymous-volume", "level": "warning",
         "message": "service 'api' keeps /scratch in an anonymous volume",
         "file": "compose.yaml", "line": 7, "column": 9, "end_line": 7, "end_column": 17,
         "related": [], "suppressed": "inSource", "url": help_uri(RULES["DSL102"])},
    ]}


# --- github ----------------------------------------------------------------------------------------

def test_github_workflow_commands():
    assert render("github", FINDINGS, context()).splitlines() == [
        ("::error file=app/Dockerfile,line=1,endLine=1,col=1,endColumn=2,title=DSL001 parse-error"
         "::cannot read file: permission denied"),
        ("::notice file=compose.yaml,line=3,endLine=3,col=12,endColumn=17,title=DSL004 reference-not-followed"
         "::not followed: build context ./app is outside the scanned root"),
        ("::warning file=compose.yaml,line=5,endLine=5,col=9,endColumn=15,title=DSL102 anonymous-volume"
         "::service 'api' keeps /cache in an anonymous volume"),
    ]


@pytest.mark.parametrize("raw, data, prop", [
    ("100%", "100%25", "100%25"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
    ("%0A", "%250A", "%250A"),  # an escape already in the text is not decoded by the runner
])
def test_github_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_escapes_properties_and_message_and_drops_columns_across_lines():
    # a line break from a name is escaped as in the text report (one annotation line), then `%` is encoded
    finding = Finding("DSL102", "anonymous-volume", "warning", "50% of\nit: a, b",
                      Span("odd, dir:x/compose.yaml", 2, 3, 4, 5))
    assert render("github", [finding], context()) == (
        "::warning file=odd%2C dir%3Ax/compose.yaml,line=2,endLine=4,title=DSL102 anonymous-volume"
        "::50%25 of\\x0ait: a, b\n")


# --- gitlab ----------------------------------------------------------------------------------------

def test_gitlab_code_quality_issues():
    issues = json.loads(render("gitlab", FINDINGS, context()))
    fingerprints = [issue.pop("fingerprint") for issue in issues]
    assert issues == [
        {"description": "cannot read file: permission denied", "check_name": "DSL001", "severity": "major",
         "location": {"path": "app/Dockerfile", "lines": {"begin": 1, "end": 1}}},
        {"description": "not followed: build context ./app is outside the scanned root", "check_name": "DSL004",
         "severity": "info", "location": {"path": "compose.yaml", "lines": {"begin": 3, "end": 3}}},
        {"description": "service 'api' keeps /cache in an anonymous volume", "check_name": "DSL102",
         "severity": "minor", "location": {"path": "compose.yaml", "lines": {"begin": 5, "end": 5}}},
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", f) for f in fingerprints)
    assert len(set(fingerprints)) == 3


def test_gitlab_report_has_no_bom():
    assert not render("gitlab", FINDINGS, context()).startswith("\ufeff")


COMPOSE = """services:
  db:
    image: postgres:16
    volumes:
      - /var/lib/postgresql/data
  cache:
    image: redis:7
    volumes:
      - /data
"""


def gitlab_prints(project: Path, name: str = "compose.yaml") -> dict[tuple[str, int], str]:
    done = run_cli(["--select", "DSL102", "--format", "gitlab", name], cwd=project)
    assert done.status == 1, done.stderr
    return {(issue["location"]["path"], issue["location"]["lines"]["begin"]): issue["fingerprint"]
            for issue in json.loads(done.stdout)}


def test_gitlab_fingerprints_are_stable_across_runs_and_line_moves(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    first = gitlab_prints(tmp_path)
    assert sorted(first) == [("compose.yaml", 5), ("compose.yaml", 9)]
    assert gitlab_prints(tmp_path) == first
    # lines inserted above move both findings; their fingerprints stay
    (tmp_path / "compose.yaml").write_text("# storage for the stack\n\n" + COMPOSE)
    moved = gitlab_prints(tmp_path)
    assert sorted(moved) == [("compose.yaml", 7), ("compose.yaml", 11)]
    assert sorted(moved.values()) == sorted(first.values())


def test_gitlab_fingerprints_change_with_the_path_and_the_offending_line(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    first = gitlab_prints(tmp_path)
    (tmp_path / "deploy").mkdir()
    shutil.copy(tmp_path / "compose.yaml", tmp_path / "deploy" / "compose.yaml")
    elsewhere = gitlab_prints(tmp_path, "deploy/compose.yaml")
    assert not set(elsewhere.values()) & set(first.values())
    (tmp_path / "compose.yaml").write_text(COMPOSE.replace("- /data", "- /data/cache"))
    edited = gitlab_prints(tmp_path)
    assert edited[("compose.yaml", 5)] == first[("compose.yaml", 5)]
    assert edited[("compose.yaml", 9)] != first[("compose.yaml", 9)]


def test_gitlab_fingerprints_tell_identical_lines_apart(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE.replace("/var/lib/postgresql/data", "/data"))
    prints = gitlab_prints(tmp_path)
    assert len(prints) == 2 and len(set(prints.values())) == 2


# --- sarif -----------------------------------------------------------------------------------------

def sarif_run(findings, cwd: Path = DATA, **options) -> dict:
    log = json.loads(render("sarif", findings, context(cwd, **options)))
    assert log["$schema"].endswith("/errata01/os/schemas/sarif-schema-2.1.0.json")
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    return log["runs"][0]


def test_sarif_results():
    run = sarif_run([NOT_FOLLOWED, ANONYMOUS, SUPPRESSED])
    compose = {"uri": "compose.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["results"] == [
        {"ruleId": "DSL004", "ruleIndex": 1, "level": "note",
         "message": {"text": "not followed: build context ./app is outside the scanned root."},
         "locations": [{"physicalLocation": {"artifactLocation": compose, "region": {
             "startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 17}}}]},
        {"ruleId": "DSL102", "ruleIndex": 2, "level": "warning",
         "message": {"text": "service 'api' keeps /cache in an anonymous volume."},
         "locations": [{"physicalLocation": {"artifactLocation": compose, "region": {
             "startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 15}}}],
         "relatedLocations": [{"id": 1, "message": {"text": "the image's working directory."},
                               "physicalLocation": {
                                   "artifactLocation": {"uri": "app/Dockerfile", "uriBaseId": "%SRCROOT%"},
                                   "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 21}}}]},
        {"ruleId": "DSL102", "ruleIndex": 2, "level": "warning",
         "message": {"text": "service 'api' keeps /scratch in an anonymous volume."},
         "locations": [{"physicalLocation": {"artifactLocation": compose, "region": {
             "startLine": 7, "startColumn": 9, "endLine": 7, "endColumn": 17}}}],
         "suppressions": [{"kind": "inSource", "status": "accepted",
                           "justification": "suppressed by a `# dockerstore-lint: ignore=` comment"}]},
    ]


def test_sarif_run_properties():
    run = sarif_run([ANONYMOUS])
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": DATA.as_uri() + "/"}}
    assert "automationDetails" not in run
    assert "partialFingerprints" not in run["results"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dockerstore-lint"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", driver["semanticVersion"])
    assert driver["informationUri"].startswith("https://")


def test_sarif_rules_come_from_the_rule_docs():
    rules = sarif_run([])["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["DSL001", "DSL004", "DSL102"]
    rule = RULES["DSL102"]
    assert rules[2] == {
        "id": "DSL102", "name": "anonymous-volume",
        "shortDescription": {"text": summary(rule)},
        "fullDescription": {"text": rules[2]["fullDescription"]["text"]},
        "help": {"text": rules[2]["help"]["text"], "markdown": markdown(rule)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["storage", "containers"], "precision": "high", "problem.severity": "warning"},
    }
    assert rules[2]["fullDescription"]["text"].startswith("Flags a container mount of type `volume`")
    assert "## " not in rules[2]["help"]["text"] and "Why it matters" in rules[2]["help"]["text"]
    assert rules[0]["properties"]["tags"] == ["input"]
    assert rules[0]["properties"]["problem.severity"] == "error"
    assert rules[1]["properties"]["problem.severity"] == "recommendation"


def test_sarif_descriptions_are_cut_at_a_sentence_within_the_limit():
    from dockerstore_lint.reporters.sarif import DESCRIPTION_LIMIT, _limited

    long_text = "A storage sentence. " * 100
    assert _limited(long_text).endswith("sentence.") and len(_limited(long_text)) <= DESCRIPTION_LIMIT
    assert _limited("x" * 2000) == "x" * (DESCRIPTION_LIMIT - 1) + "…"
    assert _limited("short.") == "short."


def test_sarif_lists_a_rule_a_finding_names_even_if_not_given():
    run = json.loads(render("sarif", [ANONYMOUS], ReportContext(rules=[], files=1, lines_of=lines_in(DATA),
                                                                cwd=DATA)))["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DSL102"]
    assert run["results"][0]["ruleIndex"] == 0


@pytest.mark.parametrize("category, expected", [("dockerstore-lint", "dockerstore-lint/"), ("a/b/", "a/b/")])
def test_sarif_category_only_when_asked(category, expected):
    assert sarif_run([], sarif_category=category)["automationDetails"] == {"id": expected}


def test_sarif_uris_are_percent_encoded_relative_references(tmp_path):
    (tmp_path / "dir with space").mkdir()
    odd = Finding("DSL102", "anonymous-volume", "warning", "m", Span("dir with space/c#ö.yaml", 1, 1, 1, 2))
    location = sarif_run([odd], tmp_path)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "dir%20with%20space/c%23%C3%B6.yaml", "uriBaseId": "%SRCROOT%"}


def test_sarif_resolves_symlinks_and_keeps_outside_files_relative(tmp_path):
    (tmp_path / "repo" / "real").mkdir(parents=True)
    (tmp_path / "repo" / "real" / "compose.yaml").write_text("services: {}\n")
    os.symlink(tmp_path / "repo" / "real", tmp_path / "repo" / "link")
    (tmp_path / "other").mkdir()
    linked = Finding("DSL102", "anonymous-volume", "warning", "m", Span("link/compose.yaml", 1, 1, 1, 2))
    outside = Finding("DSL102", "anonymous-volume", "warning", "m",
                      Span((tmp_path / "other" / "compose.yaml").as_posix(), 1, 1, 1, 2))
    results = sarif_run([linked, outside], tmp_path / "repo")["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert uris == [{"uri": "real/compose.yaml", "uriBaseId": "%SRCROOT%"},
                    {"uri": "../other/compose.yaml", "uriBaseId": "%SRCROOT%"}]


def test_sarif_keeps_level_when_it_is_the_schema_default():
    # jschema-to-python drops `level: "warning"`, which would make it the rule's default
    error_rule_warning = PARSE_ERROR.with_level("warning")
    note = ANONYMOUS.with_level("note")
    assert [r["level"] for r in sarif_run([error_rule_warning, note])["results"]] == ["warning", "note"]


def test_sarif_suppressed_by_configuration_is_external():
    finding = Finding("DSL102", "anonymous-volume", "warning", "m", Span("compose.yaml", 5, 9, 5, 15),
                      suppressed="external")
    suppression, = sarif_run([finding])["results"][0]["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"


def test_only_the_sarif_format_needs_sarif_om(monkeypatch):
    monkeypatch.setitem(sys.modules, "sarif_om", None)
    for output_format in ("text", "json", "github", "gitlab"):
        render(output_format, FINDINGS, context())
    with pytest.raises(ImportError):
        render("sarif", FINDINGS, context())


# --- every format on real fixtures, through the command line ---------------------------------------

def fixture_case(code: str, fixture: str) -> tuple[Path, list[str]]:
    """A rule folder, and the text lines its expected.txt holds for one fixture."""
    folder = FIXTURES / stem(RULES[code])
    expected = [line for line in (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
                if line.startswith((f"{fixture}:", f"{fixture}/"))]
    return folder, expected


REAL_CASES = [("DSL102", "bad_short_and_long.yaml"), ("DSL001", "bad_duplicate_key.yaml"),
              ("DSL004", "bad_extends_outside")]
TEXT_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<label>error|warning|info): "
                       r"(?P<message>.*) \[(?P<code>DSL\d{3})\]$")


@pytest.mark.parametrize("code, fixture", REAL_CASES)
def test_every_format_reports_the_fixture_findings(code, fixture):
    folder, expected = fixture_case(code, fixture)
    assert expected, "the fixture must have findings"

    def report(output_format: str) -> str:
        # -q: the text format's summary line goes to stderr when the report is piped
        done = run_cli(["-q", "--select", code, "--format", output_format, "--exit-zero", fixture], cwd=folder)
        assert done.status == 0 and done.stderr == "", done.stderr
        return done.stdout

    assert report("text").splitlines() == expected
    parsed = [TEXT_LINE.match(line).groupdict() for line in expected]
    levels = {"info": "note", "error": "error", "warning": "warning"}
    want = [(p["code"], levels[p["label"]], p["file"], int(p["line"]), int(p["column"]), p["message"]) for p in parsed]

    findings = json.loads(report("json"))["findings"]
    assert [(f["code"], f["level"], f["file"], f["line"], f["column"], f["message"]) for f in findings] == want

    commands = {"note": "notice", "error": "error", "warning": "warning"}
    github = report("github").splitlines()
    assert [line.split(" ", 1)[0] for line in github] == [f"::{commands[w[1]]}" for w in want]
    assert all(f"file={escape_property(w[2])},line={w[3]}," in line for w, line in zip(want, github))

    issues = json.loads(report("gitlab"))
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == \
        [(w[0], w[2], w[3]) for w in want]

    run = json.loads(report("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    places = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    got = [(r["ruleId"], r["level"], place["artifactLocation"]["uri"], place["region"]["startLine"],
            place["region"]["startColumn"], r["message"]["text"]) for r, place in zip(run["results"], places)]
    assert got == [(w[0], w[1], w[2], w[3], w[4], w[5] + ".") for w in want]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert [r["id"] for r in rules] == [code]


def test_suppressed_findings_hidden_in_text_github_gitlab_but_carried_in_json_and_sarif():
    def report(output_format: str) -> str:
        return run_cli(["--select", "DSL102", "--format", output_format, "--exit-zero", "."], cwd=DATA).stdout

    assert "/scratch" not in report("text") + report("github") + report("gitlab")
    assert [f["suppressed"] for f in json.loads(report("json"))["findings"]] == [None, "inSource"]
    results = json.loads(report("sarif"))["runs"][0]["results"]
    assert [r.get("suppressions", [{}])[0].get("kind") for r in results] == [None, "inSource"]


# --- what every format shares: long values shortened, JSON written as it is made ----------------------

def test_a_long_value_is_cut_in_the_middle_to_a_stable_length():
    from dockerstore_lint.text.elide import shorten

    assert shorten("abc", 5) == "abc"
    assert shorten("abcdefgh", 5) == "ab…gh" and shorten("abcdefghi", 6) == "abc…hi"
    assert {len(shorten("x" * n, 200)) for n in range(201, 5000, 97)} == {200}


def test_a_message_has_its_long_words_and_then_its_length_shortened():
    from dockerstore_lint.text.elide import MESSAGE_LIMIT, VALUE_LIMIT, shorten, shorten_message

    usual = "service 'web' bind-mounts ./web/logs, which does not exist: Docker creates it as an empty directory"
    assert shorten_message(usual) is usual
    name = "n" * 1_000_000
    message = shorten_message(f"service '{name}' keeps /data in an anonymous volume; use '{name}-data:/data'")
    assert message == f"service {shorten(repr(name), VALUE_LIMIT)} keeps /data in an anonymous volume; " \
                      f"use {shorten(repr(name)[:-1] + '-data:/data' + chr(39), VALUE_LIMIT)}"
    spaced = shorten_message("start " + "a " * 500_000 + "the fix")
    assert len(spaced) == MESSAGE_LIMIT and spaced.startswith("start a a") and spaced.endswith("a the fix")


@given(st.lists(st.sampled_from(["", " ", "  ", "a", "b" * 150, "c" * 201, "d" * 3000, "e\tf", "…"]), max_size=60))
def test_shortening_a_message_is_shortening_each_word_then_the_whole(words):
    from dockerstore_lint.text.elide import MESSAGE_LIMIT, VALUE_LIMIT, shorten, shorten_message

    text = " ".join(words)
    expected = text if len(text) <= VALUE_LIMIT else \
        shorten(" ".join(shorten(word, VALUE_LIMIT) for word in text.split(" ")), MESSAGE_LIMIT)
    assert shorten_message(text) == expected


def test_a_rule_shortens_what_its_finding_quotes():
    from dockerstore_lint.rule import MAX_RELATED, Rule

    class Quoting(Rule):
        code, name = "DSL999", "quoting"

    related = tuple(Related(Span("a", 1, 1, 1, 2), "r" * 10_000) for _ in range(1000))
    finding = Quoting().finding(Span("a", 1, 1, 1, 2), "m" * 10_000, "h" * 10_000, related)
    assert len(finding.message) == 200 and len(finding.help or "") == 200 and len(finding.related) == MAX_RELATED
    assert {len(item.message) for item in finding.related} == {200}


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=5), lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=3), inner, max_size=3), max_leaves=10)


@given(JSON_VALUES, JSON_VALUES, st.lists(JSON_VALUES, max_size=4))
def test_a_streamed_document_is_what_json_dumps_writes(before, after, items):
    from dockerstore_lint.reporters.json_stream import Streamed, dump

    document = {"before": before, "nested": [{"items": Streamed(iter(items))}, after], "after": after}
    pieces: list[str] = []
    dump(document, pieces.append)
    expected = {"before": before, "nested": [{"items": items}, after], "after": after}
    assert "".join(pieces) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
