"""DSL502 state-on-tmpfs."""

from typing import Iterator

from dockerstore_lint.facts.image import data_dirs, data_mount_point, registry_image, state_words
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.finding import Finding
from dockerstore_lint.knowledge import DataDir
from dockerstore_lint.model.container import TMPFS, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Span
from dockerstore_lint.rule import Rule


class StateOnTmpfs(Rule):
    """A tmpfs holds the data directory of a stateful image.

    ## What it does
    Flags a tmpfs mount (`tmpfs:` or long syntax `type: tmpfs`) that ends up holding the data
    directory of an image known to keep state: a tmpfs at the data directory or above it, when no
    volume or bind mount, and no VOLUME of the image, sits between them. A tmpfs below the data
    directory (a scratch subdirectory such as PostgreSQL's `pg_stat_tmp`) is not flagged.

    ## Why it matters
    A tmpfs lives in memory. Everything the service writes there is gone at every stop, restart or
    host reboot, not only when the container is removed, and it counts against the memory of the
    host. For a throwaway test database that is the point; anywhere else it is data loss waiting
    for the next restart.

    ## Example
    ```yaml
    services:
      db:
        image: mysql:8.4
        tmpfs:
          - /var/lib/mysql
    ```

    ## Fix
    Keep the data on a named volume:
    ```yaml
    services:
      db:
        image: mysql:8.4
        volumes:
          - db-data:/var/lib/mysql
    volumes:
      db-data:
    ```
    For a database that is meant to be thrown away (a CI test run), keep the tmpfs and suppress
    the finding on that line with a comment saying so.
    """

    code = "DSL502"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.throwaway:
            return  # a test's or CI's container: a database on tmpfs is the fast way to run one
        held: dict[Span, tuple[Mount, list[DataDir]]] = {}  # the tmpfs mount's span -> it and the data it holds
        for data_dir in data_dirs(container):
            storage = storage_at(container, data_dir.path)
            if storage.known and storage.mount is not None and storage.mount.kind == TMPFS:
                held.setdefault(storage.mount.span, (storage.mount, []))[1].append(data_dir)
        image = registry_image(container)
        if image is None:
            return
        for mount, held_dirs in held.values():
            paths = " and ".join(str(d.path) for d in held_dirs)
            volume_path = data_mount_point(container, held_dirs[0].path)
            yield self.finding(
                mount.span,
                f"{container.label} keeps the {state_words(held_dirs[0].kind)} of {image.display} ({paths}) on a "
                f"tmpfs: they are gone at every stop or restart",
                f"mount a named volume at {volume_path} unless this data is meant to be thrown away",
            )
