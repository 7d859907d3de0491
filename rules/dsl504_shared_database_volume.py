"""DSL504 shared-database-volume."""

from typing import NamedTuple, Optional

from dockerstore_lint.facts.image import data_dirs
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.model.compose import Mount
from dockerstore_lint.model.container_paths import ContainerPath, container_path
from dockerstore_lint.rule import Related, Rule


class Place(NamedTuple):
    """Where a database's files are: a path inside a volume (`/<volume name>/...`) or on the host."""

    kind: str  # volume | host
    path: ContainerPath
    label: str

    def same(self, other: "Place") -> bool:
        return self.kind == other.kind and self.path.same(other.path)


class Use(NamedTuple):
    service: str
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
    name = "shared-database-volume"
    level = "warning"

    def project(self, project):
        first_uses: list[Use] = []
        for service in project.services.values():
            for data_dir in data_dirs(service):
                if data_dir.kind != "database":
                    continue
                storage = storage_at(service, data_dir.path)
                mount = storage.mount
                if not storage.known or mount is None or mount.read_only:
                    continue
                place = _place(mount, data_dir.path, project)
                if place is None:
                    continue
                use = Use(service.name, mount, data_dir.path, place)
                first = next((u for u in first_uses if u.place.same(place)), None)
                if first is None:
                    first_uses.append(use)
                    continue
                if first.service == service.name:
                    continue
                # a mount inherited through `extends` has its parent's position: point at the service
                inherited = mount.span == first.mount.span
                yield self.finding(
                    service.span if inherited else mount.span,
                    f"service '{service.name}' uses {place.label} read-write for its database files at "
                    f"{data_dir.path}{' (through extends)' if inherited else ''}, and so does service "
                    f"'{first.service}' ({first.data_dir}): two database servers on the same files refuse to start "
                    f"or corrupt them; give each its own volume (replication, not a shared directory, makes a "
                    f"replica)",
                    (Related(first.mount.span, f"service '{first.service}' keeps its database files on "
                                               f"{place.label} here"),),
                )


def _place(mount: Mount, data_dir: ContainerPath, project) -> Optional[Place]:
    """The data directory's place in the volume or host directory `mount` brings, if it is one."""
    below = "/".join(data_dir.parts[len(mount.target.parts):])
    if mount.type == "volume" and mount.source:
        declared = project.volumes.get(mount.source)
        name = (declared.real_name or declared.name) if declared is not None else mount.source
        # two services mounting different subpaths of a volume do not share files
        inside = container_path("/" + name).join(str(mount.options.get("subpath") or ""))
        label = f"volume '{mount.source}'" + (f" (named {name})" if name != mount.source else "")
        return Place("volume", inside.join(below), label)
    if mount.type == "bind" and mount.resolved and mount.host is not None and mount.host.kind != "unresolved":
        host_os = "windows" if mount.host.kind in ("windows", "unc") else "linux"
        return Place("host", container_path(mount.source, host_os).join(below),
                     f"host directory {mount.source_written or mount.source}")
    return None
