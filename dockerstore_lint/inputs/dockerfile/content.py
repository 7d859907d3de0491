"""What COPY and ADD put into the image, and where.

A destination is a directory when Docker makes it one: a trailing separator, `.`, several sources,
or a directory the stage already has (its WORKDIRs, earlier copies). A single source that plainly
names one file (`app.py`, a heredoc, a downloaded URL, a file an earlier stage made: `COPY --from=build
/out/api ...` after `go build -o /out/api`) gives a file entry at its exact path, so a single-file bind
mount can be matched against it; anything else is recorded as the directory.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Optional, Sequence

from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.dockerfile import Content
from dockerstore_lint.model.span import Span

_URL = re.compile(r"(?:https?|git)://|git@", re.IGNORECASE)
_GIT_URL = re.compile(r"(?:git://|git@|.*\.git(?:[#?].*)?\Z)", re.IGNORECASE)
_WILDCARD = re.compile(r"[*?\[]")
_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tzst|tar\.(?:gz|bz2|xz|zst|lz4|lzma))\Z", re.IGNORECASE)


class CopyStep(NamedTuple):
    """A COPY or ADD with its words expanded, waiting for the stage's WORKDIR and OS."""

    keyword: str
    sources: tuple[str, ...]  # not heredocs
    heredocs: tuple[str, ...]  # markers of heredoc sources
    destination: str
    from_stage: Optional[str]  # the --from value
    span: Span
    order: int
    parents: bool = False  # --parents: sources keep their directories under the destination


def place(directory: ContainerPath, written: str) -> ContainerPath:
    """`written` taken relative to `directory`, unless it starts with an unknown variable: `$HOME/x`
    may well be absolute, and `/$HOME/x` would be a path nobody wrote."""
    return container_path(written, directory.os) if written.startswith("$") else directory.join(written)


def copy_content(step: CopyStep, workdir: ContainerPath, known_directories: Sequence[ContainerPath],
                 stage_names: Sequence[str], stage: int, source_is_file: bool = False) -> Content:
    """The one Content entry a COPY/ADD adds; `stage_names` are the earlier stages, lower-cased;
    `source_is_file` when the stage a `--from` names made its lone source as a file."""
    local = tuple(source for source in step.sources if not _URL.match(source))
    urls = tuple(source for source in step.sources if _URL.match(source))
    target = place(workdir, step.destination)
    written = step.destination.replace("\\", "/") if workdir.os == "windows" else step.destination
    single = len(step.sources) + len(step.heredocs) == 1 and not step.parents
    file_name = _single_file_name(step) if single else None
    if single and file_name is None and source_is_file:
        file_name = step.sources[0].replace("\\", "/").rsplit("/", 1)[-1] or None
    if file_name is None:
        path, is_file = target, False
    else:
        into_directory = (written.endswith("/") or written.rsplit("/", 1)[-1] in (".", "..")
                          or any(target.same(directory) for directory in known_directories))
        path, is_file = (target.join(file_name) if into_directory else target), True
    return Content(
        path=path,
        instruction=step.keyword,
        span=step.span,
        order=step.order,
        sources=step.sources if step.from_stage is not None else local,
        from_stage=step.from_stage,
        what=_describe(step, local, urls, stage_names),
        is_file=is_file,
        stage=stage,
    )


def _single_file_name(step: CopyStep) -> Optional[str]:
    """The file name a lone source lands under, when it certainly is one file."""
    if step.heredocs:
        return step.heredocs[0]
    source = step.sources[0]
    if _URL.match(source):
        if step.keyword != "ADD" or _GIT_URL.match(source):
            return None
        # Docker names a download after the last segment of the URL path
        path = source.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
        return path.rsplit("/", 1)[-1] if "/" in path and not path.endswith("/") else None
    if source.endswith(("/", "/.")) or _WILDCARD.search(source):
        return None
    if step.keyword == "ADD" and _ARCHIVE.search(source):
        return None  # a local archive is unpacked into the destination
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    # a dot inside the name (not a leading one: `.git` is usually a directory) marks a file
    return name if "." in name.lstrip(".") and name not in (".", "..") else None


def _describe(step: CopyStep, local: tuple[str, ...], urls: tuple[str, ...], stage_names: Sequence[str]) -> str:
    if step.from_stage is not None:
        origin = step.from_stage
        if origin.lower() in stage_names or (origin.isdecimal() and int(origin) < len(stage_names)):
            return f"output of stage {origin}"
        return f"files copied from image {origin}"
    if urls and not local and not step.heredocs:
        return f"download of {' '.join(urls)}"
    if step.heredocs and not local:
        return "inline file from heredoc " + " ".join(f"<<{marker}" for marker in step.heredocs)
    if step.keyword == "ADD" and any(_ARCHIVE.search(source) for source in local):
        return f"archive unpacked from the build context ({' '.join(local)})"
    return f"files copied from the build context ({' '.join(local)})"
