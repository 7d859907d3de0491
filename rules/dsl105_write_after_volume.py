"""DSL105 write-after-volume."""

from typing import Iterator, Optional

from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Content, Dockerfile, Run, Stage, VolumeDecl
from dockerstore_lint.model.span import Span
from dockerstore_lint.rule import Rule

# a volume path, and the VOLUME that declares it (None: the base image's)
Volume = tuple[ContainerPath, Optional[VolumeDecl]]
# a path a RUN changes, whether everything below it changes too, and what changes it
Write = tuple[ContainerPath, bool, str]
# a node of the tree of volume paths: (its children by path component, the volumes at its path)
_Node = tuple[dict[str, "_Node"], list[Volume]]


class WriteAfterVolume(Rule):
    """A RUN changes files under a path that an earlier VOLUME declared, which the legacy builder discards.

    ## What it does
    Flags a `RUN` that writes under a path declared as a volume earlier: by a `VOLUME` of the
    stage or a stage it is built FROM, or by the base image (for images the knowledge base
    knows, such as `jenkins/jenkins` and its `/var/jenkins_home`). A RUN writes there when it
    demonstrably creates content there (`npm ci`, `git clone`, `tar -C`...), or when its command
    line plainly does: `mkdir`, `touch`, `chown`, `chgrp`, `chmod`, `rm`, `tee`, the destination
    of `cp` or `mv`, an output redirection (`echo x > FILE`), and `chown -R`/`chmod -R` of a
    directory that holds the volume. COPY and ADD are not flagged: both builders keep what they
    write under a VOLUME.

    ## Why it matters
    The legacy builder runs each RUN in a container where every VOLUME is a fresh anonymous
    volume, and commits only the container's own layer: whatever the RUN wrote there is thrown
    away, and the container starts with a directory still owned by root or without the files it
    needs. BuildKit keeps the change, so the image works or breaks depending on who builds it.

    ## Example
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd app
    VOLUME /var/lib/app
    RUN chown -R app:app /var/lib/app
    USER app
    ```

    ## Fix
    Make the changes first, and declare the volume last:
    ```dockerfile
    FROM debian:bookworm-slim
    RUN useradd app && mkdir -p /var/lib/app && chown -R app:app /var/lib/app
    VOLUME /var/lib/app
    USER app
    ```
    For a volume of the base image, prepare the files at container start or COPY them in.
    """

    code = "DSL105"
    level = "warning"
    targets = ("dockerfile",)

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        for stage in dockerfile.stages:
            base_stage = dockerfile.base_stage(stage)
            facts = image_facts(base_stage.base)
            # (volume path, where it is declared or None for the base image), in the order they are declared
            volumes = _Volumes()
            for volume in (facts.volumes or ()) if facts is not None else ():
                volumes.add(volume.path, None)
            declared = iter(sorted((v for v in stage.volumes if not v.malformed),
                                   key=lambda v: (v.span.line, v.span.column)))
            upcoming = next(declared, None)
            created: dict[Span, list[Content]] = {}
            for content in stage.content:
                if content.instruction == "RUN":
                    created.setdefault(content.span, []).append(content)
            for run in stage.runs:
                start = (run.span.line, run.span.column)
                while upcoming is not None and (upcoming.span.line, upcoming.span.column) < start:
                    volumes.add(upcoming.path, upcoming)
                    upcoming = next(declared, None)
                if not volumes.count:
                    continue
                writes = [(w.path, w.recursive, f"`{w.command}`") for w in run.writes]
                writes += [(c.path, False, c.what) for c in created.get(run.span, ())]
                yield from self._findings(run, volumes, writes, base_stage)

    def _findings(self, run: Run, volumes: "_Volumes", writes: list[Write],
                  base_stage: Stage) -> Iterator[Finding]:
        reported: set[tuple[str, ...]] = set()
        for path, recursive, what in writes:
            # the innermost volume holding the path, and with `-R` every volume below it
            holding = volumes.holding(path)
            hit = holding[-1:]
            if recursive:
                hit += volumes.below(path)
            for volume, declaration in hit:
                if volume.parts in reported:
                    continue
                reported.add(volume.parts)
                yield self._finding(run, path, what, volume, declaration, base_stage)

    def _finding(self, run: Run, path: ContainerPath, what: str, volume: ContainerPath,
                 declaration: Optional[VolumeDecl], base_stage: Stage) -> Finding:
        changed = path if path.is_within(volume) else volume
        if declaration is not None:
            where = f"VOLUME {volume} (line {declaration.span.line})"
            related = (Related(declaration.span, f"VOLUME {volume} is declared here"),)
            fix = "make the change before the VOLUME line, or COPY the files in"
        else:
            where = f"VOLUME {volume} of the base image {base_stage.base.display}"
            related = (Related(base_stage.span, f"{base_stage.base.display} declares VOLUME {volume}"),)
            fix = "make the change at container start, or COPY the files in"
        return self.finding(
            run.span,
            f"RUN changes {changed} ({what}) after {where}: the legacy builder discards changes under a "
            f"VOLUME, BuildKit keeps them, so the image depends on who builds it",
            fix,
            related,
        )


class _Volumes:
    """Volume paths in a tree of their components, so that a RUN's writes are matched against thousands
    of VOLUME paths by walking the write's own components, not by comparing it with each volume."""

    def __init__(self) -> None:
        self.count = 0
        self._roots: dict[str, _Node] = {}  # per OS: (children by component, volumes here)

    def add(self, path: ContainerPath, declaration: Optional[VolumeDecl]) -> None:
        self.count += 1
        if not (path.absolute and path.resolved):
            return  # never comparable: `ContainerPath.is_within` is False for it
        node = self._roots.setdefault(path.os, ({}, []))
        for part in path.parts:
            node = node[0].setdefault(part, ({}, []))
        node[1].append((path, declaration))

    def holding(self, path: ContainerPath) -> list[Volume]:
        """The volumes `path` is at or below, the outermost first (the first declared of those at one path)."""
        found: list[Volume] = []
        node = self._node(path, found)
        if node is not None and node[1]:
            found.append(node[1][0])
        return found

    def below(self, path: ContainerPath) -> list[Volume]:
        """The volumes strictly below `path`."""
        node = self._node(path, [])
        found: list[Volume] = []
        stack = [child for child in reversed(node[0].values())] if node is not None else []
        while stack:
            children, here = stack.pop()
            found.extend(here)
            stack.extend(reversed(children.values()))
        return found

    def _node(self, path: ContainerPath, holding: list[Volume]) -> Optional[_Node]:
        """The node of `path`, if any; `holding` gets the first volume of each node above it."""
        node = self._roots.get(path.os) if path.absolute and path.resolved else None
        if node is None:
            return None
        for part in path.parts:
            if node[1]:
                holding.append(node[1][0])
            node = node[0].get(part)
            if node is None:
                return None
        return node
