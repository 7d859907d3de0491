"""DSL603 missing-bind-source."""

from typing import Iterator

from dockerstore_lint.facts.files import file_extension
from dockerstore_lint.facts.image import data_dirs
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.facts.users import runtime_user
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import BIND, STORAGE, Container, Mount
from dockerstore_lint.model.host_paths import DIRECTORY
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.rule import Rule


class MissingBindSource(Rule):
    """A relative bind mount source does not exist in the repository.

    ## What it does
    Flags a bind mount whose source is a path relative to the project (`./conf`, `../shared`,
    `.\\scripts`, after variable interpolation) that does not exist on disk. Only paths inside the
    scanned directory are looked at. Absolute paths and paths under `~` are not flagged: they
    live on the machine that runs the containers. Neither are sources that use a variable that is
    not set here, nor a missing directory for the data of an image whose process runs as root or
    whose entrypoint takes ownership of its data directory (PostgreSQL, MySQL, MariaDB, Redis...):
    letting Docker create that one is the usual way to start.

    ## Why it matters
    For a Linux container Docker does not fail on a missing bind source: it creates an empty
    directory there, owned by root. The container then sees an empty directory where the author expected files,
    a process that does not run as root cannot write to it, and a missing `./nginx.conf` becomes a directory
    called `nginx.conf`, so mounting it over the image's file fails ("Are you trying to mount a
    directory onto a file?") and the directory stays behind on the host after the file is added.
    A Windows container does not start at all.

    ## Example
    ```yaml
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./nginx.conf:/etc/nginx/nginx.conf:ro
    ```

    ## Fix
    Commit the file (or a template that a setup step copies), or fix the path so that it points to
    the file that exists:
    ```yaml
    services:
      web:
        image: nginx:1.27
        volumes:
          - ./config/nginx.conf:/etc/nginx/nginx.conf:ro
    ```
    """

    code = "DSL603"
    level = "warning"
    targets = ("workspace",)

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        # a file `include`d with another project_directory is judged where its paths lead there
        found_somewhere = {m.span for container, _ in workspace.containers()
                           for m in container.mounts if m.host is not None and m.host.exists}
        for container, _ in workspace.containers():
            for mount in container.mounts:
                if _missing(mount) and mount.span not in found_somewhere and not _created_for_data(container, mount):
                    yield self._finding(container, mount)

    def _finding(self, container: Container, mount: Mount) -> Finding:
        written = mount.source or ""
        if mount.target is not None and mount.target.os == "windows":
            outcome = "Docker refuses to start a Windows container whose bind source does not exist"
        elif file_extension(written) or (mount.target is not None and file_extension(mount.target.name)):
            outcome = ("Docker creates an empty directory owned by root in its place, so the container gets "
                       f"a directory where a file was meant ({mount.target}) and the directory stays on the host")
        else:
            writers = "" if mount.read_only else " and only root can write there"
            outcome = (f"Docker creates it as an empty directory owned by root, so {mount.target} is empty "
                       f"in the container{writers}")
        return self.finding(mount.span, f"{container.label} bind-mounts {written}, which does not exist: {outcome}",
                            "add it to the repository or fix the path")


def _missing(mount: Mount) -> bool:
    """A relative bind source, inside the scanned root, that is not there."""
    host = mount.host
    return (mount.purpose == STORAGE and mount.kind == BIND and mount.resolved and host is not None
            and host.base == DIRECTORY and host.inside_root and host.exists is False)


def _created_for_data(container: Container, mount: Mount) -> bool:
    """Whether the mount holds the service's data and its process, as root, can take the new directory."""
    holds_data = any(storage_at(container, d.path).mount is mount for d in data_dirs(container))
    return holds_data and runtime_user(container).is_root is True

