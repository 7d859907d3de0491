"""DSL001 only for what Docker refuses, at the right place; never an exception."""

import random
from pathlib import Path

import pytest

from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.text.sources import Source

PATH = Path("/project/Dockerfile")


def problems(text):
    return [(p.code, p.message, (p.span.line, p.span.column, p.span.end_line, p.span.end_column))
            for p in parse_dockerfile(Source(PATH, "Dockerfile", text)).problems]


@pytest.mark.parametrize("text, message, where", [
    ("ARG A=1\n", "no FROM instruction: Docker needs one to start a build stage", (1, 1, 1, 2)),
    ("RUN echo hi\nFROM a\n", "RUN before the first FROM: only ARG may come before FROM, Docker refuses the file",
     (1, 1, 1, 12)),
    ("FROM\n", "FROM without an image: write FROM <image> [AS <name>]", (1, 1, 1, 5)),
    ("FROM --platform=linux/amd64\n", "FROM without an image: write FROM <image> [AS <name>]", (1, 1, 1, 28)),
    ("FROM a b\n", "FROM requires either one or three arguments: FROM <image> [AS <name>]", (1, 1, 1, 9)),
    ("FROM a FOR b\n", "FROM requires either one or three arguments: FROM <image> [AS <name>]", (1, 1, 1, 13)),
    ("FROM a AS 1st\n", "invalid name for build stage: '1st', name can't start with a number or contain symbols",
     (1, 11, 1, 14)),
    ("FROM a\nUSER\n", "USER requires exactly one argument", (2, 1, 2, 5)),
    ("FROM a\nWORKDIR   \n", "WORKDIR requires exactly one argument", (2, 1, 2, 8)),
    ("FROM a\nSTOPSIGNAL\n", "STOPSIGNAL requires exactly one argument", (2, 1, 2, 11)),
    ("FROM a\nMAINTAINER\n", "MAINTAINER requires exactly one argument", (2, 1, 2, 11)),
    ("FROM a\nVOLUME\n", "VOLUME requires at least one argument", (2, 1, 2, 7)),
    ("FROM a\nVOLUME []\n", "VOLUME requires at least one argument", (2, 1, 2, 10)),
    ('FROM a\nVOLUME ["/a", " "]\n', "VOLUME specified can not be an empty string", (2, 15, 2, 18)),
    ("FROM a\nEXPOSE\n", "EXPOSE requires at least one argument", (2, 1, 2, 7)),
    ("FROM a\nENV\n", "ENV requires at least one argument", (2, 1, 2, 4)),
    ("FROM a\nLABEL\n", "LABEL requires at least one argument", (2, 1, 2, 6)),
    ("ARG\nFROM a\n", "ARG requires at least one argument", (1, 1, 1, 4)),
    ("FROM a\nENV a=b c\n", 'Syntax error - can\'t find = in "c": write ENV NAME=value', (2, 1, 2, 10)),
    ("FROM a\nLABEL a=b c\n", 'Syntax error - can\'t find = in "c": write LABEL NAME=value', (2, 1, 2, 12)),
    ("FROM a\nENV ONLY\n", "ENV must have two arguments: ENV NAME=value", (2, 1, 2, 9)),
    ("FROM a\nENV =x\n", "ENV names can not be blank", (2, 1, 2, 7)),
    ("FROM a\nARG =x\n", "ARG names can not be blank", (2, 1, 2, 7)),
    ("FROM a\nCOPY app\n", "COPY requires a source and a destination: COPY <src>... <dest>", (2, 1, 2, 9)),
    ("FROM a\nADD --chown=1 app\n", "ADD requires a source and a destination: ADD <src>... <dest>", (2, 1, 2, 18)),
    ("FROM a\nCOPY x <<EOF\nEOF\n", "COPY cannot take a heredoc as its destination", (2, 8, 2, 13)),
    ('FROM a\nCMD ["a", 1]\n', "CMD: when using JSON array syntax, arrays must be comprised of strings only",
     (2, 1, 2, 13)),
    ('FROM a\nVOLUME ["/a", null]\n', "VOLUME: when using JSON array syntax, arrays must be comprised of strings only",
     (2, 1, 2, 20)),
    ("FROM a\nSHELL /bin/bash -c\n", 'SHELL requires the arguments in JSON form: SHELL ["executable", "parameters"]',
     (2, 1, 2, 19)),
    ("FROM a\nSHELL []\n", "SHELL requires at least one argument", (2, 1, 2, 9)),
    ("FROM a\nONBUILD\n", "ONBUILD requires at least one argument", (2, 1, 2, 8)),
    ("FROM a\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", (2, 9, 2, 16)),
    ("FROM a\nONBUILD from b\n", "FROM isn't allowed as an ONBUILD trigger", (2, 9, 2, 13)),
    ("FROM a\nHEALTHCHECK\n", "HEALTHCHECK requires at least one argument", (2, 1, 2, 12)),
    ("FROM a\nHEALTHCHECK NONE x\n", "HEALTHCHECK NONE takes no arguments", (2, 18, 2, 19)),
    ("FROM a\nHEALTHCHECK PING x\n", "Unknown type 'PING' in HEALTHCHECK (try CMD)", (2, 13, 2, 17)),
    ("FROM a\nHEALTHCHECK --interval=5s CMD\n", "Missing command after HEALTHCHECK CMD", (2, 1, 2, 30)),
    ("FROM a\nVOLUME /a ${}\n", "VOLUME cannot expand ${}: syntax error: bad substitution", (2, 11, 2, 14)),
    ('FROM a\nCOPY "my file" /x/\n',
     'COPY cannot expand "my: unexpected end of statement while looking for matching double-quote', (2, 6, 2, 9)),
    ("FROM a\nWORKDIR ${A:-\n", "WORKDIR cannot expand ${A:-: syntax error: missing '}'", (2, 9, 2, 14)),
])
def test_what_docker_refuses(text, message, where):
    assert problems(text) == [("DSL001", message, where)]


@pytest.mark.parametrize("text", [
    "# syntax=docker/dockerfile:1\nfrom alpine as base\nrun\ncmd\nentrypoint\nFROM base\n",
    "FROM a\nARG a=b c\nENV A B C\nLABEL \"a b\"=\"c d\" e=\nEXPOSE 80/tcp 443\n",
    "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n",
    "FROM a\nONBUILD RUN <<EOF\necho\nEOF\nONBUILD COPY . /app\n",
    "FROM a\nCOPY --unknown-flag=1 --link a b\nRUN --network=none --security=insecure true\n",
    "FROM a\nVOLUME $UNSET ${UNSET:-/d} ${UNSET:?must}\nUSER $UID:$GID\nWORKDIR ${HOME}\n",
    'FROM a\nVOLUME [/data] [\'/x\'] ["/a" "/b"]\nSHELL ["powershell", "-Command"]\nCMD ["a", "b"]\n',
    "FROM a\nCOPY <<EOF <<EOT /etc/\nx\nEOF\ny\nEOT\nADD https://example.com/x.tgz /tmp/\n",
    "ARG BASE=alpine\nARG TAG\nFROM ${BASE}:${TAG:-latest} AS build\nFROM build\nCOPY --from=0 /a /b\n",
    "FROM a\nSTOPSIGNAL SIGTERM\nMAINTAINER me <me@example.com>\nRUN [\"echo\"]\n",
])
def test_valid_dockerfiles_have_no_problem(text):
    assert problems(text) == []


def test_source_problems_come_first():
    earlier = Problem("DSL001", "cannot decode", Span.point("Dockerfile", 9, 3))
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", "RUN x\nFROM a\n", (earlier,)))
    assert [p.message for p in dockerfile.problems] == [
        "cannot decode", "RUN before the first FROM: only ARG may come before FROM, Docker refuses the file"]


@pytest.mark.parametrize("text", [
    "FROM a\nVOLUME " + "[" * 100_000,  # json.loads would raise RecursionError
    "FROM a\nENV A=" + "${A:-" * 3000 + "}" * 3000,  # so would a recursive expander
    "FROM a\nRUN x <<" + "${A:-" * 3000 + "}" * 3000 + "\nx\n",
    "FROM a\n" + "RUN a \\\n" * 20_000,
    "FROM a\nRUN " + "<<A " * 2000 + "\nA\n" * 2000,
])
def test_pathological_input_does_not_raise(text):
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", text))
    assert len(dockerfile.stages) == 1


_FRAGMENTS = [
    "FROM", "RUN", "COPY", "ADD", "VOLUME", "WORKDIR", "USER", "ENV", "ARG", "SHELL", "ONBUILD", "HEALTHCHECK",
    "CMD", "LABEL", "EXPOSE", "STOPSIGNAL", "MAINTAINER", "ENTRYPOINT", "from", "FROOM", "AS", "as", "<<EOF", "<<-EOF",
    "EOF", "\tEOF", "<<'A'", "A", '<<"B"', "B", "\\", "`", '"', "'", "$", "${", "}", ":-", ":+", ":?", "#", "%", "/",
    "${A:-/x}", "$HOME", "[", "]", ",", '"/a"', " ", " ", " ", "\n", "\n", "\n", "\t", "\r", "\r\n", "\ufeff",
    "\x0c", "\x85", "\u2028", "\x1c", "# escape=`", "# escape=\\", "# check=x", "# syntax=x", "--from=a",
    "--platform=windows/amd64", "--mount=type=cache,target=/c", "--mount=", "--", "a", "b=c", "=", "/data",
    "C:\\data", "C:\\\\x", "http://h/f.tgz", "npm ci", "cd /x &&", "tar -xf a -C /o", "git clone u d", "-c", "\x00",
    '["sh", "-c", "npm ci"]', "[1]", "NONE", "powershell", "ContainerUser", "..", ".", "*.txt",
]


def test_random_text_never_raises():
    generator = random.Random(20240607)
    for _ in range(1500):
        text = "".join(generator.choice(_FRAGMENTS) for _ in range(generator.randint(0, 60)))
        dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", text))
        for problem in dockerfile.problems:
            span = problem.span
            assert problem.code == "DSL001" and span.file == "Dockerfile"
            assert 1 <= span.line <= span.end_line and span.column >= 1 and span.end_column >= 1
        for stage in dockerfile.stages:
            assert stage.os in ("linux", "windows")
            assert all(volume.stage <= stage.index for volume in stage.volumes)
