"""Containers started from Python code: every API form of `fixtures/python_sources/`, read into exactly the
values and spans of `fixtures/python_sources/expected.txt`, plus the parts of the reader one by one.

`pytest --update-expected` rewrites expected.txt from what the reader finds now: review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import pytest

from dockerstore_lint.inputs.python import might_start_containers, read_python
from dockerstore_lint.inputs.python.launches import Bind, Flag, PythonLaunches, Text
from dockerstore_lint.text.shell import HERE

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "python_sources"
FIXTURES = sorted(path.name for path in FOLDER.glob("*.py"))


def where(span) -> str:
    return f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"


def shown(value) -> str:
    """A value as expected.txt writes it: `"..."` with `$HERE` and the directory it stands for, `?` in
    front when unresolved, `true`/`false`/`?` for a flag."""
    if isinstance(value, Flag):
        return "?" if value.value is None else str(value.value).lower()
    text = json.dumps(value.value.replace(HERE, "$HERE"))
    if value.directory is not None:
        directory = value.directory.relative_to(FOLDER.parent) if value.directory.is_relative_to(FOLDER.parent) \
            else value.directory
        text += f"($HERE={directory.as_posix()})"
    return text if value.resolved else "?" + text


def rendered(name: str, result: PythonLaunches) -> list[str]:
    if result.skipped:
        return [f"{name}: skipped: {result.skipped}"]
    lines = []
    for container in result.containers:
        image = "none" if container.image is None else shown(container.image)
        if container.image_is_default:
            image += " (default)"
        flags = " throwaway" if container.throwaway else ""
        flags += f" opaque={','.join(container.opaque)}" if container.opaque else ""
        lines.append(f"{name}:{where(container.span)} {container.api} {container.builder} image={image}{flags}")
        if container.image is not None:
            lines.append(f"{name}:{where(container.image.span)}   image {shown(container.image)}")
        for bind in container.volumes:
            parts = "".join(f" {label}={shown(part)}" for label, part in
                            (("source", bind.source), ("target", bind.target), ("mode", bind.mode)) if part is not None)
            lines.append(f"{name}:{where(bind.spec.span)}   volume {shown(bind.spec)}{parts}")
        for mount in container.mounts:
            complete = "" if mount.complete else " (incomplete)"
            lines.append(f"{name}:{where(mount.span)}   mount{complete}")
            lines += [f"{name}:{where(field.span)}     {shown(field)}" for field in mount.fields]
        for label in ("command", "tmpfs", "volumes_from", "environment"):
            lines += [f"{name}:{where(text.span)}   {label} {shown(text)}" for text in getattr(container, label)]
        for label in ("user", "working_dir", "platform", "name", "read_only", "remove", "auto_remove", "detach",
                      "daemon"):
            value = getattr(container, label)
            if value is not None:
                lines.append(f"{name}:{where(value.span)}   {label} {shown(value)}")
    for volume in result.volumes:
        opaque = f" opaque={','.join(volume.opaque)}" if volume.opaque else ""
        lines.append(f"{name}:{where(volume.span)} volume {volume.builder} "
                     f"name={'none' if volume.name is None else shown(volume.name)}{opaque}")
        if volume.driver is not None:
            lines.append(f"{name}:{where(volume.driver.span)}   driver {shown(volume.driver)}")
        lines += [f"{name}:{where(text.span)}   option {shown(text)}" for text in volume.options]
        lines += [f"{name}:{where(text.span)}   label {shown(text)}" for text in volume.labels]
    return lines or [f"{name}: nothing"]


def read_fixture(name: str) -> PythonLaunches:
    path = FOLDER / name
    return read_python(path.read_text(encoding="utf-8"), name, path.parent)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture(name, request):
    found = rendered(name, read_fixture(name))
    expected_file = FOLDER / "expected.txt"
    if request.config.getoption("--update-expected"):
        kept = [line for line in expected_file.read_text(encoding="utf-8").splitlines()
                if not line.startswith(f"{name}:")] if expected_file.is_file() else []
        expected_file.write_text("\n".join(sorted(kept + found, key=lambda line: line.split(":")[0])) + "\n",
                                 encoding="utf-8")
    expected = [line for line in expected_file.read_text(encoding="utf-8").splitlines() if line.startswith(f"{name}:")]
    assert found == expected
    if name.startswith(("sdk_", "testcontainers_")):
        assert might_start_containers((FOLDER / name).read_bytes()), "the first look must let every form through"


def test_every_fixture_has_expectations():
    expected = {line.split(":")[0] for line in (FOLDER / "expected.txt").read_text(encoding="utf-8").splitlines()}
    assert expected == set(FIXTURES)


# --- the first look -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    b"import docker\nclient.containers.run('x')\n",
    b"import docker\n(client.containers).create('x')\n",
    b"import docker\nclient.containers \\\n    .run('x')\n",
    b"import docker\nx = (client.containers  # the containers\n     .run('x'))\n",
    b"import docker\nclient.volumes.create('v')\n",
    b"from testcontainers.redis import RedisContainer\n",
])
def test_the_first_look_lets_through(text):
    assert might_start_containers(text)
    assert might_start_containers(text.decode())


@pytest.mark.parametrize("text", [
    b"# runs in docker\nimport os\n",  # the word alone: most such files never start a container
    b"client.containers.run('x')\n",  # no docker import, so no client the reader would know
    b"import docker\nclient.containers.runner('x')\n",
    b"import docker\nclient.images.create('x')\n",
])
def test_the_first_look_turns_away(text):
    assert not might_start_containers(text)
    assert read_python(text.decode(), "x.py", FOLDER) == PythonLaunches()


def test_the_first_look_is_linear_on_comments_that_never_end_in_a_dot():
    # `#[^\n]*` inside a repeated group would try exponentially many splits of "# # # ..."
    text = b"docker containers" + b" # # #" * 300_000
    assert not might_start_containers(text)


# --- values ---------------------------------------------------------------------------------------

def read_snippet(body: str, tmp_path: Path, working_directory: Optional[Path] = None) -> list[Bind]:
    text = "import docker, os, os.path, pathlib\nfrom pathlib import Path\nclient = docker.from_env()\n" + body
    result = read_python(text, "app/run.py", tmp_path / "app", working_directory)
    assert not result.skipped
    return [bind for container in result.containers for bind in container.volumes]


@pytest.mark.parametrize(("expression", "value", "directory"), [
    ('"/srv/x"', "/srv/x", None),
    ('Path(__file__).parent', HERE, "app"),
    ('Path(__file__).parent.parent / "data"', f"{HERE}/data", "."),
    ('Path(__file__).resolve().parents[0]', None, None),  # not read: stays as written
    ('os.path.dirname(os.path.realpath(__file__))', HERE, "app"),
    ('os.path.join(os.path.dirname(__file__), "..", "x")', f"{HERE}/../x", "app"),
    ('os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "x"))', f"{HERE}/x", "."),
    ('os.path.abspath("data")', f"{HERE}/data", "app"),
    ('str(Path("data").resolve())', f"{HERE}/data", "app"),
    ('os.getcwd()', HERE, "app"),
    ('pathlib.Path.cwd() / "a" / "b"', f"{HERE}/a/b", "app"),
    ('Path.home() / ".ssh"', "~/.ssh", None),
    ('os.path.expanduser("~/.aws")', "~/.aws", None),
    ('os.environ["HOME"] + "/x"', "~/x", None),
    ('os.getenv("HOME") + "/x"', "~/x", None),
    ('Path("/srv") / "a" / "/abs"', "/abs", None),
    ('os.path.join("/srv", "a")', "/srv/a", None),
    ('"/a" + "/b"', "/a/b", None),
    ('f"{1000}"', "1000", None),
    ('"/x".upper()', None, None),
    ('os.environ["DATA"]', None, None),
    ('Path(__file__).parent / os.environ["DATA"]', None, None),
])
def test_values(expression, value, directory, tmp_path):
    """`value` None: not known. The home directory is known to be `~`, but unresolved (whose home?)."""
    bind, = read_snippet(f"client.containers.run('x', volumes={{{expression}: {{'bind': '/t'}}}})\n", tmp_path)
    assert bind.source.resolved is (value is not None and not value.startswith("~"))
    assert bind.source.written == expression
    if value is None:  # parts not known stay as written
        return
    assert bind.source.value == value
    assert bind.source.directory == (None if directory is None else tmp_path / directory)


def test_a_tilde_python_does_not_expand_is_a_plain_string(tmp_path):
    """docker-py hands "~/x" to the engine as it is, which takes it for a (bad) volume name; another user's
    home is not known."""
    body = "client.containers.run('x', volumes=['~/x:/t', os.path.expanduser('~bob') + ':/u'])\n"
    literal, other = read_snippet(body, tmp_path)
    assert (literal.spec.value, literal.spec.resolved) == ("~/x:/t", True)
    assert (other.spec.value, other.spec.resolved) == ("~bob:/u", False)


def test_the_working_directory_is_what_the_caller_says(tmp_path):
    bind, = read_snippet("client.containers.run('x', volumes=[os.getcwd() + ':/w'])\n", tmp_path, tmp_path)
    assert (bind.spec.value, bind.spec.directory) == (f"{HERE}:/w", tmp_path)


def test_a_value_with_two_directories_is_not_known(tmp_path):
    bind, = read_snippet("client.containers.run('x', volumes=[f'{os.getcwd()}:{Path(__file__).parent}'])\n",
                         tmp_path, tmp_path)
    assert not bind.spec.resolved and bind.spec.directory is None


@pytest.mark.parametrize("body", [
    "v = ['/a:/a']\nv.append('/b:/b')\nclient.containers.run('x', volumes=v)\n",  # changed after it was made
    "v = ['/a:/a']\nclient.containers.run('x', volumes=v)\nclient.containers.run('y', volumes=v)\n",
    "v = ['/a:/a']\nv = ['/b:/b']\nclient.containers.run('x', volumes=v)\n",
    "client.containers.run('x', volumes=make())\n",
    "client.containers.run('x', volumes=['/a:/a', *more])\n",
    "client.containers.run('x', volumes={'/a': {'bind': '/a'}, **more})\n",
])
def test_collections_that_may_hold_more_are_opaque(body, tmp_path):
    result = read_python("import docker\nclient = docker.from_env()\n" + body, "run.py", tmp_path)
    assert all("volumes" in container.opaque for container in result.containers) and result.containers


def test_a_collection_bound_once_and_used_once_is_read(tmp_path):
    bind, = read_snippet("def f():\n    v = ['/a:/a']\n    client.containers.run('x', volumes=v)\n", tmp_path)
    assert bind.spec.value == "/a:/a"
    assert (bind.spec.span.line, bind.spec.span.column) == (5, 10)  # the item, where it is written


def test_a_name_is_looked_up_where_python_looks_it_up(tmp_path):
    text = ("import docker\nclient = docker.from_env()\nSRC = '/module'\n"
            "class C:\n    SRC = '/class'\n"
            "    def m(self):\n        client.containers.run('x', volumes=[SRC + ':/t'])\n"
            "def f():\n    SRC = '/local'\n    def g():\n        client.containers.run('y', volumes=[SRC + ':/t'])\n")
    result = read_python(text, "run.py", tmp_path)
    assert [container.volumes[0].spec.value for container in result.containers] == ["/module:/t", "/local:/t"]


def test_global_rebinding_makes_a_module_name_unknown(tmp_path):
    text = ("import docker\nclient = docker.from_env()\nSRC = '/a'\ndef f():\n    global SRC\n    SRC = '/b'\n"
            "client.containers.run('x', volumes=[SRC + ':/t'])\n")
    spec = read_python(text, "run.py", tmp_path).containers[0].volumes[0].spec
    assert (spec.value, spec.resolved) == ("SRC:/t", False)


# --- what is not read -----------------------------------------------------------------------------

def test_a_file_python_cannot_parse_is_skipped(tmp_path):
    result = read_python("import docker\ndocker.from_env().containers.run(\n", "broken.py", tmp_path)
    assert result.containers == () and result.skipped.startswith("not valid Python")


_HEADERS = ("#!/usr/bin/env python3\n# Copyright: a header comment, then a blank line\n\n",
            "\n\n# comments and blank lines\n\n# before the first statement\n",
            "")
_ODD_MODULE = """@decorator(
    argument,
)
class Deployer:  # a comment
    \"\"\"A docstring
    over lines.\"\"\"

    def run(self):
        if True: docker.from_env().containers.run("x",
            volumes=["/a:/a"]); other()


x = 1; y = f(
  2)
"""


@pytest.mark.parametrize("text", [*((FOLDER / name).read_text(encoding="utf-8") for name in FIXTURES),
                                  *(header + _ODD_MODULE for header in _HEADERS)])
def test_spans_match_libcst_positions_of_the_whole_module(text):
    """Positions come from each top-level statement alone, shifted by the lines before it: the same as
    libcst's own positions over the whole file."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from dockerstore_lint.inputs.python.syntax import Program

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    program = Program(module, "x.py")
    assert program.calls
    for call in program.calls:
        where = whole[call.node]
        assert program.span(call.node, call.top)[1:] == (where.start.line, where.start.column + 1,
                                                       where.end.line, where.end.column + 1)


def test_text_values_keep_what_was_written(tmp_path):
    bind, = read_snippet("client.containers.run('x', volumes={'/a' : {'bind': '/b'} , })\n", tmp_path)
    assert bind.spec.written == "'/a' : {'bind': '/b'}"
    assert isinstance(bind.source, Text) and bind.source.written == "'/a'"


def test_a_mount_as_one_mount_flag_value():
    """What the command-line interpreter's `--mount` parser reads: Go's CSV, a field with a comma quoted."""
    result = read_fixture("sdk_mounts.py")
    first, second = result.containers[0].mounts[:2]
    value = first.as_flag_value("Mount(...)")
    assert value.value == ('target=/var/lib/postgresql/data,source=pgdata,volume-driver=local,volume-opt=type=nfs,'
                           '"volume-opt=o=addr=10.0.0.2,rw",volume-opt=device=:/exports/pg,volume-label=app=pg')
    assert (value.span, value.resolved, value.written) == (first.span, True, "Mount(...)")
    assert second.as_flag_value("").value == "target=/run/app,type=tmpfs,tmpfs-size=64m,tmpfs-mode=1770"


def test_a_mount_flag_value_doubles_quotes_and_is_unresolved_when_incomplete(tmp_path):
    text = ("import docker\nfrom docker.types import Mount\nclient = docker.from_env()\n"
            "client.containers.run('x', mounts=[Mount('/t', 'a\"b'), Mount('/u', **more)])\n")
    quoted, incomplete = read_python(text, "run.py", tmp_path).containers[0].mounts
    assert quoted.as_flag_value("").value == 'target=/t,"source=a""b"'
    assert not incomplete.complete and not incomplete.as_flag_value("").resolved


def test_none_is_docker_pys_default_not_an_unreadable_argument(tmp_path):
    text = ("import docker\nclient = docker.from_env()\nclient.containers.run('x', volumes=None, mounts=None, "
            "tmpfs=None, environment=None, volumes_from=None, command=None, user=None, remove=None)\n")
    container, = read_python(text, "run.py", tmp_path).containers
    assert container.opaque == () and container.user is None and container.remove is None
