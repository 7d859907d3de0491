"""Docker's own reading of `-v`, `--mount` and `--tmpfs` values (docker/cli and the daemon, not Compose),
podman's where it differs, Go's CSV under `--mount`, and BuildKit's `RUN --mount`."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerstore_lint.inputs.dockerfile.runs import parse_mounts
from dockerstore_lint.inputs.dockerfile.words import expand
from dockerstore_lint.launch.mount_spec import buildkit_mount, csv_record, mount_flag, tmpfs_flag, volume_flag
from dockerstore_lint.model.dockerfile import RunMount
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE, Word
from tests.test_properties import examples

SPAN = Span("run.sh", 4, 15, 4, 40)
NAME_ERROR = ('create {0}: "{0}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" '
              'are allowed. If you intended to pass a host directory, use absolute path')


def word(value: str, resolved: bool = True) -> Word:
    return Word(value, value, SPAN, resolved)


def read(spec) -> tuple:
    """Everything but the span (always SPAN) and written_as (checked separately)."""
    assert spec.span == SPAN
    return (spec.kind, spec.source, spec.target, spec.read_only, spec.options, spec.missing_source, spec.error,
            spec.resolved, spec.windows)


# --- -v, Linux daemon ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("/data", ("volume", None, "/data", False, (), None, None, True, False)),
    ("pgdata:/var/lib/postgresql/data", ("volume", "pgdata", "/var/lib/postgresql/data", False, (), None, None, True,
                                         False)),
    ("pgdata:/var/lib/postgresql/data:ro", ("volume", "pgdata", "/var/lib/postgresql/data", True, (), None, None, True,
                                            False)),
    ("/srv/data:/data", ("bind", "/srv/data", "/data", False, (), "create", None, True, False)),
    # since Docker 23 the CLI makes a source starting with `.` absolute against the working directory
    ("./data:/data", ("bind", "./data", "/data", False, (), "create", None, True, False)),
    ("../data:/data:rw", ("bind", "../data", "/data", False, (), "create", None, True, False)),
    (".cache:/root/.cache", ("bind", ".cache", "/root/.cache", False, (), "create", None, True, False)),
    (HERE + "/src:/src", ("bind", HERE + "/src", "/src", False, (), "create", None, True, False)),
    ("//c/Users/me:/app", ("bind", "//c/Users/me", "/app", False, (), "create", None, True, False)),
    # Docker Desktop takes a Windows host path for a Linux container
    ("C:\\Users\\me\\app:/app", ("bind", "C:\\Users\\me\\app", "/app", False, (), "create", None, True, False)),
    ("/a:/b:ro,z", ("bind", "/a", "/b", True, (("z", ""),), "create", None, True, False)),
    ("/a:/b:rshared,nocopy,cached", ("bind", "/a", "/b", False, (("bind-propagation", "rshared"),
                                                                  ("volume-nocopy", "true"), ("consistency", "cached")),
                                     "create", None, True, False)),
    # anything else than an absolute path is a volume name, which the local driver checks
    ("data/x:/x", ("volume", "data/x", "/x", False, (), None, NAME_ERROR.format("data/x"), True, False)),
    ("~/x:/x", ("volume", "~/x", "/x", False, (), None, NAME_ERROR.format("~/x"), True, False)),
    ("ab:/x", ("volume", "ab", "/x", False, (), None, None, True, False)),
    # a lone letter before a colon is a drive to the CLI, whatever follows
    ("a:/x", ("volume", None, "a:/x", False, (), None, None, True, True)),
    ("/x:ro", ("bind", "/x", "ro", False, (), "create", "invalid volume specification: '/x:ro'", True, False)),
    ("/a:/b:ro,rw", ("bind", "/a", "/b", True, (), "create", "invalid mode: ro,rw", True, False)),
    ("/a:/b:foo", ("bind", "/a", "/b", False, (("foo", ""),), "create", "invalid mode: foo", True, False)),
    ("/a:/", ("bind", "/a", "/", False, (), "create", "invalid volume specification: '/a:/': invalid mount config for "
              "type \"bind\": invalid specification: destination can't be '/'", True, False)),
    ("v1:rel", ("volume", "v1", "rel", False, (), None, "invalid volume specification: 'v1:rel': invalid mount config "
                "for type \"volume\": invalid mount path: 'rel' mount path must be absolute", True, False)),
    ("/a:/b:c:d", ("bind", "/a", "/b", False, (("c:d", ""),), "create", "invalid volume specification: '/a:/b:c:d'",
                   True, False)),
    ("", (None, None, None, None, (), None, "invalid spec: : invalid empty volume spec", True, False)),
    ("/a::/b", (None, None, None, None, (), None, "invalid spec: /a::/b: empty section between colons", True, False)),
    ("/a:/b:ro:x", (None, None, None, None, (), None, "invalid spec: /a:/b:ro:x: too many colons", True, False)),
])
def test_volume_flag_on_linux(value, expected):
    spec = volume_flag(word(value))
    assert read(spec) == expected
    assert spec.written_as == "docker-v"


def test_a_volume_driver_takes_any_name():
    assert volume_flag(word("my/vol:/data"), volume_driver=True).error is None


@pytest.mark.parametrize("value, expected", [
    ("C:\\data:C:\\data", ("bind", "C:\\data", "C:\\data", False, (), "refuse", None, True, True)),
    ("C:\\data:C:\\data:RO", ("bind", "C:\\data", "C:\\data", True, (), "refuse", None, True, True)),
    ("c:/data:c:/data", ("bind", "c:/data", "c:/data", False, (), "refuse", None, True, True)),
    ("myvol:C:\\data", ("volume", "myvol", "C:\\data", False, (), None, None, True, True)),
    ("C:\\data", ("volume", None, "C:\\data", False, (), None, None, True, True)),
    ("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine",
     ("npipe", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", False, (), None, None, True, True)),
    ("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine:ro",
     ("npipe", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", True, (), None,
      "invalid volume specification: '\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine:ro': invalid mount "
      "config for type \"npipe\": field ReadOnly must not be specified", True, True)),
    ("C:\\data:C:\\data:z", ("bind", "C:\\data", "C:\\data", False, (), "refuse",
                             "invalid volume specification: 'C:\\data:C:\\data:z'", True, True)),
    ("c:\\data:c:\\", ("bind", "c:\\data", "c:\\", False, (), "refuse", "invalid volume specification: "
                       "'c:\\data:c:\\': invalid mount config for type \"bind\": destination path (c:\\) cannot be "
                       "'c:' or 'c:\\'", True, True)),
    ("con:c:\\x", ("volume", "con", "c:\\x", False, (), None, "invalid volume specification: 'con:c:\\x': invalid "
                   "mount config for type \"volume\": volume name \"con\" cannot be a reserved word for Windows "
                   "filenames", True, True)),
    (".\\data:C:\\data", (None, ".\\data", "C:\\data", False, (), None,
                          "invalid volume specification: '.\\data:C:\\data'", True, True)),
])
def test_volume_flag_with_a_windows_target_follows_the_windows_daemon(value, expected):
    assert read(volume_flag(word(value))) == expected


@pytest.mark.parametrize("value, expected", [
    ("$X:/data", (None, "$X", "/data", False, (), None, None, False, False)),
    ("$DIR/data:/data", ("bind", "$DIR/data", "/data", False, (), "create", None, False, False)),
    ("~/data:/data", ("bind", "~/data", "/data", False, (), "create", None, False, False)),
    ("${NAME}_data:/data", (None, "${NAME}_data", "/data", False, (), None, None, False, False)),
    ("/data:/data:$MODE", ("bind", "/data", "/data", None, (("$MODE", ""),), "create", None, False, False)),
    ("$A:$B:$C:$D", (None, None, None, None, (), None, None, False, False)),
    # unresolved, yet nothing unresolved shows: a value the shell split; nothing is known
    ("/a b:/data", (None, None, None, None, (), None, None, False, False)),
])
def test_an_unresolved_volume_is_read_only_as_far_as_it_is_certain(value, expected):
    assert read(volume_flag(word(value, resolved=False))) == expected


@pytest.mark.parametrize("value, expected", [
    ("./data:/data:Z,U", ("bind", "./data", "/data", False, (("Z", ""), ("U", "")), "refuse", None, True, False)),
    ("/srv:/srv", ("bind", "/srv", "/srv", False, (), "refuse", None, True, False)),
    ("data:/data:ro", ("volume", "data", "/data", True, (), None, None, True, False)),
    ("/data", ("volume", None, "/data", False, (), None, None, True, False)),
    ("/a:/b:ro:x", (None, None, None, None, (), None,
                    "/a:/b:ro:x: incorrect volume format, should be [host-dir:]ctr-dir[:option]", True, False)),
    ("/a:/b:foo", ("bind", "/a", "/b", False, (("foo", ""),), "refuse", 'invalid option type "foo"', True, False)),
    (":/x", ("volume", None, "/x", False, (), None, "host directory cannot be empty", True, False)),
])
def test_podman_volume_flag(value, expected):
    assert read(volume_flag(word(value), engine="podman")) == expected


# --- --mount ---------------------------------------------------------------------------------------

def mount_error(kind: str, problem: str) -> str:
    return f'invalid mount config for type "{kind}": {problem}'


@pytest.mark.parametrize("value, expected", [
    ("type=bind,source=/x,target=/y", ("bind", "/x", "/y", False, (), "refuse", None, True, False)),
    ("type=bind,src=./x,dst=/y,readonly", ("bind", "./x", "/y", True, (), "refuse", None, True, False)),
    ("type=BIND,src=/x,destination=/y,ro=false", ("bind", "/x", "/y", False, (), "refuse", None, True, False)),
    ("type=bind,src=/x,dst=/y,ro=1", ("bind", "/x", "/y", True, (), "refuse", None, True, False)),
    ("  type=bind,src=/x,dst=/y  ", ("bind", "/x", "/y", False, (), "refuse", None, True, False)),
    ("type=bind,src=/x,dst=/y,bind-create-src", ("bind", "/x", "/y", False, (("bind-create-src", "true"),), "create",
                                                None, True, False)),
    ("type=bind,src=/x,dst=/y,bind-propagation=RSHARED", ("bind", "/x", "/y", False,
                                                          (("bind-propagation", "RSHARED"),), "refuse", None, True,
                                                          False)),
    ("type=bind,src=/x,dst=/y,bind-recursive=readonly,ro,bind-propagation=rprivate",
     ("bind", "/x", "/y", True, (("bind-recursive", "readonly"), ("bind-propagation", "rprivate")), "refuse", None,
      True, False)),
    ("target=/data", ("volume", None, "/data", False, (), None, None, True, False)),
    ("source=data,target=/data,volume-nocopy", ("volume", "data", "/data", False, (("volume-nocopy", "true"),), None,
                                                None, True, False)),
    ('"volume-opt=o=addr=1.2.3.4,rw",type=volume,src=nfs,dst=/d,volume-opt=type=nfs',
     ("volume", "nfs", "/d", False, (("volume-opt", "o=addr=1.2.3.4,rw"), ("volume-opt", "type=nfs")), None, None,
      True, False)),
    ("type=volume,src=my/vol,dst=/d,volume-driver=rexray", ("volume", "my/vol", "/d", False,
                                                           (("volume-driver", "rexray"),), None, None, True, False)),
    ("type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770", ("tmpfs", None, "/t", False,
                                                          (("tmpfs-size", "64m"), ("tmpfs-mode", "1770")), None, None,
                                                          True, False)),
    ("type=image,src=alpine,dst=/img,image-subpath=etc", ("image", "alpine", "/img", False,
                                                          (("image-subpath", "etc"),), None, None, True, False)),
])
def test_mount_flag_accepted(value, expected):
    spec = mount_flag(word(value))
    assert read(spec) == expected
    assert spec.written_as == "docker-mount"


@pytest.mark.parametrize("value, error", [
    ("", "value is empty"),
    ("type=bind,", "invalid field '' must be a key=value pair"),
    ("type=bind,foo", "invalid field 'foo' must be a key=value pair"),
    ("type=bind, source=/x", "invalid option 'source' in ' source=/x': option should not have whitespace"),
    ("type=bind,source= /x", "invalid value for 'source' in 'source= /x': value should not have whitespace"),
    ("type=bind,source=", "invalid value for 'source': value is empty"),
    ("type=bind,source=/x,target=/y,foo=bar", "unknown option 'foo' in 'foo=bar'"),
    ("=x", "unknown option '' in '=x'"),
    ("type=bind,src=/x,dst=/y,ro=yes", 'invalid value for \'ro\': invalid boolean value ("yes"): must be one of '
                                       '"true", "1", "false", or "0" (default "true")'),
    ("type=bind,src=/x,dst=/y,bind-nonrecursive", "bind-nonrecursive is deprecated, use bind-recursive=disabled "
                                                  "instead"),
    ("type=bind,src=/x,dst=/y,bind-recursive=no", 'invalid value for bind-recursive: no (must be "enabled", '
                                                  '"disabled", "writable", or "readonly")'),
    ("type=bind,src=/x,dst=/y,bind-recursive=writable", "option 'bind-recursive=writable' requires 'readonly' to be "
                                                        "specified in conjunction"),
    ("type=bind,src=/x,dst=/y,bind-recursive=readonly,ro",
     "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction"),
    ("type=bind,src=/x,dst=/y,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'"),
    ("type=volume,src=v1,dst=/y,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'volume'"),
    ("type=tmpfs,dst=/t,tmpfs-size=lots", "invalid value for tmpfs-size: lots"),
    ("type=tmpfs,dst=/t,tmpfs-mode=999", "invalid value for tmpfs-mode: 999"),
    ("type=tmpfs,src=/x,dst=/t", mount_error("tmpfs", "field Source must not be specified")),
    ("type=bind,target=/y", mount_error("bind", "field Source must not be empty")),
    ("type=bind,source=/x", mount_error("bind", "field Target must not be empty")),
    ("type=bind,source=rel,target=/y", mount_error("bind", "invalid mount path: 'rel' mount path must be absolute")),
    ("type=bind,source=/x,target=rel", mount_error("bind", "invalid mount path: 'rel' mount path must be absolute")),
    ("type=bind,source=/x,target=/", mount_error("bind", "invalid specification: destination can't be '/'")),
    ("type=bind,src=/x,dst=/y,bind-propagation=weird", mount_error("bind", "invalid propagation mode: weird")),
    ("type=volume,dst=/y,volume-subpath=a", mount_error("volume", "must not set Subpath when using anonymous volumes")),
    ("type=volume,src=vol,dst=/y,volume-subpath=../a", mount_error("volume", "subpath must be a relative path within "
                                                                             "the volume")),
    ("type=image,dst=/img", mount_error("image", "field Source must not be empty")),
    ("type=foo,target=/y", mount_error("foo", "mount type unknown")),
    ("type=npipe,source=/x,target=/y", mount_error("npipe", "mount type unknown")),
    # the default type is volume: a path is then a volume name, which the local driver refuses
    ("source=/x,target=/y", NAME_ERROR.format("/x")),
    ("source=x,target=/y", "create x: volume name is too short, names should be at least two alphanumeric characters"),
    ('type=bind,source="/a b",target=/y', 'parse error on line 1, column 18: bare " in non-quoted-field'),
    ('"a"b,c', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'),
    ('"abc', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'),
])
def test_mount_flag_refused_with_dockers_message(value, error):
    assert mount_flag(word(value)).error == error


@pytest.mark.parametrize("value, expected", [
    ("type=bind,source=C:\\data,target=C:\\data", ("bind", "C:\\data", "C:\\data", False, (), "refuse", None, True,
                                                   True)),
    ("type=bind,source=C:\\data,target=C:\\data,bind-create-src", ("bind", "C:\\data", "C:\\data", False,
                                                                   (("bind-create-src", "true"),), "refuse", None,
                                                                   True, True)),
    ("type=npipe,source=\\\\.\\pipe\\docker_engine,target=\\\\.\\pipe\\docker_engine",
     ("npipe", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\docker_engine", False, (), None, None, True, True)),
    ("type=npipe,source=\\\\.\\pipe\\a,target=\\\\.\\pipe\\a,readonly",
     ("npipe", "\\\\.\\pipe\\a", "\\\\.\\pipe\\a", True, (), None,
      mount_error("npipe", "field ReadOnly must not be specified"), True, True)),
    ("type=bind,src=C:\\x,dst=C:\\y,bind-propagation=rshared",
     ("bind", "C:\\x", "C:\\y", False, (("bind-propagation", "rshared"),), "refuse",
      mount_error("bind", "invalid propagation mode: rshared"), True, True)),
    ("type=volume,src=con,dst=C:\\d", ("volume", "con", "C:\\d", False, (), None,
                                       mount_error("volume", 'volume name "con" cannot be a reserved word for Windows '
                                                             'filenames'), True, True)),
    ("type=tmpfs,dst=C:\\t", ("tmpfs", None, "C:\\t", False, (), None, mount_error("tmpfs", "mount type unknown"),
                              True, True)),
    ("type=bind,src=C:\\x,dst=C:", ("bind", "C:\\x", "C:", False, (), "refuse",
                                    mount_error("bind", "destination path (c:) cannot be 'c:' or 'c:\\'"), True, True)),
])
def test_mount_flag_with_a_windows_target(value, expected):
    assert read(mount_flag(word(value))) == expected


@pytest.mark.parametrize("value, expected", [
    ("type=bind,source=$SRC,target=/data", ("bind", "$SRC", "/data", False, (), "refuse", None, False, False)),
    ("type=$T,source=x,target=/d", (None, "x", "/d", False, (), None, None, False, False)),
    ("type=bind,source=/x,target=/d,readonly=$RO", ("bind", "/x", "/d", None, (), "refuse", None, False, False)),
    ("type=bind,source=/x,target=/d,bind-create-src=$C", ("bind", "/x", "/d", False, (("bind-create-src", "$C"),),
                                                          None, None, False, False)),
    ("$MOUNT", (None, None, None, None, (), None, None, False, False)),
    ("type=bind,$EXTRA", (None, None, None, None, (), None, None, False, False)),
])
def test_an_unresolved_mount_is_read_only_as_far_as_it_is_certain(value, expected):
    assert read(mount_flag(word(value, resolved=False))) == expected


def test_a_dev_container_mount_string_is_a_mount_value():
    spec = mount_flag(Word(f"source={HERE}/.cache,target=/root/.cache,type=bind,consistency=cached",
                           "source=${localWorkspaceFolder}/.cache,...", SPAN, True), written_as="devcontainer")
    assert read(spec) == ("bind", HERE + "/.cache", "/root/.cache", False, (("consistency", "cached"),), "refuse",
                          None, True, False)
    assert spec.written_as == "devcontainer"


@pytest.mark.parametrize("value, expected", [
    ("type=bind,target=/data", ("bind", "/data", "/data", False, (), "refuse", None, True, False)),
    ("type=bind,src=/x,dst=/y,ro=false,U=true", ("bind", "/x", "/y", False, (("U", "true"),), "refuse", None, True,
                                                 False)),
    ("type=glob,src=/x*,dst=/y", ("glob", "/x*", "/y", False, (), None, None, True, False)),
    ("src=vol", ("volume", "vol", None, False, (), None, "must set volume destination", True, False)),
    ("type=weird,dst=/x", ("weird", None, "/x", False, (), None, 'invalid filesystem type "weird"', True, False)),
])
def test_podman_mount_flag(value, expected):
    assert read(mount_flag(word(value), engine="podman")) == expected


# --- --tmpfs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("/run", ("tmpfs", None, "/run", False, (), None, None, True, False)),
    ("/run:size=64m,mode=1777", ("tmpfs", None, "/run", False, (("size", "64m"), ("mode", "1777")), None, None, True,
                                 False)),
    ("/cache:ro,noexec", ("tmpfs", None, "/cache", True, (("noexec", ""),), None, None, True, False)),
    ("/", ("tmpfs", None, "/", False, (), None, "invalid specification: destination can't be '/'", True, False)),
    ("run", ("tmpfs", None, "run", False, (), None, "invalid mount path: 'run' mount path must be absolute", True,
             False)),
    # the CLI cuts at the first colon, drive letter or not
    ("C:\\t", ("tmpfs", None, "C", False, (("\\t", ""),), None, "invalid mount path: 'C' mount path must be absolute",
              True, False)),
])
def test_tmpfs_flag(value, expected):
    spec = tmpfs_flag(word(value))
    assert read(spec) == expected
    assert spec.written_as == "docker-tmpfs"


def test_an_unresolved_tmpfs_target_is_not_judged():
    assert read(tmpfs_flag(word("$T:size=1m", resolved=False))) == (
        "tmpfs", None, "$T", False, (("size", "1m"),), None, None, False, False)


# --- Go's CSV --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, fields, error", [
    ("a,b,c", ["a", "b", "c"], None),
    ("a,,", ["a", "", ""], None),
    ('"a,b",c', ["a,b", "c"], None),
    ('"say ""hi""",x', ['say "hi"', "x"], None),
    ('"two\nlines",x', ["two\nlines", "x"], None),
    ("a,b\nc,d", ["a", "b"], None),
    ("\n\na,b", ["a", "b"], None),
    ("a,b\r", ["a", "b"], None),
    ("", [], None),
    ('a,"b"', ["a", "b"], None),
    ('a,"b', ["a"], 'parse error on line 1, column 5: extraneous or missing " in quoted-field'),
    ('"a\nb', [], 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'),
    ('é,x"', ["é"], 'parse error on line 1, column 5: bare " in non-quoted-field'),
])
def test_csv_record_reads_as_go_does(text, fields, error):
    assert csv_record(text) == (fields, error)


# --- BuildKit's RUN --mount ------------------------------------------------------------------------

SCOPE = {"CACHE": ("/root/.cache", True)}
RUN_MOUNTS = ["type=cache,target=$CACHE/pip,sharing=locked", "type=bind,source=.,target=/src,ro", "target=/x",
              "type=secret,id=npmrc,dst=/root/.npmrc", "type=tmpfs,target=/deps", "TYPE=Cache,Target=/c",
              "type=ssh", "", "type=cache,target=${UNKNOWN}/x,mode=0755,uid=1000"]


@pytest.mark.parametrize("value", RUN_MOUNTS)
def test_buildkit_mount_reads_what_the_dockerfile_reader_reads(value):
    expected = parse_mounts((value,), SCOPE, "\\")
    assert (buildkit_mount(value, lambda raw: expand(raw, SCOPE, "\\").text),) == expected


def test_buildkit_mount_reads_quotes_as_go():
    assert buildkit_mount('type=bind,"source=a,b",target=/x', str) == RunMount("bind", "/x", {"source": "a,b"})
    assert buildkit_mount('type=bind,source=a"b', str) is None


# --- properties ----------------------------------------------------------------------------------------

_SPEC = st.text(alphabet='abC:/\\.~$,="= rwoz-', max_size=40)


@examples(500)
@given(_SPEC, st.booleans(), st.sampled_from(["docker", "podman"]))
def test_any_value_gives_a_spec_and_never_raises(text, resolved, engine):
    for spec in (volume_flag(word(text, resolved), engine=engine), mount_flag(word(text, resolved), engine=engine),
                 tmpfs_flag(word(text, resolved))):
        assert spec.span == SPAN
        assert spec.kind is None or isinstance(spec.kind, str)
        if not resolved:
            assert not spec.resolved
    csv_record(text)
