"""DSL104 volumes-from."""

from typing import Iterator

from dockerstore_lint.facts.image import image_volumes
from dockerstore_lint.facts.storage import judged_mounts, known_target
from dockerstore_lint.facts.wording import volumes_from_setting
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import BIND, VOLUME, Container
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule

CONTAINER_PREFIX = "container:"
# how many inherited paths a message names before it says "and N more"
LISTED = 4


class VolumesFrom(Rule):
    """A service takes every volume of another container through `volumes_from`.

    ## What it does
    Flags each entry of a service's `volumes_from` (`- db`, `- db:ro`, `- container:name`). When the
    entry names a service of the same project, the message lists the paths the service inherits:
    the other service's mounts and the VOLUMEs its image declares. A container removed when it
    ends (`docker run --rm --volumes-from db ... tar cf ...`, Docker's own backup recipe) is not
    flagged: nothing of it outlives the command.

    ## Why it matters
    `volumes_from` copies all of the other container's volumes, anonymous ones included, at the
    paths the other container uses. Nothing in the service's own definition says which paths those
    are, so a change to the other service (a new mount, an image with a new VOLUME) silently changes
    this one too, and inherited anonymous volumes outlive updates of the image that declared them:
    Compose keeps reusing the old volume, with the old files, after the image changes
    (docker/compose#11953).

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
        volumes:
          - uploads:/srv/uploads
      backup:
        image: example/backup:2
        volumes_from:
          - app:ro
    volumes:
      uploads:
    ```

    ## Fix
    Mount the named volumes the service needs, at paths of its own:
    ```yaml
    services:
      app:
        image: example/app:1.4
        volumes:
          - uploads:/srv/uploads
      backup:
        image: example/backup:2
        volumes:
          - uploads:/backup/uploads:ro
    volumes:
      uploads:
    ```
    """

    code = "DSL104"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.throwaway:
            return  # `docker run --rm --volumes-from db ... tar`: Docker's own backup recipe, gone when it ends
        for entry in container.volumes_from:
            if entry.ref.startswith(CONTAINER_PREFIX):
                source = f"container '{entry.ref[len(CONTAINER_PREFIX):]}'"
                inherited = ""
            else:
                other = group.container(entry.ref)
                named = "service" if container.origin == "compose" else "container"
                source = other.label if other is not None else f"{named} '{entry.ref}'"
                inherited = _inherited(other) if other is not None else ""
            read_only = ", with :ro" if entry.read_only else ""
            instead = "under `volumes:`" if container.origin == "compose" else "with `-v NAME:PATH`"
            yield self.finding(
                entry.span,
                f"{container.label} takes every volume and bind mount of {source}{inherited} through "
                f"{volumes_from_setting(container)}, anonymous ones included, without naming them",
                f"mount the named volumes it needs {instead} instead{read_only}",
            )


def _inherited(other: Container) -> str:
    """` (/a, /b and 2 more)`: the paths another container's volumes sit at, if it has any."""
    paths = [known_target(m) for m in judged_mounts(other, VOLUME, BIND)]
    for volume in image_volumes(other):
        if not any(volume.path.same(path) for path in paths):
            paths.append(volume.path)
    if not paths:
        return ""
    listed = ", ".join(str(path) for path in paths[:LISTED])
    more = f" and {len(paths) - LISTED} more" if len(paths) > LISTED else ""
    return f" ({listed}{more})"
