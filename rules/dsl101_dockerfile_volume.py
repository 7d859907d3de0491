"""DSL101 dockerfile-volume."""

from typing import Iterator, Optional

from dockerstore_lint.facts.image import is_scratch_directory
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.rule import Rule


class DockerfileVolume(Rule):
    """A VOLUME instruction in a built image gives every container an anonymous volume.

    ## What it does
    Flags a `VOLUME` in a stage that ends up in an image: the final stage and the stages it is
    built FROM, and likewise a stage that no other stage uses (nothing builds FROM it or copies
    from it), since such a stage only exists to be built with `--target`, as Compose's
    `build.target` does. A VOLUME in a builder stage that is only copied from (`COPY --from`)
    never reaches an image and is left alone, and so is an unused stage without a name (it cannot
    be a target). A stage that is both copied from and a Compose `build.target` is not seen
    here, since a Dockerfile does not say who builds it: DSL103 reports its VOLUMEs for the
    service. Malformed VOLUMEs and `VOLUME /` are DSL003's. For `/tmp` and `/var/tmp` the advice
    is a tmpfs, not a named volume.

    It is a note: official images declare their data directories as VOLUMEs by convention, and
    the VOLUME only decides what happens to a container that is run without the mount it needs.
    DSL103 warns about each container that is run that way.

    ## Why it matters
    Docker creates a new anonymous volume for the path in every container that does not mount
    something there itself. `docker run` without `-v`, `docker compose down` and up, or an image
    update give the service a new, empty volume; the old one, holding whatever was written there,
    stays behind unnamed and orphaned. Data looks persistent until the container is replaced, and
    volumes pile up on disk. Images that build FROM this one cannot remove the VOLUME either.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    VOLUME /var/lib/app
    CMD ["python", "app.py"]
    ```

    ## Fix
    Mount a named volume where the image is run, and drop the VOLUME from an image of your own:
    ```dockerfile
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    CMD ["python", "app.py"]
    ```
    ```yaml
    services:
      app:
        build: .
        volumes:
          - app-data:/var/lib/app
    volumes:
      app-data:
    ```
    """

    code = "DSL101"
    level = "note"
    targets = ("dockerfile",)

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        if not dockerfile.stages:
            return
        final = dockerfile.stages[-1]
        in_final = {stage.index for stage in dockerfile.lineage(final)}
        # the target each other built stage belongs to, for the message
        target_of: dict[int, Stage] = {}
        for target in _standalone_stages(dockerfile):
            for stage in dockerfile.lineage(target):
                target_of.setdefault(stage.index, target)
        for stage in dockerfile.stages:
            if stage.index not in in_final and stage.index not in target_of:
                continue
            where = _where(stage, final, in_final, target_of.get(stage.index))
            for volume in stage.volumes:
                if volume.stage != stage.index or volume.malformed or volume.path.is_root:
                    continue
                if is_scratch_directory(volume.path):
                    outcome = " for its temporary files, which `docker rm` and `docker compose down` leave behind"
                    advice = (f"drop the VOLUME (mount a tmpfs at {volume.path} where the image is run if its files "
                              f"must stay out of the writable layer)")
                else:
                    outcome = (", which a replacement container does not get back (its data is orphaned on "
                               "`docker compose down` or an image update)")
                    advice = f"mount a named volume at {volume.path} wherever the image is run"
                yield self.finding(volume.span, f"VOLUME {volume.path} {where} gives every container a new "
                                                f"anonymous volume{outcome}", advice)


def _standalone_stages(dockerfile: Dockerfile) -> list[Stage]:
    """Named stages besides the final one that no stage builds FROM or copies from: `--target` builds them
    (BuildKit skips a stage nothing needs, and one without a name cannot be a target)."""
    used = {stage.parent for stage in dockerfile.stages if stage.parent is not None}
    names = {stage.name.lower(): stage.index for stage in dockerfile.stages if stage.name}
    for stage in dockerfile.stages:
        references = [value for instruction in stage.instructions if instruction.keyword in ("COPY", "ADD")
                      for value in instruction.flags.get("from", ())]
        references += [run_mount.options.get("from", "") for run in stage.runs for run_mount in run.mounts]
        for reference in references:
            reference = reference.lower()
            if reference in names:
                used.add(names[reference])
            elif reference.isdigit():
                used.add(int(reference))
    return [stage for stage in dockerfile.stages[:-1] if stage.name and stage.index not in used]


def _where(stage: Stage, final: Stage, in_final: set[int], target: Optional[Stage]) -> str:
    if stage is final:
        return "in the final stage"
    if stage.index in in_final:
        return f"in stage {stage.label}, which the final stage is built FROM,"
    if stage is target:
        return (f"in stage {stage.label}, which no other stage uses and so is built as an image of its own "
                f"(`--target {stage.label}`),")
    assert target is not None  # a stage outside the final stage's lineage is only reported in a target's
    return f"in stage {stage.label}, which stage {target.label} (built with `--target {target.label}`) is built FROM,"
