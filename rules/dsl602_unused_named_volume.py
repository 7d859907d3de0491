"""DSL602 unused-named-volume."""

from pathlib import Path
from typing import Iterator, Optional

from dockerstore_lint.finding import UNSAFE, Finding, Fix
from dockerstore_lint.fixes.intents import RemoveVolume
from dockerstore_lint.model.container import STORAGE, VOLUME
from dockerstore_lint.model.group import Group, NamedVolume
from dockerstore_lint.model.span import Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.rule import Rule

# a group, and the volume names its containers mount (None: not known)
Mounting = tuple[Group, Optional[set[str]]]


class UnusedNamedVolume(Rule):
    """A top-level named volume that no service mounts.

    ## What it does
    Flags an entry of the top-level `volumes:` that no service of the project mounts. A volume is
    counted as used when any project that reads the same declaration mounts it (a file `include`d
    by several projects), or when a Compose file in the same directory mounts a volume of that
    name (a base file whose volume only `-f compose.prod.yaml` uses). Projects where a volume
    source depends on a variable that is not set here are left alone.

    ## Why it matters
    Nothing breaks, but the declaration says something that is not true: usually a leftover of a
    service that was removed or renamed, or a mount that was meant to use the volume and was
    written with another name (`db_data` declared, `db-data` mounted) so the service does not keep
    its data where the author thinks.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
    volumes:
      db-data:
      cache:
    ```

    ## Fix
    Remove the declaration, or mount the volume where it was meant to go:
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
    volumes:
      db-data:
    ```

    ## Fix safety
    Unsafe: the fix removes the volume's declaration with its options. Docker keeps the volume
    and its data, but a command that names it (`docker compose run -v NAME:/x`, another project
    that uses it as `external`) no longer finds it declared here.
    """

    code = "DSL602"
    level = "note"
    targets = ("workspace",)

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        mounted = [_mounted(group) for group in workspace.groups]
        # the projects that can use a volume (see `_uses`), indexed once: asking every project about every
        # volume grows with the square of the number of projects
        declaring: dict[tuple[str, Span], list[Mounting]] = {}
        by_directory: dict[Optional[Path], list[Mounting]] = {}
        for other, other_names in zip(workspace.groups, mounted, strict=True):
            for key, declared in other.volumes.items():
                declaring.setdefault((key, declared.span), []).append((other, other_names))
            by_directory.setdefault(other.directory, []).append((other, other_names))
        for group, names in zip(workspace.groups, mounted, strict=True):
            if names is None:
                continue
            for volume in group.volumes.values():
                candidates = [*declaring.get((volume.name, volume.span), ()), *by_directory[group.directory]]
                if any(_uses(other, other_names, group, volume) for other, other_names in candidates):
                    continue
                yield self.finding(volume.span, f"volume '{volume.name}' is declared but no service mounts it",
                                   "remove it, or mount it where it was meant to go",
                                   fix=Fix(f"Remove volume '{volume.name}'", applicability=UNSAFE,
                                           intent=RemoveVolume(volume)))


def _mounted(group: Group) -> Optional[set[str]]:
    """The volume names the group's containers mount; None when a variable left a source unknown."""
    names = set()
    for container in group.containers.values():
        for mount in container.mounts:
            if mount.purpose != STORAGE or mount.kind != VOLUME:
                continue
            if not mount.resolved:
                return None
            if mount.source:
                names.add(mount.source)
    return names


def _uses(other: Group, names: Optional[set[str]], group: Group, volume: NamedVolume) -> bool:
    """Whether `other` mounts `volume` (declared in `group`): the same declaration, or one of its name next door."""
    declared = other.volumes.get(volume.name)
    if declared is not None and declared.span == volume.span:
        return names is None or volume.name in names
    # a file in the same directory is the base or the override it is combined with by `-f`
    return other.directory == group.directory and names is not None and volume.name in names
