"""DSL102 anonymous-volume."""

from typing import Iterator, Optional

from dockerstore_lint.facts.files import container_image_files, describe_image_files
from dockerstore_lint.facts.image import registry_image
from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.facts.wording import named_volume_hint, removal, volume_name
from dockerstore_lint.finding import UNSAFE, Finding, Fix
from dockerstore_lint.fixes.intents import NameVolume
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class AnonymousVolume(Rule):
    """A Compose mount creates an anonymous volume, which a new container does not get back.

    ## What it does
    Flags a container mount of type `volume` without a source: `- /cache` in short syntax, long
    syntax with `type: volume` and no `source`, `-v /cache` or `--mount type=volume,target=/cache`
    on a command line. An anonymous volume nested inside one of the container's bind mounts
    (`- .:/app` with `- /app/node_modules`) is the usual way to keep the image's files visible under
    a source mount: it is reported only as a note, and only for Compose when the image has files
    there, because Compose keeps re-attaching the old copy after the image changes. One over files
    of the image that no bind mount hides is flagged as useless and stale. Containers that are
    thrown away with their volumes (`--rm`, test and CI projects, CI jobs' containers and the
    `docker run` steps of jobs on hosted runners) are not judged.

    ## Why it matters
    Compose creates a volume with a random name for it. It survives a plain `docker compose up` that
    recreates the container, but `docker compose down` (or `rm`, or `up --renew-anon-volumes`) leaves
    it behind unnamed and the next container starts with a new, empty one: whatever the service wrote
    there is gone from its point of view, while orphaned volumes pile up on disk. Over files of the
    image, the volume starts as a copy of them and is re-attached as long as the container is only
    recreated, so after a rebuild the service keeps running the old files.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - /var/lib/postgresql/data
    ```

    ## Fix
    Name the volume and declare it, so that it outlives containers:
    ```yaml
    services:
      db:
        image: postgres:16
        volumes:
          - db-data:/var/lib/postgresql/data
    volumes:
      db-data:
    ```
    If the data is really scratch space, say so with a `tmpfs` mount instead.

    ## Fix safety
    Unsafe: the fix names the volume (`NAME:/path`) and declares it. The next start mounts the new,
    empty named volume instead of the anonymous one, so what the service wrote there so far stays
    behind in the old volume (copy it over first if it matters).
    """

    code = "DSL102"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.throwaway:
            return  # a test's or CI's container: its volumes are meant to go with it
        binds = [m for m in judged_mounts(container, BIND)]
        for mount in judged_mounts(container, VOLUME):
            assert mount.target is not None
            if not mount.anonymous:
                continue
            image_files = container_image_files(container, mount.target)
            shielding = next((b for b in binds if b.target is not None and mount.target.strictly_within(b.target)),
                             None)
            if shielding is not None:
                # keeping the image's files visible under a source mount is the point: only Compose's re-attaching
                # of the old volume, once the image has new files there, is a trap
                if image_files and container.origin == "compose":
                    yield self.finding(
                        mount.span,
                        f"{container.label} keeps {describe_image_files(image_files, registry_image(container))} "
                        f"visible under the bind mount {shielding.source}:{shielding.target} with an anonymous "
                        f"volume: Compose re-attaches "
                        f"the old volume when it recreates the container, so after the image is rebuilt with new "
                        f"files there (a dependency added) the service still sees the old ones",
                        "after rebuilding, recreate the volume with `docker compose up --renew-anon-volumes` (`-V`)",
                        level="note")
                continue
            if container.origin == "compose" and image_files:
                # the image has files there: the volume is a copy of them, frozen at its creation
                yield self.finding(
                    mount.span,
                    f"{container.label} keeps {mount.target} in an anonymous volume over files of the image: the "
                    f"volume gets a copy of them when it is created and Compose re-attaches it when it recreates "
                    f"the container, so after a rebuild the service still sees the old files",
                    f"no bind mount hides {mount.target}, so drop the entry")
                continue
            name = _suggest(container, mount)
            outcome = "orphans it and the next container starts empty" if container.origin == "compose" \
                else "leaves it behind unnamed, and the next container starts with a new one"
            yield self.finding(
                mount.span,
                f"{container.label} keeps {mount.target} in an anonymous volume: {removal(container)} {outcome}",
                f"use a named volume ({named_volume_hint(container, name, mount)})",
                fix=_named(mount, name, group))


def _named(mount: Mount, name: str, group: Group) -> Optional[Fix]:
    if name in group.volumes:
        return None  # the name is taken: which volume was meant is the author's call
    return Fix(f"Name the volume '{name}'", applicability=UNSAFE, intent=NameVolume(mount, name, group))


# how much of the container's name and of the target's last component a suggested volume name keeps: a name
# to read and type (a megabyte of service name was copied into every finding)
_PART = 40


def _suggest(container: Container, mount: Mount) -> str:
    name = mount.target.name if mount.target is not None else ""
    return volume_name(f"{container.name[:_PART]}-{(name or 'data')[:_PART]}".lower())
