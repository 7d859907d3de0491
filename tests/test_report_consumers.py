"""The JUnit, Checkstyle and SonarQube reports, read as their consumers read them.

- JUnit: parsed by junitparser (PyPI), a real reader of JUnit XML, whose counts and results must agree with
  the report's own attributes and with the findings; a run without findings is one passing test, since
  Jenkins' `junit` step fails a build whose report holds no test.
- Checkstyle: validated by xmlschema (PyPI) against `data/consumers/checkstyle.xsd`, written from
  Checkstyle's XMLLogger and the readers of Jenkins Warnings NG and reviewdog (Checkstyle publishes no
  schema of its report; the XSD says which sources).
- SonarQube: validated by jsonschema against `data/consumers/sonarqube-generic-issues.schema.json`, written
  from SonarSource's documentation of the generic issue format and the scanner's reader and validator, and
  checked here for what a schema cannot say: unique rule ids, every issue's rule in `rules`, and every
  range one the scanner accepts in the file as it is on disk (it refuses the whole report otherwise).

Each is run on the shared corpora, the files whose findings have fixes, and the reporters' test data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_process import run_cli
from tests.corpora import SHARED

TESTS = Path(__file__).resolve().parent
CONSUMERS = TESTS / "data" / "consumers"
PROJECTS = {"corpus": SHARED / "corpus", "corpus-rw": SHARED / "corpus-rw", "fixes": TESTS / "data" / "fixes",
            "reporters": TESTS / "data" / "reporters"}


@pytest.fixture(scope="module", params=sorted(PROJECTS))
def project(request) -> Path:
    if not PROJECTS[request.param].is_dir():
        pytest.skip(f"no {request.param} at {PROJECTS[request.param]}")
    return PROJECTS[request.param]


def report(project: Path, output_format: str) -> str:
    done = run_cli(["--format", output_format, "--exit-zero", "."], cwd=project)
    assert done.status == 0 and done.stderr == "", done.stderr
    return done.stdout


def shown_findings(project: Path) -> list[dict]:
    return [f for f in json.loads(report(project, "json"))["findings"] if f["suppressed"] is None]


# --- JUnit ------------------------------------------------------------------------------------------

def junit_cases(text: str, tmp_path: Path) -> list:
    from junitparser import JUnitXml

    path = tmp_path / "report.xml"
    path.write_text(text, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = []
    for suite in xml:
        suite_cases = list(suite)
        # what Jenkins and GitLab show in their summaries comes from these attributes
        assert suite.tests == len(suite_cases) and suite.failures == sum(1 for c in suite_cases if c.result)
        assert suite.errors == 0 and suite.skipped == 0
        cases += [(suite.name, case) for case in suite_cases]
    assert xml.tests == len(cases) and xml.failures == sum(1 for _, c in cases if c.result)
    return cases


def test_junit_is_read_by_junitparser(project, tmp_path):
    findings = shown_findings(project)
    cases = junit_cases(report(project, "junit"), tmp_path)
    if not findings:
        assert [(case.name, case.is_passed) for _, case in cases] == [(cases[0][1].name, True)]
        return
    from junitparser import Attr, IntAttr, TestCase

    class Located(TestCase):
        """A case with the attributes GitLab (`file`) and others (`line`) read besides JUnit's own."""

        file = Attr()
        line = IntAttr()

    got = []
    for suite, case in cases:
        failure, = case.result
        assert failure.type in ("error", "warning", "note") and case.classname and case.name
        located = Located.fromelem(case)
        got.append((suite, located.file, located.line, failure.type, failure.message, case.name.split(" ", 1)[0]))
    assert got == [(f["file"], f["file"], f["line"], f["level"], f["message"], f["code"]) for f in findings]


def test_junit_without_findings_is_one_passing_test(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nUSER 1000\n", encoding="utf-8")
    cases = junit_cases(report(tmp_path, "junit"), tmp_path)
    assert [(case.name, case.is_passed) for _, case in cases] == [("no findings in 1 file", True)]


def test_the_junit_reader_can_fail(tmp_path):
    from junitparser import JUnitXmlError

    with pytest.raises(JUnitXmlError):
        junit_cases('<?xml version="1.0"?>\n<checkstyle version="4.3"/>\n', tmp_path)


# --- Checkstyle -------------------------------------------------------------------------------------

def checkstyle_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(CONSUMERS / "checkstyle.xsd"))


def test_checkstyle_matches_its_format(project):
    import xml.etree.ElementTree as ElementTree

    text = report(project, "checkstyle")
    checkstyle_schema().validate(text)
    errors = [(file.get("name"), error) for file in ElementTree.fromstring(text).iter("file")
              for error in file.iter("error")]
    labels = {"error": "error", "warning": "warning", "note": "info"}
    assert [(name, int(e.get("line")), int(e.get("column")), e.get("severity"), e.get("message"), e.get("source"))
            for name, e in errors] == \
        [(f["file"], f["line"], f["column"], labels[f["level"]], f["message"], f"dockerstore-lint.{f['code']}")
         for f in shown_findings(project)]


def test_the_checkstyle_schema_can_fail():
    import xmlschema

    schema = checkstyle_schema()
    for broken in ('<checkstyle version="4.3"><file name="a"><error line="0" severity="error" message="m" '
                   'source="s"/></file></checkstyle>',
                   '<checkstyle version="4.3"><file name="a"><error line="1" severity="note" message="m" '
                   'source="s"/></file></checkstyle>',
                   '<checkstyle version="4.3"><file><error line="1" severity="info" message="m" source="s"/></file>'
                   '</checkstyle>'):
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            schema.validate(broken)


# --- SonarQube --------------------------------------------------------------------------------------

def sonarqube_problems(document: dict, root: Path) -> list[str]:
    import jsonschema

    schema = json.loads((CONSUMERS / "sonarqube-generic-issues.schema.json").read_text(encoding="utf-8"))
    problems = [f"{list(e.absolute_path)}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(document)]
    if problems:
        return problems
    ids = [rule["id"] for rule in document["rules"]]
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate rule ids: {ids}")
    for issue in document["issues"]:
        if issue["ruleId"] not in ids:
            problems.append(f"{issue['ruleId']} is not in rules")
        for location in [issue["primaryLocation"], *issue.get("secondaryLocations", ())]:
            problems += range_problems(location, root)
    return problems


def range_problems(location: dict, root: Path) -> list[str]:
    """What the scanner refuses (InputFile.newPointer and newRange): a line the file does not have, an offset
    past the end of its line, an end not after the start. Lines end at \\r\\n, \\r or \\n; offsets are UTF-16
    code units from 0."""
    if "textRange" not in location:
        return []
    path = root / location["filePath"]
    if not path.is_file():
        return []  # the scanner does not index it and drops the issue
    lines = re.split("\r\n|\r|\n", path.read_bytes().decode("utf-8-sig", "replace"))
    width = [len(line.encode("utf-16-le")) // 2 for line in lines]
    text_range = location["textRange"]
    where = f"{location['filePath']} {text_range}"
    start_line = text_range["startLine"]
    if start_line > len(lines):
        return [f"{where}: no line {start_line}"]
    if "startColumn" not in text_range:
        return []
    start = (start_line, text_range["startColumn"])
    end = (text_range.get("endLine", start_line), text_range.get("endColumn", width[start_line - 1]))
    problems = [f"{where}: offset {column} past the end of line {line}" for line, column in (start, end)
                if line > len(lines) or column > width[line - 1]]
    if not start < end:
        problems.append(f"{where}: the range is empty")
    return problems


def test_sonarqube_matches_the_generic_issue_format(project):
    document = json.loads(report(project, "sonarqube"))
    assert sonarqube_problems(document, project) == []
    assert [(i["ruleId"], i["primaryLocation"]["filePath"], i["primaryLocation"]["message"])
            for i in document["issues"]] == [(f["code"], f["file"], f["message"]) for f in shown_findings(project)]
    assert sorted(rule["id"] for rule in document["rules"]) == sorted({f["code"] for f in shown_findings(project)})


def test_the_sonarqube_check_can_fail(tmp_path):
    (tmp_path / "compose.yaml").write_text("services: {}\n", encoding="utf-8")
    rule = {"id": "DSL102", "name": "n", "description": "d", "engineId": "e", "cleanCodeAttribute": "LOGICAL",
            "impacts": [{"softwareQuality": "RELIABILITY", "severity": "LOW"}]}

    def issue(**text_range) -> dict:
        return {"ruleId": "DSL102", "primaryLocation": {"message": "m", "filePath": "compose.yaml",
                                                       "textRange": {"startLine": 1, **text_range}}}

    assert sonarqube_problems({"rules": [rule], "issues": [issue(startColumn=0, endLine=1, endColumn=12)]},
                              tmp_path) == []
    for broken in ({"rules": [rule], "issues": [{**issue(), "severity": "MAJOR"}]},  # deprecated in this format
                   {"rules": [], "issues": [issue()]},  # its rule is missing
                   {"rules": [rule, rule], "issues": []},
                   {"rules": [rule], "issues": [issue(startLine=3)]},
                   {"rules": [rule], "issues": [issue(startColumn=0, endLine=1, endColumn=13)]},
                   {"rules": [rule], "issues": [issue(startColumn=4, endLine=1, endColumn=4)]}):
        assert sonarqube_problems(broken, tmp_path), broken
