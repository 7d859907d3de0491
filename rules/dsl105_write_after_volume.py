"""DSL105 write-after-volume."""

from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.rule import Related, Rule


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
    name = "write-after-volume"
    level = "warning"

    def dockerfile(self, dockerfile):
        for stage in dockerfile.stages:
            base_stage = dockerfile.lineage(stage)[-1]
            facts = image_facts(base_stage.base)
            inherited = [v.path for v in (facts.volumes or ())] if facts is not None else []
            declared = [v for v in stage.volumes if not v.malformed]
            for run in stage.runs:
                start = (run.span.line, run.span.column)
                # (volume path, where it is declared or None for the base image)
                volumes = [(path, None) for path in inherited]
                volumes += [(v.path, v) for v in declared if (v.span.line, v.span.column) < start]
                if not volumes:
                    continue
                writes = [(w.path, w.recursive, f"`{w.command}`") for w in run.writes]
                writes += [(c.path, False, c.what) for c in stage.content
                           if c.instruction == "RUN" and c.span == run.span]
                yield from self._findings(run, volumes, writes, base_stage)

    def _findings(self, run, volumes, writes, base_stage):
        reported = set()
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

    def _finding(self, run, path, what, volume, declaration, base_stage):
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
            f"VOLUME, BuildKit keeps them, so the image depends on who builds it; {fix}",
            related,
        )
