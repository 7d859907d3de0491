"""The SARIF report of the whole corpus is valid: for the OASIS schema, and for GitHub's ingestion rules.

Two independent checks, because neither catches everything: the JSON schema (draft-04, Errata 01)
catches a wrong `level` value that Microsoft's SARIF Multitool lets through, and the Multitool's
`Sarif;Ghas` rules catch what code scanning needs beyond the schema (rules, informationUri, messages,
URIs). The Multitool exits 0 whatever it finds, so its output log is read instead.

The Multitool is taken from the peers' install (`shared/tools/peers-setup.sh`), or installed with npm
into a cache in the temporary directory; the test is skipped only when neither is possible.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from dockerstore_lint.finding import UNSAFE, Edit, Finding, Fix, Related
from dockerstore_lint.model.span import Span
from dockerstore_lint.registry import by_code
from dockerstore_lint.reporters import ReportContext, render
from tests.cli_process import run_cli
from tests.corpora import SHARED

CORPUS = SHARED / "corpus"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
DATA = Path(__file__).resolve().parent / "data" / "reporters"
FIXES = Path(__file__).resolve().parent / "data" / "fixes"
MULTITOOL_VERSION = "5.7.0"
_PLATFORM_PACKAGE = {"linux": ("sarif-multitool-linux", "Sarif.Multitool"),
                     "darwin": ("sarif-multitool-darwin", "Sarif.Multitool"),
                     "win32": ("sarif-multitool-win32", "Sarif.Multitool.exe")}
PEERS_NPM = Path("/tmp/peers/npm")
NPM_CACHE = Path(tempfile.gettempdir()) / f"dockerstore-lint-sarif-multitool-{MULTITOOL_VERSION}"

needs_shared = pytest.mark.skipif(not CORPUS.is_dir() or not SCHEMA.is_file(),
                                  reason=f"the shared corpus and schema are not at {SHARED}")


@pytest.fixture(scope="module")
def corpus_sarif(tmp_path_factory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    output = tmp_path_factory.mktemp("sarif") / "corpus.sarif"
    done = run_cli(["--format", "sarif", "-o", str(output), "."], cwd=CORPUS)
    assert done.status in (0, 1), done.stderr
    return output


@pytest.fixture(scope="module")
def corpus_log(corpus_sarif) -> dict:
    return json.loads(corpus_sarif.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def edge_sarif(tmp_path_factory) -> Path:
    """A small report with what the corpus may lack: related locations, both kinds of suppression, fixes that
    replace, insert and delete, in one file and in two."""
    rules = by_code()
    findings = [
        Finding("DSL003", "malformed-volume-instruction", "error", "VOLUME [/data] is not a JSON array",
                Span("app/Dockerfile", 2, 1, 2, 15),
                fix=Fix('Write VOLUME ["/data"]', (Edit(Span("app/Dockerfile", 2, 8, 2, 15), '["/data"]'),))),
        Finding("DSL102", "anonymous-volume", "warning", "service 'api' keeps /data in an anonymous volume",
                Span("compose.yaml", 3, 9, 3, 14),
                fix=Fix("Name the volume 'api-data'", (
                    Edit(Span("compose.yaml", 3, 9, 3, 9), "api-data:"),
                    Edit(Span("compose.yaml", 8, 1, 8, 1), "volumes:\n  api-data:\n"),
                    Edit(Span("app/Dockerfile", 3, 1, 4, 1), "")), UNSAFE)),
        Finding("DSL102", "anonymous-volume", "warning", "service 'api' keeps /cache in an anonymous volume",
                Span("compose.yaml", 5, 9, 5, 15),
                related=(Related(Span("app/Dockerfile", 2, 1, 2, 21), "the image's working directory"),
                         Related(Span("app/Dockerfile", 3, 1, 3, 11), "what `npm ci` writes"))),
        Finding("DSL102", "anonymous-volume", "warning", "service 'api' keeps /scratch in an anonymous volume",
                Span("compose.yaml", 7, 9, 7, 17), suppressed="inSource"),
        Finding("DSL001", "parse-error", "error", "cannot read file", Span("app/Dockerfile", 1, 1, 1, 2),
                suppressed="external"),
    ]
    context = ReportContext(rules=list(rules.values()), files=2, lines_of=lambda file: ([], False), cwd=DATA,
                            sarif_category="storage")
    path = tmp_path_factory.mktemp("sarif") / "edge.sarif"
    path.write_text(render("sarif", findings, context), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fixes_sarif(tmp_path_factory) -> Path:
    """The command line's report of files whose findings have fixes: DSL003, DSL002 and DSL601 safe, DSL102
    unsafe."""
    output = tmp_path_factory.mktemp("sarif") / "fixes.sarif"
    done = run_cli(["--format", "sarif", "-o", str(output), "."], cwd=FIXES)
    assert done.status == 1, done.stderr
    return output


# --- the JSON schema -------------------------------------------------------------------------------

def schema_errors(log: dict) -> list[str]:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(log)]


@needs_shared
def test_corpus_sarif_matches_the_schema(corpus_log):
    results = corpus_log["runs"][0]["results"]
    assert results, "the corpus has findings"
    assert schema_errors(corpus_log) == []
    print(f"{len(results)} results validated against {SCHEMA.name}")


@needs_shared
def test_edge_sarif_matches_the_schema(edge_sarif):
    log = json.loads(edge_sarif.read_text(encoding="utf-8"))
    assert [len(r.get("relatedLocations", ())) for r in log["runs"][0]["results"]] == [0, 0, 2, 0, 0]
    assert [len(r.get("fixes", ())) for r in log["runs"][0]["results"]] == [1, 1, 0, 0, 0]
    assert schema_errors(log) == []


@needs_shared
def test_fixes_match_the_schema(fixes_sarif):
    log = json.loads(fixes_sarif.read_text(encoding="utf-8"))
    fixes = {r["ruleId"]: r["fixes"][0]["properties"]["applicability"] for r in log["runs"][0]["results"]}
    assert fixes == {"DSL002": "safe", "DSL003": "safe", "DSL102": "unsafe", "DSL601": "safe"}
    assert schema_errors(log) == []


@needs_shared
def test_the_schema_check_can_fail(edge_sarif):
    log = json.loads(edge_sarif.read_text(encoding="utf-8"))
    log["runs"][0]["results"][0]["level"] = "warn"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    del log["runs"][0]["results"][1]["fixes"][0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]
    assert len(schema_errors(log)) == 3


# --- what code scanning needs that the schema does not say ---------------------------------------

@needs_shared
def test_corpus_sarif_is_what_code_scanning_expects(corpus_log):
    assert list(corpus_log)[:2] == ["$schema", "version"]
    run, = corpus_log["runs"]
    assert "automationDetails" not in run
    rules = run["tool"]["driver"]["rules"]
    assert sorted(r["id"] for r in rules) == sorted(by_code()), "every rule that ran is described"
    for rule in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip(), (rule["id"], key)
            assert len(rule[key]["text"]) <= 1024 or key == "help"
        assert rule["help"]["markdown"].startswith(f"# {rule['id']} ")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["tags"] and rule["properties"]["precision"]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == CORPUS.resolve().as_uri() + "/"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"].strip()
        assert list(result["partialFingerprints"]) == ["dockerstoreLint/v1"]
        for location in [*result["locations"], *result.get("relatedLocations", ())]:
            physical = location["physicalLocation"]
            artifact = physical["artifactLocation"]
            assert artifact["uriBaseId"] == "%SRCROOT%"
            assert not artifact["uri"].startswith(("/", "./", "file:")) and "\\" not in artifact["uri"]
            assert (CORPUS / unquote(artifact["uri"])).exists(), artifact["uri"]
            region = physical["region"]
            assert (region["startLine"], region["startColumn"]) <= (region["endLine"], region["endColumn"])


# --- Microsoft's SARIF Multitool -------------------------------------------------------------------

def multitool() -> Path:
    if sys.platform not in _PLATFORM_PACKAGE:
        pytest.skip(f"the SARIF Multitool has no build for {sys.platform}")
    package, binary = _PLATFORM_PACKAGE[sys.platform]
    relative = Path("node_modules", "@microsoft", package, binary)
    for prefix in (PEERS_NPM, NPM_CACHE):
        if (prefix / relative).is_file():
            return _executable(prefix / relative)
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"the SARIF Multitool is not installed ({PEERS_NPM / relative} or {NPM_CACHE / relative}) "
                    f"and npm is not available to install it")
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--prefix", str(NPM_CACHE), "--no-audit", "--no-fund",
                           f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"],
                          check=False, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and (NPM_CACHE / relative).is_file(), \
        f"npm could not install the SARIF Multitool:\n{done.stdout}\n{done.stderr}"
    return _executable(NPM_CACHE / relative)


def _executable(path: Path) -> Path:
    # npm may refuse the package's postinstall script, which is what sets the execute bit
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def multitool_problems(sarif: Path) -> list[str]:
    """Errors and warnings of `validate --rule-kind "Sarif;Ghas"`, read from its output log."""
    log_path = sarif.with_suffix(".validation.sarif")
    # the input goes before the list options, which would otherwise swallow it
    done = subprocess.run([str(multitool()), "validate", str(sarif), "--rule-kind", "Sarif;Ghas",
                           "-o", str(log_path), "--log", "ForceOverwrite"],
                          check=False, capture_output=True, text=True, timeout=300)
    assert log_path.is_file(), f"the Multitool wrote no log:\n{done.stdout}\n{done.stderr}"
    run, = json.loads(log_path.read_text(encoding="utf-8-sig"))["runs"]
    assert all(invocation.get("executionSuccessful") for invocation in run["invocations"]), done.stdout
    rules = run["tool"]["driver"].get("rules", [])
    problems = []
    for result in run.get("results", []):
        rule = rules[result["ruleIndex"]] if "ruleIndex" in result else {}
        level = result.get("level", rule.get("defaultConfiguration", {}).get("level", "warning"))
        if level in ("error", "warning"):
            problems.append(f"{level} {result['ruleId']}: {result['message']}")
    for invocation in run["invocations"]:
        for notification in invocation.get("toolExecutionNotifications", []):
            if notification.get("level", "warning") in ("error", "warning"):
                problems.append(f"tool: {notification['message'].get('text')}")
    return problems


@needs_shared
def test_multitool_finds_nothing_in_the_corpus_sarif(corpus_sarif, corpus_log):
    assert multitool_problems(corpus_sarif) == []
    print(f"{len(corpus_log['runs'][0]['results'])} results: no Multitool error or warning")


def test_multitool_finds_nothing_in_related_locations_and_suppressions(edge_sarif):
    assert multitool_problems(edge_sarif) == []


def test_multitool_finds_nothing_in_fixes(fixes_sarif):
    assert multitool_problems(fixes_sarif) == []


def test_the_multitool_gate_can_fail(edge_sarif, tmp_path):
    log = json.loads(edge_sarif.read_text(encoding="utf-8"))
    del log["runs"][0]["tool"]["driver"]["informationUri"]  # SARIF2005, a warning
    del log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]  # GH2012, an error
    broken = tmp_path / "broken.sarif"
    broken.write_text(json.dumps(log), encoding="utf-8")
    problems = multitool_problems(broken)
    assert any(p.startswith("warning SARIF2005") for p in problems), problems
    assert any(p.startswith("error GH") for p in problems), problems


# --- what a fix does, applied as a SARIF consumer applies it ----------------------------------------

def apply_replacements(text: str, replacements: list[dict]) -> str:
    """SARIF 2.1.0 §3.57: each deleted region is one of the unmodified text, and the replacements take effect in
    order; lines and columns are 1-based, columns in code points (`columnKind`), the end column exclusive."""
    lines = text.split("\n")

    def offset(line: int, column: int) -> int:
        return sum(len(before) + 1 for before in lines[:line - 1]) + column - 1

    pieces, taken = [], 0
    for replacement in replacements:
        region = replacement["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        assert taken <= start <= end, "regions in order, none overlapping"
        pieces += [text[taken:start], replacement.get("insertedContent", {}).get("text", "")]
        taken = end
    return "".join(pieces) + text[taken:]


def test_each_sarif_fix_applied_alone_removes_its_finding(fixes_sarif, tmp_path):
    def findings(project: Path) -> set[tuple[str, str]]:
        done = run_cli(["--format", "json", "--exit-zero", "."], cwd=project)
        return {(f["code"], f["message"]) for f in json.loads(done.stdout)["findings"]}

    run, = json.loads(fixes_sarif.read_text(encoding="utf-8"))["runs"]
    before = findings(FIXES)
    assert sorted(code for code, _ in before) == sorted(r["ruleId"] for r in run["results"])
    for result in run["results"]:
        project = tmp_path / result["ruleId"]
        shutil.copytree(FIXES, project)
        for change in result["fixes"][0]["artifactChanges"]:
            assert change["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            path = project / unquote(change["artifactLocation"]["uri"])
            path.write_text(apply_replacements(path.read_text(encoding="utf-8"), change["replacements"]),
                            encoding="utf-8")
        after = findings(project)
        # its finding is gone, every other is still there, and the file still parses (a fixed VOLUME [/data]
        # is a real volume, which DSL101 then notes)
        assert not any(code in (result["ruleId"], "DSL001") for code, _ in after), (result["ruleId"], after)
        assert {item for item in before if item[0] != result["ruleId"]} <= after, result["ruleId"]
