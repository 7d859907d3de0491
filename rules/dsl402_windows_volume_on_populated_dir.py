"""DSL402 windows-volume-on-populated-dir."""

from typing import Iterator, Optional

from dockerstore_lint.facts.files import (
    ImageFiles,
    container_image_files,
    describe_image_files,
    image_files_under,
    related_for,
    single_file_source,
)
from dockerstore_lint.facts.image import is_windows_container, registry_image
from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.finding import Finding
from dockerstore_lint.knowledge import image_facts
from dockerstore_lint.model.container import BIND, VOLUME, Container
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Span
from dockerstore_lint.rule import Rule

WHY = "Windows containers mount only on an empty or absent directory, so Docker refuses to start the container"


class WindowsVolumeOnPopulatedDir(Rule):
    r"""A Windows image declares a VOLUME, or a service mounts a volume or bind, on a directory the image already fills.

    ## What it does
    For Windows images, flags a `VOLUME` of a Dockerfile whose directory the same image fills (files
    copied there, or made there by a `RUN` before the `VOLUME`), and a Compose volume or bind
    mount whose target is such a directory of the service's image. A `VOLUME` on a directory the
    image leaves empty, or creates with `mkdir`, is fine, as are Linux containers, where a mount
    simply hides the files (DSL301, DSL302).

    ## Why it matters
    On Windows the destination of a volume or bind mount must be an empty or absent directory (or
    another drive than `C:`). Every container of the image, or of the service, fails to start,
    although the same layout works with Linux containers.

    ## Example
    ```dockerfile
    # escape=`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    COPY app/ C:/app/
    VOLUME C:\app
    ```

    ## Fix
    Keep the volume for the data the application writes, on a directory the image leaves empty:
    ```dockerfile
    # escape=`
    FROM mcr.microsoft.com/windows/servercore:ltsc2022
    COPY app/ C:/app/
    VOLUME C:\data
    ```
    """

    code = "DSL402"
    level = "error"
    targets = ("dockerfile", "container")

    def dockerfile(self, dockerfile: Dockerfile) -> Iterator[Finding]:
        reported: set[Span] = set()
        for stage in dockerfile.stages:
            if stage.os != "windows":
                continue
            base = dockerfile.base_stage(stage).base
            facts = image_facts(base)
            for volume in stage.volumes:
                if volume.malformed or volume.span in reported or not volume.path.absolute:
                    continue
                files = [f for f in image_files_under(volume.path, stage, facts)
                         if _in_image(f, stage) and not (f.is_file and f.path.same(volume.path))]
                if files:
                    reported.add(volume.span)
                    yield self.finding(
                        volume.span,
                        f"VOLUME {volume.path} is declared on a directory the image fills: "
                        f"{describe_image_files(files, base)}; {WHY}",
                        "declare the VOLUME on a directory the image leaves empty",
                        related_for(files),
                    )

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if not is_windows_container(container):
            return
        for mount in judged_mounts(container, VOLUME, BIND):
            if mount.target is None or single_file_source(mount):
                continue
            files = [f for f in container_image_files(container, mount.target) if _in_image(f, container.stage)]
            # a file at the target itself makes this a file mount: DSL401's concern
            if not files or any(f.is_file and f.path.same(mount.target) for f in files):
                continue
            if mount.kind == BIND:
                how = f"bind-mounts {mount.source}"
            else:
                how = f"mounts volume '{mount.source}'" if mount.source else "mounts an anonymous volume"
            yield self.finding(
                mount.span,
                f"{container.label} {how} at {mount.target}, where the image has "
                f"{describe_image_files(files, registry_image(container))}: {WHY}",
                "mount it on a directory the image leaves empty",
                related_for(files),
            )


def _in_image(files: ImageFiles, stage: Optional[Stage]) -> bool:
    """Whether files stay in the image: the legacy builder, which Windows images are built with, runs a RUN
    after a VOLUME with a throwaway volume there and drops what it writes under it."""
    content = files.content
    if content is None or content.instruction != "RUN" or stage is None:
        return True
    return not any(files.path.is_within(v.path) and v.span.line < content.span.line for v in stage.volumes)

