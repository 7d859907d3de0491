"""Short and long volume syntax -> Mount, checked against the real Compose CLI."""

from pathlib import Path

import pytest
import yaml

from dockerstore_lint.inputs.compose.documents import load_document
from dockerstore_lint.inputs.compose.mounts import MountReader, split_short_volume
from dockerstore_lint.text.sources import Source
from tests.compose_oracle import compose_config, needs_compose, our_spelling
from tests.corpora import CORPUS
from tests.test_compose_oracle import compose_source

SPECS_FILE = CORPUS / "compose-spec__compose-go/_extracted/format/volume_test.go/short-syntax-specs.yaml"


def _specs() -> list[str]:
    if not SPECS_FILE.is_file():
        return []
    return list(dict.fromkeys(entry["spec"] for entry in yaml.safe_load(SPECS_FILE.read_text())["specs"]))


def volume_nodes(text: str, root: Path) -> list:
    """The `volumes:` entries of service `s` as the real pipeline reads them: interpolated, with an
    empty environment (the same one the Compose oracle gets)."""
    document = load_document(Source(root / "compose.yaml", "compose.yaml", text), root, {}.get)
    assert document.tree is not None, document.problems
    return document.tree.get("services").get("s").get("volumes").items


def mounts_of(text: str, root: Path, os_name: str = "linux"):
    reader = MountReader(root, os_name)
    return [reader.volume(item) for item in volume_nodes(text, root)]


@pytest.mark.parametrize(
    ("spec", "source", "target", "modes"),
    [
        ("/data", None, "/data", ()),
        ("ab", None, "ab", ()),
        ("./src:/app:ro", "./src", "/app", ("ro",)),
        ("C:\\source\\foo:D:\\target:ro,rprivate", "C:\\source\\foo", "D:\\target", ("ro", "rprivate")),
        ("c:\\:d:\\", "c:\\", "d:\\", ()),
        ("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\inside", "\\\\.\\pipe\\docker_engine", "\\\\.\\pipe\\inside", ()),
        ("name:D::RW", "name", "D:", ("RW",)),
        ("/foo:/foo:ro:foo", None, None, None),
        ("", None, None, None),
    ],
)
def test_split_short_volume(spec, source, target, modes):
    parsed = split_short_volume(spec)
    if modes is None:
        assert parsed.error
    else:
        assert (parsed.source, parsed.target, parsed.modes, parsed.error) == (source, target, modes, None)


def test_unknown_mode_and_relative_target_are_invalid(tmp_path):
    bad_mode, relative, good = mounts_of(
        "services:\n  s:\n    volumes: ['./d:/d:bogus', './d:relative', 'data:/data:ro,nocopy']\n", tmp_path)
    assert bad_mode.invalid == "unknown mode 'bogus' in './d:/d:bogus'"
    assert relative.invalid == "container path 'relative' is not absolute"
    assert good.invalid is None and good.read_only and good.options == {"nocopy": True}


def test_long_syntax(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.conf").write_text("x")
    text = (
        "services:\n  s:\n    volumes:\n"
        "      - type: bind\n        source: ./conf/app.conf\n        target: /etc/app.conf\n        read_only: true\n"
        "      - type: volume\n        target: /anon\n"
        "      - type: tmpfs\n        target: /tmp\n        tmpfs:\n          size: 64m\n"
        "      - type: bogus\n        target: /x\n"
        "      - type: volume\n        source: data\n"
    )
    bind, anon, tmpfs, bogus, no_target = mounts_of(text, tmp_path)
    assert (bind.kind, compose_source(bind), bind.target.text, bind.read_only) == (
        "bind", str(tmp_path / "conf/app.conf"), "/etc/app.conf", True)
    assert bind.host.base == "directory" and bind.host.exists and bind.host.is_file
    assert anon.anonymous and anon.span.line == 8
    assert tmpfs.kind == "tmpfs" and tmpfs.options == {"size": "64m"}
    assert bogus.invalid.startswith("unknown mount type 'bogus'")
    assert no_target.invalid == "long syntax without `target`"


def test_missing_bind_source_is_known_to_be_missing(tmp_path):
    (mount,) = mounts_of("services:\n  s:\n    volumes: ['./nginx.conf:/etc/nginx/nginx.conf:ro']\n", tmp_path)
    assert mount.host.exists is False and mount.host.inside_root


def test_bind_outside_root_is_not_looked_at(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (mount,) = mounts_of("services:\n  s:\n    volumes: ['../secret:/s']\n", root)
    assert mount.host.exists is None and not mount.host.inside_root


@needs_compose
@pytest.mark.skipif(not SPECS_FILE.is_file(), reason="corpus not available")
def test_every_compose_go_short_spec_agrees_with_compose(tmp_path):
    disagreements = []
    specs = _specs()
    for index, spec in enumerate(specs):
        directory = tmp_path / f"p{index}"
        directory.mkdir()
        text = "services:\n  s:\n    volumes:\n      - " + _quote(spec) + "\n"
        (node,) = volume_nodes(text, directory)
        parsed = split_short_volume(node.value)
        top = ""
        mount = None
        if not parsed.error:
            (mount,) = mounts_of(text, directory)
            if mount.kind == "volume" and mount.source:
                top = f"volumes:\n  {_quote(mount.source)}: {{}}\n"
        compose_file = directory / "compose.yaml"
        compose_file.write_text("services:\n  s:\n    image: x\n    volumes:\n      - " + _quote(spec) + "\n" + top)
        status, config, error = compose_config(directory, [compose_file])
        if parsed.error:
            if status == 0:
                disagreements.append((spec, "we reject, Compose accepts"))
            continue
        if status != 0:
            disagreements.append((spec, f"Compose rejects: {error}"))
            continue
        (theirs,) = our_spelling(config["services"]["s"]["volumes"])
        ours = {"type": mount.kind, "source": compose_source(mount),
                "target": mount.target.text if mount.target else None, "read_only": mount.read_only}
        expected = {"type": theirs["type"], "source": theirs.get("source"), "target": theirs["target"],
                    "read_only": theirs.get("read_only", False)}
        if ours["target"] != expected["target"]:
            # we normalise container paths (C:/x -> C:\x); Compose keeps them as written
            ours["target"] = split_short_volume(node.value).target
        if ours != expected:
            disagreements.append((spec, ours, expected))
    assert disagreements == [], disagreements
    assert len(specs) > 50


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
