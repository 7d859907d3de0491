"""DSL503 network-filesystem-for-database."""

from typing import Iterator, Optional

from dockerstore_lint.facts.image import data_dirs, registry_image
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.facts.wording import volume_option
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import UNC
from dockerstore_lint.rule import Rule

# `driver_opts.type` of the local driver: the filesystem type it hands to mount(8)
NETWORK_FS_TYPES = {"nfs": "NFS", "nfs4": "NFS", "cifs": "CIFS", "smb": "SMB", "smb3": "SMB"}
# volume plugins whose volumes are network shares (names without a tag)
NETWORK_DRIVERS = {
    "nfs": "NFS", "nfs4": "NFS", "efs": "NFS (EFS)", "cifs": "CIFS", "smb": "SMB",  # docker-volume-netshare
    "rexray/efs": "NFS (EFS)", "vieux/sshfs": "SSHFS", "azurefile": "SMB (Azure Files)",
    "docker4x/cloudstor": "Cloudstor network storage",
}
LOCAL_DRIVER = "local"


class NetworkFilesystemForDatabase(Rule):
    """A database keeps its data directory on NFS, CIFS/SMB or another network filesystem.

    ## What it does
    Flags the mount that holds a database's data directory (or the data directory of an image
    whose vendor warns against network filesystems, such as Prometheus) when it is a network
    share: a named volume of the `local` driver with `driver_opts.type` `nfs`, `nfs4`, `cifs` or
    `smb`, a volume of a network volume plugin (`vieux/sshfs`, `rexray/efs`, netshare's `nfs` or
    `cifs`...), or a bind mount of a Windows UNC path (`\\\\server\\share`). External volumes are
    left alone: their driver is not in the file.

    ## Why it matters
    Database engines rely on POSIX file locking, `fsync` and atomic renames behaving as they do
    on a local disk. Over NFS and SMB they do not always: locks are lost or refused ("Unable to
    lock ./ibdata1", "database is locked"), writes acknowledged by `fsync` are still in a cache,
    and a second server can open the same files. The result is a database that will not start,
    or one that is silently corrupted, often long after the setup seemed to work.

    ## Example
    ```yaml
    services:
      db:
        image: mariadb:11.4
        volumes:
          - db-data:/var/lib/mysql
    volumes:
      db-data:
        driver_opts:
          type: nfs
          o: addr=10.0.0.5,rw
          device: ":/exports/db"
    ```

    ## Fix
    Keep the data directory on a local volume (or block storage) and put backups, not the live
    files, on the share:
    ```yaml
    services:
      db:
        image: mariadb:11.4
        volumes:
          - db-data:/var/lib/mysql
    volumes:
      db-data:
    ```
    """

    code = "DSL503"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        image = registry_image(container)
        for data_dir in data_dirs(container):
            if data_dir.kind != "database" and data_dir.network_fs_unsafe is None:
                continue
            storage = storage_at(container, data_dir.path)
            mount = storage.mount
            if not storage.known or mount is None:
                continue
            share, related = _network_share(mount, group)
            if share is None or image is None:
                continue
            yield self.finding(
                mount.span,
                f"{container.label} keeps the data directory {data_dir.path} of {image.display} on {share}: file "
                f"locking and fsync do not behave as on a local disk and the database can refuse to start or corrupt",
                "keep it on a local volume and put backups on the share",
                related,
            )


def _network_share(mount: Mount, group: Group) -> tuple[Optional[str], tuple[Related, ...]]:
    """What network share a mount is, if it is one, and the volume definition that makes it so."""
    if mount.kind == BIND and mount.host is not None and mount.host.base == UNC:
        return f"the Windows network share {mount.source}", ()
    if mount.kind != VOLUME or not mount.source:
        return None, ()
    volume = group.volumes.get(mount.source)
    if volume is None or volume.external:
        return None, ()
    driver = (volume.driver or LOCAL_DRIVER).split(":", 1)[0].lower()
    fs_type = volume.driver_opts.get("type", "").lower()
    if driver == LOCAL_DRIVER and fs_type in NETWORK_FS_TYPES:
        option = volume_option(group.kind, "type", fs_type)
        what = f"volume '{mount.source}' ({NETWORK_FS_TYPES[fs_type]} through {option})"
        why = f"{option} makes volume '{mount.source}' a network share"
    elif driver in NETWORK_DRIVERS:
        what = f"volume '{mount.source}' ({NETWORK_DRIVERS[driver]} through the {driver} driver)"
        why = f"driver {volume.driver} makes volume '{mount.source}' a network share"
    else:
        return None, ()
    return what, (Related(volume.span, why),)
