"""DSL505 mount-misses-data-dir."""

from typing import Iterator, Optional

from dockerstore_lint.facts.image import container_environment, data_dirs, data_mount_point, facts_for, registry_image
from dockerstore_lint.facts.storage import covering_mounts, data_mounts_below, judged_mounts, storage_at
from dockerstore_lint.finding import UNSAFE, Finding, Fix
from dockerstore_lint.fixes.intents import SetTarget
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.container_paths import ContainerPath
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class MountMissesDataDir(Rule):
    """A mount meant for an image's data sits next to, under or above its data directory instead of on it.

    ## What it does
    For images the knowledge base knows, flags a volume or bind mount that was evidently meant to
    keep the service's data but does not receive it:
    - a mount at a path the image refuses: from PostgreSQL 18 the data lives in
      `/var/lib/postgresql/18/docker`, and with `PGDATA` left at its default the entrypoint exits
      when `/var/lib/postgresql/data` is a mount point;
    - a volume, or a bind mount of a directory the repository does not ship, under the data
      directory while nothing covers the directory itself (`/var/lib/mysql/data` for MySQL,
      whose data is `/var/lib/mysql`);
    - a mount above the data directory while the image declares a VOLUME between the two
      (`/var/lib/postgresql` for PostgreSQL up to 17, whose VOLUME is `/var/lib/postgresql/data`):
      Docker mounts an anonymous volume for the VOLUME on top of the mount.

    The data directory is the one the service uses (`PGDATA`, `--datadir`... move it). Read-only
    mounts, single files and bind mounts of directories the repository ships deliver content (a
    configuration file, Grafana dashboards under `/var/lib/grafana`) and are not flagged under the
    data directory.

    ## Why it matters
    The mount looks like persistence and is not. The container refuses to start (PostgreSQL 18),
    or the data goes to the image's anonymous volume or the container's writable layer while the
    mount stays empty, and the next `docker compose down` takes the data with it.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:18
        volumes:
          - db-data:/var/lib/postgresql/data
    volumes:
      db-data:
    ```

    ## Fix
    Mount at the data directory the image uses (for PostgreSQL 18 and later, the parent
    `/var/lib/postgresql`, which holds the per-version directories):
    ```yaml
    services:
      db:
        image: postgres:18
        volumes:
          - db-data:/var/lib/postgresql
    volumes:
      db-data:
    ```

    ## Fix safety
    Unsafe: the fix moves the mount to the directory the image uses, which changes where the data
    lives. Data the old place already holds is not moved: for PostgreSQL 18 a volume that holds an
    older major version's cluster then gets an empty 18 cluster beside it, and that data needs
    `pg_upgrade`. The fix's title says so.
    """

    code = "DSL505"
    level = "error"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        facts = facts_for(container)
        known = registry_image(container)
        if facts is None or known is None:
            return
        environment = container_environment(container)
        image = known.display
        dirs = data_dirs(container)
        # with one data directory mounted, mounts under another one are a deliberate layout
        any_covered = any(covering_mounts(container, d.path) for d in dirs)
        for mount in judged_mounts(container):
            assert mount.target is not None
            # the entrypoint refuses the mount when it starts the server, not for another command
            rejected = facts.rejected_mounts_at(mount.target, environment) if dirs else ()
            if rejected:
                point = data_mount_point(container, dirs[0].path) if dirs else None
                where = point or "the image's data directory"
                yield self.finding(mount.span, f"{container.label} mounts {mount.target}, which {image} refuses: "
                                               f"{rejected[0].why}", f"mount the volume at {where} instead",
                                   fix=_moved(mount, point, rejected[0].moving) if point else None)
                continue
            if mount.kind not in (VOLUME, BIND) or mount.read_only:
                continue
            for data_dir in dirs:
                message: Optional[tuple[str, str, ContainerPath]] = None
                if not any_covered and any(m is mount for m in data_mounts_below(container, data_dir.path)):
                    message = (f"{container.label} mounts {mount.target}, under the data directory "
                               f"{data_dir.path} of {image} rather than on it: the image writes to "
                               f"{data_dir.path}, so the data goes {_elsewhere(container, data_dir.path)} "
                               f"instead of this mount", f"mount at {data_dir.path}", data_dir.path)
                elif data_dir.path.strictly_within(mount.target):
                    volume = storage_at(container, data_dir.path).image_volume
                    if volume is not None and volume.path.strictly_within(mount.target):
                        message = (f"{container.label} mounts {mount.target} above the data directory "
                                   f"{data_dir.path} of {image}, but the image declares VOLUME {volume.path}: "
                                   f"Docker mounts an anonymous volume there, on top of this mount, and the data "
                                   f"never reaches it", f"mount at {volume.path}", volume.path)
                if message is not None:
                    text, advice, moved_to = message
                    yield self.finding(mount.span, text, advice, fix=_moved(mount, moved_to))
                    break


def _moved(mount: Mount, target: ContainerPath, moving: str = "") -> Fix:
    return Fix(f"Mount at {target}" + (f" (careful: {moving})" if moving else ""), applicability=UNSAFE,
               intent=SetTarget(mount, target.text))


def _elsewhere(container: Container, path: ContainerPath) -> str:
    """Where the data written at `path` goes, for a message that says it is not in the mount."""
    storage = storage_at(container, path)
    if storage.image_volume is not None:
        return f"to the anonymous volume Docker creates for the image's VOLUME {storage.image_volume.path}"
    if storage.in_writable_layer:
        return "to the container's writable layer"
    return "elsewhere"
