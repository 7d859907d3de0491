"""DSL603 missing-bind-source."""

from typing import Iterator, Optional

from dockerstore_lint.facts.files import container_image_files, describe_image_files, file_extension
from dockerstore_lint.facts.image import data_dirs, facts_for, registry_image
from dockerstore_lint.facts.storage import storage_at
from dockerstore_lint.facts.users import RuntimeUser, runtime_user
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import BIND, REFUSE, STORAGE, Container, Mount
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import DIRECTORY
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.rule import Rule

# configuration lives here: an empty directory in its place leaves the process without it
CONFIGURATION = container_path("/etc")


class MissingBindSource(Rule):
    """A relative bind mount source is missing, and the directory Docker makes in its place breaks the container.

    ## What it does
    Flags a bind mount whose source is a path relative to the project (`./conf`, `../shared`,
    `.\\scripts`, after variable interpolation) that does not exist on disk, when the empty directory
    Docker creates in its place breaks something:
    - the source or target names a file (`./nginx.conf`): the container gets a directory instead;
    - the target is configuration or content the image expects (under `/etc`, a directory the image
      fills, initialisation scripts): the directory hides it and the process starts without it;
    - the container runs as a non-root user (its `user:`, USER, or an image known to, such as
      Grafana's uid 472 or Bitnami's 1001) that does not take ownership of the directory, and writes
      there: the directory Docker creates belongs to root (not for containers a PowerShell script
      starts: Docker Desktop on Windows creates the directory for the user, writable by every
      container user);
    - the container is a Windows one, which Docker refuses to start.

    A missing directory for data that a root process, or an entrypoint that takes ownership, writes to
    is the usual first start and is not flagged; neither is a source that git ignores (`node_modules`,
    build output, `.data/`): the project generates it. Only paths inside the scanned directory are
    looked at; absolute paths and paths under `~` live on the machine that runs the containers, and
    sources that use a variable that is not set here are unknown. A project whose services build from a
    Dockerfile the repository does not have cannot run from here, and is not judged.

    ## Why it matters
    For a Linux container Docker does not fail on a missing bind source: it creates an empty
    directory there, owned by root. A missing `./nginx.conf` becomes a directory called `nginx.conf`,
    so mounting it over the image's file fails ("Are you trying to mount a directory onto a file?")
    and the directory stays behind on the host after the file is added; a missing configuration
    directory hides the image's own; a process that does not run as root cannot write to the new
    directory. A Windows container does not start at all.

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
    For a non-root container's data, create the directory owned by its user before the first start.
    """

    code = "DSL603"
    level = "warning"
    targets = ("workspace",)

    def workspace(self, workspace: Workspace) -> Iterator[Finding]:
        # a file `include`d with another project_directory is judged where its paths lead there
        found_somewhere = {m.span for container, _ in workspace.containers()
                           for m in container.mounts if m.host is not None and m.host.exists}
        for group in workspace.groups:
            if not _runnable(group):
                continue
            for container in group.containers.values():
                for mount in container.mounts:
                    if not _missing(mount) or mount.span in found_somewhere:
                        continue
                    breaks = _what_breaks(container, mount, group.host_os == "windows")
                    if breaks is not None:
                        yield self.finding(mount.span, f"{container.label} bind-mounts {mount.source}, which does "
                                                       f"not exist: {breaks[0]}", breaks[1])


def _missing(mount: Mount) -> bool:
    """A relative bind source, inside the scanned root, that is not there."""
    host = mount.host
    # a source Docker refuses to create (`--mount type=bind`) stops the container: DSL002 says so
    return (mount.purpose == STORAGE and mount.kind == BIND and mount.resolved and mount.target is not None
            and mount.missing_source != REFUSE and host is not None and host.base == DIRECTORY and host.inside_root
            and host.exists is False)


def _runnable(group: Group) -> bool:
    """Whether the group's containers can start from here: a build whose Dockerfile the repository does not
    have fails first (a fixture, or a fragment meant for another directory)."""
    return not any(c.build is not None and c.build.dockerfile_exists is False for c in group.containers.values())


_ADD = "add it to the repository or fix the path"


def _what_breaks(container: Container, mount: Mount, windows_host: bool) -> Optional[tuple[str, str]]:
    """What goes wrong when Docker creates the missing source as an empty directory owned by root (on a Windows
    host, Docker Desktop's, by the user), and what to do; None when nothing does."""
    assert mount.target is not None and mount.host is not None
    target = mount.target
    user = runtime_user(container)
    directory = "an empty directory" if windows_host else "an empty directory owned by root"
    if mount.host.ignored:
        # generated by the project: present where it runs, unless the first start is what creates it
        return _unwritable(container, mount, user, windows_host)
    if target.os == "windows":
        return "Docker refuses to start a Windows container whose bind source does not exist", _ADD
    if file_extension(mount.source or "") or file_extension(target.name):
        return (f"Docker creates {directory} in its place, so the container gets "
                f"a directory where a file was meant ({target}) and the directory stays on the host", _ADD)
    hidden = [f for f in container_image_files(container, target) if f.path.is_within(target)]
    if hidden:
        return (f"Docker creates it as {directory}, which hides what the image has at "
                f"{target}: {describe_image_files(hidden, registry_image(container))}", _ADD)
    facts = facts_for(container)
    if target.strictly_within(CONFIGURATION) or (facts is not None and facts.replaceable_at(target) is not None):
        return (f"Docker creates it as {directory}, so the configuration or content the "
                f"container reads at {target} is not there", _ADD)
    return _unwritable(container, mount, user, windows_host)


def _unwritable(container: Container, mount: Mount, user: RuntimeUser,
                windows_host: bool) -> Optional[tuple[str, str]]:
    """When the container's own user writes into the new directory and cannot: it belongs to root, and an
    entrypoint that does not start as root cannot take it over. Not on a Windows host: Docker Desktop gives what
    it creates in a Windows folder to the user, and every container user can write there."""
    if windows_host or mount.read_only or user.is_root is not False or user.name is None:
        return None
    held = [d for d in data_dirs(container) if storage_at(container, d.path).mount is mount]
    if not held and user.span is None:
        return None  # neither the image's data nor a user the project chose: whether it writes there is unknown
    return (f"Docker creates it as an empty directory owned by root, and the container runs as {user.name}, "
            f"which cannot write there",
            f"create it before the first start, owned by {user.name}, or run the container as root")
