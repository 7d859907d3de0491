"""Every Dockerfile of the shared corpus: Docker builds them all, so no DSL001 and no exception; and
what the research notes say about them comes out of the model."""

import re
from functools import cache

import pytest

from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.sources import read_source
from tests.corpora import CORPUS

_DOCKERFILE_NAME = re.compile(r"(?:dockerfile|containerfile)(?:[.-].*)?\Z|.*\.(?:dockerfile|containerfile)\Z",
                              re.IGNORECASE)


def corpus_dockerfiles():
    if not CORPUS.is_dir():
        return []
    return sorted(path for path in CORPUS.rglob("*") if path.is_file() and _DOCKERFILE_NAME.match(path.name))


@cache
def parsed(relative):
    source, problem = read_source(CORPUS / relative, relative)
    assert problem is None
    return parse_dockerfile(source)


pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not available")


def test_the_corpus_has_the_dockerfiles_the_research_counted():
    # research/corpus.md: 146 diamol + 35 awesome-compose + 12 official images + 2 dotnet-docker
    assert len(corpus_dockerfiles()) == 195


@pytest.mark.parametrize("path", corpus_dockerfiles(), ids=lambda path: str(path.relative_to(CORPUS)))
def test_corpus_dockerfile_parses_without_problems(path):
    dockerfile = parsed(str(path.relative_to(CORPUS)))
    assert dockerfile.problems == ()
    assert dockerfile.stages, "every corpus Dockerfile builds at least one stage"


def test_todo_list_volume_from_the_base_image_stays_symbolic():
    builder, app = parsed("sixeyed__diamol/ch06/exercises/todo-list/Dockerfile").stages
    volume = app.volumes[0]
    assert (volume.path.text, volume.path.resolved, volume.span) == (
        "$SQLITE_DATA_DIRECTORY", False, Span(volume.span.file, 17, 8, 17, 30))
    assert (app.user.value, app.user.resolved) == ("$SQLITE_USER", False)
    assert [(c.path.text, c.from_stage, c.what) for c in app.content] == [
        ("/app", "builder", "output of stage builder")]
    assert (builder.name, app.parent, app.workdir.value) == ("builder", None, "/app")


def test_jenkins_volume_resolved_through_env():
    _, openjdk, jenkins = parsed("sixeyed__diamol/images/jenkins/linux/Dockerfile").stages
    assert (openjdk.name, jenkins.parent) == ("openjdk", 1)
    assert [(v.path.text, v.path.resolved, v.span.line) for v in jenkins.volumes] == [("/data", True, 57)]
    assert jenkins.env["JENKINS_HOME"] == "/data" and jenkins.env["JENKINS_VERSION"] == "2.263.4"
    assert jenkins.env["JAVA_HOME"] == "/usr/lib/jvm/java-1.8-openjdk/jre"  # inherited from the openjdk stage
    assert [c.path.text for c in jenkins.content][-2:] == ["/data/jenkins.install.UpgradeWizard.state",
                                                           "/data/init.groovy.d"]


def test_rabbitmq_volume_from_a_variable():
    final = parsed("docker-library__rabbitmq/4.3/ubuntu/Dockerfile").stages[-1]
    assert (final.base.raw, final.parent) == ("ubuntu:24.04", None)
    assert [(v.path.text, v.path.resolved, v.span.line) for v in final.volumes] == [("/var/lib/rabbitmq", True, 310)]
    assert final.env["HOME"] == "/var/lib/rabbitmq"


def test_postgres_18_volume_and_user():
    (stage,) = parsed("docker-library__postgres/18/trixie/Dockerfile").stages
    assert [(v.path.text, v.span.line) for v in stage.volumes] == [("/var/lib/postgresql", 192)]
    assert stage.user is None  # no USER: root, the entrypoint drops to postgres
    assert stage.env["PGDATA"] == "/var/lib/postgresql/18/docker"
    assert stage.env["PATH"] == "$PATH:/usr/lib/postgresql/18/bin"


def test_diamol_ch04_multi_stage_builds():
    build, test, final = parsed("sixeyed__diamol/ch04/exercises/multi-stage/Dockerfile").stages
    assert [s.name for s in (build, test, final)] == ["build-stage", "test-stage", None]
    assert [(c.path.text, c.is_file, c.from_stage) for c in final.content] == [("/build.txt", True, "test-stage")]

    builder, app = parsed("sixeyed__diamol/ch04/exercises/access-log/Dockerfile").stages
    assert [(c.path.text, c.instruction) for c in builder.content] == [("/src/package.json", "COPY"),
                                                                       ("/src/node_modules", "RUN")]
    assert [(c.path.text, c.from_stage) for c in app.content] == [("/app/node_modules", "builder"), ("/app", None)]

    builder, app = parsed("sixeyed__diamol/ch04/exercises/image-of-the-day/Dockerfile").stages
    assert [(c.path.text, c.is_file) for c in app.content] == [("/app/iotd-service-0.1.0.jar", True)]

    builder, app = parsed("sixeyed__diamol/ch04/exercises/image-gallery/Dockerfile").stages
    assert [(c.path.text, c.is_file, c.what) for c in builder.content][-1] == ("/server", True,
                                                                              "binary from `go build -o /server`")


@pytest.mark.parametrize("variant, user", [("nanoserver-ltsc2022", "ContainerUser"),
                                           ("windowsservercore-ltsc2022", None),
                                           ("windowsservercore-ltsc2025", None)])
def test_mongo_windows_volumes(variant, user):
    (stage,) = parsed(f"docker-library__mongo/8.2/windows/{variant}/Dockerfile").stages
    assert stage.os == "windows"
    assert [(v.path.text, v.path.parts) for v in stage.volumes] == [("C:\\data\\db", ("c:", "data", "db")),
                                                                    ("C:\\data\\configdb", ("c:", "data", "configdb"))]
    assert (stage.user.value if stage.user else None) == user


def test_mongo_linux_volumes():
    (stage,) = parsed("docker-library__mongo/8.2/Dockerfile").stages
    assert (stage.os, [v.path.text for v in stage.volumes]) == ("linux", ["/data/db", "/data/configdb"])


def test_windows_volumes_in_diamol_images():
    gogs = parsed("sixeyed__diamol/images/gogs/windows/Dockerfile")
    assert gogs.escape == "`"
    assert [(v.path.text, v.path.os) for v in gogs.stages[-1].volumes] == [
        ("C:\\data", "windows"), ("C:\\logs", "windows"), ("C:\\repositories", "windows")]
    postgres = parsed("sixeyed__diamol/images/postgres/11.5/windows/Dockerfile").stages[-1]
    assert [v.path.text for v in postgres.volumes] == ["C:\\pgsql\\data"]
    assert postgres.user.value == "ContainerUser"


def test_dotnet_nanoserver_sample():
    build, app = parsed("dotnet__dotnet-docker/samples/aspnetapp/Dockerfile.nanoserver").stages
    assert (build.base.raw, build.os, app.os) == ("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022", "windows",
                                                  "windows")
    assert (build.workdir.value, app.workdir.value) == ("C:\\source", "C:\\app")
