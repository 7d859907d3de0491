"""DSL102 anonymous-volume."""

from dockerstore_lint.facts.files import service_image_files
from dockerstore_lint.rule import Rule


class AnonymousVolume(Rule):
    """A Compose mount creates an anonymous volume, which a new container does not get back.

    ## What it does
    Flags a service mount of type `volume` without a source: `- /cache` in short syntax, or long
    syntax with `type: volume` and no `source`. An anonymous volume nested inside one of the
    service's bind mounts (`- .:/app` with `- /app/node_modules`) is the usual way to keep the image's
    files visible under a source mount, and is not flagged. One over files of the image that no bind
    mount hides is flagged as useless and stale instead.

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
    """

    code = "DSL102"
    name = "anonymous-volume"
    level = "warning"

    def service(self, service, project):
        binds = [m.target for m in service.mounts if m.type == "bind" and m.target is not None]
        for mount in service.mounts:
            if not (mount.anonymous and mount.origin == "volumes" and mount.target is not None and not mount.invalid):
                continue
            if any(mount.target.strictly_within(bind) for bind in binds):
                continue
            if service_image_files(service, mount.target):
                # the image has files there: the volume is a copy of them, frozen at its creation
                message = (f"service '{service.name}' keeps {mount.target} in an anonymous volume over files of the "
                           f"image: the volume gets a copy of them when it is created and Compose re-attaches it "
                           f"when it recreates the container, so after a rebuild the service still sees the old "
                           f"files; no bind mount hides {mount.target}, so drop the entry")
            else:
                message = (f"service '{service.name}' keeps {mount.target} in an anonymous volume: `docker compose "
                           f"down` orphans it and the next container starts empty; use a named volume "
                           f"('{_suggest(service.name, mount)}:{mount.target}', declared under top-level volumes)")
            yield self.finding(mount.span, message)


def _suggest(service: str, mount) -> str:
    return f"{service}-{mount.target.name or 'data'}".lower()
