"""Which Dockerfiles only BuildKit can build."""

from pathlib import Path

import pytest

from dockerstore_lint.facts.builders import buildkit_only
from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.text.sources import Source


def first_buildkit_only(text):
    found = buildkit_only(parse_dockerfile(Source(Path("/p/Dockerfile"), "Dockerfile", text)))
    return found.keyword if found is not None else None


@pytest.mark.parametrize("text, keyword", [
    ("FROM a\nRUN --mount=type=cache,target=/c make\n", "RUN"),
    ("FROM a\nRUN --network=none make\n", "RUN"),
    ("FROM a\nCOPY --chmod=755 x /x\n", "COPY"),
    ("FROM a\nADD --link x /x\n", "ADD"),
    ("FROM a\nRUN <<EOF\ntrue\nEOF\n", "RUN"),
    ("FROM a\nCOPY <<EOF /etc/x\nhello\nEOF\n", "COPY"),
    # one stage is enough: the legacy builder builds them all
    ("FROM a AS tools\nRUN --mount=type=cache,target=/c make\nFROM b\nRUN true\n", "RUN"),
    # what the legacy builder reads too
    ("# syntax=docker/dockerfile:1\nFROM a\nCOPY --chown=1000 --from=b x /x\nRUN make\n", None),
])
def test_buildkit_only(text, keyword):
    assert first_buildkit_only(text) == keyword
