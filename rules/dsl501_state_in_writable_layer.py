"""DSL501 state-in-writable-layer."""

from typing import Iterable, Iterator

from dockerstore_lint.facts.image import data_dirs, registry_image, state_words
from dockerstore_lint.facts.storage import data_mounts_below, storage_at
from dockerstore_lint.facts.wording import removal
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.model.container import Container
from dockerstore_lint.model.group import Group
from dockerstore_lint.rule import Rule


class StateInWritableLayer(Rule):
    """A stateful image runs with nothing mounted at its data directory and no VOLUME there.

    ## What it does
    Flags a service whose image is known to keep state (a database, queue, search engine, CI
    server, registry, CMS...) when nothing is mounted at, or above, the directory where it keeps
    that state and the image declares no VOLUME there either. The data directory is the one the
    service really uses: `PGDATA`-style variables and command-line options such as `--dbpath` or
    `--datadir` move it. Images the knowledge base does not know, and images whose VOLUMEs it
    does not know, are left alone; so are caches such as memcached, which keep nothing on disk.

    ## Why it matters
    Without a mount or a VOLUME the files are written to the container's writable layer. They
    survive a restart, but not the removal of the container: `docker compose down`, an image
    update or a changed setting recreates it, and the service starts again with no data.

    ## Example
    ```yaml
    services:
      search:
        image: elasticsearch:8.15.5
    ```

    ## Fix
    Mount a named volume at the data directory:
    ```yaml
    services:
      search:
        image: elasticsearch:8.15.5
        volumes:
          - search-data:/usr/share/elasticsearch/data
    volumes:
      search-data:
    ```
    """

    code = "DSL501"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if container.throwaway:
            return  # a test's or CI's container: its data is meant to go with it
        # a mount below the data directory was meant for it: DSL505 says what is wrong with it
        exposed = [d for d in data_dirs(container)
                   if storage_at(container, d.path).in_writable_layer and not data_mounts_below(container, d.path)]
        if not exposed:
            return
        image = registry_image(container)
        if image is None:
            return
        related: tuple[Related, ...] = ()
        if container.stage is not None and container.dockerfile is not None:
            base = container.dockerfile.base_stage(container.stage)
            related = (Related(base.span, f"the container's image is built FROM {image.display}"),)
        # one finding for the container: a nested data directory is in its outer one's
        outer = [d for d in exposed if not any(d.path.strictly_within(other.path) for other in exposed)]
        kinds = {d.kind for d in outer}
        what = state_words(outer[0].kind) if len(kinds) == 1 else "data"
        paths = _and(str(d.path) for d in outer)
        yield self.finding(
            container.anchor,
            f"{container.label} runs {image.display} with nothing mounted at {paths} and no VOLUME there: its "
            f"{what} live in the container's writable layer and are gone when the container is removed "
            f"({removal(container)}, a new image)",
            f"mount a named volume at {paths if len(outer) == 1 else 'each'}",
            related,
        )


def _and(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    listed = list(items)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]
