"""DSL601 undefined-named-volume."""

from pathlib import Path
from typing import Iterator, Optional

from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.finding import SAFE, Finding, Fix, Related
from dockerstore_lint.fixes.intents import DeclareVolume
from dockerstore_lint.model.container import VOLUME
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.rule import Rule


class UndefinedNamedVolume(Rule):
    """A service mounts a named volume that the project does not declare under top-level `volumes:`.

    ## What it does
    Flags a service mount whose source is a volume name (`data:/var/lib/data`, or long syntax
    `type: volume` with `source: data`) when the project, with its override file, `include`d files
    and `extends` resolved, has no top-level `volumes:` entry of that name. Declared `external`
    volumes count as declared. A file that is evidently a fragment meant to be combined with
    another (`docker compose -f compose.yaml -f compose.prod.yaml`) is judged together with it:
    the mount is not flagged when its service has neither `image` nor `build` (so the file cannot
    run alone), or when a Compose file in the same directory declares the volume and defines the
    same service.

    ## Why it matters
    Compose refuses to start the project ("service refers to undefined volume"). Often the source
    was meant to be a host directory: `data:/app/data` names a volume, `./data:/app/data` is a bind
    mount of the project's `data` folder.

    ## Example
    ```yaml
    services:
      app:
        image: example/app:1.4
        volumes:
          - uploads:/srv/uploads
    ```

    ## Fix
    Declare the volume, or write a path if a host directory was meant:
    ```yaml
    services:
      app:
        image: example/app:1.4
        volumes:
          - uploads:/srv/uploads
    volumes:
      uploads:
    ```

    ## Fix safety
    Safe: the fix adds `NAME:` under the top-level `volumes:` of the project's first file (and the
    key when there is none). Compose refuses the project as it is, so nothing that works changes;
    when a host directory was meant, write `./NAME` instead.
    """

    code = "DSL601"
    level = "error"
    targets = ("workspace",)

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        # grouped once: comparing every project's directory with every other's grows with the square
        by_directory: dict[Optional[Path], list[Group]] = {}
        # `docker run` creates a named volume on first use: only Compose refuses one it was not told about
        declaring = [group for group in workspace.groups if not group.volumes_on_demand]
        for group in declaring:
            by_directory.setdefault(group.directory, []).append(group)
        for group in declaring:
            siblings = [p for p in by_directory[group.directory] if p is not group]
            for container in group.containers.values():
                # a service without image or build only completes a service of another file
                if container.image is None and container.build is None:
                    continue
                for mount in judged_mounts(container, VOLUME):
                    if not mount.source or mount.source in group.volumes:
                        continue
                    if any(mount.source in p.volumes and container.name in p.containers for p in siblings):
                        continue
                    # a mount taken from another file (extends) is judged in the project that uses it
                    related = (Related(container.span, f"{container.label} of project '{group.name}', "
                                                     f"which does not declare '{mount.source}'"),) \
                        if mount.span.file != container.span.file else ()
                    yield self.finding(
                        mount.span,
                        f"{container.label} mounts volume '{mount.source}', which is not declared under "
                        f"top-level volumes: Compose refuses to start the project",
                        f"declare it (volumes: {mount.source}:) or write ./{mount.source} if the host directory was "
                        f"meant",
                        related,
                        fix=Fix(f"Declare volume '{mount.source}'", applicability=SAFE,
                                intent=DeclareVolume(group, mount.source)),
                    )
