"""Property-based tests (hypothesis) of every entry point that reads text a stranger wrote.

Entry points: the Dockerfile parser (arbitrary text, and text built from a grammar of instructions,
flags, quotes, heredocs and variables), the Compose loader (arbitrary and YAML-shaped text through
`load_document` and the project builder), interpolation, the short volume syntax, and the `check`
command run in-process on a project written from generated files.

Properties: no exception; every position 1-based, inside the file, its end not before its start; the
same input gives the same result; each example takes bounded time (hypothesis' deadline).

Normal runs use a few hundred examples per entry point. DOCKERSTORE_LINT_EXAMPLES=N runs N per entry
point (the acceptance run used 10000): `DOCKERSTORE_LINT_EXAMPLES=10000 pytest tests/test_properties.py`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import string
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerstore_lint.inputs.compose.documents import load_document
from dockerstore_lint.inputs.compose.interpolation import interpolate
from dockerstore_lint.inputs.compose.mounts import MountReader, split_short_volume
from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.sources import decode
from dockerstore_lint.text.yaml_nodes import YScalar

_OVERRIDE = os.environ.get("DOCKERSTORE_LINT_EXAMPLES")


def examples(default: int) -> settings:
    """`default` examples, or DOCKERSTORE_LINT_EXAMPLES; no example database is written into the tree."""
    return settings(max_examples=int(_OVERRIDE) if _OVERRIDE else default, deadline=timedelta(seconds=5),
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


BASE = Path("/nonexistent-dsl-property-root")


# --- what every result must satisfy ------------------------------------------------------------

def check_span(span: Span, lines: dict[str, list[str]]) -> None:
    """1-based, ordered, and inside its file: a line that exists, a column at most one past its end."""
    where = f"{span.file}:{span.line}:{span.column}-{span.end_line}:{span.end_column}"
    assert span.line >= 1 and span.column >= 1, where
    assert (span.end_line, span.end_column) >= (span.line, span.column), where
    if span.file in lines:
        text_lines = lines[span.file]
        assert span.end_line <= len(text_lines), where
        assert span.column <= len(text_lines[span.line - 1]) + 1, where
        assert span.end_column <= len(text_lines[span.end_line - 1]) + 2, where


def dockerfile_spans(dockerfile):
    for problem in dockerfile.problems:
        yield problem.span
    for stage in dockerfile.stages:
        yield stage.span
        for instruction in stage.instructions:
            yield instruction.span
        for volume in stage.volumes:
            yield volume.span
        for setting in (stage.user, stage.workdir, stage.shell):
            if setting is not None:
                yield setting.span


def parsed_dockerfile(data: bytes):
    source, problem = decode(data, BASE / "Dockerfile", "Dockerfile")
    if source is None:
        check_span(problem.span, {})
        return None, None
    return source, parse_dockerfile(source)


# --- the Dockerfile parser ---------------------------------------------------------------------

@examples(400)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda text: text.encode("utf-8")))
def test_dockerfile_parser_on_arbitrary_text(data):
    source, dockerfile = parsed_dockerfile(data)
    if dockerfile is None:
        return
    for span in dockerfile_spans(dockerfile):
        check_span(span, {"Dockerfile": source.lines})
    assert parse_dockerfile(source) == dockerfile


_NAMES = st.sampled_from(["A", "B", "HOME", "PATH", "_x", "1", "@", "ſ"])
_KEYWORDS = st.sampled_from(["FROM", "from", "RUN", "COPY", "ADD", "VOLUME", "USER", "WORKDIR", "ENV", "ARG",
                             "LABEL", "SHELL", "CMD", "ENTRYPOINT", "ONBUILD", "HEALTHCHECK", "EXPOSE", "STOPSIGNAL",
                             "MAINTAINER", "UNKNOWN", "FROM --platform=$P", "COPY --from=build",
                             "RUN --mount=type=cache,target=$A"])
_FLAGS = st.sampled_from(["--from=0", "--chown=1:1", "--link", "--mount=type=bind,source=.,target=/src",
                          "--mount=type=secret,id=x", "--platform=linux/amd64", "--network=none", "--chmod=${M:-755}",
                          "--", "--=", "--x='a b'"])


@st.composite
def _variable(draw) -> str:
    name = draw(_NAMES)
    form = draw(st.sampled_from(["$N", "${N}", "${N:-W}", "${N-W}", "${N:+W}", "${N:?W}", "${N#W}", "${N##W}",
                                 "${N%W}", "${N%%W}", "${N/W/W}", "${N//W/W}", "${", "${N", "$$", "${N:}"]))
    word = draw(st.text(alphabet="ab*?/\\ .$", max_size=6))
    return form.replace("N", name).replace("W", word)


_PLAIN = st.text(alphabet=string.ascii_letters + string.digits + "/._-:=@", min_size=1, max_size=12)
_WORD = st.one_of(_PLAIN, _variable(), _PLAIN.map(lambda w: f"'{w}'"), _PLAIN.map(lambda w: f'"{w} $A"'),
                  st.sampled_from(["'", '"', "\\", "\\ ", "`", "<<EOF", "<<-'END'", "&&", ";", "|", "#", "[", "]"]))


@st.composite
def _instruction(draw) -> list[str]:
    keyword = draw(_KEYWORDS)
    flags = draw(st.lists(_FLAGS, max_size=2))
    if draw(st.booleans()):
        items = draw(st.lists(_WORD, max_size=4))
        arguments = "[" + ", ".join(json.dumps(item) for item in items) + draw(st.sampled_from(["]", "", ",]", " ] x"]))
    else:
        arguments = " ".join(draw(st.lists(_WORD, max_size=6)))
    line = " ".join([keyword, *flags, arguments])
    lines = [line]
    if draw(st.booleans()):  # continued
        lines[-1] += draw(st.sampled_from([" \\", "\\", " `", "\\  "]))
        lines += draw(st.lists(st.sampled_from(["", "# comment", "  && echo $A", "x \\", "EOF"]), max_size=3))
    if "<<" in line:  # a heredoc body, sometimes without its end marker
        lines += draw(st.lists(st.sampled_from(["echo $A", "", "\tEOF", "EOF", "END", "VOLUME /x"]), max_size=4))
    return lines


@st.composite
def dockerfile_text(draw) -> str:
    directives = ["# syntax=docker/dockerfile:1", "# escape=`", "# escape=\\", "# check=skip=all", "#escape = x"]
    lines = draw(st.lists(st.sampled_from(directives), max_size=2))
    if draw(st.booleans()):
        lines.append("FROM " + draw(st.sampled_from(["busybox", "postgres:16 AS db", "$BASE", "scratch", "db AS app"])))
    for instruction in draw(st.lists(_instruction(), max_size=12)):
        lines += instruction
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@examples(400)
@given(dockerfile_text())
def test_dockerfile_parser_on_dockerfile_shaped_text(text):
    source, dockerfile = parsed_dockerfile(text.encode("utf-8"))
    for span in dockerfile_spans(dockerfile):
        check_span(span, {"Dockerfile": source.lines})
    assert parse_dockerfile(source) == dockerfile


# --- the Compose loader ------------------------------------------------------------------------

def _environment(name: str):
    return {"A": "a", "EMPTY": "", "DIR": "./data", "SPACE": "a b"}.get(name)


def loaded_compose(data: bytes):
    source, problem = decode(data, BASE / "compose.yaml", "compose.yaml")
    if source is None:
        check_span(problem.span, {})
        return None, None
    return source, load_document(source, BASE, _environment)


def tree_spans(node):
    stack = [node]
    seen = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current.span
        if hasattr(current, "pairs"):
            for key, value in current.pairs:
                yield key.span
                stack.append(value)
        elif hasattr(current, "items"):
            stack.extend(current.items)


def check_document(source, document) -> None:
    lines = {"compose.yaml": source.lines}
    for problem in document.problems:
        check_span(problem.span, lines)
    if document.tree is not None:
        for span in tree_spans(document.tree):
            check_span(span, lines)


@examples(400)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(lambda text: text.encode("utf-8")))
def test_compose_loader_on_arbitrary_text(data):
    source, document = loaded_compose(data)
    if document is None:
        return
    check_document(source, document)
    again = load_document(source, BASE, _environment)
    assert [(p.code, p.message, p.span) for p in again.problems] == \
        [(p.code, p.message, p.span) for p in document.problems]


_KEYS = st.sampled_from(["services", "volumes", "image", "build", "context", "dockerfile", "dockerfile_inline",
                         "extends", "service", "file", "include", "path", "env_file", "environment", "tmpfs",
                         "secrets", "configs", "volumes_from", "user", "working_dir", "platform", "command",
                         "type", "source", "target", "read_only", "bind", "x-anchor", "<<", "name", "external",
                         "driver", "driver_opts", "app", "db", "0", "true", "~"])
_SCALARS = st.one_of(
    st.sampled_from(["./data:/var/lib/postgresql/data", "data:/data:ro", "/var/run/docker.sock:/var/run/docker.sock",
                     "C:\\data:C:\\app", "\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine", "~/x:/x:z",
                     "${DIR}:/d", "${MISSING:?set it}", "${A:-${B:-c}}", "$$", "postgres:16", "busybox", "1000:1000",
                     "../outside.yaml", "/etc/passwd", "https://example.invalid/x.git", "null", "", "010", "1e999",
                     "2001-13-45", "yes", "!reset", "*alias"]),
    st.text(alphabet=string.printable, max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
)
def _containers(children):
    return st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=5))


_STRUCTURE = st.recursive(_SCALARS, _containers, max_leaves=30)


@st.composite
def compose_text(draw) -> str:
    import yaml

    document = {"services": draw(st.dictionaries(_KEYS, _STRUCTURE, max_size=4))}
    for key in draw(st.lists(_KEYS, max_size=3)):
        document[key] = draw(_STRUCTURE)
    text = yaml.safe_dump(document, default_flow_style=draw(st.sampled_from([None, True, False])), allow_unicode=True)
    # what yaml.dump never writes: anchors and aliases, merge keys, tags, duplicate keys, tabs
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(["&a ", "*a", "<<: *a\n", "!reset ", "!override ", "!!binary ", "\t", "{", "}",
                                      "[", "]", "\n  dup: 1\n  dup: 2\n", "${", "---\n", "? ", ": ", "- ", "'", '"']))
        text = text[:position] + piece + text[position:]
    return text


@examples(400)
@given(compose_text())
def test_compose_loader_on_yaml_shaped_text(text):
    source, document = loaded_compose(text.encode("utf-8"))
    check_document(source, document)


_PROJECT_DIR = Path(tempfile.mkdtemp(prefix="dsl-properties-"))


def lint_project(compose: str, dockerfile: str):
    """The workspace loader and the rules on generated files given as editor buffers (nothing on disk)."""
    from dockerstore_lint.config import Config
    from dockerstore_lint.engine import lint
    from dockerstore_lint.loader import Options, WorkspaceLoader

    loader = WorkspaceLoader(_PROJECT_DIR, _PROJECT_DIR, Options(environ={"A": "a"}))
    loader.provide(_PROJECT_DIR / "compose.yaml", compose.encode("utf-8"))
    loader.provide(_PROJECT_DIR / "Dockerfile", dockerfile.encode("utf-8"))
    workspace = loader.load([_PROJECT_DIR / "compose.yaml", _PROJECT_DIR / "Dockerfile"])
    findings = lint(workspace, Config(base=_PROJECT_DIR), loader.lines_of)
    return workspace, findings, loader


def check_findings(findings, loader, files: list[str]) -> None:
    lines = {}
    for file in files:
        source = loader.read(_PROJECT_DIR / file)[0]
        if source is not None:
            lines[source.file] = source.lines
    for finding in findings:
        check_span(finding.span, lines)
        for related in finding.related:
            check_span(related.span, lines)


@examples(300)
@given(compose_text(), dockerfile_text())
def test_project_builder_and_rules_on_generated_projects(compose, dockerfile):
    workspace, findings, loader = lint_project(compose, dockerfile)
    check_findings(findings, loader, ["compose.yaml", "Dockerfile"])
    for project in workspace.groups:
        for problem in project.problems:
            check_span(problem.span, {})
    assert [f.sort_key for f in lint_project(compose, dockerfile)[1]] == [f.sort_key for f in findings]


# --- interpolation -----------------------------------------------------------------------------

_INTERPOLATION = st.text(alphabet="${}:-?+AB_ſ1 \n", max_size=60) | st.lists(
    st.sampled_from(["$", "{", "}", ":", "-", "?", "+", "A", "B", "${A", "${B:-", "}", "$$", "${A:?", "${A-", "${A:+"]),
    max_size=40).map("".join)


@examples(1000)
@given(_INTERPOLATION, st.dictionaries(st.sampled_from(["A", "B", "ſ"]), st.text(alphabet="${}:ab", max_size=4)))
def test_interpolation_on_arbitrary_text(text, variables):
    result = interpolate(text, variables.get)
    assert isinstance(result.value, str)
    assert result.error is None or isinstance(result.error, str)
    assert all(name in text for name in result.unset + result.missing)  # names from the text, none invented
    assert interpolate(text, variables.get) == result
    if "$" not in text:
        assert result == interpolate(text, variables.get) and result.value == text


# --- the short volume syntax -------------------------------------------------------------------

_SPEC = st.text(alphabet="ab/\\.:~CZ,$ ", max_size=30) | st.lists(
    st.sampled_from(["./a", "/b", "C:", "c:\\x", "\\\\.\\pipe\\p", "//./pipe/p", "~", "vol", ":", "ro", "rw", "z",
                     "nocopy", "rprivate", "\\\\?\\C:\\x", "", "${A}"]), max_size=6).map(":".join)


@examples(1000)
@given(_SPEC, st.sampled_from(["linux", "windows"]))
def test_short_volume_syntax(spec, os_name):
    short = split_short_volume(spec)
    assert (short.error is None) or (short.source is None and short.target == "")
    mount = MountReader(BASE, os_name).volume(YScalar(spec, Span.point("compose.yaml", 3, 9), BASE))
    assert mount.span == Span.point("compose.yaml", 3, 9)
    assert split_short_volume(spec) == short
    assert MountReader(BASE, os_name).volume(YScalar(spec, Span.point("compose.yaml", 3, 9), BASE)) == mount


# --- the command line, in-process --------------------------------------------------------------

@examples(150)
@given(compose_text(), dockerfile_text(), st.sampled_from(["json", "sarif", "text", "github", "gitlab"]))
def test_check_command_on_generated_projects(compose, dockerfile, output_format):
    from dockerstore_lint.run import LintRequest, run_check

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "compose.yaml").write_text(compose, encoding="utf-8")
        (root / "app").mkdir()
        (root / "app" / "Dockerfile").write_text(dockerfile, encoding="utf-8")
        outputs = []
        cwd = os.getcwd()
        os.chdir(root)
        try:
            for _ in range(2):
                stream = io.StringIO()
                with contextlib.redirect_stdout(stream):
                    status = run_check(LintRequest(paths=[Path(".")], output_format=output_format))
                outputs.append((status, stream.getvalue()))
        finally:
            os.chdir(cwd)
    assert outputs[0] == outputs[1]
    status, output = outputs[0]
    assert status in (0, 1)
    if output_format == "json":
        lines = {"compose.yaml": compose.replace("\r\n", "\n").split("\n"),
                 "app/Dockerfile": dockerfile.replace("\r\n", "\n").split("\n")}
        for finding in json.loads(output)["findings"]:
            check_span(Span(finding["file"], finding["line"], finding["column"], finding["end_line"],
                            finding["end_column"]), lines)


# --- variables that grow: self-referencing and doubling, in .env files and Compose files ---------

_REFERENCE_FORMS = st.sampled_from(["${V%d}", "$V%d", "${V%d:-x}", "${V%d-${V0}}", "${V%d:+$V%d}"])


@st.composite
def growing_dotenv(draw) -> tuple[str, int]:
    """A `.env` whose variables quote themselves and the ones before them, up to four times each: values
    that would double (or quadruple) at every line. Returns the text and how many variables it sets."""
    count = draw(st.integers(1, 40))
    lines = [f"V0={draw(st.text(alphabet='ab/', min_size=1, max_size=300))}"]
    for i in range(1, count):
        form = draw(_REFERENCE_FORMS)
        references = draw(st.lists(st.integers(0, i), min_size=1, max_size=4))  # `i` itself: self-reference
        value = "".join(form.replace("%d", str(reference)) for reference in references)
        quote = draw(st.sampled_from(["", '"', "'"]))
        lines.append(f"V{i}={quote}{value}{quote}")
    return "\n".join(lines) + "\n", count


def _check_bounded(values: list[str], text: str) -> None:
    from dockerstore_lint.inputs.compose.interpolation import MAX_FILE, MAX_VALUE

    assert all(len(value) <= MAX_VALUE + len(text) for value in values)
    assert sum(len(value) for value in values) <= MAX_FILE + MAX_VALUE + len(text) * len(values)


@examples(150)
@given(growing_dotenv())
def test_dotenv_with_growing_variables_stays_bounded(dotenv):
    from dockerstore_lint.inputs.compose.dotenv import parse_dotenv

    text, _ = dotenv
    result = parse_dotenv(text, {}.get)
    _check_bounded(list(result.values.values()), text)
    for line, column, message in result.problems:
        assert line >= 1 and column >= 1 and isinstance(message, str)
    assert parse_dotenv(text, {}.get) == result


@examples(60)
@given(growing_dotenv(), st.integers(1, 2000))
def test_projects_with_growing_variables_stay_bounded(dotenv, repeats):
    """The same `.env`, as a project's `.env` and as a service's env_file, quoted many times by a Compose file."""
    from dockerstore_lint.loader import Options, WorkspaceLoader

    text, count = dotenv
    last = f"${{V{count - 1}}}"
    compose = ("services:\n  app:\n    image: busybox\n    env_file: app.env\n"
               f"    environment: {{W: \"{last * repeats}\"}}\n    volumes: [\"./{last}:/data\"]\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".env").write_text(text, encoding="utf-8")
        (root / "app.env").write_text(text, encoding="utf-8")
        (root / "compose.yaml").write_text(compose, encoding="utf-8")
        workspace = WorkspaceLoader(root, root, Options()).load([root])
    (project,) = workspace.groups
    assert {problem.code for problem in project.problems} <= {"DSL001"}
    service = project.containers["app"]
    _check_bounded(list(service.environment.values()), compose + text)
    for problem in project.problems:
        check_span(problem.span, {})


# --- include and extends graphs: random DAGs, diamonds and cycles of files -----------------------

@st.composite
def reference_graph(draw) -> dict[str, str]:
    """Files that include and extend each other: layers of files that each include every file of the next
    layer (2^layers paths), plus random references anywhere, cycles and self-references included."""
    layers = draw(st.integers(1, 36))
    width = draw(st.integers(1, 2))
    names = [f"l{layer}x{i}.yaml" for layer in range(layers) for i in range(width)]
    extra = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=6))
    files = {}
    for layer in range(layers):
        for i in range(width):
            name = f"l{layer}x{i}.yaml"
            included = [f"l{layer + 1}x{j}.yaml" for j in range(width)] if layer + 1 < layers else []
            included += [target for source, target in extra if source == name]
            parent = draw(st.sampled_from(names))
            text = "include:\n" + "".join(f"  - {target}\n" for target in included) if included else ""
            text += (f"services:\n  s{layer}x{i}:\n    image: busybox\n"
                     f"  e{layer}x{i}:\n    extends: {{file: {parent}, service: e{parent[1:-5]}}}\n")
            files[name] = text
    files["compose.yaml"] = "include: [l0x0.yaml]\nservices:\n  top:\n    extends: {file: l0x0.yaml, service: e0x0}\n"
    return files


@examples(40)
@given(reference_graph())
def test_include_and_extends_graphs_are_resolved_in_bounded_time(files):
    from dockerstore_lint.loader import Options, WorkspaceLoader

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        loader = WorkspaceLoader(root, root, Options())
        workspace = loader.load([root / "compose.yaml"])
    (project,) = workspace.groups
    assert {problem.code for problem in project.problems} <= {"DSL001"}
    # each file is loaded once: a few dozen files never come near what a project may load
    assert not [problem for problem in project.problems if "too large" in problem.message]
    for problem in project.problems:
        check_span(problem.span, {})
