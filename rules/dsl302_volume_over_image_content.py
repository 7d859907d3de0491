"""DSL302 volume-over-image-content."""

from dockerstore_lint.facts.files import describe_image_files, service_image_files
from dockerstore_lint.facts.image import data_dirs, facts_for, is_windows_container, registry_image
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.rule import Related, Rule

# how many paths a message names before it says "and N more"
SHOWN = 3


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
    name = "volume-over-image-content"
    level = "warning"

    def service(self, service, project):
        # on Windows the mount fails outright: DSL402 says so
        if is_windows_container(service):
            return
        facts = facts_for(service)
        state = [d.path for d in data_dirs(service)]
        for mount in service.mounts:
            if mount.type != "volume" or mount.anonymous or mount.origin != "volumes" or mount.invalid \
                    or not mount.resolved or mount.target is None or mount.options.get("nocopy"):
                continue
            if facts is not None and facts.seeds(mount.target):
                continue
            # the image's data kept in a volume is what the volume is for
            if any(mount.target.is_within(d) or d.is_within(mount.target) for d in state):
                continue
            files = [f for f in service_image_files(service, mount.target)
                     if storage_at(service, f.path).mount == mount]
            if files:
                yield self._finding(service, project, mount, files)

    def _finding(self, service, project, mount, files):
        related = [Related(f.content.span, f"{f.path}: {f.what}") for f in files if f.content is not None]
        volume = project.volumes.get(mount.source)
        if volume is not None:
            related.append(Related(volume.span, f"volume '{mount.source}' is defined here"))
        return self.finding(
            mount.span,
            f"service '{service.name}' mounts volume '{mount.source}' at {mount.target}, where the image has "
            f"{describe_image_files(files, registry_image(service), SHOWN)}: Docker copies those files into the "
            f"volume only while it is new and empty, so after the next image update the volume keeps serving the "
            f"old ones; keep files that belong to the image out of volumes, or remove the volume whenever the "
            f"image changes (`docker compose down -v`)",
            tuple(related),
        )
