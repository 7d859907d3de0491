"""The knowledge base of well-known images: the data's shape, and how a reference finds its facts."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from typing import Any, Iterator, Mapping

import pytest

from dockerstore_lint.knowledge import (
    ANY_RELEASE,
    KINDS,
    NEWEST,
    entries,
    image_facts,
    in_range,
    tag_version,
)
from dockerstore_lint.model.container_paths import container_path, looks_windows
from dockerstore_lint.model.images import parse_image

ENTRY_KEYS = {
    "id", "names", "versions", "variant", "unless_tag", "os", "stateful", "sources", "note", "user",
    "drops_root", "workdir", "volumes", "data_dirs", "content", "replaceable", "seeds_volume", "rejects_mounts",
    "runs_service", "worker_user", "supervisor",
}
FACT_KEYS = {
    "volumes": {"path", "state", "what", "when_command_has", "unless_command_has", "versions", "src"},
    "data_dirs": {"path", "kind", "env", "flag", "when_command_has", "unless_command_has", "network_fs_unsafe",
                  "takes_ownership", "versions", "src"},
    "content": {"path", "what", "file", "versions", "src"},
    "replaceable": {"path", "what", "versions", "src"},
    "rejects_mounts": {"path", "unless_env", "why", "moving", "versions", "src"},
}
DROP_KEYS = {"value", "to", "uid", "gid", "uid_env", "gid_env", "given_command", "src"}
RUNS_SERVICE_KEYS = {"value", "command", "given_command", "src"}
GIVEN_COMMAND_KEYS = {"first_word", "src"}
USER_KEYS = {"name", "uid", "gid", "src"}
# fields whose value is itself a citation of the fact they state
CITING_FIELDS = ("src", "network_fs_unsafe", "takes_ownership")
SOURCE_REF = re.compile(r"^(https://\S+|[\w.-]+/[\w.-]+:[^@\s]+@[0-9a-f]{7,40})$")
SOURCE_CITE = re.compile(r"^(?P<key>[\w-]+)(:L\d+(-\d+)?)?$")
ALL = entries()


def _ids(entry: Mapping[str, Any]) -> str:
    return entry["id"]


def _citations(node: Any) -> Iterator[str]:
    """Every `src` (and the fields that name their own source) anywhere in an entry."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CITING_FIELDS:
                yield value
            else:
                yield from _citations(value)
    elif isinstance(node, list):
        for item in node:
            yield from _citations(item)


def _paths(entry: Mapping[str, Any]) -> Iterator[str]:
    for field in FACT_KEYS:
        for fact in entry.get(field, ()):
            yield fact["path"]
    if "workdir" in entry:
        yield entry["workdir"]["path"]
    if "seeds_volume" in entry:
        yield entry["seeds_volume"]["path"]
        yield entry["seeds_volume"]["from"]


def _ref(raw: str):
    return parse_image(raw)


# --- the data ----------------------------------------------------------------------------------


def test_entry_ids_are_unique():
    ids = [entry["id"] for entry in ALL]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_entry_shape(entry):
    assert set(entry) <= ENTRY_KEYS
    assert entry["os"] in ("linux", "windows")
    assert entry["names"]
    for field, allowed in FACT_KEYS.items():
        for fact in entry.get(field, ()):
            assert set(fact) <= allowed, (field, fact)
    drop = entry.get("drops_root")
    if drop is not None:
        assert set(drop) <= DROP_KEYS
        # only a drop that happens switches to someone
        assert drop["value"] or not set(drop) & {"to", "uid", "gid", "uid_env", "gid_env"}
    command = entry.get("runs_service")
    if command is not None:
        assert set(command) <= RUNS_SERVICE_KEYS and isinstance(command["value"], bool)
        assert isinstance(command.get("command", ""), str)
    for given in (fact["given_command"] for fact in (drop, command) if fact is not None and "given_command" in fact):
        assert set(given) == GIVEN_COMMAND_KEYS
        # a word, or a word with `*` at one end: what `CommandStart.matches` reads
        assert given["first_word"] and all(word.strip("*") and "*" not in word.strip("*") and word != "*"
                                           for word in given["first_word"])
    for field in ("user", "worker_user"):
        assert set(entry.get(field, {})) <= USER_KEYS, field
    assert set(entry.get("supervisor", {})) <= {"name", "src"}


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_names_are_what_parse_image_produces(entry):
    for name in entry["names"]:
        assert parse_image(name).name == name


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_every_fact_cites_a_source_of_its_entry(entry):
    assert entry["sources"], "an entry without a source"
    for ref in entry["sources"].values():
        assert SOURCE_REF.match(ref), ref
    citations = list(_citations({k: v for k, v in entry.items() if k != "sources"}))
    assert citations
    for cite in citations:
        match = SOURCE_CITE.match(cite)
        assert match and match["key"] in entry["sources"], cite
    scalars = [field for field in ("user", "drops_root", "workdir", "seeds_volume", "runs_service", "worker_user",
                                   "supervisor") if field in entry]
    for field in scalars:
        assert "src" in entry[field], field


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_paths_are_absolute_for_the_entry_os(entry):
    for raw in _paths(entry):
        path = container_path(raw, entry["os"])
        assert path.absolute and path.resolved, raw
        if entry["os"] == "windows":
            assert re.match(r"^[A-Z]:\\", raw), raw
        else:
            assert raw.startswith("/") and not looks_windows(raw), raw


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_kinds_are_known_and_state_is_consistent(entry):
    kinds = {d["kind"] for d in entry.get("data_dirs", ())}
    assert kinds <= KINDS
    if entry.get("stateful") is True:
        assert entry.get("data_dirs"), "a stateful image must say where its state is"
    if entry.get("stateful") is False:
        assert not entry.get("data_dirs") and not [v for v in entry.get("volumes", ()) if v["state"]]


@pytest.mark.parametrize("entry", ALL, ids=_ids)
def test_version_bounds_parse(entry):
    for bounds in [entry.get("versions", {})] + [
        fact.get("versions", {}) for field in FACT_KEYS for fact in entry.get(field, ())
    ]:
        assert set(bounds) <= {"min", "max"}
        for bound in bounds.values():
            assert tag_version(bound) is not None, bound
        if set(bounds) == {"min", "max"}:
            # compared at the bound's precision: min 0.11.33 lies within max 0.11
            assert in_range(tag_version(bounds["min"]), {"max": bounds["max"]})


def _overlap(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    def below(high, low):  # every version up to `high` comes before `low`
        return high is not None and low is not None and tag_version(high) < tag_version(low)
    return not (below(a.get("max"), b.get("min")) or below(b.get("max"), a.get("min")))


def test_no_name_has_overlapping_entries_for_the_same_variant():
    clashes = []
    for first, second in itertools.combinations(ALL, 2):
        shared = set(first["names"]) & set(second["names"])
        same_variant = set(first.get("variant", ())) == set(second.get("variant", ()))
        if shared and same_variant and _overlap(first.get("versions", {}), second.get("versions", {})):
            clashes.append((first["id"], second["id"], sorted(shared)))
    assert clashes == []


def test_loading_needs_no_yaml():
    code = ("import sys; from dockerstore_lint.model.images import parse_image; "
            "from dockerstore_lint.knowledge import image_facts; "
            "assert image_facts(parse_image('postgres:16')) is not None; "
            "assert 'yaml' not in sys.modules, 'yaml imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- versions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tag, version", [
    ("16", (16,)), ("16.4-alpine", (16, 4)), ("17-bookworm", (17,)), ("v2.45.0", (2, 45, 0)),
    ("2019-latest", (2019,)), ("alpine3.20", None), ("latest", None), ("lts", None), (None, None),
])
def test_tag_version(tag, version):
    assert tag_version(tag) == version


@pytest.mark.parametrize("version, bounds, inside", [
    ((17, 4), {"max": "17"}, True),
    ((18,), {"max": "17"}, False),
    ((17,), {"max": "17.1"}, False),  # a floating 17 follows 17.x past 17.1
    ((17,), {"min": "17.2"}, True),
    ((17, 1), {"min": "17.2"}, False),
    ((2, 7), {"min": "2", "max": "2"}, True),
    ((3,), {"min": "2", "max": "2"}, False),
    (NEWEST, {"min": "18"}, True),
    (NEWEST, {"max": "17"}, False),
    (ANY_RELEASE, {"min": "1"}, False),
    (ANY_RELEASE, None, True),
])
def test_in_range(version, bounds, inside):
    assert in_range(version, bounds) is inside


# --- picking an entry --------------------------------------------------------------------------


@pytest.mark.parametrize("reference, key", [
    ("postgres:16", "postgres-upto-17"),
    ("postgres:16.4-alpine", "postgres-upto-17"),
    ("postgres:17-alpine", "postgres-upto-17"),
    ("postgres:9", "postgres-upto-17"),
    ("postgres:18", "postgres-18"),
    ("postgres:18.1-trixie", "postgres-18"),
    ("postgres:latest", "postgres-18"),
    ("postgres", "postgres-18"),
    ("postgres:alpine3.20", "postgres-18"),
    ("postgres:16@sha256:" + "a" * 64, "postgres-upto-17"),
    ("postgres@sha256:" + "a" * 64, None),  # could be any release, and the facts differ by release
    ("nginx@sha256:" + "a" * 64, "nginx"),  # the same for every release
    ("docker.io/library/postgres:16", "postgres-upto-17"),
    ("influxdb:1.8", "influxdb-1"),
    ("influxdb:2.7-alpine", "influxdb-2"),
    ("influxdb", None),  # latest is InfluxDB 3, which is not covered
    ("registry:2", "registry-2"),
    ("registry", None),
    ("mysql:8.0-debian", "mysql-debian"),
    ("mysql:5.7", "mysql"),
    ("gitea/gitea:1.21-rootless", "gitea-rootless"),
    ("gitea/gitea:latest", "gitea"),
    ("php:8.3", "php-cli"),
    ("php:8.3-apache", "php-apache"),
    ("php:8.3-fpm-alpine", "php-fpm"),
    ("wordpress:php8.3-fpm", "wordpress"),
    ("wordpress:cli", None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", "dotnet-linux"),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", "dotnet-chiseled"),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0-distroless", None),
    ("mcr.microsoft.com/mssql/server:2022-latest", "mssql-server"),
    ("mcr.microsoft.com/mssql/server:2017-latest", None),
    ("traefik:v3.1", "traefik"),
    ("someone/postgres:16", None),
    ("${REGISTRY}/postgres:16", None),
    ("postgres:${PG_TAG}", None),
])
def test_reference_picks_entry(reference, key):
    facts = image_facts(_ref(reference))
    assert (facts.key if facts else None) == key


@pytest.mark.parametrize("alias, canonical", [
    ("gitlab/gitlab-ee:16.11.2-ee.0", "gitlab/gitlab-ce:16.11.2-ce.0"),
    ("grafana/grafana-oss:12.0.0", "grafana/grafana:12.0.0"),
    ("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "elasticsearch:8.15.0"),
    ("quay.io/prometheus/prometheus:v2.53.0", "prom/prometheus:v2.53.0"),
])
def test_aliases_share_their_facts(alias, canonical):
    alias_facts, canonical_facts = image_facts(_ref(alias)), image_facts(_ref(canonical))
    assert alias_facts is not None and canonical_facts is not None
    assert alias_facts.key == canonical_facts.key
    assert alias_facts.data_dirs == canonical_facts.data_dirs
    assert alias_facts.image != canonical_facts.image


def test_lookups_are_cached():
    assert image_facts(_ref("postgres:16")) is image_facts(_ref("postgres:16"))


# --- the facts ---------------------------------------------------------------------------------


def test_postgres_volume_moves_in_18():
    old, new = image_facts(_ref("postgres:17")), image_facts(_ref("postgres:18"))
    assert [str(v.path) for v in old.volumes] == ["/var/lib/postgresql/data"]
    assert [str(v.path) for v in new.volumes] == ["/var/lib/postgresql"]
    assert [str(d.path) for d in new.data_dirs_for()] == ["/var/lib/postgresql/18/docker"]
    assert new.drops_root is True and new.privilege_drop.to.name == "postgres"
    assert new.user.privileged


@pytest.mark.parametrize("environment, expected", [
    ({}, "/var/lib/postgresql/data"),
    ({"PGDATA": "/var/lib/postgresql/data/pgdata"}, "/var/lib/postgresql/data/pgdata"),
    ({"PGDATA": "/data"}, "/data"),
    ({"PGDATA": ""}, "/var/lib/postgresql/data"),  # empty means unset to the entrypoint
    ({"OTHER": "/x"}, "/var/lib/postgresql/data"),
])
def test_pgdata_moves_the_data_dir(environment, expected):
    facts = image_facts(_ref("postgres:16"))
    (data_dir,) = facts.data_dirs_for(environment)
    assert data_dir.path.same(container_path(expected))
    assert data_dir.kind == "database" and data_dir.env == "PGDATA"


def test_unset_pgdata_keeps_the_image_default_untouched():
    facts = image_facts(_ref("postgres:16"))
    assert facts.data_dirs_for({"PGDATA": "/elsewhere"})[0].path != facts.data_dirs[0].path
    assert str(facts.data_dirs[0].path) == "/var/lib/postgresql/data"


@pytest.mark.parametrize("environment, rejected", [({}, 1), ({"PGDATA": "/var/lib/postgresql/data"}, 0)])
def test_postgres_18_rejects_the_old_data_mount(environment, rejected):
    facts = image_facts(_ref("postgres:18"))
    target = container_path("/var/lib/postgresql/data")
    assert len(facts.rejected_mounts_at(target, environment)) == rejected
    assert facts.rejected_mounts_at(container_path("/var/lib/postgresql"), {}) == ()
    assert image_facts(_ref("postgres:17")).rejected_mounts_at(target, {}) == ()


@pytest.mark.parametrize("command, expected", [
    ((), ["/data/db"]),
    (("mongod", "--configsvr", "--replSet", "cfg"), ["/data/configdb"]),
    (("mongod", "--dbpath", "/srv/mongo"), ["/srv/mongo"]),
    (("mongod", "--dbpath=/srv/mongo"), ["/srv/mongo"]),
])
def test_mongo_data_dir_follows_the_command(command, expected):
    facts = image_facts(_ref("mongo:7"))
    assert [str(d.path) for d in facts.data_dirs_for({}, command)] == expected


def test_mongo_configdb_holds_state_only_for_config_servers():
    facts = image_facts(_ref("mongo"))
    assert [str(v.path) for v in facts.state_volumes()] == ["/data/db"]
    assert [str(v.path) for v in facts.state_volumes(("mongod", "--configsvr"))] == ["/data/configdb"]


def test_relative_flag_value_is_relative_to_the_workdir():
    facts = image_facts(_ref("prom/prometheus:v2.53.0"))
    (data_dir,) = facts.data_dirs_for({}, ("--storage.tsdb.path=data/",))
    assert str(data_dir.path) == "/prometheus/data"
    assert data_dir.network_fs_unsafe is not None and data_dir.network_fs_unsafe.from_docs


def test_minio_data_dir_only_when_the_command_names_it():
    facts = image_facts(_ref("minio/minio"))
    assert [str(d.path) for d in facts.data_dirs_for({}, ("server", "/data"))] == ["/data"]
    assert facts.data_dirs_for({}, ("server", "/mnt/disk1")) == ()


def test_nginx_content_and_mount_points():
    facts = image_facts(_ref("nginx:1.27-alpine"))
    assert facts.stateful is False and facts.volumes == ()
    hidden = facts.content_hidden_by(container_path("/etc/nginx"))
    assert [str(c.path) for c in hidden] == ["/etc/nginx"] and "configuration" in hidden[0].what
    assert facts.replaceable_at(container_path("/usr/share/nginx/html")) is not None
    assert facts.replaceable_at(container_path("/etc/nginx/conf.d/site.conf")) is not None
    assert facts.replaceable_at(container_path("/etc/nginx")) is None
    assert facts.content_hidden_by(container_path("/srv")) == ()


def test_version_bounded_facts_follow_the_tag():
    def entrypoint_dir(reference):
        facts = image_facts(_ref(reference))
        return [str(c.path) for c in facts.content if c.path.name == "docker-entrypoint.d"]
    assert entrypoint_dir("nginx:1.25") == ["/docker-entrypoint.d"]
    assert entrypoint_dir("nginx:1.17") == []
    assert entrypoint_dir("nginx") == ["/docker-entrypoint.d"]
    assert entrypoint_dir("nginx@sha256:" + "b" * 64) == []


def test_seeding_images():
    wordpress = image_facts(_ref("wordpress:6"))
    assert wordpress.seeds(container_path("/var/www/html"))
    assert str(wordpress.seeding.origin) == "/usr/src/wordpress"
    assert not image_facts(_ref("postgres:16")).seeds(container_path("/var/lib/postgresql/data"))


def test_non_root_images_say_so():
    jenkins = image_facts(_ref("jenkins/jenkins:lts"))
    assert (jenkins.user.name, jenkins.user.uid, jenkins.drops_root) == ("jenkins", 1000, False)
    assert not jenkins.user.privileged
    assert [str(d.path) for d in jenkins.data_dirs_for({"JENKINS_HOME": "/srv/jenkins"})] == ["/srv/jenkins"]
    assert image_facts(_ref("minio/minio")).drops_root is None  # not known, not False


# --- Windows -----------------------------------------------------------------------------------


@pytest.mark.parametrize("reference, user", [
    ("mongo:8.2-windowsservercore-ltsc2022", "ContainerAdministrator"),
    ("mongo:8.2-nanoserver-ltsc2022", "ContainerUser"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "ContainerAdministrator"),
    ("mcr.microsoft.com/windows/nanoserver:1809", "ContainerUser"),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019", "ContainerAdministrator"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", "ContainerAdministrator"),
    ("mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022", "ContainerUser"),
])
def test_windows_images(reference, user):
    facts = image_facts(_ref(reference))
    assert facts.os == "windows" and facts.user.name == user


def test_windows_paths_compare_like_windows():
    facts = image_facts(_ref("mongo:windowsservercore"))
    (data_dir,) = facts.data_dirs_for()
    assert data_dir.path.same(container_path("c:/DATA/db", "windows"))
    assert data_dir.path.os == "windows"


@pytest.mark.parametrize("reference", ["redis:3.2-windowsservercore", "python:3.12-windowsservercore-ltsc2022"])
def test_windows_tags_of_linux_entries_are_unknown(reference):
    assert image_facts(_ref(reference)) is None


# --- coverage ----------------------------------------------------------------------------------


def test_the_data_covers_at_least_120_image_names():
    names = {name for entry in ALL for name in entry["names"]}
    assert len(names) >= 120


def test_every_source_is_a_reference_of_a_known_form():
    # one place to see that no entry points at a source outside its own `sources`
    for entry in ALL:
        keys = set(entry["sources"])
        for cite in _citations({k: v for k, v in entry.items() if k != "sources"}):
            assert SOURCE_CITE.match(cite)["key"] in keys, (entry["id"], cite)


# --- the new families --------------------------------------------------------------------------


@pytest.mark.parametrize("reference, key, user, uid, data", [
    ("docker.io/valkey/valkey:8.0-alpine", "valkey", "root", None, ["/data"]),
    ("confluentinc/cp-kafka:7.6.1", "cp-kafka", "appuser", None, ["/var/lib/kafka/data"]),
    ("confluentinc/cp-zookeeper:7.4.0", "cp-zookeeper", "appuser", None,
     ["/var/lib/zookeeper/data", "/var/lib/zookeeper/log"]),
    ("wurstmeister/kafka:2.13-2.8.1", "wurstmeister-kafka", "root", None, ["/kafka"]),
    ("zookeeper:3.9", "zookeeper", "root", None, ["/data", "/datalog"]),
    ("bitnami/kafka:3.7", "bitnami-kafka", "1001", 1001, ["/bitnami/kafka/data"]),
    ("bitnami/postgresql:17.2.0-debian-12-r3", "bitnami-postgresql", "1001", 1001, ["/bitnami/postgresql/data"]),
    ("bitnami/etcd:3.5", "bitnami-etcd", "1001", 1001, ["/bitnami/etcd/data"]),
    ("clickhouse/clickhouse-server:24.8", "clickhouse", "root", None, ["/var/lib/clickhouse"]),
    ("clickhouse:25.8", "clickhouse", "root", None, ["/var/lib/clickhouse"]),
    ("yandex/clickhouse-server:21.3", "yandex-clickhouse", "root", None, ["/var/lib/clickhouse"]),
    ("caddy:2.7", "caddy", "root", None, ["/data", "/config"]),
    ("solr:9.6", "solr", "solr", 8983, ["/var/solr/data"]),
    ("neo4j:5.20", "neo4j", "root", None, ["/data"]),
    ("grafana/loki:3.0.0", "loki", "loki", 10001, ["/loki"]),
    ("prom/alertmanager:v0.27.0", "alertmanager", "nobody", None, ["/alertmanager"]),
    ("getmeili/meilisearch:v1.10", "meilisearch", "root", None, ["/meili_data/data.ms"]),
    ("qdrant/qdrant:v1.12.0", "qdrant", "root", 0, ["/qdrant/storage", "/qdrant/snapshots"]),
    ("opensearchproject/opensearch:2.15.0", "opensearch", "opensearch", 1000, ["/usr/share/opensearch/data"]),
    ("victoriametrics/victoria-metrics:v1.102.0", "victoria-metrics", "root", None, ["/victoria-metrics-data"]),
    ("mattermost/mattermost-enterprise-edition:9.11", "mattermost", "mattermost", 2000, ["/mattermost/data"]),
    ("lscr.io/linuxserver/sonarr:latest", "linuxserver-sonarr", "root", None, ["/config"]),
    ("ghcr.io/docker-mailserver/docker-mailserver:latest", "docker-mailserver", "root", None,
     ["/var/mail", "/var/mail-state", "/tmp/docker-mailserver"]),
    ("docker.io/mailserver/docker-mailserver:14", "docker-mailserver", "root", None,
     ["/var/mail", "/var/mail-state", "/tmp/docker-mailserver"]),
    ("outlinewiki/outline:0.80.2", "outline", "nodejs", 1001, ["/var/lib/outline/data"]),
    ("docker.n8n.io/n8nio/n8n:1.50", "n8n", "node", None, ["/home/node/.n8n"]),
    ("ghcr.io/umami-software/umami:postgresql-latest", "umami", "nextjs", 1001, []),
    ("memcached:1.6-alpine", "memcached", "memcache", 11211, []),
])
def test_new_family_lookups(reference, key, user, uid, data):
    facts = image_facts(_ref(reference))
    assert facts is not None and facts.key == key
    assert (facts.user.name, facts.user.uid) == (user, uid)
    assert [str(d.path) for d in facts.data_dirs_for()] == data


@pytest.mark.parametrize("reference, volumes", [
    ("valkey/valkey:8", ["/data"]),
    ("zookeeper", ["/data", "/datalog"]),  # /logs is declared but holds no state
    ("confluentinc/cp-kafka:7.6.1", ["/var/lib/kafka/data"]),
    ("apache/kafka:3.8.0", []),  # the default configuration keeps its logs in /tmp
    ("mattermost/mattermost-team-edition:9.11",
     ["/mattermost/data", "/mattermost/config", "/mattermost/plugins", "/mattermost/client/plugins"]),
    ("lscr.io/linuxserver/duplicati", ["/config"]),
    ("haproxy:3.0", []),
])
def test_new_family_state_volumes(reference, volumes):
    facts = image_facts(_ref(reference))
    assert [str(v.path) for v in facts.state_volumes()] == volumes


@pytest.mark.parametrize("reference, key", [
    ("confluentinc/cp-kafka:5.5.0", None),  # ran as root before 6.0
    ("confluentinc/cp-zookeeper:8.0.0", None),  # no longer published
    ("clickhouse/clickhouse-server:24.8-alpine", None),
    ("caddy:2-builder", None),
    ("qdrant/qdrant:v1.12.0-unprivileged", None),
    ("haproxy:2.2", None),  # root before 2.4
    ("solr:8", None),
    ("neo4j:4.4", None),
    ("quay.io/coreos/etcd:v3.5.15", None),
    ("gcr.io/etcd-development/etcd:v3.6.0", "etcd"),
    ("linuxserver/plex", "linuxserver-plex"),
    ("ghcr.io/linuxserver/radarr:5.2.6", "linuxserver-radarr"),
])
def test_new_family_tag_bounds(reference, key):
    facts = image_facts(_ref(reference))
    assert (facts.key if facts else None) == key


def test_bitnami_images_run_as_uid_1001_and_never_switch():
    for name in ("bitnami/kafka", "bitnami/zookeeper", "bitnami/etcd", "bitnami/postgresql", "bitnami/redis",
                 "bitnami/mongodb", "bitnami/mariadb"):
        facts = image_facts(_ref(name))
        assert facts.user.uid == 1001 and not facts.user.privileged and facts.drops_root is False, name
        assert all(str(d.path).startswith("/bitnami/") for d in facts.data_dirs), name
        assert facts.volumes is None, name  # VOLUME lines changed between releases: not known


def test_memcached_keeps_no_state():
    facts = image_facts(_ref("memcached"))
    assert facts.stateful is False and facts.data_dirs == () and facts.state_volumes() == ()


# --- privilege drops and ownership -------------------------------------------------------------


@pytest.mark.parametrize("environment, uid, gid", [
    ({}, 911, 911),
    ({"PUID": "1000", "PGID": "100"}, 1000, 100),
    ({"PUID": ""}, 911, 911),  # empty means unset, as the init script reads it
    ({"PUID": "abc"}, None, 911),  # not a number: not known
])
def test_linuxserver_images_switch_to_puid(environment, uid, gid):
    facts = image_facts(_ref("lscr.io/linuxserver/sonarr"))
    drop = facts.privilege_drop
    assert facts.user.privileged and drop.drops and drop.to.name == "abc"
    assert (drop.uid(environment), drop.gid(environment)) == (uid, gid)
    (config,) = facts.data_dirs_for()
    assert str(config.path) == "/config" and config.takes_ownership is not None


def test_linuxserver_images_that_keep_root_say_nothing_of_a_switch():
    assert image_facts(_ref("lscr.io/linuxserver/wireguard")).drops_root is None


def test_uid_of_a_drop_without_a_variable_is_the_images():
    drop = image_facts(_ref("postgres:16")).privilege_drop
    assert drop.uid({"PUID": "1000"}) == 999 and drop.uid_env is None


def test_clickhouse_switches_to_the_uid_its_variables_name():
    drop = image_facts(_ref("clickhouse/clickhouse-server:24.8")).privilege_drop
    assert drop.uid() == 101 and drop.uid({"CLICKHOUSE_UID": "2000"}) == 2000
    assert drop.gid() == 101 and drop.gid({"CLICKHOUSE_GID": "0"}) == 0


@pytest.mark.parametrize("reference, environment, command, path, owned", [
    ("postgres:16", {}, (), "/var/lib/postgresql/data", True),
    # the entrypoint chowns $PGDATA, so the fact follows the variable
    ("postgres:16", {"PGDATA": "/srv/pg"}, (), "/srv/pg", True),
    ("mongo:7", {}, (), "/data/db", True),
    # the entrypoint chowns /data/db whatever mongod is told: a moved directory is not known to be chowned
    ("mongo:7", {}, ("mongod", "--dbpath", "/srv/mongo"), "/srv/mongo", False),
    ("redis:7", {}, (), "/data", True),
    ("zookeeper:3.9", {"ZOO_DATA_DIR": "/zk"}, (), "/zk", True),
    ("jenkins/jenkins:lts", {}, (), "/var/jenkins_home", False),  # runs as jenkins: cannot chown
])
def test_ownership_follows_what_the_entrypoint_reads(reference, environment, command, path, owned):
    data_dir = image_facts(_ref(reference)).data_dirs_for(environment, command)[0]
    assert str(data_dir.path) == path
    assert (data_dir.takes_ownership is not None) is owned


# --- what the default command starts -----------------------------------------------------------


@pytest.mark.parametrize("reference, service, command", [
    # distributions: a shell
    ("alpine:3.20", False, "/bin/sh"),
    ("busybox", False, "sh"),
    ("debian:bookworm-slim", False, "bash"),
    ("ubuntu:24.04", False, "bash"),
    ("fedora:40", False, "/bin/bash"),
    ("centos:7", False, "/bin/bash"),
    ("rockylinux:9-minimal", False, "/bin/bash"),
    ("almalinux:9", False, "/bin/bash"),
    ("amazonlinux:2023", False, "/bin/bash"),
    ("archlinux:base-devel", False, "/usr/bin/bash"),
    ("buildpack-deps:bookworm-scm", False, None),
    # languages and build tools: a REPL, a tool or the base's shell
    ("node:22-alpine", False, "docker-entrypoint.sh node"),
    ("python:3.12-slim", False, "python3"),
    ("pypy:3.10", False, None),
    ("golang:1.23", False, None),
    ("rust:1.80-slim", False, None),
    ("ruby:3.3", False, "irb"),
    ("perl:5.38", False, None),
    ("php:8.3", False, "docker-php-entrypoint php -a"),
    ("php:8.3-cli", False, "docker-php-entrypoint php -a"),
    ("php:8.3-zts-bookworm", False, "docker-php-entrypoint php -a"),
    ("php:8.3-apache", True, "docker-php-entrypoint apache2-foreground"),
    ("php:8.3-fpm-alpine", True, "docker-php-entrypoint php-fpm"),
    ("openjdk:21", False, None),
    ("eclipse-temurin:21-jre", False, None),
    ("amazoncorretto:21", False, None),
    ("ibmjava:8-jre", False, None),
    ("maven:3.9-eclipse-temurin-21", False, "/usr/local/bin/mvn-entrypoint.sh mvn"),
    ("gradle:8-jdk21", False, "gradle"),
    ("mcr.microsoft.com/dotnet/sdk:8.0", False, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", False, None),
    ("mcr.microsoft.com/dotnet/runtime-deps:8.0", False, None),
    ("mcr.microsoft.com/dotnet/core/aspnet:3.1", False, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", False, None),
    ("mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022", False, None),
    ("mcr.microsoft.com/dotnet/sdk:8.0-windowsservercore-ltsc2022", False, None),
    ("mcr.microsoft.com/dotnet/framework/sdk:4.8.1", False, None),
    ("gcr.io/distroless/static-debian12", False, None),
    ("gcr.io/distroless/java17-debian12:nonroot", False, None),
    ("gcr.io/distroless/python3-debian12:debug", False, None),
    # docker: dind is the daemon, cli a shell; the plain tag changed sides in 22.06
    ("docker:dind", True, "dockerd-entrypoint.sh"),
    ("docker:27-dind-rootless", True, "dockerd-entrypoint.sh"),
    ("docker:cli", False, "docker-entrypoint.sh sh"),
    ("docker:27", True, "dockerd-entrypoint.sh"),
    ("docker", True, "dockerd-entrypoint.sh"),
    ("docker:20.10", False, "docker-entrypoint.sh sh"),
    ("docker:windowsservercore-ltsc2022", False, None),
    # services
    ("nginx:1.27-alpine", True, "/docker-entrypoint.sh nginx -g 'daemon off;'"),
    ("httpd:2.4", True, "httpd-foreground"),
    ("postgres:16", True, "docker-entrypoint.sh postgres"),
    ("postgres:18", True, "docker-entrypoint.sh postgres"),
    ("mysql:8.4", True, "docker-entrypoint.sh mysqld"),
    ("mariadb:11", True, "docker-entrypoint.sh mariadbd"),
    ("redis:7", True, "docker-entrypoint.sh redis-server"),
    ("mongo:7", True, "docker-entrypoint.sh mongod"),
    ("rabbitmq:3-management", True, "docker-entrypoint.sh rabbitmq-server"),
    ("elasticsearch:8.15.0", True, "/bin/tini -- /usr/local/bin/docker-entrypoint.sh eswrapper"),
    ("grafana/grafana:6.4.3", True, None),
    ("grafana/grafana:12.0.0", True, "/run.sh"),
    ("jenkins/jenkins:lts", True, "/usr/bin/tini -- /usr/local/bin/jenkins.sh"),
    ("traefik:v3.1", True, "/entrypoint.sh traefik"),
    ("lscr.io/linuxserver/sonarr", True, None),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022", True, "C:\\ServiceMonitor.exe w3svc"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", True, "C:\\ServiceMonitor.exe w3svc"),
])
def test_default_command(reference, service, command):
    facts = image_facts(_ref(reference))
    assert facts.runs_service is service
    assert facts.default_command.command == command
    assert facts.default_command.source.ref


@pytest.mark.parametrize("reference", [
    "mcr.microsoft.com/windows/servercore:ltsc2022",  # the base images' own command was not found in a source
    "mcr.microsoft.com/windows/nanoserver:ltsc2022",
    "bitnami/postgresql:17",
])
def test_default_command_not_known(reference):
    facts = image_facts(_ref(reference))
    assert facts is not None and facts.runs_service is None and facts.default_command is None


@pytest.mark.parametrize("reference, key", [
    ("docker:dind", "docker-dind"),
    ("docker:27.3.1-dind-alpine3.20", "docker-dind"),
    ("docker:dind-rootless", "docker-dind-rootless"),
    ("docker:cli", "docker-cli"),
    ("docker:27-cli", "docker-cli"),
    ("docker:latest", "docker-from-22"),
    ("docker:22.06-rc", "docker-from-22"),
    ("docker:19.03", "docker-upto-20"),
    ("docker:stable", None),  # the last CLI-only tag without a version: not known which one it is
    ("docker:27-windowsservercore-ltsc2022", "docker-windowsservercore"),
    ("php:8.3-apache-bookworm", "php-apache"),
    ("mcr.microsoft.com/windows/servercore/iis", "windows-iis"),
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "windows-servercore"),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8.1", "dotnet-framework-aspnet"),
    ("mcr.microsoft.com/dotnet/framework/wcf:4.8.1", "dotnet-framework-aspnet"),
    ("mcr.microsoft.com/dotnet/framework/runtime:4.8.1", "dotnet-framework"),
])
def test_tag_variants_pick_the_process(reference, key):
    facts = image_facts(_ref(reference))
    assert (facts.key if facts else None) == key


def test_docker_rootless_runs_the_daemon_without_root():
    facts = image_facts(_ref("docker:dind-rootless"))
    assert (facts.user.name, facts.user.uid, facts.drops_root) == ("rootless", 1000, False)
    assert image_facts(_ref("docker:dind")).user.privileged


# --- who the workers run as --------------------------------------------------------------------


@pytest.mark.parametrize("reference, worker, uid", [
    ("nginx:1.27", "nginx", 101),
    ("httpd:2.4-alpine", "www-data", None),
    ("php:8.3-apache", "www-data", None),
    ("php:8.3-fpm", "www-data", None),
    ("wordpress:6", "www-data", None),
    ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022", "IIS AppPool\\DefaultAppPool", None),
    ("mcr.microsoft.com/dotnet/framework/aspnet:4.8", "IIS AppPool\\DefaultAppPool", None),
])
def test_worker_users(reference, worker, uid):
    facts = image_facts(_ref(reference))
    assert facts.user.privileged  # the main process keeps root or ContainerAdministrator
    assert (facts.worker_user.name, facts.worker_user.uid) == (worker, uid)
    assert not facts.worker_user.privileged
    assert facts.drops_root is None  # the main process itself does not switch


@pytest.mark.parametrize("reference", ["php:8.3-cli", "postgres:16", "nginxinc/nginx-unprivileged:1.27"])
def test_no_worker_user_where_the_process_is_one(reference):
    assert image_facts(_ref(reference)).worker_user is None


def test_nginx_unprivileged_runs_as_uid_101():
    facts = image_facts(_ref("nginxinc/nginx-unprivileged:1.27-alpine"))
    assert (facts.user.uid, facts.drops_root, facts.runs_service) == (101, False, True)


# --- init systems that start as root and run services as other users ---------------------------


@pytest.mark.parametrize("reference, supervisor, to, uid, uid_env", [
    ("ghcr.io/linuxserver/baseimage-alpine:3.20", "s6-overlay", "abc", 911, "PUID"),
    ("lscr.io/linuxserver/baseimage-ubuntu:noble", "s6-overlay", "abc", 911, "PUID"),
    ("lscr.io/linuxserver/baseimage-debian:bookworm", "s6-overlay", "abc", 911, "PUID"),
    ("lscr.io/linuxserver/sonarr:4.0.0", "s6-overlay", "abc", 911, "PUID"),
    ("linuxserver/plex", "s6-overlay", "abc", 911, "PUID"),
    ("gogs/gogs:0.13", "s6", "git", 1000, "PUID"),
    ("gitea/gitea:1.22", "s6", "git", 1000, None),
    ("onlyoffice/documentserver:8.1", "supervisord", "ds", None, None),
])
def test_init_systems_drop_root(reference, supervisor, to, uid, uid_env):
    facts = image_facts(_ref(reference))
    assert facts.user.privileged and facts.runs_service is True
    assert facts.supervisor.name == supervisor
    drop = facts.privilege_drop
    assert (drop.drops, drop.to.name, drop.uid(), drop.uid_env) == (True, to, uid, uid_env)


@pytest.mark.parametrize("reference, owned, volumes", [
    ("gogs/gogs", True, ["/data", "/backup"]),
    ("gogs/gogs:0.12.3", True, ["/data", "/backup"]),
    ("gogs/gogs:0.11.91", False, ["/data"]),  # switched to PUID already, but did not chown /data yet
    ("gogs/gogs-rpi:0.11.91", False, ["/data"]),
])
def test_gogs_switches_to_puid_and_takes_its_data_from_0_12(reference, owned, volumes):
    facts = image_facts(_ref(reference))
    assert facts.drops_root is True and facts.privilege_drop.uid({"PUID": "1001"}) == 1001
    (data,) = facts.data_dirs_for()
    assert str(data.path) == "/data" and (data.takes_ownership is not None) is owned
    assert [str(v.path) for v in facts.state_volumes()] == volumes


def test_gogs_before_puid_is_unknown():
    assert image_facts(_ref("gogs/gogs:0.11.29")) is None
    assert image_facts(_ref("gogs/gogs-rpi")) is None  # no longer published after 0.11


@pytest.mark.parametrize("reference, supervisor", [
    ("phusion/baseimage:noble-1.0.0", "runit (my_init)"),
    ("ghcr.io/docker-mailserver/docker-mailserver:14", "supervisord"),
    ("ghcr.io/zulip/zulip-server:10.0", "supervisord"),
])
def test_supervisors_whose_services_choose_their_user(reference, supervisor):
    facts = image_facts(_ref(reference))
    assert facts.supervisor.name == supervisor and facts.runs_service is True
    assert facts.drops_root is None  # each service's own definition says who runs it


@pytest.mark.parametrize("reference, user, drops", [
    ("jenkins/jenkins:lts-jdk17", "jenkins", False),
    ("traefik:v3.1", "root", False),
    ("portainer/portainer-ce:2.21", "root", False),
])
def test_services_that_never_switch(reference, user, drops):
    facts = image_facts(_ref(reference))
    assert (facts.user.name, facts.drops_root, facts.runs_service, facts.supervisor) == (user, drops, True, None)


# --- users missing before ----------------------------------------------------------------------


@pytest.mark.parametrize("reference, name, uid, workdir", [
    ("gcr.io/distroless/static:latest", "root", 0, "/"),
    ("gcr.io/distroless/static:debug", "root", 0, "/"),
    ("gcr.io/distroless/static-debian12:nonroot", "nonroot", 65532, "/home/nonroot"),
    ("gcr.io/distroless/base:debug-nonroot", "nonroot", 65532, "/home/nonroot"),
    ("gcr.io/distroless/cc-debian12", "root", 0, "/"),
    ("gcr.io/distroless/java17-debian12:nonroot-amd64", "nonroot", 65532, "/home/nonroot"),
    ("gcr.io/distroless/nodejs22-debian13:debug", "root", 0, "/"),
    ("gcr.io/distroless/python3-debian12:nonroot", "nonroot", 65532, "/home/nonroot"),
])
def test_distroless_users(reference, name, uid, workdir):
    facts = image_facts(_ref(reference))
    assert (facts.user.name, facts.user.uid, facts.drops_root) == (name, uid, False)
    assert facts.user.privileged is (uid == 0)
    assert str(facts.workdir) == workdir


def test_distroless_names_not_published_are_unknown():
    assert image_facts(_ref("gcr.io/distroless/java8")) is None


@pytest.mark.parametrize("reference, key", [
    ("grafana/grafana:5.0.4", None),  # root and a chown at start before 5.1
    ("grafana/grafana:5.1.0", "grafana-5.1-to-11"),
    ("grafana/grafana:6.4.3", "grafana-5.1-to-11"),
    ("grafana/grafana-oss:10.4.2-ubuntu", "grafana-5.1-to-11"),
    ("grafana/grafana:11.3", "grafana-5.1-to-11"),
    ("grafana/grafana:12.1.0", "grafana"),
    ("grafana/grafana", "grafana"),
])
def test_grafana_runs_as_472_from_5_1(reference, key):
    facts = image_facts(_ref(reference))
    assert (facts.key if facts else None) == key
    if facts:
        assert (facts.user.name, facts.user.uid, facts.drops_root) == ("grafana", 472, False)
        assert not facts.user.privileged and facts.volumes == ()
        assert [str(d.path) for d in facts.data_dirs_for()] == ["/var/lib/grafana"]


def test_commands_that_still_start_the_service_or_step_down_from_root():
    postgres = image_facts(_ref("postgres:16"))
    assert [postgres.default_command.given.matches(word) for word in ("postgres", "-c", "sh", "pg_dumpall")] == \
        [True, True, False, False]
    mongo = image_facts(_ref("mongo:7"))
    assert not mongo.default_command.given.matches("mongodump") and mongo.privilege_drop.given.matches("mongodump")
    assert image_facts(_ref("redis:7")).default_command.given.matches("/etc/redis/redis.conf")
    assert postgres.privilege_drop.given is None  # the service's commands
    assert image_facts(_ref("nginx:1.27")).default_command.given is None  # not known
