"""DSL103 unmapped-image-volume."""

from typing import Iterator

from dockerstore_lint.facts.commands import runs_image_service
from dockerstore_lint.facts.image import data_dirs, image_volumes, is_scratch_directory, registry_image
from dockerstore_lint.facts.storage import known_target
from dockerstore_lint.facts.wording import removal
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class UnmappedImageVolume(Rule):
    """A service's image declares a VOLUME and the service mounts nothing at that path.

    ## What it does
    Flags a service whose image declares a `VOLUME` (in the Dockerfile the service builds, or,
    for well-known images, in the knowledge base) when none of the service's mounts targets that
    path. A mount above the path does not count: Docker still mounts an anonymous volume at the
    VOLUME, on top of it, and neither does a mount below it. Volumes that hold no state (logs,
    `/tmp` and `/var/tmp`) are not flagged, nor those that hold state only with some command
    line (MongoDB's `/data/configdb` without `--configsvr`), nor the volumes of a container that runs
    another command than the image's service (`sh -c 'pg_dumpall ...'` in postgres, a replaced
    entrypoint) unless the command names the path. Unknown images, services with
    `volumes_from` or a mount built from an unset variable, and a mount next to the image's
    data directory (DSL505 says what is wrong with that one) are left alone.

    ## Why it matters
    Docker gives the container a new anonymous volume at the path. Compose hands it over when it
    recreates the container, but `docker compose down` (or `rm`, or `up -V`) leaves it behind and
    the next container starts with an empty one: the service's data is orphaned in a volume with a
    random name, and such volumes pile up on disk.

    ## Example
    ```yaml
    services:
      cache:
        image: redis:7.2
    ```

    ## Fix
    Mount a named volume at the path:
    ```yaml
    services:
      cache:
        image: redis:7.2
        volumes:
          - cache-data:/data
    volumes:
      cache-data:
    ```
    """

    code = "DSL103"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.throwaway:
            return  # a test's or CI's container: its volumes are meant to go with it
        if container.volumes_from:
            return  # the other container's mounts may cover the VOLUME: not known here
        if any(not m.resolved or (m.target is not None and not m.target.resolved) for m in container.mounts):
            return  # a mount built from an unset variable could be the one at the VOLUME's path
        # a mount Docker refuses counts where it was meant: fixing it (DSL002) is what makes it work
        mounts = [m for m in container.mounts if m.target is not None]
        data = [d.path for d in data_dirs(container)]
        image = registry_image(container)
        # a one-off command in the image (`sh -c 'pg_dumpall ...'`, `psql`) instead of its service: the volume holds
        # only what that command writes there, if it names the path at all
        other_command = runs_image_service(container) is False
        for volume in image_volumes(container):
            if not volume.holds_state or is_scratch_directory(volume.path) or not volume.path.absolute \
                    or not volume.path.resolved:
                continue
            if other_command and not any(str(volume.path) in word for word in container.command):
                continue
            if any(known_target(m).same(volume.path) for m in mounts):
                continue
            above = [m for m in mounts if volume.path.strictly_within(known_target(m))]
            below = [m for m in mounts if known_target(m).strictly_within(volume.path)]
            if any(_meant_for_data(m) for m in above + below) \
                    and any(d.is_within(volume.path) or volume.path.is_within(d) for d in data):
                continue  # DSL505 reports the mount that misses the data directory
            declared = f"{image.display} declares" if volume.from_knowledge and image is not None \
                else "the Dockerfile it builds declares"
            if above:
                nearest = max(above, key=lambda m: len(known_target(m).parts))
                situation = (f"the mount at {nearest.target} does not cover it: Docker mounts an anonymous "
                             f"volume at {volume.path} on top of it, and files written there never reach the mount")
            elif below:
                situation = (f"only {below[0].target}, below it, is mounted: each new container gets a fresh "
                             f"anonymous volume for the rest of {volume.path}")
            else:
                situation = "nothing is mounted there: each new container gets a fresh anonymous volume"
            related = (Related(volume.span, f"VOLUME {volume.path} is declared here"),) if volume.span else ()
            kept = "what its command writes there" if other_command else "the data"
            yield self.finding(
                container.anchor,
                f"{container.label}: {declared} VOLUME {volume.path} and {situation} "
                f"({removal(container)} orphans it with {kept})",
                f"mount a named volume at {volume.path}",
                related,
            )


def _meant_for_data(mount: Mount) -> bool:
    """A writable volume or directory bind: what DSL505 judges against the data directory."""
    return mount.kind in (VOLUME, BIND) and not mount.read_only and not (mount.host and mount.host.is_file)
