"""Hostile and arbitrary input for the Python reader: never a traceback, never a crash of the process, bounded
time and memory, and libcst imported only when a file needs it.

The deep inputs run in a child process: without the pre-scan of `complexity.py`, tens of thousands of
`not` kill libcst's parser with a segmentation fault, which would take pytest down with it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint.inputs.python import read_python
from dockerstore_lint.inputs.python.complexity import MAX_CHARACTERS, MAX_DEPTH, MAX_PATTERN_DEPTH, too_complex
from dockerstore_lint.inputs.python.launches import Bind, Flag, MountCall, PythonLaunches, Text
from tests.corpora import CORPUS, CORPUS_RW

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [CORPUS, CORPUS_RW]
ADDRESS_SPACE = 2 * 1024 ** 3
HEAD = "import docker\nclient = docker.from_env()\n"
CALL = 'client.containers.run("x", volumes=["/a:/a"])'


def run_child(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Python `code` in a child limited to 2 GB of address space, as the hostile-input tests run the CLI."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit, check=False)


# --- the pre-scan ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "deep"), [
    ("x = '" + "(" * 200 + "'\n", False),  # brackets in strings do not nest
    ('x = """' + "[" * 200 + '"""\n', False),
    ("x = r'\\'" + "(" * 200 + "'\n", False),  # a backslash keeps the quote in a raw string too
    ("# " + "{" * 200 + "\n", False),
    ("x = f'{{" + "(" * 200 + "}}'\n", False),  # doubled braces are text
    ("x = f'{" + "(" * 70 + "1" + ")" * 70 + "}'\n", True),  # a replacement field is code
    ('x = f"{f"{f"{' + "(" * 60 + "1" + ")" * 60 + '}"}"}"\n', True),  # nested as Python 3.12 allows
    ("x = (" + "a + " * 70 + "a)\n", True),
    ("x = " + "not " * 70 + "a\n", True),
    ("x = " + "lambda a, b=1: " * 70 + "0\n", True),
    ("x = a" + "[0]" * 70 + "\n", True),
    ("x = (" + '"a" ' * 70 + ")\n", True),
    ("".join(" " * i + "if x:\n" for i in range(70)) + " " * 70 + "pass\n", True),
    ("x = [" + "1, " * 10_000 + "]\n", False),  # long but flat
    ("case = f(f(f(f(f(f(f(f(1))))))))\n", False),  # `case` as a name
    ("match x:\n case " + "[" * (MAX_PATTERN_DEPTH + 1) + "1" + "]" * (MAX_PATTERN_DEPTH + 1) + ":\n  pass\n", True),
    ("match x:\n case " + "[" * MAX_PATTERN_DEPTH + "1" + "]" * MAX_PATTERN_DEPTH + ":\n  f(f(f(f(f(f(1))))))\n",
     False),
])
def test_the_pre_scan_counts_what_nests(text, deep):
    assert bool(too_complex(text)) is deep


def test_ordinary_code_passes_the_pre_scan():
    for path in (ROOT / "dockerstore_lint").rglob("*.py"):
        assert too_complex(path.read_text(encoding="utf-8")) == "", path


_PIECES = [*"()[]{}'\"\\#:=,;.+-*/ \n\tabfrtu0123!", "lambda ", "case ", "'''", '"""', "f'", 'f"', "{{", "}}"]


@given(st.lists(st.sampled_from(_PIECES), max_size=400).map("".join) | st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_the_pre_scan_takes_any_text(text):
    assert isinstance(too_complex(text), str)


# --- the reader on arbitrary text -----------------------------------------------------------------

_PYTHONISH = st.lists(st.sampled_from([
    "\n", "    ", "(", ")", "[", "]", "{", "}", ",", ":", "=", ".", " + ", "*", "**", "'", '"', "f'", "'''", "\\",
    "#", "x", "docker", "client", "containers", "run", "create", "volumes", "Mount", "mounts=", "volumes=",
    "import docker", "from docker.types import Mount", "from testcontainers.postgres import PostgresContainer",
    "PostgresContainer()", ".with_volume_mapping(", "docker.from_env()", "client.containers.run(", "'/a:/b'",
    "{'bind': '/b'}", "Path(__file__).parent", "os.getcwd()", "lambda: ", "with ", " as c:", "def f():", "global x",
    "x = ", "None", "True", "match x:", "case ", "async ", "await ", "yield ", "\ufeff", "\x00", "é", "\udc80", "\r",
    "b'x'", "0o17", "with_kwargs(**k)", "Mount(", "tmpfs=", "DriverConfig(", "('/a', '/b', 'rw')",
]), max_size=80).map("".join)


@given(_PYTHONISH)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_reader_takes_any_python_looking_text(body):
    text = HEAD + CALL + "\n" + body  # gets past the first look, so that libcst reads every example
    result = read_python(text, "x.py", ROOT)
    assert isinstance(result, PythonLaunches)
    lines = text.count("\n") + 1
    for container in result.containers:
        assert 1 <= container.span.line <= container.span.end_line <= lines


# valid programs, so that the recognisers see every form of argument, well and badly typed
_VALUES = st.sampled_from(["'/a'", "'/b:/c'", "v", "HERE", "os.getcwd()", "f'{v}/d:/e'", "str(HERE / 'x')", "None",
                           "1000", "True", "flag", "unknown()", "Path.home() / '.x'", "[]", "{}", "['/a:/a', v]"])
_KEYWORDS = st.sampled_from(["volumes", "mounts", "tmpfs", "environment", "volumes_from", "user", "name", "remove",
                             "auto_remove", "detach", "read_only", "command", "image", "platform", "working_dir"])
_MOUNT_ARGUMENTS = st.sampled_from(["'/t'", "None", "target='/t'", "source=v", "type='bind'", "read_only=flag",
                                    "labels={'a': v}", "labels=v", "driver_config=DriverConfig('local', {'o': v})",
                                    "driver_config=v", "tmpfs_mode=0o700", "no_copy=True", "bogus=1"])


@st.composite
def _argument(draw):
    keyword = draw(_KEYWORDS)
    if keyword == "volumes" and draw(st.booleans()):
        entries = draw(st.lists(st.tuples(_VALUES, _VALUES, _VALUES), max_size=3))
        items = (f"{key}: {{'bind': {bind}, 'mode': {mode}}}" for key, bind, mode in entries)
        return "volumes={" + ", ".join(items) + "}"
    if keyword == "mounts":
        mounts = draw(st.lists(st.lists(_MOUNT_ARGUMENTS, max_size=4), max_size=3))
        in_order = (sorted(arguments, key=lambda argument: "=" in argument) for arguments in mounts)  # positional first
        return "mounts=[" + ", ".join(f"Mount({', '.join(arguments)})" for arguments in in_order) + "]"
    if keyword in ("tmpfs", "environment") and draw(st.booleans()):
        return f"{keyword}={{{draw(_VALUES)}: {draw(_VALUES)}}}"
    return f"{keyword}={draw(_VALUES)}"


@st.composite
def _program(draw):
    lines = ["import os", "from pathlib import Path", "import docker", "from docker.types import DriverConfig, Mount",
             "from testcontainers.postgres import PostgresContainer", "HERE = Path(__file__).parent",
             f"v = {draw(_VALUES)}", "client = docker.from_env()"]
    for _ in range(draw(st.integers(1, 4))):
        arguments = ", ".join(draw(st.lists(_VALUES, max_size=2)) + draw(st.lists(_argument(), max_size=4)))
        lines.append(draw(st.sampled_from([
            f"client.containers.run({arguments})", f"docker.from_env().containers.create({arguments})",
            f"client.volumes.create({arguments})", f"c = PostgresContainer({arguments}).with_kwargs({arguments})",
            f"c.with_volume_mapping({arguments})", f"c = c.with_env({arguments})"])))
    return "\n".join(lines) + "\n"


def _spans(result: PythonLaunches):
    """Every span in a result: containers, volumes, and each value they hold."""
    for item in (*result.containers, *result.volumes):
        yield item.span
        for value in item:
            values = value if type(value) is tuple else (value,)  # a collection, not a value type
            for part in values:
                if isinstance(part, Bind):
                    part = part.spec
                if isinstance(part, MountCall):
                    yield part.span
                    yield from (field.span for field in part.fields)
                elif isinstance(part, (Text, Flag)):
                    yield part.span


@given(_program())
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_reader_takes_any_arguments_in_valid_programs(text):
    result = read_python(text, "x.py", ROOT)
    assert result.skipped == ""
    lines = text.split("\n")
    for span in _spans(result):
        assert 1 <= span.line <= span.end_line <= len(lines)
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1


# --- deep and big ---------------------------------------------------------------------------------

_DEEP = {
    "not": "not " * 30_000 + CALL,  # a segmentation fault in libcst's parser
    "minus": "-" * 30_000 + CALL,
    "brackets": "[" * 30_000 + CALL + "]" * 30_000,
    "calls": "f(" * 30_000 + CALL + ")" * 30_000,
    "f-strings": 'f"{' * 10_000 + CALL + '}"' * 10_000,
    "attributes": CALL + ".a" * 30_000,
    "lambdas": "lambda: " * 30_000 + CALL,
    "strings": "x = (" + '"a" ' * 30_000 + ")\n" + CALL,
    "blocks": "".join(" " * i + "if x:\n" for i in range(300)) + " " * 300 + CALL,
    "patterns": "match x:\n case " + "{1: " * 30 + "1" + "}" * 30 + ":\n  " + CALL,
}


def test_deep_nesting_is_refused_before_libcst_sees_it(tmp_path):
    for kind, body in _DEEP.items():
        (tmp_path / f"{kind}.py").write_text(HEAD + body + "\n", encoding="utf-8")
    code = ("import json, sys; from pathlib import Path\nfrom dockerstore_lint.inputs.python import read_python\n"
            f"folder = Path({str(tmp_path)!r})\n"
            "print(json.dumps({path.stem: read_python(path.read_text(encoding='utf-8'), path.name, folder).skipped "
            "for path in folder.glob('*.py')}))\n")
    done = run_child(code)
    assert done.returncode == 0, done.stderr[-2000:]
    reasons = json.loads(done.stdout)
    assert set(reasons) == set(_DEEP)
    for kind, reason in reasons.items():
        assert reason.startswith(("nested more than", "a match pattern nested more than")), (kind, reason)


_LARGEST_ACCEPTED = """
import json, resource, sys
from pathlib import Path
from dockerstore_lint.inputs.python import read_python
from dockerstore_lint.inputs.python.complexity import too_complex
HEAD = {head!r}
def largest(line):
    low, high = 1, 2
    while not too_complex(HEAD + line * high):
        low, high = high, high * 2
    while low + 1 < high:
        middle = (low + high) // 2
        low, high = (low, middle) if too_complex(HEAD + line * middle) else (middle, high)
    return low
results = {{}}
for kind, line in {lines!r}.items():
    count = largest(line)
    text = HEAD + line * count
    assert not too_complex(text)
    result = read_python(text, "x.py", Path("."))
    results[kind] = [count, len(text), result.skipped, len(result.containers)]
results["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps(results))
"""


def test_the_largest_inputs_the_pre_scan_accepts_are_read_within_bounds():
    """What the pre-scan lets through at its limits, each the worst of its kind for libcst: read to the end
    (or skipped as nested too deeply) in a child limited to 2 GB and the test's timeout."""
    depth = MAX_DEPTH - 4
    lines = {
        "nested calls": "x = " + "f(" * depth + CALL + ")" * depth + "\n",  # the most memory per byte
        "statements": "x = 1\n",  # the most time per byte
        "patterns": ("match x:\n case " + "{1: " * MAX_PATTERN_DEPTH + "1" + "}" * MAX_PATTERN_DEPTH + ":\n  "
                     + CALL + "\n"),
    }
    done = run_child(_LARGEST_ACCEPTED.format(head=HEAD + CALL + "\n", lines=lines), timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    for kind, line in lines.items():
        count, _, skipped, containers = results[kind]
        assert skipped == "" and containers == 1 + line.count(CALL) * count, kind
    if os.environ.get("DOCKERSTORE_LINT_HOSTILE_REPORT"):
        with open(os.environ["DOCKERSTORE_LINT_HOSTILE_REPORT"], "a", encoding="utf-8") as report:
            report.write(f"python largest accepted inputs: {results}\n")


def test_five_megabyte_files_are_skipped_without_parsing():
    snippet = HEAD + CALL + "\n"
    big = snippet * (5 * 1024 * 1024 // len(snippet))
    assert read_python(big, "big.py", ROOT).skipped == f"larger than {MAX_CHARACTERS:,} characters"
    assert read_python("x = 1\n" * (5 * 1024 * 1024 // 6), "plain.py", ROOT) == PythonLaunches()
    under_the_size_limit = snippet * (MAX_CHARACTERS // len(snippet) - 1)
    assert read_python(under_the_size_limit, "many.py", ROOT).skipped.startswith("too large or too deeply nested")


def test_values_that_double_at_every_name_stop_at_a_bound():
    """`a1 = f"{a0}{a0}..."`, `a2 = f"{a1}{a1}..."`: each name is worked out once, and a value longer than any
    path is not known (followed naively, a20 would be 6**20 characters)."""
    lines = [HEAD.rstrip("\n"), "a0 = 'x'"] + [f"a{i} = f'" + f"{{a{i - 1}}}" * 6 + "'" for i in range(1, 21)]
    text = "\n".join([*lines, "client.containers.run('x', volumes=[a4 + ':/t', a20 + ':/u'])"]) + "\n"
    short, long = read_python(text, "laughs.py", ROOT).containers[0].volumes
    assert (short.spec.value, short.spec.resolved) == ("x" * 6 ** 4 + ":/t", True)
    assert (long.spec.value, long.spec.resolved) == ("a20:/u", False)


def test_a_name_bound_thousands_of_times_is_judged_once():
    """Each binding and each call is looked at once: judging every call against every binding took minutes here."""
    text = ("import docker\nfrom testcontainers.core.container import DockerContainer\n"
            + "c = DockerContainer('x')\nc.with_env('a', 'b')\nclient = docker.from_env()\nclient.containers.run('y')\n"
            * 1500)
    assert not too_complex(text)
    result = read_python(text, "many.py", ROOT)
    # `c` and `client` are bound 1,500 times: which container a later call is for, and which client runs, is not known
    assert len(result.containers) == 1500
    assert all(container.environment == () for container in result.containers)


# --- imports --------------------------------------------------------------------------------------

_PROBE = """
import json, sys
from pathlib import Path
from dockerstore_lint.inputs.python import read_python
seen = []
for text in sys.argv[1:]:
    read_python(text, "x.py", Path("."))
    seen.append("libcst" in sys.modules)
print(json.dumps(seen))
"""


def test_libcst_is_imported_only_for_a_file_that_needs_it():
    texts = ["import os\nprint('runs in docker')\n",  # the first look turns it away
             HEAD + "x = " + "not " * 1000 + CALL + "\n",  # the pre-scan turns it away
             HEAD + CALL + "\n"]  # read: the probe can see libcst
    done = subprocess.run([sys.executable, "-c", _PROBE, *texts], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [False, False, True]


# --- the real corpora -----------------------------------------------------------------------------

def test_every_python_file_of_the_corpora_is_read_without_error():
    """The corpora hold no container started from Python; every file is still parsed (the first look
    bypassed) to see libcst and the walk go through real code."""
    from dockerstore_lint.inputs.python.reader import read

    files = [path for corpus in CORPORA if corpus.is_dir() for path in sorted(corpus.rglob("*.py"))]
    if not files:
        pytest.skip("the shared corpora are not available")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        result = read(text, path.name, path.parent, path.parent)
        assert result.containers == () and result.volumes == (), path
        assert read_python(text, path.name, path.parent) == PythonLaunches(), path
