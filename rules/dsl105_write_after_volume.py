"""DSL105 write-after-volume."""

from typing import Iterator, Optional

from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.dockerfile import Dockerfile, Run, Stage, VolumeDecl
from dockerstore_lint.rule import Rule

# a volume path, and the VOLUME that declares it (None: the base image's)
Volume = tuple[ContainerPath, Optional[VolumeDecl]]
# a path a RUN changes, whether everything below it changes too, and what changes it
Write = tuple[ContainerPath, bool, str]


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
            inherited = [v.path for v in (facts.volumes or ())] if facts is not None else []
            declared = [v for v in stage.volumes if not v.malformed]
            for run in stage.runs:
                volumes: list[Volume] = [(path, None) for path in inherited]
                volumes += [(v.path, v) for v in declared if v.span.start < run.span.start]
                if not volumes:
                    continue
                writes: list[Write] = [(w.path, w.recursive, f"`{w.command}`") for w in run.writes]
                writes += [(c.path, False, c.what) for c in stage.content
                           if c.instruction == "RUN" and c.span == run.span]
                yield from self._findings(run, volumes, writes, base_stage)

    def _findings(self, run: Run, volumes: list[Volume], writes: list[Write],
                  base_stage: Stage) -> Iterator[Finding]:
        reported: set[tuple[str, ...]] = set()
        for path, recursive, what in writes:
            # the innermost volume holding the path, and with `-R` every volume below it
            holding = [(v, decl) for v, decl in volumes if path.is_within(v)]
            hit = [max(holding, key=lambda item: len(item[0].parts))] if holding else []
            if recursive:
                hit += [(v, decl) for v, decl in volumes if v.strictly_within(path)]
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
