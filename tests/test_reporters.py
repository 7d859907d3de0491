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
from dockerstore_lint.finding import UNSAFE, Edit, Finding, Fix, Related
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
# the anonymous volume with the fix DSL102 gives it: two edits, one of them in another place of the file
FIXED = ANONYMOUS._replace(fix=Fix("Name the volume 'api-cache'", (
    Edit(Span("compose.yaml", 5, 9, 5, 9), "api-cache:"),
    Edit(Span("compose.yaml", 7, 17, 7, 17), "\nvolumes:\n  api-cache:")), UNSAFE))


def lines_in(cwd: Path):
    def lines_of(file: str) -> tuple[list[str], bool]:
        path = cwd / file
        return (path.read_text(encoding="utf-8").split("\n") if path.is_file() else []), file.endswith(".yaml")
    return lines_of


def context(cwd: Path = DATA, **options) -> ReportContext:
    options.setdefault("rules", [RULES[code] for code in ("DSL001", "DSL004", "DSL102")])
    return ReportContext(files=2, lines_of=lines_in(cwd), cwd=cwd, **options)


# --- text ------------------------------------------------------------------------------------------

def test_text_is_one_gcc_line_per_shown_finding():
    assert render("text", FINDINGS, context()).splitlines() == [
        "app/Dockerfile:1:1: error: cannot read file: permission denied [DSL001]",
        "compose.yaml:3:12: info: not followed: build context ./app is outside the scanned root [DSL004]",
        "compose.yaml:5:9: warning: service 'api' keeps /cache in an anonymous volume [DSL102]",
    ]


def test_text_summary_counts_levels_files_with_findings_and_files_checked():
    from dockerstore_lint.reporters.text import summary

    assert summary(FINDINGS, 5, False) == "3 findings (1 error, 1 warning, 1 info) in 2 files; 5 files checked\n"
    assert summary([], 1, False) == "no findings (1 file checked)\n"
    # the report itself never holds it: run.py writes it where people read it
    assert "findings" not in render("text", FINDINGS, context())


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
         "suppressed": None, "url": help_uri(RULES["DSL102"]), "fix": None},
        {"code": "DSL102", "name": "anonymous-volume", "level": "warning",
         "message": "service 'api' keeps /scratch in an anonymous volume",
         "file": "compose.yaml", "line": 7, "column": 9, "end_line": 7, "end_column": 17,
         "related": [], "suppressed": "inSource", "url": help_uri(RULES["DSL102"]), "fix": None},
    ]}


def test_json_carries_the_fix_with_its_edits():
    document = json.loads(render("json", [FIXED, ANONYMOUS._replace(fix=Fix("Nothing to edit"))], context()))
    assert document["findings"][0]["fix"] == {
        "title": "Name the volume 'api-cache'", "applicability": "unsafe",
        "edits": [{"file": "compose.yaml", "line": 5, "column": 9, "end_line": 5, "end_column": 9,
                   "text": "api-cache:"},
                  {"file": "compose.yaml", "line": 7, "column": 17, "end_line": 7, "end_column": 17,
                   "text": "\nvolumes:\n  api-cache:"}]}
    assert document["findings"][1]["fix"] is None  # a fix without edits is none


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


def fingerprints_of(project: Path, output_format: str, name: str = "compose.yaml") -> dict[tuple[str, int], str]:
    """(path, line) -> fingerprint, from GitLab's `fingerprint` or SARIF's `partialFingerprints`."""
    done = run_cli(["--select", "DSL102", "--format", output_format, name], cwd=project)
    assert done.status == 1, done.stderr
    if output_format == "gitlab":
        return {(issue["location"]["path"], issue["location"]["lines"]["begin"]): issue["fingerprint"]
                for issue in json.loads(done.stdout)}
    places = {}
    for result in json.loads(done.stdout)["runs"][0]["results"]:
        place = result["locations"][0]["physicalLocation"]
        places[(place["artifactLocation"]["uri"], place["region"]["startLine"])] = \
            result["partialFingerprints"]["dockerstoreLint/v1"]
    return places


FINGERPRINTED = pytest.mark.parametrize("output_format", ["gitlab", "sarif"])


@FINGERPRINTED
def test_fingerprints_are_stable_across_runs_and_line_moves(tmp_path, output_format):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    first = fingerprints_of(tmp_path, output_format)
    assert sorted(first) == [("compose.yaml", 5), ("compose.yaml", 9)]
    assert fingerprints_of(tmp_path, output_format) == first
    # lines inserted above move both findings; their fingerprints stay
    (tmp_path / "compose.yaml").write_text("# storage for the stack\n\n" + COMPOSE)
    moved = fingerprints_of(tmp_path, output_format)
    assert sorted(moved) == [("compose.yaml", 7), ("compose.yaml", 11)]
    assert sorted(moved.values()) == sorted(first.values())


@FINGERPRINTED
def test_fingerprints_change_with_the_path_and_the_offending_line(tmp_path, output_format):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    first = fingerprints_of(tmp_path, output_format)
    (tmp_path / "deploy").mkdir()
    shutil.copy(tmp_path / "compose.yaml", tmp_path / "deploy" / "compose.yaml")
    elsewhere = fingerprints_of(tmp_path, output_format, "deploy/compose.yaml")
    assert not set(elsewhere.values()) & set(first.values())
    (tmp_path / "compose.yaml").write_text(COMPOSE.replace("- /data", "- /data/cache"))
    edited = fingerprints_of(tmp_path, output_format)
    assert edited[("compose.yaml", 5)] == first[("compose.yaml", 5)]
    assert edited[("compose.yaml", 9)] != first[("compose.yaml", 9)]


@FINGERPRINTED
def test_fingerprints_tell_identical_lines_apart(tmp_path, output_format):
    (tmp_path / "compose.yaml").write_text(COMPOSE.replace("/var/lib/postgresql/data", "/data"))
    prints = fingerprints_of(tmp_path, output_format)
    assert len(prints) == 2 and len(set(prints.values())) == 2


def test_a_sarif_result_keeps_its_fingerprint_when_another_is_suppressed(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    first = fingerprints_of(tmp_path, "sarif")
    comment = "      # dockerstore-lint: ignore=DSL102\n"
    (tmp_path / "compose.yaml").write_text(COMPOSE.replace("      - /var/lib", comment + "      - /var/lib"))
    suppressed = fingerprints_of(tmp_path, "sarif")
    assert sorted(suppressed.values()) == sorted(first.values())  # the suppressed result keeps its identity too


# --- junit -----------------------------------------------------------------------------------------

def test_junit_is_a_suite_per_file_and_a_failed_case_per_shown_finding():
    assert render("junit", FINDINGS, context()).splitlines() == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="dockerstore-lint" tests="3" failures="3" errors="0">',
        '  <testsuite name="app/Dockerfile" tests="1" failures="1" errors="0" skipped="0">',
        '    <testcase name="DSL001 parse-error at 1:1" classname="app/Dockerfile" file="app/Dockerfile" line="1">',
        '      <failure message="cannot read file: permission denied" type="error">'
        'app/Dockerfile:1:1: error: cannot read file: permission denied [DSL001]</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="compose.yaml" tests="2" failures="2" errors="0" skipped="0">',
        '    <testcase name="DSL004 reference-not-followed at 3:12" classname="compose" file="compose.yaml" line="3">',
        '      <failure message="not followed: build context ./app is outside the scanned root" type="note">'
        'compose.yaml:3:12: info: not followed: build context ./app is outside the scanned root [DSL004]</failure>',
        '    </testcase>',
        '    <testcase name="DSL102 anonymous-volume at 5:9" classname="compose" file="compose.yaml" line="5">',
        '      <failure message="service \'api\' keeps /cache in an anonymous volume" type="warning">'
        'compose.yaml:5:9: warning: service \'api\' keeps /cache in an anonymous volume [DSL102]</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
    ]


def test_junit_without_findings_is_one_passing_case():
    """Jenkins' `junit` step fails a build whose report holds no test."""
    assert render("junit", [SUPPRESSED], context()).splitlines()[1:] == [
        '<testsuites name="dockerstore-lint" tests="1" failures="0" errors="0">',
        '  <testsuite name="dockerstore-lint" tests="1" failures="0" errors="0" skipped="0">',
        '    <testcase name="no findings in 2 files" classname="dockerstore-lint"/>',
        '  </testsuite>',
        '</testsuites>',
    ]


# --- checkstyle ------------------------------------------------------------------------------------

def test_checkstyle_is_a_file_element_per_file_and_an_error_per_shown_finding():
    assert render("checkstyle", FINDINGS, context()).splitlines() == [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<checkstyle version="4.3">',
        '  <file name="app/Dockerfile">',
        '    <error line="1" column="1" severity="error" message="cannot read file: permission denied" '
        'source="dockerstore-lint.DSL001"/>',
        '  </file>',
        '  <file name="compose.yaml">',
        '    <error line="3" column="12" severity="info" message="not followed: build context ./app is outside the '
        'scanned root" source="dockerstore-lint.DSL004"/>',
        '    <error line="5" column="9" severity="warning" message="service \'api\' keeps /cache in an anonymous '
        'volume" source="dockerstore-lint.DSL102"/>',
        '  </file>',
        '</checkstyle>',
    ]
    assert render("checkstyle", [], context()).splitlines()[1:] == ['<checkstyle version="4.3">', '</checkstyle>']


@pytest.mark.parametrize("output_format", ["junit", "checkstyle"])
def test_xml_formats_escape_markup_and_what_xml_cannot_hold(output_format):
    import xml.etree.ElementTree as ElementTree

    finding = Finding("DSL102", "anonymous-volume", "warning", 'a <b> & "c"\td\x01e\ufffef\udcff',
                      Span('we"ird<&>\n/compose.yaml', 5, 9, 5, 15))
    report = render(output_format, [finding], context())
    root = ElementTree.fromstring(report.encode("utf-8"))  # well-formed, as UTF-8
    element = root.find(".//failure" if output_format == "junit" else ".//error")
    assert element.get("message") == 'a <b> & "c"\td\\x01e\\ufffef\\xff'
    assert root.find("./testsuite" if output_format == "junit" else "./file").get("name") == \
        'we"ird<&>\\x0a/compose.yaml'


# --- sonarqube -------------------------------------------------------------------------------------

def test_sonarqube_rules_and_issues():
    report = json.loads(render("sonarqube", FINDINGS, context()))
    assert [rule["id"] for rule in report["rules"]] == ["DSL001", "DSL004", "DSL102"]
    assert report["rules"][2] == {
        "id": "DSL102", "name": "DSL102 anonymous-volume",
        "description": f"{summary(RULES['DSL102'])} Documentation: {help_uri(RULES['DSL102'])}",
        "engineId": "dockerstore-lint", "cleanCodeAttribute": "LOGICAL",
        "impacts": [{"softwareQuality": "RELIABILITY", "severity": "MEDIUM"}]}
    assert [(r["impacts"], r["cleanCodeAttribute"]) for r in report["rules"][:2]] == [
        ([{"softwareQuality": "MAINTAINABILITY", "severity": "HIGH"}], "CONVENTIONAL"),
        ([{"softwareQuality": "MAINTAINABILITY", "severity": "LOW"}], "CONVENTIONAL")]
    assert report["issues"] == [
        {"ruleId": "DSL001", "primaryLocation": {"message": "cannot read file: permission denied",
                                                 "filePath": "app/Dockerfile", "textRange": {
                                                     "startLine": 1, "startColumn": 0, "endLine": 1, "endColumn": 1}}},
        {"ruleId": "DSL004", "primaryLocation": {
            "message": "not followed: build context ./app is outside the scanned root", "filePath": "compose.yaml",
            "textRange": {"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 16}}},
        {"ruleId": "DSL102", "primaryLocation": {
            "message": "service 'api' keeps /cache in an anonymous volume", "filePath": "compose.yaml",
            "textRange": {"startLine": 5, "startColumn": 8, "endLine": 5, "endColumn": 14}},
         "secondaryLocations": [{"message": "the image's working directory", "filePath": "app/Dockerfile",
                                 "textRange": {"startLine": 2, "startColumn": 0, "endLine": 2, "endColumn": 20}}]},
    ]


def test_sonarqube_security_rule_is_a_security_issue():
    finding = Finding("DSL701", "sensitive-host-mount", "error", "m", Span("compose.yaml", 5, 9, 5, 15))
    rule, = json.loads(render("sonarqube", [finding], context()))["rules"]
    assert (rule["impacts"], rule["cleanCodeAttribute"]) == \
        ([{"softwareQuality": "SECURITY", "severity": "HIGH"}], "TRUSTWORTHY")


@pytest.mark.parametrize("span, expected", [
    # columns count UTF-16 code units from 0: the emoji before the span is two of them
    (Span("c.yaml", 1, 3, 1, 5), {"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 5}),
    # an end at the line break is the start of the next line
    (Span("c.yaml", 1, 3, 1, 9), {"startLine": 1, "startColumn": 3, "endLine": 2, "endColumn": 0}),
    # ... or the end of the last line
    (Span("c.yaml", 2, 1, 2, 9), {"startLine": 2, "startColumn": 0, "endLine": 2, "endColumn": 3}),
    # an empty span, which SonarQube refuses, is its whole line
    (Span("c.yaml", 2, 2, 2, 2), {"startLine": 2}),
    # a line the file does not have: no range, the issue is on the file
    (Span("c.yaml", 7, 1, 7, 2), None),
    # a file that was not read: its first line exists in every file
    (Span("unread.yaml", 1, 1, 1, 2), {"startLine": 1}),
])
def test_sonarqube_ranges_are_what_the_scanner_accepts(tmp_path, span, expected):
    (tmp_path / "c.yaml").write_text("\U0001f600xy: 1\nabc", encoding="utf-8")
    finding = Finding("DSL102", "anonymous-volume", "warning", "m", span)
    location = json.loads(render("sonarqube", [finding], context(tmp_path)))["issues"][0]["primaryLocation"]
    assert location.get("textRange") == expected


def test_sonarqube_leaves_out_a_secondary_location_without_a_range(tmp_path):
    (tmp_path / "c.yaml").write_text("a\n", encoding="utf-8")
    finding = Finding("DSL102", "anonymous-volume", "warning", "m", Span("c.yaml", 1, 1, 1, 2),
                      related=(Related(Span("c.yaml", 9, 1, 9, 2), "gone"),
                               Related(Span("c.yaml", 1, 1, 1, 2), "here")))
    issue = json.loads(render("sonarqube", [finding], context(tmp_path)))["issues"][0]
    assert [location["message"] for location in issue["secondaryLocations"]] == ["here"]


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
    prints = [result.pop("partialFingerprints") for result in run["results"]]
    assert all(list(p) == ["dockerstoreLint/v1"] and re.fullmatch("[0-9a-f]{32}", p["dockerstoreLint/v1"])
               for p in prints)
    assert len({p["dockerstoreLint/v1"] for p in prints}) == 3
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


def test_sarif_marks_the_security_rule_for_code_scanning():
    rules = sarif_run([], rules=[RULES[code] for code in sorted(RULES)])["tool"]["driver"]["rules"]
    security = {rule["id"]: rule["properties"] for rule in rules if "security-severity" in rule["properties"]}
    assert security == {"DSL701": {"tags": ["security", "storage", "containers"], "precision": "high",
                                   "problem.severity": "error", "security-severity": "8.8"}}
    # the others are not security alerts, and say so by having no `security` tag either
    assert not any("security" in rule["properties"]["tags"] for rule in rules if rule["id"] != "DSL701")


def test_sarif_results_carry_their_fix_safe_or_unsafe():
    safe = PARSE_ERROR._replace(fix=Fix("Write VOLUME [\"/data\"]", (Edit(Span("app/Dockerfile", 2, 8, 2, 15),
                                                                           '["/data"]'),)))
    without_edits = NOT_FOLLOWED._replace(fix=Fix("Nothing to edit"))
    results = sarif_run([safe, without_edits, FIXED])["results"]
    dockerfile = {"uri": "app/Dockerfile", "uriBaseId": "%SRCROOT%"}
    compose = {"uri": "compose.yaml", "uriBaseId": "%SRCROOT%"}
    assert results[0]["fixes"] == [{
        "description": {"text": "Write VOLUME [\"/data\"]."},
        "artifactChanges": [{"artifactLocation": dockerfile, "replacements": [{
            "deletedRegion": {"startLine": 2, "startColumn": 8, "endLine": 2, "endColumn": 15},
            "insertedContent": {"text": '["/data"]'}}]}],
        "properties": {"applicability": "safe"}}]
    assert "fixes" not in results[1]
    assert results[2]["fixes"] == [{
        "description": {"text": "Name the volume 'api-cache'."},
        "artifactChanges": [{"artifactLocation": compose, "replacements": [
            {"deletedRegion": {"startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 9},
             "insertedContent": {"text": "api-cache:"}},
            {"deletedRegion": {"startLine": 7, "startColumn": 17, "endLine": 7, "endColumn": 17},
             "insertedContent": {"text": "\nvolumes:\n  api-cache:"}}]}],
        "properties": {"applicability": "unsafe"}}]


def test_a_sarif_fix_changes_each_file_it_edits():
    two_files = ANONYMOUS._replace(fix=Fix("Move it", (Edit(Span("compose.yaml", 5, 9, 5, 15), "/srv/cache"),
                                                       Edit(Span("app/Dockerfile", 1, 1, 1, 1), "# x\n"))))
    changes = sarif_run([two_files])["results"][0]["fixes"][0]["artifactChanges"]
    assert [(c["artifactLocation"]["uri"], len(c["replacements"])) for c in changes] == \
        [("compose.yaml", 1), ("app/Dockerfile", 1)]


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
    for output_format in ("text", "json", "github", "gitlab", "junit", "checkstyle", "sonarqube"):
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
    assert all(f"file={escape_property(w[2])},line={w[3]}," in line for w, line in zip(want, github, strict=True))

    issues = json.loads(report("gitlab"))
    assert [(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues] == \
        [(w[0], w[2], w[3]) for w in want]

    run = json.loads(report("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    places = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    got = [(r["ruleId"], r["level"], place["artifactLocation"]["uri"], place["region"]["startLine"],
            place["region"]["startColumn"], r["message"]["text"])
           for r, place in zip(run["results"], places, strict=True)]
    assert got == [(w[0], w[1], w[2], w[3], w[4], w[5] + ".") for w in want]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert [r["id"] for r in rules] == [code]

    import xml.etree.ElementTree as ElementTree

    failures = [(case, case.find("failure")) for case in ElementTree.fromstring(report("junit")).iter("testcase")]
    assert [(case.get("file"), int(case.get("line")), failure.get("type"), failure.get("message"))
            for case, failure in failures] == [(w[2], w[3], w[1], w[5]) for w in want]
    errors = [(file.get("name"), error) for file in ElementTree.fromstring(report("checkstyle")).iter("file")
              for error in file.iter("error")]
    assert [(name, int(e.get("line")), int(e.get("column")), e.get("severity"), e.get("message"), e.get("source"))
            for name, e in errors] == [(w[2], w[3], w[4], p["label"], w[5], f"dockerstore-lint.{w[0]}")
                                       for w, p in zip(want, parsed, strict=True)]
    sonar = json.loads(report("sonarqube"))
    assert [(i["ruleId"], i["primaryLocation"]["filePath"], i["primaryLocation"]["textRange"]["startLine"],
             i["primaryLocation"]["message"]) for i in sonar["issues"]] == [(w[0], w[2], w[3], w[5]) for w in want]
    assert [r["id"] for r in sonar["rules"]] == [code]


def test_suppressed_findings_hidden_in_line_and_ci_formats_but_carried_in_json_and_sarif():
    def report(output_format: str) -> str:
        return run_cli(["--select", "DSL102", "--format", output_format, "--exit-zero", "."], cwd=DATA).stdout

    assert "/scratch" not in "".join(report(f) for f in ("text", "github", "gitlab", "junit", "checkstyle",
                                                         "sonarqube"))
    assert all("/cache" in report(f) for f in ("junit", "checkstyle", "sonarqube"))
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


def test_every_format_the_command_line_offers_has_its_reporter():
    from dockerstore_lint.cli import FORMATS
    from dockerstore_lint.reporters import _MODULES

    assert set(FORMATS) == set(_MODULES)
