"""Image references: `registry/repository:tag@digest`, and whether an image is a Windows one."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional


class ImageRef(NamedTuple):
    """An image reference as written after variable expansion: `registry/repo:tag@digest`."""

    raw: str
    name: str  # lower-cased repository without registry `docker.io` and `library/` (`postgres`)
    tag: Optional[str]
    digest: Optional[str]
    resolved: bool  # False when a variable could not be expanded

    @property
    def display(self) -> str:
        return self.raw


_HUB_REGISTRIES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")

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
    name = rest.lower()
    for registry in _HUB_REGISTRIES:
        if name.startswith(registry):
            name = name[len(registry):]
            break
    if name.startswith("library/"):
        name = name[len("library/"):]
    return ImageRef(raw=text, name=name, tag=tag or None, digest=digest or None, resolved="$" not in text)


@lru_cache(maxsize=4096)
def image_os(image: ImageRef) -> Optional[str]:
    """"windows" for Windows images, None when the reference does not say."""
    if not image.resolved:
        return None
    if any(image.name == repo or image.name.startswith(repo + "/") for repo in _WINDOWS_REPOSITORIES):
        return "windows"
    if image.tag and _WINDOWS_TAG_WORDS.intersection(_TAG_WORD.findall(image.tag.lower())):
        return "windows"
    return None
