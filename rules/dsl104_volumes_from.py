"""DSL104 volumes-from."""

from dockerstore_lint.facts.image import image_volumes
from dockerstore_lint.rule import Rule

CONTAINER_PREFIX = "container:"
# how many inherited paths a message names before it says "and N more"
LISTED = 4


class VolumesFrom(Rule):
    """A service takes every volume of another container through `volumes_from`.

    ## What it does
    Flags each entry of a service's `volumes_from` (`- db`, `- db:ro`, `- container:name`). When the
    entry names a service of the same project, the message lists the paths the service inherits:
    the other service's mounts and the VOLUMEs its image declares.

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
    name = "volumes-from"
    level = "warning"

    def service(self, service, project):
        for entry in service.volumes_from:
            if entry.ref.startswith(CONTAINER_PREFIX):
                source = f"container '{entry.ref[len(CONTAINER_PREFIX):]}'"
                inherited = ""
            else:
                source = f"service '{entry.ref}'"
                other = project.services.get(entry.ref)
                inherited = _inherited(other) if other is not None else ""
            read_only = ", with :ro" if entry.read_only else ""
            yield self.finding(
                entry.span,
                f"service '{service.name}' takes every volume and bind mount of {source}{inherited} through "
                f"volumes_from, anonymous ones included, without naming them; mount the named volumes it needs "
                f"under `volumes:` instead{read_only}",
            )

def _inherited(other) -> str:
    """` (/a, /b and 2 more)`: the paths another service's volumes sit at, if it has any."""
    paths = [m.target for m in other.mounts
             if m.origin == "volumes" and m.target is not None and not m.invalid and m.type in ("volume", "bind")]
    for volume in image_volumes(other):
        if not any(volume.path.same(path) for path in paths):
            paths.append(volume.path)
    if not paths:
        return ""
    listed = ", ".join(str(path) for path in paths[:LISTED])
    more = f" and {len(paths) - LISTED} more" if len(paths) > LISTED else ""
    return f" ({listed}{more})"
