"""DSL504 shared-database-volume."""

from typing import Iterator, NamedTuple, Optional

from dockerstore_lint.facts.image import data_dirs
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import UNRESOLVED, HostPath
from dockerstore_lint.rule import Rule


class Place(NamedTuple):
    """Where a database's files are: a path inside a volume (`/<volume name>/...`) or on the host."""

    label: str
    in_volume: Optional[ContainerPath] = None  # the path inside the volume: `/<volume name>/...`
    on_host: Optional[HostPath] = None

    def same(self, other: "Place") -> bool:
        if self.in_volume is not None and other.in_volume is not None:
            return self.in_volume.same(other.in_volume)
        return self.on_host is not None and other.on_host is not None and self.on_host.same(other.on_host)


class Use(NamedTuple):
    container: Container
    mount: Mount
    data_dir: ContainerPath
    place: Place


class SharedDatabaseVolume(Rule):
    """Two services mount the same volume or host directory read-write as a database's data directory.

    ## What it does
    Flags, within one Compose project, a named volume or bind-mounted host directory that holds
    the data directory of a database in two or more services, read-write in each. The finding is
    on every mount after the first, and points back to the first. Read-only mounts (a backup job
    reading the files), mounts at other paths, and different `subpath`s or subdirectories of one
    volume are not flagged.

    ## Why it matters
    A database server assumes it is the only process writing its files. A second server started
    on the same directory either refuses to start (PostgreSQL's `postmaster.pid`, MySQL's InnoDB
    lock, MongoDB's `mongod.lock`) or, where the lock does not hold, both write over each other's
    pages and the database is corrupted. Scaling a database or giving it a replica takes
    replication, not a shared volume.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
      db-replica:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
    volumes:
      db-data:
    ```

    ## Fix
    Give every database server its own volume:
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
      db-replica:
        image: postgres:16
        volumes:
          - replica-data:/var/lib/postgresql/data
    volumes:
      db-data:
      replica-data:
    ```
    """

    code = "DSL504"
    level = "warning"
    targets = ("group",)

    def group(self, group: Group) -> Iterator[Finding]:
        first_uses: list[Use] = []
        # a test's or CI's containers are torn down together: their data is meant to go with them
        for container in (c for c in group.containers.values() if not c.throwaway):
            for data_dir in data_dirs(container):
                if data_dir.kind != "database":
                    continue
                storage = storage_at(container, data_dir.path)
                mount = storage.mount
                if not storage.known or mount is None or mount.read_only:
                    continue
                place = _place(mount, data_dir.path, group)
                if place is None:
                    continue
                use = Use(container, mount, data_dir.path, place)
                first = next((u for u in first_uses if u.place.same(place)), None)
                if first is None:
                    first_uses.append(use)
                    continue
                if first.container is container:
                    continue
                # a mount inherited through `extends` has its parent's position: point at the container
                inherited = mount.span == first.mount.span
                yield self.finding(
                    container.span if inherited else mount.span,
                    f"{container.label} uses {place.label} read-write for its database files at "
                    f"{data_dir.path}{' (through extends)' if inherited else ''}, and so does "
                    f"{first.container.label} ({first.data_dir}): two database servers on the same files refuse to "
                    f"start or corrupt them",
                    "give each its own volume (replication, not a shared directory, makes a replica)",
                    (Related(first.mount.span, f"{first.container.label} keeps its database files on "
                                               f"{place.label} here"),),
                )


def _place(mount: Mount, data_dir: ContainerPath, group: Group) -> Optional[Place]:
    """The data directory's place in the volume or host directory `mount` brings, if it is one."""
    assert mount.target is not None
    below = data_dir.parts[len(mount.target.parts):]
    if mount.kind == VOLUME and mount.source:
        declared = group.volumes.get(mount.source)
        name = (declared.real_name or declared.name) if declared is not None else mount.source
        # two containers mounting different subpaths of a volume do not share files
        inside = container_path("/" + name).join(str(mount.options.get("subpath") or ""))
        label = f"volume '{mount.source}'" + (f" (named {name})" if name != mount.source else "")
        return Place(label, in_volume=inside.join("/".join(below)))
    if mount.kind == BIND and mount.resolved and mount.host is not None and mount.host.base != UNRESOLVED:
        return Place(f"host directory {mount.source}", on_host=mount.host.below(*below))
    return None
