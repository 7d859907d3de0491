"""Image references name the same repository however Docker Hub's official images are spelled."""

from __future__ import annotations

import pytest

from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.model.images import image_os, parse_image


@pytest.mark.parametrize("raw, name", [
    ("postgres", "postgres"),
    ("library/postgres", "postgres"),
    ("docker.io/library/postgres", "postgres"),
    ("index.docker.io/library/postgres", "postgres"),
    ("registry-1.docker.io/library/postgres", "postgres"),
    ("docker.io/postgres", "postgres"),
    ("arm64v8/postgres", "postgres"),
    ("docker.io/arm64v8/postgres", "postgres"),
    ("amd64/redis", "redis"),
    ("arm32v5/busybox", "busybox"),
    ("arm32v6/alpine", "alpine"),
    ("arm32v7/openjdk", "openjdk"),
    ("i386/debian", "debian"),
    ("ppc64le/node", "node"),
    ("s390x/python", "python"),
    ("riscv64/golang", "golang"),
    ("mips64le/debian", "debian"),
    ("winamd64/mongo", "mongo"),
    ("ARM64V8/Postgres", "postgres"),
    # not official images: left alone
    ("someone/postgres", "someone/postgres"),
    ("docker.io/someone/postgres", "someone/postgres"),
    ("ghcr.io/arm64v8/postgres", "ghcr.io/arm64v8/postgres"),
    ("localhost/arm64v8/postgres", "localhost/arm64v8/postgres"),
    ("localhost:5000/library/postgres", "localhost:5000/library/postgres"),
    ("arm64v8/someone/postgres", "arm64v8/someone/postgres"),
    ("library/someone/postgres", "library/someone/postgres"),
])
def test_hub_official_image_spellings(raw, name):
    assert parse_image(raw).name == name


@pytest.mark.parametrize("raw", [
    "docker.io/arm64v8/postgres:16",
    "arm64v8/postgres:16@sha256:" + "a" * 64,
    "  i386/postgres:16  ",
])
def test_raw_is_kept_as_written(raw):
    image = parse_image(raw)
    assert image.raw == raw.strip()
    assert image.tag == "16"


def test_architecture_prefix_finds_the_official_images_facts():
    facts = image_facts(parse_image("docker.io/arm64v8/postgres:16"))
    assert facts is not None and facts.key == "postgres-upto-17"
    assert facts.data_dirs == image_facts(parse_image("postgres:16")).data_dirs


def test_winamd64_images_are_windows_images():
    image = parse_image("winamd64/mongo:8.2")
    assert image_os(image) == "windows"
    assert image_os(parse_image("arm64v8/mongo:8.2")) is None
    # the Windows build of an image the data knows only for Linux stays unknown
    assert image_facts(parse_image("winamd64/python:3.13")) is None
    assert image_facts(parse_image("winamd64/mongo:8.2-nanoserver-ltsc2022")).key == "mongo-nanoserver"
