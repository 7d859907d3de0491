"""The Compose half of the model, one rule at a time: merging, extends, include, `.env`, override files,
secrets and configs, Windows paths, build contexts, typed values.

Each test builds a small project and states what our model must say. When the Compose CLI is installed,
`load` also asks it about the same project, with the same environment, and requires the same answer
(or the same refusal), so every expectation here is Compose's, not ours.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Optional

import pytest

from dockerstore_lint.inputs.compose.project import MAX_REFERENCE_DEPTH, ComposeEnvironment, ProjectBuilder
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.yaml_nodes import YScalar
from tests import bombs
from tests.compose_oracle import ORACLE_ENVIRONMENT, compose_binary, compose_config, needs_compose, our_spelling
from tests.test_compose_oracle import Tally, compare_service, compose_source

# a home path stays one in the model: whose home it is, is not known
HOME = "~"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def load(root: Path, files: dict[str, str], main: tuple[str, ...] = ("compose.yaml",),
         environ: Optional[dict[str, str]] = None, compose_accepts: bool = True) -> Group:
    """The project made of `main` (merged in order), checked against Compose when it is installed."""
    write(root, files)
    environ = environ or {}
    reader = WorkspaceLoader(root, root, Options(environ=environ))
    environment = ComposeEnvironment(root=reader.root, read=reader.read, environ=reader.shell,
                                     dockerfiles=lambda *args: None, display=reader.display)
    paths = [root / name for name in main]
    project = ProjectBuilder(environment).build(paths)
    if compose_accepts:
        assert dsl001(project) == []
    if compose_binary() is not None:
        status, config, error = compose_config(root, paths, env=environ)
        assert (status == 0) == compose_accepts, error or "Compose accepts it"
        config = our_spelling(config)
        if status == 0:
            tally = Tally()
            assert set(config["services"]) == set(project.containers)
            for name, service in project.containers.items():
                compare_service(name, service, config["services"][name], config, tally)
            assert tally.differences == []
    return project


def sources(project: Group, service: str) -> list[Optional[str]]:
    """The mounts' sources as Compose prints them: binds joined to their directory."""
    return [compose_source(mount) for mount in project.containers[service].mounts]


def targets(project: Group, service: str) -> list[str]:
    return [mount.target.text for mount in project.containers[service].mounts if mount.target is not None]


def dsl001(project: Group) -> list[str]:
    return [problem.message for problem in project.problems if problem.code == "DSL001"]


# --- paths -------------------------------------------------------------------------------------------


def test_bind_sources_resolve_as_compose_resolves_them(tmp_path):
    project = load(tmp_path, {"compose.yaml": r"""
services:
  s:
    image: x
    volumes:
      - /etc/pihole/:/a
      - /x/../y:/b
      - ~/data/:/c
      - ~user/x:/d
      - ./sub/../up/:/e
      - "c:/win/:/f"
      - "c:x:/g"
      - type: bind
        source: 'C:\src'
        target: /h
      - type: bind
        source: '\\server\share'
        target: /i
"""})
    assert sources(project, "s") == [
        "/etc/pihole/", "/x/../y", f"{HOME}/data", f"{HOME}/user/x", str(tmp_path / "up"), "c:/win/",
        str(tmp_path / "c:x"), "C:\\src", "\\\\server\\share"]
    bases = [mount.host.base for mount in project.containers["s"].mounts]
    assert bases == ["absolute", "absolute", "home", "home", "directory", "drive", "directory", "drive", "unc"]


def test_build_contexts_and_dockerfiles(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  absolute: {build: /abs//ctx/}
  home: {build: {context: ~/x/, dockerfile: ../D/./f}}
  relative: {build: {context: sub/, dockerfile: /abs/Dfile, target: prod}}
  inline: {build: {dockerfile_inline: "FROM scratch"}}
  args: {build: {context: ., args: {A: "1", B: 010}}}
"""})
    builds = {name: service.build for name, service in project.containers.items()}
    assert (builds["absolute"].context, builds["absolute"].dockerfile) == (Path("/abs/ctx"),
                                                                            Path("/abs/ctx/Dockerfile"))
    assert (builds["home"].context, builds["home"].dockerfile) == (Path(HOME, "x"), Path(HOME, "D/f"))
    assert (builds["relative"].context, builds["relative"].dockerfile, builds["relative"].target) == (
        tmp_path / "sub", Path("/abs/Dfile"), "prod")
    assert builds["inline"].inline and builds["inline"].dockerfile is None
    assert builds["inline"].context == tmp_path
    assert dict(builds["args"].args) == {"A": "1", "B": "8"}
    assert builds["args"].span.line == 7  # the `build` key, not the last build arg


@needs_compose
@pytest.mark.parametrize("text", [
    "True", "FALSE", "010", "0777", "089", "0x_1F", "-0x10", "0b101", "0o17", "1_000", "+12", "-0", "-00",
    "1.0", "1.", ".5", "+.5", "-.0", "1e3", "1e6", "1.5e-7", "123456789.123456789", "1e21",
    "18446744073709551616", "9223372036854775808", "12e3_0", "2020-01-01", "2020-1-1",
    "2020-01-01 10:00:00", "2020-01-01T10:00:00.50Z", "2020-02-30", "yes", "on", "1:20", "_1", "0x", "1e",
])
def test_plain_values_are_typed_as_compose_types_them(tmp_path, text):
    write(tmp_path, {"compose.yaml": f"services:\n  s:\n    image: x\n    environment:\n      A: {text}\n"})
    status, config, error = compose_config(tmp_path, [tmp_path / "compose.yaml"], env={})
    assert status == 0, error
    assert YScalar(text, Span.point("f", 1), tmp_path).typed_text == config["services"]["s"]["environment"]["A"]


def test_typed_values_only_for_plain_scalars(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s:
    image: x
    environment:
      PLAIN: 010
      QUOTED: "010"
      INTERPOLATED: ${NUMBER:-010}
      EMPTY: ${NOPE}
      LISTED:
"""}, environ={"EMPTY": "from the shell", "LISTED": "from the shell"})
    # an interpolated empty value is an empty string, not a variable to look up
    assert dict(project.containers["s"].environment) == {
        "PLAIN": "8", "QUOTED": "010", "INTERPOLATED": "010", "EMPTY": "", "LISTED": "from the shell"}


@pytest.mark.parametrize(("value", "read_only"), [
    ("true", True), ("True", True), ("tRUE", True), ("yes", True), ("On", True), ("y", True),
    ("false", False), ("no", False), ("OFF", False), ('"${RO:-yes}"', True),
])
def test_booleans_as_compose_reads_them(tmp_path, value, read_only):
    project = load(tmp_path, {"compose.yaml": f"""
services:
  s:
    image: x
    read_only: {value}
    volumes:
      - {{type: bind, source: ./d, target: /d, read_only: {value}}}
"""})
    service = project.containers["s"]
    assert (service.read_only, service.mounts[0].read_only) == (read_only, read_only)


# --- override files ----------------------------------------------------------------------------------

OVERRIDE = ("compose.yaml", "compose.override.yaml")


def test_override_null_leaves_the_value_alone(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s: {image: a, user: u, platform: linux/amd64, volumes: [./a:/a]}
""", "compose.override.yaml": """
services:
  s:
    image: null
    user: ~
    platform:
    volumes:
"""}, main=OVERRIDE)
    service = project.containers["s"]
    assert (service.image.value, service.user.value, service.platform) == ("a", "u", "linux/amd64")
    assert targets(project, "s") == ["/a"]


def test_override_build_string_and_mapping_merge(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  web: {build: ./one}
  api: {build: {context: ./two, dockerfile: Df}}
""", "compose.override.yaml": """
services:
  web: {build: {target: prod}}
  api: {build: ./three}
"""}, main=OVERRIDE)
    web, api = project.containers["web"].build, project.containers["api"].build
    assert (web.context, web.target) == (tmp_path / "one", "prod")
    assert (api.context, api.dockerfile) == (tmp_path / "three", tmp_path / "three" / "Df")


def test_override_environment_args_and_tmpfs_merge_by_key(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s:
    image: x
    environment: {A: "1", B: "2", C: "3"}
    tmpfs: /t1
    build: {context: ., args: [X=1, Y=2]}
""", "compose.override.yaml": """
services:
  s:
    environment: [B=20, D=4, C]
    tmpfs: [/t2, /t1]
    build: {args: {Y: 20, Z: 3}}
"""}, main=OVERRIDE, environ={"C": "from the shell"})
    service = project.containers["s"]
    assert dict(service.environment) == {"A": "1", "B": "20", "C": "from the shell", "D": "4"}
    assert dict(service.build.args) == {"X": "1", "Y": "20", "Z": "3"}
    assert targets(project, "s") == ["/t1", "/t2"]


def test_override_volumes_merge_by_target(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s:
    image: x
    volumes:
      - ./a:/x
      - data:/data
      - {type: bind, source: ./long, target: /long}
volumes: {data: {}, other: {}}
""", "compose.override.yaml": """
services:
  s:
    volumes:
      - ./b:/x/
      - other:/data:ro
      - ./c:/long/.
      - ./d:/new
"""}, main=OVERRIDE)
    assert [(compose_source(m), m.target.text, m.read_only) for m in project.containers["s"].mounts] == [
        (str(tmp_path / "b"), "/x", False), ("other", "/data", True), (str(tmp_path / "c"), "/long", False),
        (str(tmp_path / "d"), "/new", False)]


def test_override_reset_and_override_tags(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s: {image: x, user: u, volumes: [./a:/a, ./b:/b], tmpfs: [/t]}
""", "compose.override.yaml": """
services:
  s:
    user: !reset null
    volumes: !override [./c:/c]
    tmpfs: !reset []
"""}, main=OVERRIDE)
    assert project.containers["s"].user is None
    assert targets(project, "s") == ["/c"]


# --- default files -------------------------------------------------------------------------------------


# the first project listed is the one `docker compose` loads without `-f`
@pytest.mark.parametrize(("present", "expected"), [
    (["compose.yaml", "compose.override.yaml"], [["compose.yaml", "compose.override.yaml"]]),
    (["compose.yaml", "compose.override.yml", "compose.override.yaml"],
     [["compose.yaml", "compose.override.yml"], ["compose.override.yaml"]]),
    (["compose.yaml", "docker-compose.override.yml"], [["compose.yaml", "docker-compose.override.yml"]]),
    (["docker-compose.yml", "compose.override.yaml"], [["docker-compose.yml", "compose.override.yaml"]]),
    (["compose.yaml", "docker-compose.yml", "docker-compose.override.yml"],
     [["compose.yaml", "docker-compose.override.yml"], ["docker-compose.yml"]]),
    (["docker-compose.yaml", "docker-compose.yml"], [["docker-compose.yml"], ["docker-compose.yaml"]]),
])
def test_default_file_and_override_make_one_project(tmp_path, present, expected):
    write(tmp_path, {name: f"services:\n  s:\n    image: x\n    labels: [{name}]\n" for name in present})
    workspace = WorkspaceLoader(tmp_path, tmp_path, Options(environ={})).load([tmp_path])
    assert sorted(list(project.files) for project in workspace.groups) == sorted(expected)
    binary = compose_binary()
    if binary is not None:
        done = subprocess.run([binary, "config", "--format", "json"], cwd=tmp_path, capture_output=True, text=True,
                              env=ORACLE_ENVIRONMENT, timeout=60)
        assert sorted(json.loads(done.stdout)["services"]["s"]["labels"]) == sorted(expected[0])


# --- extends -------------------------------------------------------------------------------------------


def test_extends_in_the_same_file_and_chains(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  base: {image: a, user: "1", volumes: [./a:/a, data:/data], environment: {A: "1"}}
  mid: {extends: base, volumes: [./b:/a], environment: [B=2]}
  top: {extends: {service: mid}, read_only: true}
volumes: {data: {}}
"""})
    top = project.containers["top"]
    assert (top.image.value, top.user.value, top.read_only) == ("a", "1", True)
    assert sources(project, "top") == [str(tmp_path / "b"), "data"]
    assert dict(top.environment) == {"A": "1", "B": "2"}


def test_extends_another_file_resolves_its_paths_there(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  web:
    extends: {file: common/base.yaml, service: chained}
    volumes: [./here:/here]
""", "common/base.yaml": """
services:
  template:
    build: ./ctx
    volumes: [./rel:/rel, {type: bind, source: ../up, target: /up}]
    env_file: vars.env
  chained: {extends: template, image: z}
""", "common/vars.env": "V=1\n"})
    web = project.containers["web"]
    assert sources(project, "web") == [str(tmp_path / "common/rel"), str(tmp_path / "up"), str(tmp_path / "here")]
    assert (web.image.value, web.build.context, dict(web.environment)) == ("z", tmp_path / "common/ctx", {"V": "1"})


def test_extends_is_resolved_before_the_override_file(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  a: {extends: b, volumes: [./a:/a]}
  b: {image: b1, volumes: [./b:/b]}
""", "compose.override.yaml": """
services:
  b: {image: b2, user: u}
"""}, main=OVERRIDE)
    a = project.containers["a"]
    assert (a.image.value, a.user) == ("b1", None)


def test_a_build_without_context_builds_the_projects_directory(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
include: [inc/included.yaml]
services:
  a: {extends: {file: other/base.yaml, service: b}}
""", "other/base.yaml": """
services:
  b: {build: {dockerfile: D}}
""", "inc/included.yaml": """
services:
  i: {extends: {file: deeper/base.yaml, service: k}}
""", "inc/deeper/base.yaml": """
services:
  k: {build: {dockerfile: K}}
"""})
    assert project.containers["a"].build.dockerfile == tmp_path / "D"
    assert project.containers["i"].build.dockerfile == tmp_path / "inc/K"


@pytest.mark.parametrize("files", [
    {"compose.yaml": "services:\n  a: {extends: a, image: x}\n"},
    {"compose.yaml": "services:\n  a: {extends: b, image: x}\n  b: {extends: a, image: y}\n"},
    {"compose.yaml": "services:\n  a: {extends: {file: other.yaml, service: x}}\n",
     "other.yaml": "services:\n  x: {extends: {file: compose.yaml, service: a}}\n"},
], ids=["itself", "two services", "two files"])
def test_extends_cycles_are_problems(tmp_path, files):
    project = load(tmp_path, files, compose_accepts=False)
    assert any(message.startswith("extends cycle") for message in dsl001(project))


def test_extends_of_a_missing_service_is_a_problem(tmp_path):
    project = load(tmp_path, {"compose.yaml": "services:\n  a: {image: a}\n",
                              "compose.override.yaml": "services:\n  a: {extends: b}\n  b: {image: b}\n"},
                   main=("compose.yaml", "compose.override.yaml"))
    assert dsl001(project) == []
    project = load(tmp_path, {"compose.override.yaml": "services:\n  a: {extends: b}\n"}, main=OVERRIDE,
                   compose_accepts=False)
    assert dsl001(project) == ["extends: service 'b' not found"]


# --- include -------------------------------------------------------------------------------------------


def test_include_paths_project_directory_and_env_files(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
include:
  - inc/one.yaml
  - path: other/two.yaml
    project_directory: pd
  - path: three/three.yaml
    env_file: three/custom.env
services:
  main: {image: m, volumes: [./m:/m]}
""", "inc/one.yaml": "services:\n  one: {image: '${IMG:-one}', volumes: [./rel:/rel], build: ctx}\n",
        "inc/.env": "IMG=from-its-dotenv\n",
        "other/two.yaml": "services:\n  two: {image: two, volumes: [./rel:/rel], env_file: e.env}\n",
        "pd/e.env": "Q=from-the-project-directory\n",
        "three/three.yaml": "services:\n  three: {image: '${TIMG}'}\n",
        "three/custom.env": "TIMG=custom\n"})
    services = project.containers
    assert (services["one"].image.value, sources(project, "one"), services["one"].build.context) == (
        "from-its-dotenv", [str(tmp_path / "inc/rel")], tmp_path / "inc/ctx")
    assert (sources(project, "two"), dict(services["two"].environment)) == (
        [str(tmp_path / "pd/rel")], {"Q": "from-the-project-directory"})
    assert services["three"].image.value == "custom"


def test_the_including_file_is_merged_over_what_it_includes(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
include: [first.yaml, second.yaml]
services:
  a: {image: main, volumes: [./m:/m]}
volumes:
  vol: {driver: local}
""", "first.yaml": """
services:
  a: {image: first, user: u, volumes: [./i:/i]}
  b: {image: b1}
""", "second.yaml": """
services:
  b: {image: b2, user: u2, volumes: [vol:/v]}
volumes:
  vol: {driver: other}
"""})
    a, b = project.containers["a"], project.containers["b"]
    assert (a.image.value, a.user.value, sources(project, "a")) == (
        "main", "u", [str(tmp_path / "i"), str(tmp_path / "m")])
    assert (b.image.value, b.user.value) == ("b1", "u2")
    assert project.volumes["vol"].driver == "local"
    assert dsl001(project) == []


def test_include_cycle_is_a_problem(tmp_path):
    project = load(tmp_path, {"compose.yaml": "include: [inc.yaml]\nservices:\n  a: {image: a}\n",
                              "inc.yaml": "include: [compose.yaml]\nservices:\n  b: {image: b}\n"},
                   compose_accepts=False)
    assert dsl001(project) == ["include cycle: compose.yaml -> inc.yaml -> compose.yaml"]


@needs_compose
def test_each_included_file_is_loaded_once_however_many_paths_lead_to_it(tmp_path, monkeypatch):
    from dockerstore_lint.inputs.compose import project as builder

    loaded = []
    load_document = builder.load_document
    monkeypatch.setattr(builder, "load_document",
                        lambda source, *args: loaded.append(source.file) or load_document(source, *args))
    bombs.include_diamonds(tmp_path, levels=12)  # 4,096 paths to the last two files
    project = load(tmp_path, {})
    assert sorted(loaded) == sorted(set(loaded)) and len(loaded) == 1 + 2 * 12
    assert set(project.containers) == {f"s{level}{side}" for level in range(12) for side in "ab"}


def test_a_file_that_is_a_project_and_another_projects_extends_parent_is_parsed_once(tmp_path, monkeypatch):
    from dockerstore_lint.inputs.compose import documents

    parsed = []
    load_yaml = documents.load_yaml
    monkeypatch.setattr(documents, "load_yaml", lambda text, file, *args: parsed.append(file) or load_yaml(
        text, file, *args))
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    extends: {file: base/compose.yaml, service: app}\n",
                     "base/compose.yaml": "services:\n  app:\n    image: busybox\n    volumes: [/data]\n"})
    groups = WorkspaceLoader(tmp_path, tmp_path, Options()).load([tmp_path]).groups
    assert sorted(parsed) == ["base/compose.yaml", "compose.yaml"]
    assert sorted(name for group in groups for name in group.containers) == ["app", "web"]


def beyond_compose(root: Path) -> Group:
    """The project of `root`'s compose.yaml, which Compose accepts but this linter bounds: no oracle."""
    (project,) = WorkspaceLoader(root, root, Options()).load([root / "compose.yaml"]).groups
    return project


def test_includes_and_extends_deeper_than_the_limit_say_so(tmp_path):
    bombs.include_diamonds(tmp_path, levels=MAX_REFERENCE_DEPTH + 2)
    messages = dsl001(beyond_compose(tmp_path))  # from each include entry of l31a.yaml and l31b.yaml
    assert sorted(messages) == [f"includes nested more than {MAX_REFERENCE_DEPTH} levels deep: l32{side}.yaml is not "
                                "read" for side in "aabb"]
    chain = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(40)) + "  s40:\n    image: x\n"
    write(tmp_path, {"compose.yaml": "services:\n" + chain})
    messages = dsl001(beyond_compose(tmp_path))
    assert f"extends nested more than {MAX_REFERENCE_DEPTH} levels deep: service 's33' is not read" in messages


def test_past_what_a_project_may_load_through_includes_one_problem_says_so(tmp_path, monkeypatch):
    from dockerstore_lint.inputs.compose import project as builder

    monkeypatch.setattr(builder, "MAX_REFERENCED_FILES", 5)
    bombs.include_diamonds(tmp_path, levels=4)
    project = beyond_compose(tmp_path)
    assert [message.split(":")[0] for message in dsl001(project)] == ["the include graph is too large"]
    # the first five files are read: l0a, l1a, l2a, l3a, l3b
    assert {"s0a", "s1a", "s2a", "s3a", "s3b"} <= set(project.containers) and "s0b" not in project.containers


def test_include_project_directory_that_does_not_exist(tmp_path):
    """COMPOSE_QUIRKS: Compose falls back to the including project's directory; we do not."""
    write(tmp_path, {"compose.yaml": "include:\n  - path: inc/i.yaml\n    project_directory: missing\n",
                     "inc/i.yaml": "services:\n  i: {image: i, volumes: [./v:/v]}\n"})
    reader = WorkspaceLoader(tmp_path, tmp_path, Options(environ={}))
    ours = reader.load([tmp_path / "compose.yaml"]).groups[0]
    status, config, error = compose_config(tmp_path, [tmp_path / "compose.yaml"], env={})
    assert status == 0, error
    assert sources(ours, "i") == [str(tmp_path / "missing/v")]
    assert config["services"]["i"]["volumes"][0]["source"] == str(tmp_path / "v")


# --- interpolation -------------------------------------------------------------------------------------


def test_dotenv_interpolation_and_the_shells_precedence(tmp_path):
    files = {"compose.yaml": """
services:
  a:
    image: ${IMG}
    user: ${U:-1000}
    platform: $PLAT
    volumes: ["${SRC}:/data", "${NAME}:/v"]
    environment: [X, "Y=${Y}"]
volumes: {vol: {}}
""", "compose.override.yaml": "services:\n  a:\n    read_only: ${RO}\n",
        ".env": "IMG=nginx:1\nSRC=./data\nNAME=vol\nX=from-dotenv\nY=y\nPLAT=linux/arm64\nRO=true\n"}
    project = load(tmp_path, files, main=OVERRIDE)
    service = project.containers["a"]
    assert (service.image.value, service.user.value, service.platform, service.read_only) == (
        "nginx:1", "1000", "linux/arm64", True)
    assert sources(project, "a") == [str(tmp_path / "data"), "vol"]
    assert dict(service.environment) == {"X": "from-dotenv", "Y": "y"}
    shell = load(tmp_path, {}, main=OVERRIDE, environ={"IMG": "from-the-shell", "X": "shell"})
    assert (shell.containers["a"].image.value, shell.containers["a"].environment["X"]) == ("from-the-shell", "shell")


def test_env_files_are_read_in_order_with_the_projects_variables_first(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
include:
  - path: inc/i.yaml
    env_file: [a.env, b.env]
  - sub/j.yaml
services:
  s:
    image: x
    env_file: [a.env, {path: b.env, required: false}, {path: missing.env, required: false}]
""", "a.env": "X=from-a\nP=from-a\n", "b.env": "Z=${X}\nW=${DOT}\nV=${P}\n",
        ".env": "DOT=from-dotenv\nX=from-dotenv\n",
        "inc/i.yaml": "services:\n  i:\n    image: x\n    environment: {Z: '${Z}', W: '${W}', S: '${SHELL_ONLY}'}\n",
        "sub/j.yaml": "services:\n  j:\n    image: x\n    environment: {D: '${DOT}', E: '${ONLY_SUB}'}\n",
        "sub/.env": "DOT=from-sub\nONLY_SUB=from-sub\n"}, environ={"SHELL_ONLY": "shell"})
    # a later env file sees the earlier ones, but the project's variables come first
    assert dict(project.containers["s"].environment) == {
        "X": "from-a", "P": "from-a", "Z": "from-dotenv", "W": "from-dotenv", "V": "from-a"}
    # an included project sees the including project's variables before its own env files
    assert dict(project.containers["i"].environment) == {"Z": "from-dotenv", "W": "from-dotenv", "S": "shell"}
    assert dict(project.containers["j"].environment) == {"D": "from-dotenv", "E": "from-sub"}


# --- secrets, configs, Windows ---------------------------------------------------------------------------

SECRETS = r"""
secrets:
  s1: {file: ./s1.txt}
  s2: {file: sub/s2.txt}
  s3: {file: /abs/s3}
  from_env: {environment: HOME}
configs:
  c1: {file: ./c1}
  c2: {file: ~/c2}
  inline: {content: x}
"""


def test_secret_and_config_targets(tmp_path):
    project = load(tmp_path, {"compose.yaml": """
services:
  s:
    image: x
    secrets: [s1, {source: s2, target: custom}, {source: s3, target: /abs/path}, from_env]
    configs: [c1, {source: c2, target: "C:/conf"}, inline]
""" + SECRETS})
    assert [(m.purpose, compose_source(m), m.target.text, m.read_only) for m in project.containers["s"].mounts] == [
        ("secret", str(tmp_path / "s1.txt"), "/run/secrets/s1", True),
        ("secret", str(tmp_path / "sub/s2.txt"), "/run/secrets/custom", True),
        ("secret", "/abs/s3", "/abs/path", True),
        ("config", str(tmp_path / "c1"), "/c1", True),
        ("config", f"{HOME}/c2", "/C:/conf", True)]


def test_windows_service_paths(tmp_path):
    project = load(tmp_path, {"compose.yaml": r"""
services:
  w:
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
    volumes: ['./d:C:\data', 'c:\host:c:/inside/', 'v:c:/v2', '\\.\pipe\docker_engine:\\.\pipe\docker_engine']
    secrets: [s1, {source: s3, target: 'C:\x\y'}]
    configs: [{source: c1, target: rel}]
""" + SECRETS})
    assert [(compose_source(m), m.target.text) for m in project.containers["w"].mounts] == [
        (str(tmp_path / "d"), "C:\\data"),
        ("c:\\host", "C:\\inside"),
        (str(tmp_path / "v:c"), "C:\\v2"),
        ("\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine"),
        (str(tmp_path / "s1.txt"), "C:\\run\\secrets\\s1"),
        ("/abs/s3", "C:\\x\\y"),
        (str(tmp_path / "c1"), "C:\\rel")]


# --- YAML ----------------------------------------------------------------------------------------------


def test_merge_keys_and_a_duplicate_merge_key(tmp_path):
    anchors = """
x-a: &a {image: from-a, user: ua, environment: {A: a}}
x-b: &b {image: from-b, user: ub, platform: linux/b, environment: {B: b}}
services:
  both: {<<: [*a, *b]}
  explicit_after: {<<: *a, image: explicit}
  explicit_before: {image: explicit, <<: *b}
"""
    project = load(tmp_path, {"compose.yaml": anchors})
    assert [(s.image.value, s.user.value, s.platform, dict(s.environment)) for s in project.containers.values()] == [
        ("from-a", "ua", "linux/b", {"A": "a"}), ("explicit", "ua", None, {"A": "a"}),
        ("explicit", "ub", "linux/b", {"B": "b"})]
    twice = load(tmp_path, {"compose.yaml": anchors + "  twice:\n    <<: *a\n    <<: *b\n"}, compose_accepts=False)
    assert dsl001(twice) == ["duplicate key '<<' (first defined on line 9)"]


@pytest.mark.parametrize("text, words", [
    ("postgres -c 'max_connections=200'", ["postgres", "-c", "max_connections=200"]),
    ('sh -c "pg_dumpall -U postgres > /backup/all.sql"', ["sh", "-c", "pg_dumpall -U postgres > /backup/all.sql"]),
    (r'echo \"quoted\" $HOME ~/x', ["echo", '"quoted"', "$HOME", "~/x"]),
    ("FOO=1 node app.js", ["FOO=1", "node", "app.js"]),  # no shell runs it: the assignment is a word
    # go-shellwords stops at the first unquoted operator or redirection: Compose gets the words before it
    ("python manage.py migrate && python manage.py runserver", ["python", "manage.py", "migrate"]),
    ("node mock.mjs 8090 2>&1", ["node", "mock.mjs", "8090"]),
    ("echo $(date) now", ["echo", "$(date)", "now"]),
    ("", []),
    ("unterminated 'quote", None),
])
def test_compose_splits_a_command_string_as_go_shellwords_does(text, words):
    from dockerstore_lint.inputs.compose.services import command_words

    assert command_words(text) == words


def test_a_service_entrypoint_is_kept_apart_from_the_image_default(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  a: {image: postgres:16}\n  b: {image: postgres:16, entrypoint: null}\n"
        "  c: {image: postgres:16, entrypoint: ''}\n  d: {image: postgres:16, entrypoint: /bin/sh -c}\n",
        encoding="utf-8")
    loader = WorkspaceLoader(tmp_path, tmp_path, Options(environ={}))
    (group,) = loader.load([tmp_path / "compose.yaml"]).groups
    assert {name: c.entrypoint for name, c in group.containers.items()} == {
        "a": None, "b": None, "c": (), "d": ("/bin/sh", "-c")}
