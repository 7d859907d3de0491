"""DSL601 undefined-named-volume."""

from dockerstore_lint.rule import Related, Rule


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
    """

    code = "DSL601"
    name = "undefined-named-volume"
    level = "error"

    def workspace(self, workspace):
        # grouped once: comparing every project's directory with every other's grows with the square
        by_directory = {}
        for project in workspace.projects:
            by_directory.setdefault(project.directory, []).append(project)
        for project in workspace.projects:
            siblings = [p for p in by_directory[project.directory] if p is not project]
            for service in project.services.values():
                # a service without image or build only completes a service of another file
                if service.image is None and service.build is None:
                    continue
                for mount in service.mounts:
                    if mount.origin != "volumes" or mount.type != "volume" or not mount.source \
                            or not mount.resolved or mount.source in project.volumes:
                        continue
                    if any(mount.source in p.volumes and service.name in p.services for p in siblings):
                        continue
                    # a mount taken from another file (extends) is judged in the project that uses it
                    related = (Related(service.span, f"service '{service.name}' of project '{project.name}', "
                                                     f"which does not declare '{mount.source}'"),) \
                        if mount.span.file != service.span.file else ()
                    yield self.finding(
                        mount.span,
                        f"service '{service.name}' mounts volume '{mount.source}', which is not declared under "
                        f"top-level volumes: Compose refuses to start the project; declare it (volumes: "
                        f"{mount.source}:) or write ./{mount.source} if the host directory was meant",
                        related,
                    )
