"""DSL201 bind-mount-as-root."""

from typing import Iterator

from dockerstore_lint.facts.commands import (
    entrypoint_drops_root,
    only_removes,
    working_directory,
    writes_where_it_runs,
)
from dockerstore_lint.facts.files import single_file_source
from dockerstore_lint.facts.image import facts_for, is_windows_container, registry_image
from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.facts.users import RuntimeUser, installs_privilege_drop, runtime_user
from dockerstore_lint.facts.wording import entrypoint_setting, read_only_hint, user_setting
from dockerstore_lint.finding import Finding, Related
from dockerstore_lint.knowledge import ImageFacts
from dockerstore_lint.model.container import BIND, REFUSE, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import DIRECTORY, HOME, WORKING_DIRECTORY
from dockerstore_lint.rule import Rule

# host paths a user owns: the project's tree (`./data`), the directory a command runs in (`$PWD`) and the home
# directory (`~/.m2`); system paths
# (`/var/run/docker.sock`, `/etc`) are DSL701's, and absolute paths elsewhere are usually root's anyway
USER_HOST_PATHS = (DIRECTORY, WORKING_DIRECTORY, HOME)


class BindMountAsRoot(Rule):
    """A writable bind mount of a project or home directory is written by a process running as root.

    ## What it does
    Flags a writable directory bind mount of a relative (`./data`, `$PWD/data`) or home (`~/.cache`)
    path in a container whose process runs as root: it sets no user (`user:`, `-u`), and either the
    Dockerfile it builds ends with a root USER (or none, FROM an image known to run as root, or FROM
    scratch), or its image is known to run as root. `user: root` and `user: "0"` count too. Not flagged:
    read-only binds, single files, images whose entrypoint switches to another user (postgres,
    mysql, redis..., and Dockerfiles that install gosu or su-exec; the database images do it only
    for their own server, so another command, `sh -c ...` or a replaced entrypoint, runs as root
    and is flagged) or may do so (nginx and
    Apache-based images run their workers as another user), images the knowledge base does not
    know, Windows containers, containers started on a Windows host (by a PowerShell script: with
    Docker Desktop the files a container makes in a bind of a Windows folder belong to the Windows
    user), containers whose command only deletes or `chown`s files (a cleanup step creates nothing
    root-owned), and absolute host paths such as the Docker socket (system paths are DSL701's
    business).

    ## Why it matters
    Files and directories the container creates in the mount belong to root on the host. Back in
    the working tree they cannot be edited or deleted without `sudo`: `git clean`, the IDE, the
    next `npm install` or a CI checkout fail with "Permission denied". On Docker Desktop, and with
    rootless Docker or user-namespace remapping, ownership is mapped back to the user, which hides
    the problem until the project runs on a Linux host.

    ## Example
    ```yaml
    services:
      worker:
        image: python:3.12
        command: python /app/worker.py
        volumes:
          - ./app:/app
          - ./output:/output
    ```

    ## Fix
    Run the service as your user (or set a non-root USER in the Dockerfile), and mount what it
    only reads read-only:
    ```yaml
    services:
      worker:
        image: python:3.12
        command: python /app/worker.py
        user: "1000:1000"
        volumes:
          - ./app:/app:ro
          - ./output:/output
    ```
    """

    code = "DSL201"
    level = "warning"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        if group.host_os == "windows":
            return  # Docker Desktop on Windows: files a container makes in a bind of a Windows folder are the user's
        binds = [m for m in judged_mounts(container, BIND, writable=True) if _user_directory(m)]
        if not binds or is_windows_container(container) or only_removes(container):
            return  # a container that only deletes (or `chown`s back) what others left creates no root-owned file
        user = runtime_user(container)
        if user.is_root is None and user.span is None:
            yield from self._unknown_user(container, binds)
            return
        if user.is_root is not True:
            return
        facts = facts_for(container)
        drops = entrypoint_drops_root(container)
        if drops or (container.stage is not None and container.dockerfile is not None
                     and installs_privilege_drop(container.dockerfile, container.stage)):
            return  # the entrypoint starts as root only to switch to its own user
        if user.span is None and facts is not None and facts.drops_root is None:
            return  # the image starts as root, but whether it switches user is not known
        reason, related = _why_root(container, user)
        if facts is not None and facts.privilege_drop is not None and facts.privilege_drop.drops:
            reason += _no_step_down(container, facts)
        fix = f"set {user_setting(container)} to your uid:gid" + \
            (", a non-root USER in the Dockerfile," if container.stage else "")
        for mount in binds:
            read_only = read_only_hint(mount)
            yield self.finding(
                mount.span,
                f"bind mount {mount.source}:{mount.target} is writable by root ({reason}): files the container "
                f"creates in {mount.source} are owned by root on the host",
                f"{fix} or add {read_only} if the container only reads it",
                related,
            )


    def _unknown_user(self, container: Container, binds: list[Mount]) -> Iterator[Finding]:
        """An image whose user is not known: judged by its command, when that plainly writes into a bind of the
        project (`composer install`, `npm ci`...), since an image runs as root unless it says otherwise."""
        writer = writes_where_it_runs(container)
        workdir = working_directory(container)
        if writer is None or workdir is None:
            return
        for mount in binds:
            if mount.target is not None and workdir.is_within(mount.target):
                yield self.finding(
                    mount.span,
                    f"bind mount {mount.source}:{mount.target} is written as root unless the image sets another "
                    f"user (no {user_setting(container)}, and dockerstore-lint does not know the image's): "
                    f"`{writer}` runs in {workdir} and its files in {mount.source} are owned by root on the host",
                    f"set {user_setting(container)} to your uid:gid")


def _no_step_down(container: Container, facts: ImageFacts) -> str:
    """Why an image whose entrypoint switches to its own user leaves this container's command to root."""
    drop = facts.privilege_drop
    assert drop is not None
    to = drop.to.name if drop.to is not None else "its own user"
    if container.entrypoint is not None:
        return f"; {entrypoint_setting(container)} replaces the entrypoint that switches to {to}"
    given = drop.given or (facts.default_command.given if facts.default_command is not None else None)
    assert given is not None  # what tells that this command is not stepped down for
    programs = "/".join(f"`{pattern}`" for pattern in given.patterns if not pattern.startswith(("-", "*")))
    return f"; its entrypoint switches to {to} only for {programs}, not for `{container.command[0]}`"


def _user_directory(mount: Mount) -> bool:
    """A directory of the project or the user's home: where files owned by root get in the user's way. A
    source Docker refuses to create (`--mount`) stops the container before anything is written: DSL002's."""
    if mount.host is None or mount.host.base not in USER_HOST_PATHS or single_file_source(mount):
        return False
    return not (mount.missing_source == REFUSE and mount.host.exists is False)


def _why_root(container: Container, user: RuntimeUser) -> tuple[str, tuple[Related, ...]]:
    """Why the process runs as root, in words, and where the repository decides it."""
    if container.user is not None:
        setting = f"`user: {user.name}`" if container.origin == "compose" else f"{user_setting(container)} {user.name}"
        return setting, (Related(container.user.span, f"the container runs as {user.name}"),)
    if user.span is not None:
        line = user.span.line
        return (f"no {user_setting(container)}, and the Dockerfile's USER is {user.name} (line {line})",
                (Related(user.span, f"the image's user is set to {user.name} here"),))
    stage = container.stage
    image = registry_image(container)
    assert image is not None and user.span is None  # a user known from the image, not from the repository
    if stage is not None and container.dockerfile is not None:
        base = container.dockerfile.base_stage(stage)
        if base.base.name == "scratch":
            return f"no {user_setting(container)}, and the image is built FROM scratch without a USER", (
                Related(base.span, "the image is built FROM scratch"),)
        return (f"no {user_setting(container)}, no USER in the Dockerfile, and {image.display} runs as {user.name}",
                (Related(base.span, f"the image is built FROM {image.display}"),))
    return f"no {user_setting(container)}, and {image.display} runs as {user.name}", ()
