"""Which options the commands read by `docker_cli` have, and which of them take a value.

Names and arity only, transcribed from the tools' own flag definitions (spf13/pflag `*Var`/`*VarP`
calls; a `Bool*` flag is a switch that takes a value only as `--name=value`):
- docker/cli@28f756087eea5fa301f3fbf12b01ae62f91521c2: cli/command/container/opts.go (addFlags),
  run.go, create.go; cli/flags/options.go and cmd/docker/docker.go (global options);
  cli/command/volume/create.go; cli/command/image/build.go (the legacy builder);
- docker/buildx@461836ba0fcb3e847dab6045a726889faa150bdb: commands/build.go, commands/root.go
  (`docker build` runs buildx when BuildKit is on, so its options are the union of both);
- docker/compose@f72979427042620a94dd52ce78b39c68cb02c085: cmd/compose/compose.go; and for
  `docker-compose` 1.x, docker/compose@5becea4ca9f68875334c92f191a13482bcd6e5cf (1.29.2)
  compose/cli/main.py;
- containers/podman@c6580b4a5219c9efb9ab79a540637d8a58b736f8: cmd/podman/common/create.go (create
  mode), netflags.go, cmd/podman/containers/run.go, create.go, cmd/podman/root.go (persistent
  options are accepted after the subcommand too), cmd/podman/utils/alias.go, cmd/podman/volumes/create.go.

Entries are space-separated: `long`, `x/long` (with shorthand `x`), `alias=long`.
"""

from typing import Mapping, NamedTuple


class Option(NamedTuple):
    name: str  # the long name (what an alias or shorthand stands for)
    takes_value: bool


class FlagTable(NamedTuple):
    long: Mapping[str, Option]
    short: Mapping[str, Option]


def flag_table(values: str, switches: str, *included: FlagTable) -> FlagTable:
    long: dict[str, Option] = {}
    short: dict[str, Option] = {}
    for table in included:
        long.update(table.long)
        short.update(table.short)
    for entries, takes_value in ((values, True), (switches, False)):
        for entry in entries.split():
            alias, _, name = entry.rpartition("=")
            shorthand, _, name = name.rpartition("/")
            option = Option(name, takes_value)
            long[name] = option
            if alias:
                long[alias] = option
            if shorthand:
                short[shorthand] = option
    return FlagTable(long, short)


DOCKER_GLOBAL = flag_table("config c/context H/host l/log-level tlscacert tlscert tlskey",
                           "D/debug tls tlsverify v/version h/help")

_DOCKER_CONTAINER = flag_table(
    "a/attach device-cgroup-rule device gpus e/env env-file entrypoint group-add h/hostname domainname l/label "
    "label-file restart stop-signal stop-timeout sysctl ulimit u/user w/workdir cap-add cap-drop security-opt userns "
    "cgroupns add-host dns dns-opt=dns-option dns-search expose ip ip6 link link-local-ip mac-address p/publish "
    "net=network net-alias=network-alias log-driver volume-driver log-opt storage-opt tmpfs volumes-from "
    "v/volume mount health-cmd health-interval health-retries health-timeout health-start-period "
    "health-start-interval blkio-weight blkio-weight-device cidfile cpuset-cpus cpuset-mems cpu-count cpu-percent "
    "cpu-period cpu-quota cpu-rt-period cpu-rt-runtime c/cpu-shares cpus device-read-bps device-read-iops "
    "device-write-bps device-write-iops io-maxbandwidth io-maxiops m/memory memory-reservation memory-swap "
    "memory-swappiness oom-score-adj pids-limit cgroup-parent ipc isolation pid shm-size uts runtime annotation "
    "kernel-memory name pull platform",
    "i/interactive read-only t/tty rm privileged P/publish-all no-healthcheck oom-kill-disable init help "
    "disable-content-trust q/quiet use-api-socket")
DOCKER_CREATE = _DOCKER_CONTAINER
DOCKER_RUN = flag_table("detach-keys", "d/detach sig-proxy", _DOCKER_CONTAINER)

DOCKER_VOLUME_CREATE = flag_table(
    "d/driver name o/opt label group scope sharing availability type secret limit-bytes required-bytes "
    "topology-required topology-preferred", "help")

BUILDX_GLOBAL = flag_table("builder", "D/debug h/help")
DOCKER_BUILD = flag_table(
    "t/tag build-arg ulimit f/file m/memory memory-swap shm-size c/cpu-shares cpu-period cpu-quota cpuset-cpus "
    "cpuset-mems cgroup-parent isolation label cache-from security-opt network add-host target iidfile platform "
    "allow annotation cache-to build-context no-cache-filter o/output policy secret ssh resource attest sbom "
    "provenance call print progress metadata-file",
    # `--check` has an optional value (NoOptDefVal): like a switch, it takes one only after `=`
    "no-cache rm force-rm q/quiet pull compress squash disable-content-trust load push check help",
    BUILDX_GLOBAL)

COMPOSE_GLOBAL = flag_table(
    "profile p/project-name f/file insecure-registry env-file project-directory workdir=project-directory "
    "progress ansi parallel",
    "compatibility all-resources v/version dry-run no-ansi verbose h/help")
# `docker-compose` may be 1.x, whose options were these besides
COMPOSE_V1_GLOBAL = flag_table("c/context H/host log-level tlscacert tlscert tlskey",
                               "tls tlsverify skip-hostname-check", COMPOSE_GLOBAL)

_PODMAN_PERSISTENT = flag_table(
    "cgroup-manager cpu-profile memory-profile conmon network-config-dir default-mounts-file events-backend "
    "hooks-dir cdi-spec-dir max-workers namespace network-backend root registries-conf runroot imagestore "
    "pull-option runtime storage-driver tmpdir volumepath storage-opt log-level runtime-flag",
    "transient-store trace help syslog")
PODMAN_GLOBAL = flag_table(
    "ssh c/connection url H/host config context identity tls-cert tls-key tls-ca tls-details out module",
    "noout r/remote D/debug v/version h/help", _PODMAN_PERSISTENT)
_PODMAN_CONTAINER = flag_table(
    "annotation a/attach authfile cap-add cap-drop cgroupns cgroups cidfile device-cgroup-rule env-merge env-file "
    "expose group-add hostuser image-volume init-path ipc kernel-memory log-driver log-opt oom-score-adj arch "
    "override-arch=arch os override-os=os variant override-variant=variant platform pod-id-file pull rdt-class "
    "requires retry retry-delay sdnotify secret stop-signal stop-timeout systemd personality timeout tmpfs tz umask "
    "u/user mount w/workdir seccomp-policy cgroup-conf pidfile chrootdirs passwd-entry group-entry decryption-key "
    "signature-policy cert-dir creds e/env unsetenv ulimit health-cmd healthcheck-command=health-cmd "
    "health-interval healthcheck-interval=health-interval health-log-destination health-max-log-count "
    "health-max-log-size health-retries healthcheck-retries=health-retries health-start-period "
    "healthcheck-start-period=health-start-period health-timeout healthcheck-timeout=health-timeout "
    "health-on-failure health-startup-cmd health-startup-interval health-startup-retries health-startup-success "
    "health-startup-timeout restart shm-size shm-size-systemd sysctl security-opt subgidname subuidname gidmap gpus "
    "uidmap userns uts cgroup-parent conmon-pidfile entrypoint h/hostname l/label label-file pid v/volume device "
    "volumes-from name pod cpu-period cpu-quota cpu-rt-period cpu-rt-runtime memory-reservation memory-swappiness "
    "device-read-iops device-write-iops pids-limit cpus cpuset-cpus m/memory c/cpu-shares cpuset-mems memory-swap "
    "device-read-bps device-write-bps blkio-weight blkio-weight-device add-host hosts-file dns dns-opt=dns-option "
    "dns-search ip ip6 mac-address net=network network-alias p/publish",
    # `--tls-verify` is an optional boolean: a switch
    "disable-content-trust unsetenv-all env-host http-proxy init i/interactive oom-kill-disable privileged "
    "P/publish-all q/quiet read-only read-only-tmpfs rm rootfs replace no-healthcheck help no-hostname no-hosts "
    "tls-verify", _PODMAN_PERSISTENT)
PODMAN_CREATE = flag_table("init-ctr", "", _PODMAN_CONTAINER)
PODMAN_RUN = flag_table("preserve-fds preserve-fd detach-keys", "sig-proxy rmi d/detach passwd", _PODMAN_CONTAINER)
PODMAN_VOLUME_CREATE = flag_table("d/driver l/label o/opt uid gid", "ignore help", _PODMAN_PERSISTENT)
