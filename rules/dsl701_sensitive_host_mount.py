"""DSL701 sensitive-host-mount."""

from typing import Optional

from dockerstore_lint.model.container_paths import ContainerPath, container_path
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
# home directories, by the host's kind of path; `*` is any user name
HOME_DIRECTORIES = {"linux": ("/root", "/home/*", "/Users/*"), "windows": ("C:\\Users\\*",)}
DOCKER_PIPE_PREFIX = "docker"
ADVICE = "mount only the files the service needs, read-only, or pass credentials as secrets"


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
    name = "sensitive-host-mount"
    level = "error"

    def service(self, service, project):
        for mount in service.mounts:
            if mount.origin != "volumes" or mount.type not in ("bind", "npipe") or not mount.resolved \
                    or mount.invalid or not mount.source:
                continue
            written = mount.source_written or mount.source
            reason = _sensitive(mount, written)
            if reason is None:
                continue
            what, advice = reason
            yield self.finding(
                mount.span,
                f"service '{service.name}' mounts {written} from the host: {what}; {advice}",
            )


def _sensitive(mount, written: str) -> Optional[tuple[str, str]]:
    """What makes the mount's host path sensitive, and what to do instead; None when it is not."""
    kind = mount.host.kind if mount.host is not None else "npipe"
    if kind == "npipe":
        pipe = container_path(mount.source, "windows")
        return _engine_api(mount) if pipe.name.lower().startswith(DOCKER_PIPE_PREFIX) else None
    if kind == "home":
        # `~/.ssh` or `~user/.ssh`, judged as written: expanded, it depends on who runs the linter
        return _home_secret(container_path(written.replace("\\", "/").partition("/")[2]).parts)
    if kind not in ("absolute", "windows"):
        return None
    path = container_path(mount.source, "windows" if kind == "windows" else "linux")
    if path.name in ENGINE_SOCKETS:
        return _engine_api(mount)
    if path.is_root:
        whole = "drive" if path.os == "windows" else "filesystem"
        return f"the container sees the host's whole {whole}, its secrets included", ADVICE
    for directory, what in SYSTEM_DIRECTORIES.items():
        if path.same(container_path(directory)):
            return f"the container sees {what}", ADVICE
    for secret, what in SYSTEM_SECRETS.items():
        if path.is_within(container_path(secret)):
            return f"the container can read {what}", ADVICE
    home = _home_of(path)
    return _home_secret(path.parts[len(home.parts):]) if home is not None else None


def _engine_api(mount) -> tuple[str, str]:
    read_only = " (read-only does not help: using the API is writing to the socket)" if mount.read_only else ""
    return (f"it can drive the container engine's API{read_only}, which is full control of the host",
            "drop the mount or put a socket proxy that allows only the calls the service needs in between")


def _home_of(path: ContainerPath) -> Optional[ContainerPath]:
    """The home directory `path` lies in (`/root`, `/home/<user>`...), if any."""
    for pattern in HOME_DIRECTORIES[path.os]:
        home = container_path(pattern.rstrip("*"), path.os)
        if pattern.endswith("*"):
            if not path.strictly_within(home):
                continue
            home = home.join(path.parts[len(home.parts)])
        if path.strictly_within(home):
            return home
    return None


def _home_secret(inside: tuple[str, ...]) -> Optional[tuple[str, str]]:
    """The credentials a path below a home directory holds, when its first part is a known folder."""
    if inside and inside[0].lower() in HOME_SECRETS:
        return f"the container can read {HOME_SECRETS[inside[0].lower()]}", ADVICE
    return None
