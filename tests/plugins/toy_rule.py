"""A third-party rule installed through the `dockerstore_lint.rules` entry point, by tests/test_plugins.py."""

from __future__ import annotations

from typing import Iterator

from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class NoLatestTag(Rule):
    """A container runs an image by its `latest` tag.

    ## What it does
    Flags an image reference whose tag is `latest`.

    ## Why it matters
    The data directory an image expects can move between major versions.

    ## Example
    `image: postgres:latest`

    ## Fix
    Name the version: `image: postgres:16`.
    """

    code = "TOY001"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.image is not None and container.image.value.endswith(":latest"):
            yield self.finding(container.image.span, f"{container.label} runs a `latest` image", "name the version")
