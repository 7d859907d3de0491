"""Names in reports: directory names that are not UTF-8, any locale, control characters, megabytes.

A name comes from a file or a directory and may hold anything. Whatever it holds, every format exits
0 or 1, its output is valid UTF-8 (JSON that parses, lines that are lines), a name is escaped the same
way in every format (`\\xNN` for a byte that is not UTF-8, and in the text and GitHub formats for a
control character), and no line of the text report is forged by a line break in a name.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint import cli

FORMATS = cli.FORMATS  # every format, each read back below
FINDING_LINE = re.compile(r"^(?P<file>.+?):\d+:\d+: (?:error|warning|info): .* \[DSL\d{3}\]$")
# what the text and GitHub formats must never print: controls but tab and newline, and bidi overrides
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_LEAKY = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "CI", "TERM",
          "PYTHONIOENCODING", "PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE")


def lint(args: list[str], cwd: Path, env: dict, memory: int = 2 * 1024 ** 3) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in _LEAKY} | env

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "dockerstore_lint", *args], cwd=cwd, env=environment,
                          capture_output=True, timeout=120, preexec_fn=limit, check=False)


def findings_of(output: bytes, output_format: str) -> list[tuple[str, str]]:
    """(file, message) of each finding shown, read back from the report, which must be well formed."""
    text = output.decode("utf-8")  # strict: a report is UTF-8 whatever the names
    if output_format == "json":
        return [(f["file"], f["message"]) for f in json.loads(text)["findings"] if f["suppressed"] is None]
    if output_format == "gitlab":
        return [(f["location"]["path"], f["description"]) for f in json.loads(text)]
    if output_format == "sarif":
        results = json.loads(text)["runs"][0]["results"]
        return [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
                for r in results if "suppressions" not in r]
    if output_format == "sonarqube":
        return [(i["primaryLocation"]["filePath"], i["primaryLocation"]["message"]) for i in json.loads(text)["issues"]]
    assert not CONTROL.search(text), f"a control character reached the {output_format} report"
    if output_format in ("junit", "checkstyle"):
        import xml.etree.ElementTree as ElementTree

        root = ElementTree.fromstring(output)  # well-formed XML, or this raises
        if output_format == "junit":
            return [(case.get("file"), case.find("failure").get("message")) for case in root.iter("testcase")
                    if case.find("failure") is not None]
        return [(file.get("name"), error.get("message")) for file in root.iter("file") for error in file.iter("error")]
    lines = text.splitlines()
    if output_format == "github":
        assert all(line.startswith("::") for line in lines), lines
        return [(re.search(r"file=([^,]*)", line).group(1), line.split("::", 2)[2]) for line in lines]
    assert all(FINDING_LINE.match(line) for line in lines), lines
    return [(FINDING_LINE.match(line).group("file"), line) for line in lines]


# --- directory names that are not UTF-8, under any locale ----------------------------------------

LOCALES = {"utf-8": {"LC_ALL": "C.UTF-8"}, "C": {"LC_ALL": "C"}, "C, no UTF-8 mode": {"LC_ALL": "C", "PYTHONUTF8": "0"},
           "POSIX": {"LC_ALL": "POSIX"}}


@pytest.fixture(scope="module")
def odd_names(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    for name in (b"caf\xc3\xa9", b"bad\xff\xfe", b"new\nline", b"esc\x1b[31m"):
        folder = os.path.join(bytes(root), name)
        os.mkdir(folder)
        with open(os.path.join(folder, b"Dockerfile"), "w", encoding="utf-8") as handle:
            handle.write("FROM busybox\nVOLUME /data\n")
    return root


@pytest.mark.parametrize("locale", sorted(LOCALES))
@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output"])
def test_names_that_are_not_text_in_every_format_and_locale(odd_names, output_format, locale, to_file, tmp_path):
    report = tmp_path / "report"
    done = lint(["--format", output_format, "--fail-level", "note", *(["-o", str(report)] if to_file else []), "."],
                odd_names, LOCALES[locale])
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    output = report.read_bytes() if to_file else done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == (["report"] if to_file else []), "a .tmp was left"
    files = {file for file, _ in findings_of(output, output_format)}
    if output_format == "sarif":  # a URI: the name's bytes, percent-encoded
        assert files == {"caf%C3%A9/Dockerfile", "bad%FF%FE/Dockerfile", "new%0Aline/Dockerfile",
                         "esc%1B%5B31m/Dockerfile"}
    elif output_format in ("json", "gitlab", "sonarqube"):  # JSON escapes the controls itself
        assert files == {"café/Dockerfile", "bad\\xff\\xfe/Dockerfile", "new\nline/Dockerfile",
                         "esc\x1b[31m/Dockerfile"}
    else:
        assert files == {"café/Dockerfile", "bad\\xff\\xfe/Dockerfile", "new\\x0aline/Dockerfile",
                         "esc\\x1b[31m/Dockerfile"}


# --- a line break in a name does not forge a finding --------------------------------------------

FORGED = "x\ncompose.yaml:1:1: error: forged finding [DSL701]\n\x1b]0;title\x07\u202egnp.exe"


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_a_line_break_or_escape_in_a_service_name_forges_nothing(output_format, tmp_path):
    (tmp_path / "compose.yaml").write_text(f"services:\n  {json.dumps(FORGED)}:\n    image: busybox\n"
                                           "    volumes: [/data]\n", encoding="utf-8")
    done = lint(["--format", output_format, "compose.yaml"], tmp_path, {})
    assert done.returncode == 1, done.stderr
    shown = findings_of(done.stdout, output_format)
    assert len(shown) == 1  # the anonymous volume, once: no second line
    assert "forged finding" in shown[0][1] and "\\x0acompose.yaml:1:1" in shown[0][1]
    assert "\\x1b]0;title\\x07\\u202egnp.exe" in shown[0][1]


# --- megabytes of name -----------------------------------------------------------------------------

def test_a_megabyte_service_name_quoted_by_500_findings_is_shortened(tmp_path):
    """Was: 1 GB of report and 3 to 4 GB of memory in every format."""
    name = "s" * 1024 * 1024
    volumes = "".join(f"      - /data{i}\n" for i in range(500))
    (tmp_path / "compose.yaml").write_text(f"services:\n  ? {name}\n  : image: busybox\n    volumes:\n{volumes}",
                                           encoding="utf-8")
    for output_format in FORMATS:
        done = lint(["--format", output_format, "."], tmp_path, {}, memory=1024 ** 3)
        assert done.returncode == 1, done.stderr[-500:]
        shown = findings_of(done.stdout, output_format)
        assert len(shown) >= 500
        assert len(done.stdout) < 2 * 1024 * 1024, f"{output_format}: {len(done.stdout)} bytes"
        assert "s…s" in shown[0][1] and max(map(len, re.findall("s+", shown[0][1]))) < 200


def test_reports_are_written_as_they_are_made():
    """The memory a report takes beyond its findings does not grow with them (was: the whole report held,
    and for SARIF an object tree of every result: 4.5 GB for 245,000 bind mounts)."""
    import tracemalloc

    from dockerstore_lint.model.span import Span
    from dockerstore_lint.registry import by_code
    from dockerstore_lint.reporters import ReportContext, reporter
    from dockerstore_lint.rule import Finding, Related

    def peak(count: int, output_format: str) -> int:
        findings = [Finding("DSL603", "missing-bind-source", "warning", f"service 'a' bind-mounts ./{i:x}, which "
                            "does not exist: Docker creates it as an empty directory owned by root",
                            Span("compose.yaml", 4, 10 * i + 1, 4, 10 * i + 9),
                            (Related(Span("Dockerfile", 2, 1, 2, 9), "the image's directory"),))
                    for i in range(count)]
        context = ReportContext(rules=[by_code()["DSL603"]], files=2, lines_of=lambda file: ([], True))
        module = reporter(output_format)
        module.write(findings[:1], context, lambda text: None)  # imports and caches outside the measure
        tracemalloc.start()
        try:
            module.write(findings, context, lambda text: None)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    for output_format in FORMATS:
        small, large = peak(200, output_format), peak(2000, output_format)
        assert large < small + 256 * 1024, f"{output_format}: {small} bytes for 200 findings, {large} for 2000"


# --- any name, through the whole command line, in every format ------------------------------------

def _yaml_string(code_points: list[int]) -> str:
    """A double-quoted YAML scalar holding exactly these code points (lone surrogates and controls too)."""
    return '"' + "".join(f"\\U{c:08x}" for c in code_points) + '"'


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directory=st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b
                                                           and b not in (b".", b"..")),
       service=st.lists(st.integers(1, 0x10FFFF), min_size=1, max_size=12),
       output_format=st.sampled_from(FORMATS))
def test_any_directory_or_service_name_gives_a_well_formed_report(directory, service, output_format):
    from dockerstore_lint.run import LintRequest, run_check

    with tempfile.TemporaryDirectory() as folder:
        project = os.path.join(os.fsencode(folder), directory)
        os.mkdir(project)
        with open(os.path.join(project, b"compose.yaml"), "w", encoding="utf-8") as handle:
            handle.write(f"services:\n  {_yaml_string(service)}:\n    image: busybox\n    volumes: [/data]\n")
        report = Path(folder) / "report"
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            status = run_check(LintRequest(paths=[Path(".")], output_format=output_format, output=report))
        finally:
            os.chdir(cwd)
        assert status in (0, 1)
        shown = findings_of(report.read_bytes(), output_format)
        assert shown, "the anonymous volume (or the name refused with DSL001) is reported"
        assert sorted(os.listdir(folder)) == sorted([os.fsdecode(directory), "report"])
