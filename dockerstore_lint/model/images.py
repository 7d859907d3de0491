"""Image references: `registry/repository:tag@digest`, and whether an image is a Windows one."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional


class ImageRef(NamedTuple):
    """An image reference as written after variable expansion: `registry/repo:tag@digest`."""

    raw: str  # as written
    name: str  # lower-cased repository without Docker Hub's registry and `library/` or architecture namespace
    tag: Optional[str]
    digest: Optional[str]
    resolved: bool  # False when a variable could not be expanded

    @property
    def display(self) -> str:
        return self.raw


_HUB_REGISTRIES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")
# Docker Hub namespaces that republish the official images for one architecture (`arm64v8/postgres` is
# `postgres`), as listed by docker-library/official-images; Windows x86-64 lives under `winamd64`.
_ARCH_NAMESPACES = frozenset({
    "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "mips64le", "ppc64le", "riscv64", "s390x", "winamd64",
})

# Windows base images by repository; other Windows images are told apart by their tag
_WINDOWS_REPOSITORIES = (
    "mcr.microsoft.com/windows",
    "mcr.microsoft.com/dotnet/framework",
    "microsoft/windowsservercore",
    "microsoft/nanoserver",
    "microsoft/iis",
    "microsoft/dotnet-framework",
    "microsoft/aspnet",
)
_WINDOWS_TAG_WORDS = {"nanoserver", "windowsservercore", "servercore", "windows", "ltsc2016", "ltsc2019",
                      "ltsc2022", "ltsc2025"}
_TAG_WORD = re.compile(r"[a-z0-9]+")


# Both are pure and asked the same questions over and over (rules look up a service's image many times):
# cached, bounded for a language server that runs for days.
@lru_cache(maxsize=4096)
def parse_image(raw: str) -> ImageRef:
    """Split a reference as Docker does; `resolved` is False while it holds a `$VAR`."""
    text = raw.strip()
    rest, _, digest = text.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag: Optional[str] = None
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
    namespace, name = _hub_namespace(rest.lower())
    if namespace == "library" or namespace in _ARCH_NAMESPACES:
        name = name.partition("/")[2]
    return ImageRef(raw=text, name=name, tag=tag or None, digest=digest or None, resolved="$" not in text)


def _hub_namespace(repository: str) -> tuple[Optional[str], str]:
    """The repository without Docker Hub's registry, and its namespace when it names a Docker Hub repository
    of the form namespace/name (`library/postgres`, `arm64v8/postgres`, `someone/app`); None otherwise."""
    for registry in _HUB_REGISTRIES:
        if repository.startswith(registry):
            repository = repository[len(registry):]
            break
    namespace, _, name = repository.partition("/")
    if not name or "/" in name or "." in namespace or ":" in namespace or namespace == "localhost":
        return None, repository
    return namespace, repository


@lru_cache(maxsize=4096)
def image_os(image: ImageRef) -> Optional[str]:
    """"windows" for Windows images, None when the reference does not say."""
    if not image.resolved:
        return None
    if _hub_namespace(image.raw.partition("@")[0].lower())[0] == "winamd64":
        return "windows"
    if any(image.name == repo or image.name.startswith(repo + "/") for repo in _WINDOWS_REPOSITORIES):
        return "windows"
    if image.tag and _WINDOWS_TAG_WORDS.intersection(_TAG_WORD.findall(image.tag.lower())):
        return "windows"
    return None
