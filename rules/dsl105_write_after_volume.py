"""DSL105 write-after-volume."""

from typing import Iterator, Optional

from dockerstore_lint.facts.builders import buildkit_only
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.knowledge import ImageFacts, image_facts
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Content, Dockerfile, Run, RunWrite, Stage, VolumeDecl
from dockerstore_lint.model.span import Span
from dockerstore_lint.rule import Rule

# a volume path, and the VOLUME that declares it (None: the base image's)
Volume = tuple[ContainerPath, Optional[VolumeDecl]]
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
    of `cp` or `mv`, a download (`curl -o`, `wget -O`), an output redirection (`echo x > FILE`),
    and `chown -R`/`chmod -R` of a directory that holds the volume. Only what the RUN leaves
    counts: what it makes and removes again (a tarball downloaded, unpacked elsewhere and
    deleted) is nothing, `mkdir` of a directory that is already there (the VOLUME's own) changes
    nothing, and an `rm` is a change only where the image had files before the VOLUME line (or
    the base image is known to have them there). COPY and ADD are not flagged: both builders keep
    what they write under a VOLUME. Neither is a Dockerfile only BuildKit can build (`RUN
    --mount`, `COPY --chmod`, `--link`, heredocs): the legacy builder refuses it, so no image
    depends on which builder made it.

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
        if buildkit_only(dockerfile) is not None:
            return  # the legacy builder refuses the file: every image of it is BuildKit's
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
            earlier = _Earlier(dockerfile, stage, facts)
            for run in stage.runs:
                start = (run.span.line, run.span.column)
                while upcoming is not None and (upcoming.span.line, upcoming.span.column) < start:
                    volumes.add(upcoming.path, upcoming)
                    upcoming = next(declared, None)
                if not volumes.count:
                    continue
                writes = [(write, f"`{write.command}`") for write in run.writes]
                writes += [(RunWrite(c.path, c.what), c.what) for c in created.get(run.span, ())]
                yield from self._findings(run, volumes, writes, base_stage, earlier)

    def _findings(self, run: Run, volumes: "_Volumes", writes: list[tuple[RunWrite, str]], base_stage: Stage,
                  earlier: "_Earlier") -> Iterator[Finding]:
        reported: set[tuple[str, ...]] = set()
        for write, what in writes:
            # the innermost volume holding the path, and with `-R` every volume below it
            holding = volumes.holding(write.path)
            hit = holding[-1:]
            if write.recursive:
                hit += volumes.below(write.path)
            for volume, declaration in hit:
                if volume.parts in reported or not earlier.changed_by(write, volume, declaration):
                    continue
                reported.add(volume.parts)
                yield self._finding(run, write.path, what, volume, declaration, base_stage)

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


class _Earlier:
    """What the image has before a VOLUME line, to tell a removal or a `mkdir` that changes something from one
    that changes nothing: under the legacy builder a RUN after the VOLUME finds only what was there before it."""

    def __init__(self, dockerfile: Dockerfile, stage: Stage, facts: Optional[ImageFacts]):
        self.content = stage.content
        self.writes = [(run.span, write) for member in dockerfile.lineage(stage) for run in member.runs
                       for write in run.writes if not write.removes]
        self.known = tuple(content.path for content in facts.content) if facts is not None else ()

    def changed_by(self, write: RunWrite, volume: ContainerPath, declaration: Optional[VolumeDecl]) -> bool:
        if not (write.removes or write.makes_directory):
            return True
        if write.makes_directory and volume.is_within(write.path):
            return False  # the VOLUME's own directory, or one above it: there already
        had = self._had(write.path, declaration)
        return had if write.removes else not had

    def _had(self, path: ContainerPath, declaration: Optional[VolumeDecl]) -> bool:
        """Whether the image has something at `path` or below it before the VOLUME line (the base image's known
        files when the VOLUME is the base image's)."""
        found = [*self.known]
        if declaration is not None:
            line = declaration.span.line
            found += [c.path for c in self.content if c.stage != declaration.stage or c.span.line < line]
            found += [write.path for span, write in self.writes if span.line < line]
        if path.name and any(char in path.name for char in "*?["):
            return any(other.strictly_within(path.parent) for other in found)
        return any(other.is_within(path) for other in found)


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
