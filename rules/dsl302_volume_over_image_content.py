"""DSL302 volume-over-image-content."""

from typing import Iterator

from dockerstore_lint.facts.files import ImageFiles, container_image_files, describe_image_files, related_for
from dockerstore_lint.facts.image import data_dirs, facts_for, is_windows_container, registry_image
from dockerstore_lint.facts.storage import judged_mounts, storage_at
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.container import VOLUME, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class VolumeOverImageContent(Rule):
    """A named volume is mounted where the image has files, so it keeps serving the files of the image it first met.

    ## What it does
    Flags a named volume mounted at or above a directory where the service's image has files: what
    its Dockerfile copies or builds there (`node_modules`, an application, a web root), or the known
    content of a well-known base image. Not flagged: images whose entrypoint fills their volume
    themselves (WordPress, Nextcloud, Ghost), the data directories of known images (the database
    in a volume is the point), directories made to be replaced by a mount, volumes mounted with
    `nocopy`, and anonymous volumes.

    ## Why it matters
    Docker copies the image's files into a volume only when the volume is new and empty. After the
    next image update the volume still holds the old files and hides the new ones: the container
    runs yesterday's dependencies or serves the old site, although the image was rebuilt and the
    container recreated, until someone removes the volume.

    ## Example
    ```yaml
    services:
      web:
        build: .          # RUN npm ci in /app
        volumes:
          - deps:/app/node_modules
    volumes:
      deps:
    ```

    ## Fix
    Leave files that belong to the image out of volumes; keep volumes for data the container writes:
    ```yaml
    services:
      web:
        build: .
        volumes:
          - uploads:/app/uploads
    volumes:
      uploads:
    ```
    If the files must live in a volume, remove it whenever the image changes
    (`docker compose down -v`).
    """

    code = "DSL302"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        # on Windows the mount fails outright: DSL402 says so
        if is_windows_container(container):
            return
        facts = facts_for(container)
        state = [d.path for d in data_dirs(container)]
        for mount in judged_mounts(container, VOLUME):
            if mount.anonymous or mount.target is None or mount.options.get("nocopy"):
                continue
            if facts is not None and facts.seeds(mount.target):
                continue
            # the image's data kept in a volume is what the volume is for
            if any(mount.target.is_within(d) or d.is_within(mount.target) for d in state):
                continue
            files = [f for f in container_image_files(container, mount.target)
                     if storage_at(container, f.path).mount == mount]
            if files:
                yield self._finding(container, group, mount, files)

    def _finding(self, container: Container, group: Group, mount: Mount, files: list[ImageFiles]) -> Finding:
        related = list(related_for(files))
        volume = group.volumes.get(mount.source or "")
        if volume is not None:
            related.append(Related(volume.span, f"volume '{mount.source}' is defined here"))
        return self.finding(
            mount.span,
            f"{container.label} mounts volume '{mount.source}' at {mount.target}, where the image has "
            f"{describe_image_files(files, registry_image(container))}: Docker copies those files into the "
            f"volume only while it is new and empty, so after the next image update the volume keeps serving the "
            f"old ones",
            "keep files that belong to the image out of volumes, or remove the volume whenever the image changes "
            + ("(`docker compose down -v`)" if container.origin == "compose"
               else f"(`docker volume rm {mount.source}`)"),
            related,
        )
