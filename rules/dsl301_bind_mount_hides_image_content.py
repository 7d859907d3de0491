"""DSL301 bind-mount-hides-image-content."""

import os
from pathlib import Path
from typing import Iterator, Optional

from dockerstore_lint.facts.files import (
    SHOWN_PATHS,
    ImageFiles,
    container_image_files,
    describe_image_files,
    related_for,
    single_file_source,
)
from dockerstore_lint.facts.image import facts_for, is_windows_container, registry_image
from dockerstore_lint.facts.storage import judged_mounts, storage_at
from dockerstore_lint.facts.wording import anonymous_volume_hint
from dockerstore_lint.finding import UNSAFE, Finding, Fix
from dockerstore_lint.fixes.intents import AddShield
from dockerstore_lint.model.container import BIND, Container, Mount
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import DIRECTORY, PIPE
from dockerstore_lint.rule import Rule


class BindMountHidesImageContent(Rule):
    """A directory bind mount hides files the image has there and the host directory does not bring back.

    ## What it does
    Flags a directory bind mount at or above a directory where the service's image has files that
    the mounted host directory does not provide: what a `RUN` made (`node_modules` from `npm ci`,
    a `go build` output), what was copied from another build stage or image (`COPY --from`), a
    download, files copied from another part of the build context than the one mounted, and the
    known content of well-known base images (nginx's `/etc/nginx`).

    Not flagged: binding the very directory the Dockerfile copies (`COPY . /app` with `.:/app`, the
    live-reload pattern), since the host files are the ones the image was built from; content kept
    visible by a volume at its path (`- /app/node_modules`); directories the image makes to be
    replaced (nginx's `/usr/share/nginx/html`); single-file binds; images the linter does not know.
    A source outside the project (`/srv/app`, `~/code`) is not compared with the build context, and
    files excluded by `.dockerignore` are not taken into account.

    ## Why it matters
    A bind mount replaces the whole directory: the container sees only the host's files. The
    dependencies the image installed, the application it built or the configuration it ships are
    gone, and the container fails with "Cannot find module", runs stale code, or nginx exits with
    `open() "/etc/nginx/nginx.conf" failed`, while the same image works without the mount.

    ## Example
    ```yaml
    services:
      web:
        build: .          # WORKDIR /app, COPY . ., RUN npm ci
        volumes:
          - ./src:/app
    ```

    ## Fix
    Bind the directory the image was built from, and keep what the build made in a volume at its
    path:
    ```yaml
    services:
      web:
        build: .
        volumes:
          - .:/app
          - /app/node_modules
    ```

    ## Fix safety
    Unsafe: the fix adds an anonymous volume (`- /app/node_modules`) below the bind mount for each
    directory the build made there, so the container sees the image's copy again instead of the
    host's. What the container writes there then goes to that volume, not to the host, and after
    a rebuild Compose keeps re-attaching the old copy (`docker compose up -V` renews it). Only
    offered when those directories are all the mount hides.
    """

    code = "DSL301"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        # a Windows container refuses to mount over files instead of hiding them: DSL402 says so
        if is_windows_container(container):
            return
        for mount in judged_mounts(container, BIND):
            if mount.host is None or mount.host.base == PIPE or single_file_source(mount):
                continue
            assert mount.target is not None
            files = container_image_files(container, mount.target)
            # a file of the image at the target itself: the mount is a file mount
            if any(f.is_file and f.path.same(mount.target) for f in files):
                continue
            hidden = [f for f in files
                      if storage_at(container, f.path).mount == mount and not _brought_back(f, mount, container)]
            if hidden:
                yield self._finding(container, mount, hidden)

    def _finding(self, container: Container, mount: Mount, hidden: list[ImageFiles]) -> Finding:
        hidden = sorted(hidden, key=_importance)
        count = len(dict.fromkeys(f.path for f in hidden))
        shown = describe_image_files(hidden, registry_image(container))
        host = f"the host directory {mount.source}"
        if count == 1:
            what = f"hides {shown}, which {host} does not provide"
        else:
            what = f"hides {count} paths of the image that {host} does not provide: {shown}"
        return self.finding(mount.span, f"{container.label}: bind mount {mount.source}:{mount.target} {what}",
                            _advice(container, mount, hidden), related_for(hidden),
                            fix=_shield(container, mount, hidden))


def _shield(container: Container, mount: Mount, hidden: list[ImageFiles]) -> Optional[Fix]:
    """Anonymous volumes at the directories the build made below the mount, when they are all it hides."""
    assert mount.target is not None
    built = _built_below(container, mount, hidden)
    if not built or not all(any(f.path.is_within(path) for path in built) for f in hidden):
        return None
    return Fix("Keep " + ", ".join(str(path) for path in built) + " with an anonymous volume", applicability=UNSAFE,
               intent=AddShield(mount, tuple(path.text for path in built)))


def _built_below(container: Container, mount: Mount, hidden: list[ImageFiles]) -> list[ContainerPath]:
    """Where anonymous volumes would keep what the build made below the mount: its directories, and for a file the
    directory that holds it (a volume is a directory: Docker refuses to mount one over a file) when that is below
    the mount too. A path the image runs as its program is a file."""
    assert mount.target is not None
    programs = _programs(container)
    paths = []
    for files in hidden:
        if _kind(files) != BUILT:
            continue
        is_file = files.is_file or any(files.path.same(program) for program in programs)
        path = files.path.parent if is_file else files.path
        if path.strictly_within(mount.target):
            paths.append(path)
    return [path for path in dict.fromkeys(paths) if not any(path.strictly_within(other) for other in paths)]


def _programs(container: Container) -> list[ContainerPath]:
    """The files the built image runs: the first words of its ENTRYPOINT and its CMD that are absolute paths."""
    if container.stage is None or container.dockerfile is None:
        return []
    found: dict[str, ContainerPath] = {}
    for member in container.dockerfile.lineage(container.stage):
        for instruction in reversed(member.instructions):
            if instruction.keyword in ("ENTRYPOINT", "CMD") and instruction.keyword not in found:
                first = instruction.args[0] if instruction.args else ""
                found[instruction.keyword] = container_path(first, member.os)
    return [path for path in found.values() if path.absolute]


def _brought_back(files: ImageFiles, mount: Mount, container: Container) -> bool:
    """Whether the host directory holds the very files the Dockerfile copied from the build context there.

    `COPY X P` with X a directory puts X's content at P, with X a file puts it at P (or P/X's name when P
    is a directory): the bind brings them back when the host path it shows at P is context/X, or the
    directory context/X is in. Which of the two X is cannot be told without the context on disk, so
    either counts.
    """
    content = files.content
    if _kind(files) != CONTEXT or container.build is None or content is None:
        return False
    if mount.host is None or mount.host.base != DIRECTORY or mount.target is None:
        return True  # a path on the machine that runs the containers: whether it holds the context is unknown
    shown_here = mount.host.below(*content.path.parts[len(mount.target.parts):]).local
    return all(shown_here in (copied, copied.parent)
               for copied in (_copied_from(container, source) for source in content.sources))


def _copied_from(container: Container, source: str) -> Path:
    # a leading `/` in a COPY source is the root of the build context
    assert container.build is not None
    # the context's own text keeps backslashes of a Windows project: on disk they are separators
    return Path(os.path.normpath(os.path.join(container.build.context, source.lstrip("/")).replace("\\", "/")))


# what put the hidden files there, most telling first: made by the build, copied from the context, the base image's
BUILT, CONTEXT, BASE = 0, 1, 2


def _kind(files: ImageFiles) -> int:
    content = files.content
    if content is None:
        return BASE
    if content.instruction in ("COPY", "ADD") and content.from_stage is None and content.sources:
        return CONTEXT
    return BUILT  # RUN output, COPY --from, a download or a heredoc


def _written_like(mount: Mount, directory: Path) -> str:
    """`directory` written the way the mount's source is, relative to the same file's directory."""
    assert mount.host is not None and mount.host.local is not None and mount.source is not None
    path = os.path.normpath(os.path.join(mount.source, os.path.relpath(directory, mount.host.local)))
    return path if path.startswith((".", "/", "~")) else "./" + path


def _importance(files: ImageFiles) -> tuple[int, int, int]:
    content = files.content
    return (_kind(files),) + ((content.stage, content.order) if content is not None else (0, 0))


def _advice(container: Container, mount: Mount, hidden: list[ImageFiles]) -> str:
    """What keeps the files visible: a volume for what the build made below the mount, the right host
    directory for what was copied from the context, drop-in directories for a base image's files."""
    assert mount.target is not None
    advice = []
    copied = next((f for f in hidden if _kind(f) == CONTEXT and not f.is_file and f.content is not None
                   and len(f.content.sources) == 1), None)
    if copied is not None and copied.content is not None and mount.host is not None and mount.host.local is not None:
        source = _written_like(mount, _copied_from(container, copied.content.sources[0]))
        advice.append(f"bind the directory the Dockerfile copies there instead ({source}:{copied.path})")
    built = _built_below(container, mount, hidden)
    if built:
        volumes = ", ".join(anonymous_volume_hint(container, path.text, mount) for path in built[:SHOWN_PATHS])
        advice.append(f"keep what the build made with a volume at {'that path' if len(built) == 1 else 'each path'} "
                      f"({volumes})")
    if advice:
        return " and ".join(advice)
    facts = facts_for(container)
    if facts is not None and any(_kind(f) == BASE for f in hidden):
        drop_in = next((r.path for r in facts.replaceable if r.path.strictly_within(mount.target)), None)
        return "mount only the files you change" + (f", or a drop-in directory such as {drop_in}" if drop_in else "")
    return "mount it somewhere else, or drop the bind so that the container runs what the image was built with"
