"""DSL701 sensitive-host-mount."""

from typing import Iterator, Optional

from dockerstore_lint.facts.storage import judged_mounts
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.container import BIND, NPIPE, Container, Mount
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import ABSOLUTE, DRIVE, HOME, PIPE, HostPath
from dockerstore_lint.rule import Rule

# sockets of container engines, wherever they are (rootless and Docker Desktop put them elsewhere)
ENGINE_SOCKETS = frozenset({"docker.sock", "podman.sock", "containerd.sock"})
# host directories that are sensitive as a whole; their subdirectories belong to applications
# (/etc/pihole, /var/run/postgresql, /var/lib/docker/containers) and are not flagged
SYSTEM_DIRECTORIES = {
    "/etc": "the host's configuration, password hashes and keys included",
    "/proc": "the host's process table, other processes' environments and kernel settings included",
    "/sys": "the host's kernel and device settings",
    "/boot": "the host's kernel and boot loader",
    "/root": "the home directory of the host's root user, its keys and credentials included",
    "/dev": "every device of the host, its disks included",
    "/run": "the host's runtime sockets and state, the Docker socket included",
    "/var/run": "the host's runtime sockets and state, the Docker socket included",
    "/var/lib/docker": "the files of every container, image and volume on the host",
}
# secrets inside system directories, flagged with everything below them
SYSTEM_SECRETS = {
    "/etc/shadow": "the host's password hashes",
    "/etc/gshadow": "the host's group password hashes",
    "/etc/ssh": "the host's SSH keys and server configuration",
    "/etc/sudoers": "the host's sudo rules",
    "/etc/sudoers.d": "the host's sudo rules",
}
# credentials in a home directory (`~/.ssh`, `/home/me/.ssh`, `/root/.ssh`)
HOME_SECRETS = {
    ".ssh": "SSH private keys",
    ".aws": "AWS credentials",
    ".docker": "registry credentials and the Docker client's configuration",
    ".kube": "Kubernetes cluster credentials",
    ".gnupg": "GPG private keys",
}
# home directories, by the host's kind of path; `*` is any user name (a drive's parts are lower-cased)
HOME_DIRECTORIES = {ABSOLUTE: ("/root", "/home/*", "/Users/*"), DRIVE: ("c:/users/*",)}
DOCKER_PIPE_PREFIX = "docker"
ADVICE = "mount only the files the container needs, read-only, or pass credentials as secrets"


class SensitiveHostMount(Rule):
    """A bind mount gives the container the Docker socket, the host's root or system directories, or credentials.

    ## What it does
    Flags a bind mount (read-only ones too) of:
    - the Docker API: `/var/run/docker.sock` (or any `docker.sock`, `podman.sock`,
      `containerd.sock`), and the Windows named pipe `\\\\.\\pipe\\docker_engine`;
    - the host's root `/` (or `C:\\`), and the system directories `/etc`, `/proc`, `/sys`,
      `/boot`, `/root`, `/dev`, `/run`, `/var/run` and `/var/lib/docker` themselves;
    - known secrets inside them: `/etc/shadow`, `/etc/gshadow`, `/etc/ssh`, `/etc/sudoers`, and
      `.ssh`, `.aws`, `.docker`, `.kube`, `.gnupg` in a home directory (`~/.ssh`, `/root/.ssh`).

    An application's own directory under a system directory (`/etc/pihole`, `/var/run/postgresql`,
    `/var/lib/docker/containers` for a log shipper) is not flagged, nor are single harmless
    files such as `/etc/localtime`. Home paths are judged as written (`~/.ssh`), not as expanded
    on the machine that runs the linter.

    ## Why it matters
    Whoever can talk to the Docker API controls the host: one `docker run -v /:/host --privileged`
    away from root on it. A read-only mount of the socket does not change that, since reading and
    writing the socket is how the API is used. The system directories and credential folders give
    a compromised container the host's password hashes, SSH and cloud keys, or every other
    container's files, and a writable one lets it change the host for good.

    ## Example
    ```yaml
    services:
      dashboard:
        image: example/dashboard:3
        volumes:
          - /var/run/docker.sock:/var/run/docker.sock:ro
          - ~/.aws:/root/.aws
    ```

    ## Fix
    Give the service only what it needs: a socket proxy that allows the few API calls it makes,
    and credentials through secrets:
    ```yaml
    services:
      docker-proxy:
        image: tecnativa/docker-socket-proxy:0.3
        environment:
          CONTAINERS: 1
        volumes:
          # the proxy is the one service that needs the socket, and it filters the API
          - /var/run/docker.sock:/var/run/docker.sock:ro  # dockerstore-lint: ignore=DSL701
      dashboard:
        image: example/dashboard:3
        environment:
          DOCKER_HOST: tcp://docker-proxy:2375
        secrets:
          - aws-credentials
    secrets:
      aws-credentials:
        file: ./secrets/aws-credentials
    ```
    """

    code = "DSL701"
    level = "error"
    targets = ("container",)

    def container(self, container: Container, group: Group) -> Iterator[Finding]:
        for mount in judged_mounts(container, BIND, NPIPE):
            reason = _sensitive(mount, mount.host) if mount.source and mount.host is not None else None
            if reason is not None:
                yield self.finding(mount.span, f"{container.label} mounts {mount.source} from the host: {reason[0]}",
                                   reason[1])


def _sensitive(mount: Mount, host: HostPath) -> Optional[tuple[str, str]]:
    """What makes the mount's host path sensitive, and what to do instead; None when it is not."""
    if mount.kind == NPIPE or host.base == PIPE:
        name = host.parts[-1] if host.parts else host.written.replace("/", "\\").rsplit("\\", 1)[-1].lower()
        return _engine_api(mount) if name.startswith(DOCKER_PIPE_PREFIX) else None
    if host.base == HOME:
        # `~/.ssh` or `~user/.ssh`, judged as written: expanded, it depends on who runs the containers
        named_user = not host.written.replace("\\", "/").startswith("~/") and host.written != "~"
        return _home_secret(host.parts[1:] if named_user else host.parts)
    if host.base not in (ABSOLUTE, DRIVE):
        return None
    parts = host.parts
    if parts and parts[-1] in ENGINE_SOCKETS:
        return _engine_api(mount)
    if len(parts) == (1 if host.base == DRIVE else 0):
        whole = "drive" if host.base == DRIVE else "filesystem"
        return f"the container sees the host's whole {whole}, its secrets included", ADVICE
    if host.base == ABSOLUTE:
        for directory, what in SYSTEM_DIRECTORIES.items():
            if parts == _parts(directory):
                return f"the container sees {what}", ADVICE
        for secret, what in SYSTEM_SECRETS.items():
            if parts[:len(_parts(secret))] == _parts(secret):
                return f"the container can read {what}", ADVICE
    home = _home_of(parts, host.base)
    return _home_secret(parts[home:]) if home is not None else None


def _engine_api(mount: Mount) -> tuple[str, str]:
    read_only = " (read-only does not help: using the API is writing to the socket)" if mount.read_only else ""
    return (f"it can drive the container engine's API{read_only}, which is full control of the host",
            "drop the mount or put a socket proxy that allows only the calls the container needs in between")


def _parts(pattern: str) -> tuple[str, ...]:
    return tuple(part for part in pattern.split("/") if part)


def _home_of(parts: tuple[str, ...], base: str) -> Optional[int]:
    """How many of `parts` make the home directory they lie in (`/root`, `/home/<user>`...), if any."""
    for pattern in HOME_DIRECTORIES[base]:
        home = _parts(pattern)
        # (only the first len(home) parts are compared: the rest lies inside the home)
        if len(parts) > len(home) and all(h in ("*", p) for h, p in zip(home, parts, strict=False)):
            return len(home)
    return None


def _home_secret(inside: tuple[str, ...]) -> Optional[tuple[str, str]]:
    """The credentials a path below a home directory holds, when its first part is a known folder."""
    if inside and inside[0].lower() in HOME_SECRETS:
        return f"the container can read {HOME_SECRETS[inside[0].lower()]}", ADVICE
    return None
