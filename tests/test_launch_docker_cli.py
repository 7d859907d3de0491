"""The docker/podman command-line interpreter: which commands it recognises, options read as pflag
reads them with Docker's own flag table, the image and its command, typed facts with their words, and
problems instead of guesses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerstore_lint.launch.docker_cli import interpret
from dockerstore_lint.launch.flag_tables import DOCKER_RUN
from dockerstore_lint.launch.invocations import ComposeCall, ImageBuild, Invocation, VolumeCreation
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE, SimpleCommand, Word
from dockerstore_lint.text.shell_words import simple_commands, variables, working_directory
from tests.test_properties import check_span, examples


def read(text: str, resolver=None):
    """What the last command of `text` is (commands in `$(...)` come before it)."""
    commands, problems = simple_commands(text, "run.sh", resolver=resolver or working_directory())
    assert problems == ()
    return interpret(commands[-1])


def command_of(*values: str) -> SimpleCommand:
    """Words as another reader (PowerShell, a CI `options:` list) hands them over, one column apart."""
    words, column = [], 1
    for value in values:
        words.append(Word(value, value, Span("run.ps1", 1, column, 1, column + len(value)), "$" not in value))
        column += len(value) + 1
    return SimpleCommand(tuple(words), Span("run.ps1", 1, 1, 1, column - 1))


def text(word) -> str:
    return None if word is None else word.value


def texts(words) -> list:
    return [word.value for word in words]


def mounts(invocation) -> list[tuple]:
    return [(m.written_as, m.kind, m.source, m.target, m.read_only, m.error) for m in invocation.mounts]


def problems(result) -> list[tuple]:
    return [(p.kind, p.message) for p in result.problems]


# --- docker run / create ---------------------------------------------------------------------------

def test_a_full_run_line_is_read_into_typed_facts_with_their_words():
    line = ('docker run -itd --rm -p8080:80 -v=/cache --volume="$PWD":/src:ro --mount type=volume,src=db,dst=/db '
            '--tmpfs /run:size=64m --volumes-from seed:ro -u 1000:1000 -e A=1 --env=B --env-file .env -w /src '
            '--entrypoint sh --name web --platform linux/amd64 --read-only --isolation=process '
            'nginx:1.27 -c "nginx -g \'daemon off;\'" -v /not-a-mount')
    run = read(line)
    assert isinstance(run, Invocation)
    assert (run.tool, run.subcommand, text(run.image), texts(run.command)) == (
        "docker", "run", "nginx:1.27", ["-c", "nginx -g 'daemon off;'", "-v", "/not-a-mount"])
    assert mounts(run) == [
        ("docker-v", "volume", None, "/cache", False, None),
        ("docker-v", "bind", HERE, "/src", True, None),
        ("docker-mount", "volume", "db", "/db", False, None),
        ("docker-tmpfs", "tmpfs", None, "/run", False, None),
    ]
    assert [(v.container, v.mode, v.read_only, v.error) for v in run.volumes_from] == [("seed", "ro", True, None)]
    assert (text(run.user), texts(run.environment), texts(run.env_files), text(run.workdir), text(run.entrypoint),
            text(run.name), text(run.platform), text(run.isolation)) == (
        "1000:1000", ["A=1", "B"], [".env"], "/src", "sh", "web", "linux/amd64", "process")
    assert (run.read_only, run.remove, run.detach, run.complete, run.problems) == (True, True, True, True, ())
    assert [flag.name for flag in run.flags][:6] == ["interactive", "tty", "detach", "rm", "publish", "volume"]
    # values keep their own spans, also when written inside the option's word
    assert run.mounts[0].span == Span("run.sh", 1, 35, 1, 41)
    assert run.mounts[1].span == Span("run.sh", 1, 51, 1, 65)
    assert run.mounts[2].span == Span("run.sh", 1, 74, 1, 100)
    assert run.image.span == Span("run.sh", 1, 280, 1, 290)
    assert run.span == Span("run.sh", 1, 1, 1, 334)


@pytest.mark.parametrize("line, tool, subcommand", [
    ("docker run img", "docker", "run"),
    ("docker create img", "docker", "create"),
    ("docker container run img", "docker", "run"),
    ("docker container create img", "docker", "create"),
    ("podman run img", "podman", "run"),
    ("podman create img", "podman", "create"),
    ("podman container run img", "podman", "run"),
    ("podman-remote run img", "podman", "run"),
    ("/usr/local/bin/docker run img", "docker", "run"),
    ("docker.exe run img", "docker", "run"),
    ("Docker.EXE run img", "docker", "run"),
])
def test_run_and_create_are_recognised_in_every_spelling(line, tool, subcommand):
    result = read(line)
    assert (result.tool, result.subcommand, text(result.image)) == (tool, subcommand, "img")


@pytest.mark.parametrize("line", [
    "sudo docker run img", "sudo -E docker run img", "sudo -u root -- docker run img",
    "sudo --user=root docker run img",
    "sudo HOME=/root docker run img", "env docker run img", "env A=1 B=2 docker run img", "env -i -u X docker run img",
    "command docker run img", "command -p docker run img", "exec docker run img", "exec -a name docker run img",
    "time docker run img", "time -p docker run img", "/usr/bin/time -v docker run img", "nohup docker run img",
    "nice -n 10 docker run img", "nice -5 docker run img", "timeout 60 docker run img",
    "timeout -s KILL --foreground 5m docker run img", "winpty docker run img", "doas -u root docker run img",
    "sudo -E env X=1 nice docker run img", "A=1 docker run img",
])
def test_launchers_and_assignments_before_the_program_are_skipped(line):
    assert text(read(line).image) == "img"


@pytest.mark.parametrize("line", [
    "sudo -i docker run img", "sudo -s docker run img", "sudo -l docker run img", "sudo -D /x docker run img",
    "sudo --chdir=/x docker run img", "sudo --unknown docker run img", "env -C /x docker run img",
    "env -S 'docker run img'", "command -v docker run img", "doas -s docker run img", "sudo", "time",
])
def test_launchers_that_change_what_runs_where_are_not_followed(line):
    assert read(line) is None


@pytest.mark.parametrize("line", [
    "docker --context prod run img", "docker -c prod run img", "docker -H tcp://10.0.0.1:2376 run img",
    "docker --host=unix:///var/run/docker.sock run img", "docker -D --tls --tlsverify run img",
    "docker -l debug --config /etc/docker run img", "docker --tlscacert ca.pem --tlscert c.pem --tlskey k.pem run img",
    "podman --remote --log-level debug run img", "podman --root /x --runroot /y run img",
    "podman -c machine run img", "docker -Dc prod run img",
])
def test_global_options_before_the_subcommand(line):
    assert text(read(line).image) == "img"


@pytest.mark.parametrize("line", [
    "docker --version run img", "docker -v", "docker -h run img", "docker --unknown run img", "docker -X run img",
    "docker", "docker ps", "docker exec -it c sh", "docker image ls", "docker volume ls", "docker container ls",
    "docker run", "podman build .", "podman compose up", "$DOCKER run img", "docker $CMD img", "echo docker run img",
    "'docker run img'", "docker-machine run img", "nerdctl run img",
])
def test_other_commands_are_not_recognised(line):
    result = read(line)
    assert result is None or (isinstance(result, Invocation) and result.image is None)


@pytest.mark.parametrize("line, flags, image", [
    ("docker run -it --rm img", [("interactive", None), ("tty", None), ("rm", None)], "img"),
    ("docker run -itd img", [("interactive", None), ("tty", None), ("detach", None)], "img"),
    ("docker run -p8080:80 img", [("publish", "8080:80")], "img"),
    ("docker run -p 8080:80 img", [("publish", "8080:80")], "img"),
    ("docker run -v=/x img", [("volume", "/x")], "img"),
    ("docker run -v/x img", [("volume", "/x")], "img"),
    ("docker run --volume=/x img", [("volume", "/x")], "img"),
    ("docker run --volume /x img", [("volume", "/x")], "img"),
    ("docker run -itv /x img", [("interactive", None), ("tty", None), ("volume", "/x")], "img"),
    ("docker run -itv/x img", [("interactive", None), ("tty", None), ("volume", "/x")], "img"),
    ("docker run --rm=false img", [("rm", "false")], "img"),
    ("docker run -d=false img", [("detach", "false")], "img"),
    ("docker run -eA=1 --env B=2 img", [("env", "A=1"), ("env", "B=2")], "img"),
    ("docker run --name -x img", [("name", "-x")], "img"),
    ("docker run --net host --dns-opt a img", [("network", "host"), ("dns-option", "a")], "img"),
    ("docker run -h box img", [("hostname", "box")], "img"),
    ("docker run -- -img", [], "-img"),
    ("docker run -d -- img -v /x", [("detach", None)], "img"),
    ("docker run - img", [], "-"),
    ("docker run --rm img --rm -v /x", [("rm", None)], "img"),
])
def test_options_are_read_as_pflag_reads_them(line, flags, image):
    result = read(line)
    assert [(flag.name, text(flag.value)) for flag in result.flags] == flags
    assert (text(result.image), result.complete, result.problems) == (image, True, ())


@pytest.mark.parametrize("line, read_only, remove, detach", [
    ("docker run img", False, False, False),
    ("docker run --rm --read-only -d img", True, True, True),
    ("docker run --rm=false --read-only=0 -d=f img", False, False, False),
    ("docker run --rm=true --rm=false img", False, False, False),
    ("docker run --rm=$RM img", False, None, False),
    ("docker create -it img", False, False, False),
])
def test_switches(line, read_only, remove, detach):
    result = read(line)
    assert (result.read_only, result.remove, result.detach) == (read_only, remove, detach)


def test_a_switch_with_a_bad_value_is_docker_s_error():
    result = read("docker run --rm=maybe img")
    assert result.remove is None
    assert problems(result) == [("invalid-value", 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: '
                                                  'parsing "maybe": invalid syntax')]


@pytest.mark.parametrize("line, kind, message, flags", [
    ("docker run -d -v", "missing-value", "flag needs an argument: 'v' in -v", ["detach"]),
    ("docker run --name", "missing-value", "flag needs an argument: --name", []),
    ("docker run -v /x --frobnicate img", "unknown-flag", "unknown flag: --frobnicate", ["volume"]),
    ("docker run -itX img", "unknown-flag", "unknown shorthand flag: 'X' in -itX", ["interactive", "tty"]),
    ("docker run -d $OPTS img", "unresolved-argument",
     "`$OPTS` may stand for options as well as operands: what follows is not read", ["detach"]),
    ("docker run ${OPTS} img", "unresolved-argument",
     "`${OPTS}` may stand for options as well as operands: what follows is not read", []),
    ('docker run "$@"', "unresolved-argument",
     '`"$@"` may stand for options as well as operands: what follows is not read', []),
    ("docker run $(cat args) img", "unresolved-argument",
     "`$(cat args)` may stand for options as well as operands: what follows is not read", []),
])
def test_what_cannot_be_read_with_confidence_stops_the_reading(line, kind, message, flags):
    result = read(line)
    assert (result.image, result.command, result.complete) == (None, (), False)
    assert problems(result) == [(kind, message)]
    assert [flag.name for flag in result.flags] == flags


def test_an_unknown_option_with_its_value_attached_is_skipped():
    result = read("docker run --frobnicate=yes -v /x img")
    assert (text(result.image), result.complete, [flag.name for flag in result.flags]) == ("img", True, ["volume"])
    assert problems(result) == [("unknown-flag", "unknown flag: --frobnicate")]


def test_no_image_is_a_problem():
    result = read("docker run --rm -v /x")
    assert result.image is None
    assert problems(result) == [("no-image", '"docker run" requires at least 1 argument.')]


@pytest.mark.parametrize("line, image", [
    ('docker run -d "$IMAGE"', "$IMAGE"),
    ("docker run -d ${REGISTRY}/app:${TAG}", "${REGISTRY}/app:${TAG}"),
    ("docker run -d myapp:$TAG", "myapp:$TAG"),
])
def test_an_unresolved_image_that_is_one_word_is_the_image(line, image):
    result = read(line)
    assert (text(result.image), result.image.resolved, result.complete) == (image, False, True)


def test_resolved_variables_are_used():
    resolver = variables({"IMAGE": "postgres:16", "DATA": HERE + "/pg"}, working_directory())
    result = read('docker run -v "$DATA":/var/lib/postgresql/data $IMAGE', resolver)
    assert text(result.image) == "postgres:16"
    assert mounts(result) == [("docker-v", "bind", HERE + "/pg", "/var/lib/postgresql/data", False, None)]


def test_restart_with_rm_is_refused():
    result = read("docker run --rm --restart always img")
    assert problems(result) == [("conflict", "conflicting options: cannot specify both --restart and --rm")]
    assert read("docker run --rm --restart no img").problems == ()
    assert problems(read("podman run --rm --restart=always img")) == [
        ("conflict", 'the --rm option conflicts with --restart, when the restartPolicy is not "" and "no"')]


# --- mounts on the command line ----------------------------------------------------------------------

def test_a_mount_split_by_the_shell_says_what_docker_gets():
    result = read("docker run --mount type=bind, source=$s, target=/t alpine")
    assert problems(result) == [("split-mount", "the shell split this --mount value at a space: Docker gets "
                                                "`type=bind,` as the whole mount and refuses it (invalid field '' must "
                                                "be a key=value pair); `source=$s,` is a separate argument, which it "
                                                "would take as the image name")]
    assert result.problems[0].span == Span("run.sh", 1, 20, 1, 41)
    assert (text(result.image), texts(result.command)) == ("source=$s,", ["target=/t", "alpine"])
    assert mounts(result) == [("docker-mount", "bind", None, None, False, "invalid field '' must be a key=value pair")]


def test_a_mount_split_inside_its_option_word_and_before_a_comma():
    inline = read("docker run --mount=type=volume,src=data, dst=/data img")
    assert [p.kind for p in inline.problems] == ["split-mount"]
    assert inline.problems[0].span == Span("run.sh", 1, 20, 1, 51)
    before = read("docker run --mount type=bind ,source=/x,target=/y img")
    assert problems(before) == [("split-mount", "the shell split this --mount value at a space: Docker gets "
                                                "`type=bind` as the whole mount and refuses it (invalid mount config "
                                                "for type \"bind\": field Target must not be empty); "
                                                "`,source=/x,target=/y` is a separate argument, which it would take "
                                                "as the image name")]
    assert read('docker run --mount "type=bind,source=/x,target=/y" img').problems == ()


def test_volume_driver_applies_to_every_v_whatever_its_place():
    result = read("docker run -v my/vol:/data --volume-driver rexray img")
    assert (mounts(result), text(result.volume_driver)) == (
        [("docker-v", "volume", "my/vol", "/data", False, None)], "rexray")


def test_windows_mounts_as_another_reader_hands_them_over():
    result = interpret(command_of("docker", "run", "-v", "C:\\data:C:\\data", "-v",
                                  "\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine", "--mount",
                                  "type=bind,source=C:\\src,target=C:\\app,readonly", "--isolation", "process",
                                  "mcr.microsoft.com/windows/servercore:ltsc2022"))
    assert [(m.kind, m.source, m.target, m.read_only, m.missing_source, m.windows) for m in result.mounts] == [
        ("bind", "C:\\data", "C:\\data", False, "refuse", True),
        ("npipe", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", False, None, True),
        ("bind", "C:\\src", "C:\\app", True, "refuse", True),
    ]
    assert [m.span for m in result.mounts] == [Span("run.ps1", 1, 15, 1, 30), Span("run.ps1", 1, 34, 1, 79),
                                               Span("run.ps1", 1, 88, 1, 134)]


@pytest.mark.parametrize("value, mode, read_only, error", [
    ("data", "rw", False, None),
    ("data:ro", "ro", True, None),
    ("data:rw,z", "rw,z", False, None),
    ("data:nocopy", "nocopy", False, "invalid mode: nocopy"),
    ("data:rshared", "rshared", False, "invalid mode: rshared"),
    ("data:ro,rw", "ro,rw", True, "invalid mode: ro,rw"),
    ("data:bogus", "bogus", False, "invalid mode: bogus"),
])
def test_volumes_from(value, mode, read_only, error):
    (volumes_from,) = read(f"docker run --volumes-from {value} img").volumes_from
    assert (volumes_from.container, volumes_from.mode, volumes_from.read_only, volumes_from.error) == (
        "data", mode, read_only, error)


# --- podman ------------------------------------------------------------------------------------------

def test_podman_options_and_mounts():
    result = read("podman run --rm --pod web --log-level debug -h box -v ./d:/d:Z,U --mount type=bind,dst=/x "
                  "--userns keep-id img")
    assert (result.tool, text(result.image), result.remove, result.complete) == ("podman", "img", True, True)
    assert [flag.name for flag in result.flags] == ["rm", "pod", "log-level", "hostname", "volume", "mount", "userns"]
    assert [(m.kind, m.source, m.target, m.missing_source) for m in result.mounts] == [
        ("bind", "./d", "/d", "refuse"), ("bind", "/x", "/x", "refuse")]


def test_docker_does_not_take_podman_options():
    assert problems(read("docker run --pod web img")) == [("unknown-flag", "unknown flag: --pod")]


# --- docker volume create --------------------------------------------------------------------------------

def test_volume_create_with_driver_options_in_any_order():
    result = read("docker volume create nfs -d local --opt type=nfs -o o=addr=10.0.0.1,rw --opt device=:/export "
                  "--label team=a")
    assert isinstance(result, VolumeCreation)
    assert (text(result.name), text(result.driver), texts(result.options), texts(result.labels), result.problems) == (
        "nfs", "local", ["type=nfs", "o=addr=10.0.0.1,rw", "device=:/export"], ["team=a"], ())
    assert result.name.span == Span("run.sh", 1, 22, 1, 25)


@pytest.mark.parametrize("line, name, found", [
    ("docker volume create", None, []),
    ("docker volume create --name data", "data", []),
    ("docker volume create --name data other", None, [
        ("conflict", "conflicting options: cannot specify a volume-name through both --name and as a positional arg")]),
    ("docker volume create a b", None, [("extra-argument", '"docker volume create" accepts at most 1 argument.')]),
    ("podman volume create -o type=tmpfs --ignore scratch", "scratch", []),
])
def test_volume_create_names(line, name, found):
    result = read(line)
    assert (text(result.name), problems(result)) == (name, found)


# --- docker build ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, tags, file, target, context", [
    ("docker build -t app:1 -t app:latest -f docker/Dockerfile.prod --target runtime .",
     ["app:1", "app:latest"], "docker/Dockerfile.prod", "runtime", "."),
    ("docker build . -t app", ["app"], None, None, "."),
    ("docker build --tag=app --file=Dockerfile ctx", ["app"], "Dockerfile", None, "ctx"),
    ("docker build -f- .", [], "-", None, "."),
    ("docker image build -t app ctx", ["app"], None, None, "ctx"),
    ("docker builder build -t app ctx", ["app"], None, None, "ctx"),
    ("docker buildx build --platform linux/amd64,linux/arm64 --load --push -t app .", ["app"], None, None, "."),
    ("docker buildx --builder ci b -t app .", ["app"], None, None, "."),
    ("docker build --check --no-cache -q --build-arg A=1 -t app https://github.com/x/y.git", ["app"], None, None,
     "https://github.com/x/y.git"),
])
def test_build(line, tags, file, target, context):
    result = read(line)
    assert isinstance(result, ImageBuild)
    assert (texts(result.tags), text(result.file), text(result.target), text(result.context), result.problems) == (
        tags, file, target, context, ())


def test_build_needs_exactly_one_context():
    assert problems(read("docker build -t app")) == [("arguments", '"docker build" requires exactly 1 argument.')]
    assert problems(read("docker buildx build a b")) == [
        ("arguments", '"docker buildx build" requires exactly 1 argument.')]


# --- docker compose ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, tool, files, directory, project, subcommand", [
    ("docker compose -f a.yml -f b.yml -p shop --project-directory ./x up -d", "docker compose", ["a.yml", "b.yml"],
     "./x", "shop", "up"),
    ("docker compose --file=a.yml --profile dev --env-file .env.ci run --rm web", "docker compose", ["a.yml"], None,
     None, "run"),
    ("docker --context prod compose -f prod.yml up", "docker compose", ["prod.yml"], None, None, "up"),
    ("docker compose --workdir ./y config", "docker compose", [], "./y", None, "config"),
    ("docker-compose -f a.yml -H tcp://h:2376 --tlsverify up", "docker-compose", ["a.yml"], None, None, "up"),
    ("docker-compose", "docker-compose", [], None, None, None),
])
def test_compose_files_and_directory(line, tool, files, directory, project, subcommand):
    result = read(line)
    assert isinstance(result, ComposeCall)
    assert (result.tool, texts(result.files), text(result.project_directory), text(result.project_name),
            text(result.subcommand)) == (tool, files, directory, project, subcommand)


def test_compose_arguments_after_the_subcommand_are_not_options():
    result = read("docker compose up -f not-a-file.yml")
    assert (texts(result.files), texts(result.arguments)) == ([], ["-f", "not-a-file.yml"])


def test_compose_version_is_not_a_project():
    assert read("docker compose --version") is None
    assert read("docker compose --version --short") is None
    assert read("docker compose -p") is not None and read("docker compose -p").complete is False


# --- properties ----------------------------------------------------------------------------------------------

_OPTIONS = sorted({f"--{name}" for name in DOCKER_RUN.long} | {f"-{letter}" for letter in DOCKER_RUN.short})
_ARGUMENTS = st.one_of(st.sampled_from(_OPTIONS), st.sampled_from(["--", "-", "-itd", "--rm=false", "-v=/x", "img",
                                                                   "$X", '"$@"', "a:b", "type=bind,", "src=/x,"]),
                       st.text(max_size=10))
_STARTS = st.sampled_from([["docker", "run"], ["podman", "create"], ["sudo", "docker", "container", "run"],
                           ["docker", "volume", "create"], ["docker", "build"], ["docker", "buildx", "build"],
                           ["docker", "compose"], ["docker-compose"], ["env"], ["docker"]])


@examples(500)
@given(_STARTS, st.lists(_ARGUMENTS, max_size=12))
def test_any_arguments_give_a_value_never_an_exception(start, arguments):
    command = command_of(*start, *arguments)
    result = interpret(command)
    if isinstance(result, Invocation) and result.image is not None:
        # the image and its command are the end of the command line, untouched
        index = next(i for i, word in enumerate(command.words) if word is result.image)
        assert result.command == command.words[index + 1:]
    if result is not None:
        assert result.span == command.span
        assert interpret(command) == result


_LINES = st.text(alphabet="dockerunpmabv -=:/.,\"'$~`\\{}()<>|&;#\n", max_size=200)


@examples(300)
@given(st.sampled_from(["docker run ", "podman create ", "sudo docker container run -v ", "docker run --mount ",
                        "docker volume create ", "docker build ", "docker compose -f ", ""]), _LINES)
def test_any_text_through_the_tokenizer_and_the_interpreter(start, rest):
    text = start + rest
    commands, _ = simple_commands(text, "run.sh", resolver=working_directory(), placeholders=True)
    lines = {"run.sh": text.split("\n")}
    for command in commands:
        result = interpret(command)
        if isinstance(result, Invocation):
            for mount in result.mounts:
                check_span(mount.span, lines)
            for problem in result.problems:
                check_span(problem.span, lines)
