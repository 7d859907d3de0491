"""Stages: FROM, ARG/ENV scoping, inheritance, USER/WORKDIR/SHELL, VOLUME and the stage OS."""

from pathlib import Path

import pytest

from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.span import Setting, Span
from dockerstore_lint.text.sources import Source


def parse(text):
    dockerfile = parse_dockerfile(Source(Path("/project/Dockerfile"), "Dockerfile", text))
    assert dockerfile.file == "Dockerfile" and dockerfile.path == Path("/project/Dockerfile")
    return dockerfile


def volumes(stage):
    return [(volume.path.text, volume.path.resolved) for volume in stage.volumes]


# --- FROM ------------------------------------------------------------------------------------

def test_from_platform_name_and_base():
    stage = parse("FROM --platform=linux/arm64 docker.io/library/Postgres:16@sha256:abc AS Db\n").stages[0]
    assert (stage.index, stage.name, stage.platform, stage.parent, stage.label) == (0, "Db", "linux/arm64", None, "Db")
    assert (stage.base.name, stage.base.tag, stage.base.digest, stage.base.resolved) == ("postgres", "16", "sha256:abc",
                                                                                       True)
    assert stage.span == Span("Dockerfile", 1, 1, 1, 75)
    assert stage.instructions[0].keyword == "FROM"
    assert stage.instructions[0].flags == {"platform": ("linux/arm64",)}
    assert stage.instructions[0].args == ("docker.io/library/Postgres:16@sha256:abc", "AS", "Db")


@pytest.mark.parametrize("as_word", ["AS", "as", "As"])
def test_stage_names_and_parents_are_case_insensitive(as_word):
    dockerfile = parse(f"FROM alpine {as_word} Builder\nFROM node AS other\nFROM builder\nFROM BUILDER AS last\n")
    assert [(s.name, s.parent) for s in dockerfile.stages] == [("Builder", None), ("other", None), (None, 0),
                                                              ("last", 0)]
    assert dockerfile.stage("LAST").index == 3 and dockerfile.stage(None).index == 3


def test_a_later_stage_name_is_not_a_parent():
    dockerfile = parse("FROM later\nFROM alpine AS later\n")
    assert dockerfile.stages[0].parent is None and dockerfile.stages[0].base.name == "later"


def test_from_uses_global_args_with_defaults():
    dockerfile = parse("ARG REG=docker.io\nARG TAG=3.19\nARG IMAGE=$REG/alpine\nARG PLATFORM\n"
                       "FROM --platform=$PLATFORM ${IMAGE}:${TAG} AS one\nFROM alpine:${UNSET:-3.18}\n")
    one, two = dockerfile.stages
    assert (one.base.raw, one.base.name, one.base.tag, one.base.resolved) == ("docker.io/alpine:3.19", "alpine",
                                                                              "3.19", True)
    assert one.platform == "$PLATFORM"  # declared without a default: set by the build, if at all
    assert (two.base.raw, two.base.resolved) == ("alpine:${UNSET:-3.18}", False)


def test_from_with_an_unknown_variable_stays_symbolic():
    stage = parse("ARG TAG\nFROM node:$TAG\n").stages[0]
    assert (stage.base.raw, stage.base.resolved, stage.parent) == ("node:$TAG", False, None)


def test_parent_through_a_global_arg():
    dockerfile = parse("ARG FLAVOUR=build\nFROM alpine AS build\nFROM ${FLAVOUR}\n")
    assert dockerfile.stages[1].parent == 0


# --- ARG and ENV ----------------------------------------------------------------------------

def test_global_args_are_not_visible_in_a_stage_until_declared():
    dockerfile = parse("ARG DIR=/data\nFROM a\nVOLUME $DIR\nFROM a\nARG DIR\nVOLUME $DIR\nFROM a\nARG DIR=/own\n"
                       "VOLUME $DIR\n")
    assert [volumes(stage) for stage in dockerfile.stages] == [[("$DIR", False)], [("/data", True)],
                                                               [("/own", True)]]


def test_env_wins_over_arg():
    stage = parse("FROM a\nARG D=/from-arg\nENV D=/from-env\nARG D=/again\nVOLUME $D\n").stages[0]
    assert volumes(stage) == [("/from-env", True)]
    assert stage.env == {"D": "/from-env"}


def test_env_values_see_the_variables_from_before_the_line():
    stage = parse("FROM a\nENV A=/x B=$A\nENV C=$A/c\nVOLUME $B $C\n").stages[0]
    assert stage.env == {"A": "/x", "B": "$A", "C": "/x/c"}
    assert volumes(stage) == [("$A", False), ("/x/c", True)]


def test_old_env_form_and_base_image_variables():
    stage = parse("FROM a\nENV PATH $PATH:/opt/bin\nENV GREETING hello world\n").stages[0]
    assert stage.env == {"PATH": "$PATH:/opt/bin", "GREETING": "hello world"}
    assert stage.instructions[1].args == ("PATH=$PATH:/opt/bin",)


def test_arg_with_and_without_values_on_one_line():
    # `ARG a=b c` is valid since Docker 20.10; dockerfile-parse's envs/args raise on it
    dockerfile = parse("FROM a\nARG a=/b c\nVOLUME $a $c\n")
    assert dockerfile.problems == ()
    assert volumes(dockerfile.stages[0]) == [("/b", True), ("$c", False)]
    assert dockerfile.stages[0].instructions[1].args == ("a=/b", "c")


def test_arg_defaults_expand_earlier_args():
    stage = parse("FROM a\nARG BASE=/opt\nARG APP=$BASE/app\nWORKDIR $APP\n").stages[0]
    assert stage.workdir.value == "/opt/app"


def test_label_and_expose_args_are_expanded():
    stage = parse('FROM a\nENV V=1.2\nLABEL version="$V" name=x\nEXPOSE ${PORT:-8080}/tcp\n').stages[0]
    assert stage.instructions[2].args == ("version=1.2", "name=x")
    assert stage.instructions[3].args == ("${PORT:-8080}/tcp",)


# --- inheritance ----------------------------------------------------------------------------

INHERITANCE = """\
FROM alpine AS base
ENV DATA=/data
USER app
WORKDIR /srv
SHELL ["/bin/bash", "-c"]
VOLUME $DATA
COPY app.py .
ARG ONLY_HERE=1
FROM base AS middle
ENV LOGS=$DATA/logs
VOLUME $LOGS
FROM middle
USER root
VOLUME /cache $ONLY_HERE
"""


def test_the_inheritance_chain():
    _, middle, last = parse(INHERITANCE).stages
    assert (middle.parent, last.parent) == (0, 1)
    assert [(v.path.text, v.stage, v.span) for v in last.volumes] == [
        ("/data", 0, Span("Dockerfile", 6, 8, 6, 13)),
        ("/data/logs", 1, Span("Dockerfile", 11, 8, 11, 13)),
        ("/cache", 2, Span("Dockerfile", 14, 8, 14, 14)),
        ("$ONLY_HERE", 2, Span("Dockerfile", 14, 15, 14, 25)),  # ARGs never cross stages
    ]
    assert last.env == {"DATA": "/data", "LOGS": "/data/logs"}
    assert middle.user == Setting("app", Span("Dockerfile", 3, 1, 3, 9))
    assert last.user == Setting("root", Span("Dockerfile", 13, 1, 13, 10))
    assert last.workdir == Setting("/srv", Span("Dockerfile", 4, 1, 4, 13))
    assert last.shell == Setting("/bin/bash -c", Span("Dockerfile", 5, 1, 5, 26))
    assert [(c.path.text, c.stage, c.order) for c in last.content] == [("/srv/app.py", 0, 6)]
    assert [s.index for s in parse(INHERITANCE).lineage(last)] == [2, 1, 0]
    # only its own instructions and runs
    assert [i.keyword for i in last.instructions] == ["FROM", "USER", "VOLUME"]


# --- USER, WORKDIR, SHELL ------------------------------------------------------------------------

def test_workdir_joins_relative_paths_and_defaults_to_root():
    stage = parse("FROM a\nRUN true\nWORKDIR app\nWORKDIR ../srv/./x\nRUN true\nWORKDIR /abs\n").stages[0]
    assert [run.workdir.text for run in stage.runs] == ["/", "/srv/x"]
    assert stage.workdir == Setting("/abs", Span("Dockerfile", 6, 1, 6, 13))


def test_workdir_from_an_unknown_variable_is_not_resolved():
    stage = parse("FROM a\nWORKDIR $HOME\nWORKDIR app\nRUN true\n").stages[0]
    assert (stage.workdir.value, stage.workdir.resolved) == ("$HOME/app", False)
    assert stage.runs[0].workdir.resolved is False


def test_user_setting_with_variables():
    stage = parse("FROM a\nARG UID=1000\nUSER ${UID}:${GID:-0}\n").stages[0]
    assert stage.user == Setting("1000:${GID:-0}", Span("Dockerfile", 3, 1, 3, 22), resolved=False)


def test_windows_workdir_with_backtick_escape():
    stage = parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\nWORKDIR logs\n"
                  "RUN dir\n").stages[0]
    assert stage.os == "windows"
    assert stage.workdir.value == "C:\\app\\logs"
    assert stage.runs[0].workdir.parts == ("c:", "app", "logs")


def test_windows_default_workdir_is_the_drive_root():
    stage = parse("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir\n").stages[0]
    assert stage.runs[0].workdir.text == "C:\\" and stage.workdir is None


# --- VOLUME --------------------------------------------------------------------------------

def test_volume_json_and_shell_forms_one_declaration_per_path():
    stage = parse('FROM a\nENV D=/srv\nVOLUME ["/a", "$D/b"]\nVOLUME /c \\\n  ${D}/d\n').stages[0]
    assert [(v.path.text, v.span, v.malformed) for v in stage.volumes] == [
        ("/a", Span("Dockerfile", 3, 9, 3, 13), None),
        ("/srv/b", Span("Dockerfile", 3, 15, 3, 21), None),
        ("/c", Span("Dockerfile", 4, 8, 4, 10), None),
        ("/srv/d", Span("Dockerfile", 5, 3, 5, 9), None),
    ]
    assert stage.instructions[2].json_form and stage.instructions[2].args == ("/a", "/srv/b")


@pytest.mark.parametrize("written, paths, reason", [
    ("VOLUME [/data]", ["[/data]"], "the paths are not quoted"),
    ("VOLUME ['/data']", ["[/data]"], "JSON strings need double quotes"),
    ('VOLUME ["/a" "/b"]', ["[/a", "/b]"], "a comma is missing between the paths"),
    ('VOLUME ["/a", "/b"', ["[/a,", "/b"], "the brackets are unbalanced"),
    ('VOLUME ["/a",]', ['[/a,]'], "it is not valid JSON"),
])
def test_malformed_json_volume_is_what_docker_makes_of_it(written, paths, reason):
    dockerfile = parse(f"FROM a\n{written}\n")
    assert dockerfile.problems == ()
    declared = dockerfile.stages[0].volumes
    assert [v.path.text for v in declared] == paths
    assert {v.malformed for v in declared} == {reason}


def test_volume_root_is_recorded_as_is():
    volume = parse("FROM a\nVOLUME /\n").stages[0].volumes[0]
    assert (volume.path.text, volume.path.is_root) == ("/", True)


def test_mongo_windows_volumes_with_escaped_backslashes():
    stage = parse("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nVOLUME C:\\\\data\\\\db C:\\\\data\\\\configdb\n"
                  ).stages[0]
    assert [(v.path.text, v.path.os, v.span) for v in stage.volumes] == [
        ("C:\\data\\db", "windows", Span("Dockerfile", 2, 8, 2, 20)),
        ("C:\\data\\configdb", "windows", Span("Dockerfile", 2, 21, 2, 39)),
    ]


# --- the stage OS ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "FROM mcr.microsoft.com/windows/servercore:ltsc2019\n",
    "FROM golang:1.22-nanoserver-ltsc2022\n",
    "FROM --platform=windows/amd64 myimage\n",
    'FROM myimage\nSHELL ["powershell", "-Command"]\n',
    'FROM myimage\nSHELL ["cmd.exe", "/S", "/C"]\n',
    "FROM myimage\nWORKDIR C:\\\\app\n",
    "FROM myimage\nVOLUME C:/data\n",
    "FROM myimage\nCOPY app D:\\\\app\n",
    "FROM myimage\nUSER ContainerAdministrator\n",
    "FROM mcr.microsoft.com/windows/nanoserver:1809 AS win\nFROM win\n",
])
def test_windows_stages(text):
    assert parse(text).stages[-1].os == "windows"


@pytest.mark.parametrize("text", [
    "FROM alpine\n",
    'FROM mcr.microsoft.com/powershell\nSHELL ["pwsh", "-Command"]\n',
    "FROM myimage\nWORKDIR /app\n",
    "FROM scratch\nUSER 1000\n",
])
def test_linux_stages(text):
    assert parse(text).stages[-1].os == "linux"


def test_a_late_windows_hint_still_decides_earlier_paths():
    stage = parse("FROM myimage\nWORKDIR /app\nRUN dir\nVOLUME C:\\\\data\n").stages[0]
    assert (stage.os, stage.workdir.value, stage.runs[0].workdir.text) == ("windows", "C:\\app", "C:\\app")
