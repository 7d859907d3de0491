"""What files an image has under a path, and whether a bind mount's source is a single file."""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from dockerstore_lint.facts.image import facts_for
from dockerstore_lint.finding import Related
from dockerstore_lint.knowledge import ImageContent, ImageFacts
from dockerstore_lint.model.container import Container, Mount
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Content, Stage
from dockerstore_lint.model.host_paths import PIPE, UNRESOLVED
from dockerstore_lint.model.images import ImageRef

# `nginx.conf`, `init.sql`, `.env.local`: a last component that ends like a file name (`conf.d` is a directory)
_FILE_EXTENSION = re.compile(r"[^.][.]([A-Za-z][A-Za-z0-9]{0,5})$")


def file_extension(path_text: str) -> str:
    """The lower-cased extension when a path, host or container, names what looks like a file; else ""."""
    name = path_text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    match = _FILE_EXTENSION.search(name)
    extension = match.group(1).lower() if match else ""
    return "" if extension == "d" else extension


def single_file_source(mount: Mount) -> bool:
    """Whether a bind mount's source is one file: the file on disk when the repository has the path,
    otherwise (outside the repository, or missing from it) a name that ends like a file name."""
    host = mount.host
    if host is None or host.base in (UNRESOLVED, PIPE):
        return False
    if host.exists:
        return bool(host.is_file)
    return file_extension(mount.source or "") != ""


class ImageFiles(NamedTuple):
    """Files an image has at `path`: put there by an instruction of the repository's Dockerfile, or known
    of its base image from the knowledge base."""

    path: ContainerPath
    what: str
    is_file: bool
    content: Optional[Content] = None  # the Dockerfile instruction behind them
    known: Optional[ImageContent] = None  # the knowledge base's entry behind them


def image_files_under(path: ContainerPath, stage: Optional[Stage],
                      facts: Optional[ImageFacts]) -> list[ImageFiles]:
    """What an image has at `path` or below it: the built stage's content in build order, then the base
    image's known content. WORKDIRs (empty directories) and the base image's directories made to be
    replaced by a mount (nginx's default page) are left out."""
    found = [ImageFiles(c.path, c.what, c.is_file, content=c) for c in (stage.content if stage else ())
             if c.instruction != "WORKDIR" and c.path.is_within(path)]
    if facts is not None:
        found.extend(ImageFiles(k.path, k.what, k.is_file, known=k) for k in facts.content_hidden_by(path)
                     if facts.replaceable_at(k.path) is None)
    return found


def container_image_files(container: Container, path: ContainerPath) -> list[ImageFiles]:
    """`image_files_under` for the image a container runs."""
    return image_files_under(path, container.stage, facts_for(container))


# how many paths a message names before it says "and N more"
SHOWN_PATHS = 3


def related_for(files: list[ImageFiles]) -> tuple[Related, ...]:
    """Where the repository's Dockerfile puts each of `files` there, for a finding's related locations."""
    return tuple(Related(f.content.span, f"{f.path}: {f.what}") for f in files if f.content is not None)


def describe_image_files(files: list[ImageFiles], image: Optional[ImageRef], limit: int = SHOWN_PATHS) -> str:
    """`/app/node_modules (node_modules from `npm ci`, Dockerfile:4), ... and 2 more`, for messages: each
    path once, in the order given, named after the first entry for it; `image` is the base image whose
    known content is among them."""
    first: dict[ContainerPath, ImageFiles] = {}
    for entry in files:
        first.setdefault(entry.path, entry)
    named = []
    for entry in list(first.values())[:limit]:
        if entry.content is not None:
            where = f"{entry.content.span.file.rsplit('/', 1)[-1]}:{entry.content.span.line}"
            named.append(f"{entry.path} ({entry.what}, {where})")
        else:
            named.append(f"{entry.path} ({entry.what} of {image.display if image else 'the base image'})")
    more = f" and {len(first) - limit} more" if len(first) > limit else ""
    return ", ".join(named) + more
