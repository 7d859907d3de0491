"""Our Compose model against the real Compose CLI, project by project.

Every Compose project in `fixtures/` and in the shared corpus, grouped as our workspace groups them,
is given to `docker-compose config --format json` with the same environment our loader gets (nothing of
the test's own environment; HOME, PWD, USER, UID, GID as symbols; the `.env` or the stand-in we read).
For each project Compose accepts, every service's image, user, platform, read_only, build, environment,
tmpfs and `volumes:` mounts, and its file-based secrets and configs, must be what our model says, under
both PyYAML loaders. Where Compose reports something differently from our model on purpose, the comparison
accounts for it and `COMPARISON_ADJUSTMENTS` says why; where Compose is wrong and our model differs,
`COMPOSE_QUIRKS` says so; `COMPOSE_BEHAVIOURS_FOLLOWED` lists what our model copies from Compose, however
surprising.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest
import yaml

from dockerstore_lint.inputs.compose.mounts import compose_path
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.model.container import Container, Mount
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import is_remote
from tests.compose_oracle import compose_config, needs_compose, our_spelling
from tests.corpora import CORPUS, CORPUS_RW

REPOSITORY = Path(__file__).resolve().parents[1]
FIXTURES = REPOSITORY / "fixtures"

LOADERS = [pytest.param(yaml.SafeLoader, id="pure")]
if getattr(yaml, "CSafeLoader", None):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))

# Where Compose itself is wrong and our model says something else on purpose (for the README).
COMPOSE_QUIRKS = {
    "include project_directory that does not exist": (
        "When an `include` entry names a `project_directory` that does not exist, Compose silently resolves "
        "the included file's relative paths (bind sources, build contexts) against the including project's "
        "directory instead. Our model resolves them against the directory the file names, as Compose does "
        "when it exists; `test_compose_model.py::test_include_project_directory_that_does_not_exist` "
        "watches Compose's behaviour."
    ),
}

# Surprising things Compose does that our model follows, because that is what Docker then gets.
COMPOSE_BEHAVIOURS_FOLLOWED = {
    "host paths": (
        "An absolute bind source or build context is used exactly as written (`/etc/x/`, `/a/../b`); `~` is the "
        "home directory followed by the rest, so `~user/x` is `$HOME/user/x`; `c:x` and `c:` are relative "
        "paths, only a drive with a separator is a Windows absolute path."
    ),
    "typed values": (
        "A plain environment or build-arg value is read as a YAML number, boolean or date and printed back by "
        "Go: `010` is `8`, `1.0` is `1`, `1e6` is `1e+06`, `True` is `true`, `2020-01-01` is "
        "`2020-01-01 00:00:00 +0000 UTC`. A quoted or interpolated value stays as written, and an "
        "interpolated empty value is an empty string, not a variable to look up."
    ),
    "booleans": "`read_only` and the like accept y, yes, true and on in any case; `1` and `t` are errors.",
    "secret and config targets": (
        "Without a target, a file-based secret is mounted at `/run/secrets/NAME` and a config at `/NAME`, for "
        "Windows containers too; a relative target goes under those directories, and so does `C:/x` (only `/x`, "
        "`\\\\x` and `C:\\x` count as absolute). A `volumes:` entry with the same target wins."
    ),
    "merging": (
        "A null value in an override file leaves the value it overrides alone; `build: DIR` merges as "
        "`{context: DIR}`; environment and build args merge by variable whether written as a mapping or a list; "
        "volumes merge by target, the short syntax's cleaned (`/x/` is `/x`)."
    ),
    "extends": (
        "`extends` is resolved file by file before the override file is merged, so an override file cannot "
        "change the parent a service extended, nor extend a service of another file without `file:`."
    ),
    "include": (
        "The including file is merged over what it includes, and an earlier include over a later one; a "
        "service defined in both is merged, not an error. A build without a context builds the directory of "
        "the project that loaded it (the included project's, not that of a file a service extends)."
    ),
    "default files": (
        "Without `-f`, Compose reads the first of compose.yaml, compose.yml, docker-compose.yml, "
        "docker-compose.yaml and merges the first of compose.override.yml, compose.override.yaml, "
        "docker-compose.override.yml, docker-compose.override.yaml, whatever the main file is called."
    ),
}

# How Compose's output differs from our model by design; the comparison undoes each difference in the
# place named, and none of them hides a disagreement about what Docker does.
COMPARISON_ADJUSTMENTS = {
    "dev container user": (
        "A service a dev container definition runs in (`dockerComposeFile` + `service`) gets the definition's "
        "`remoteUser` (else `containerUser`) as its user when the Compose file sets none: the editor's processes "
        "run as that user. Compose knows nothing of it; the user set in `devcontainer.json` is compared as unset."
    ),
    "one mount per target": (
        "Compose keeps one `volumes:` (and `tmpfs:`) entry per target: a later entry with the same target "
        "replaces the earlier one in place (the short syntax's target is compared after cleaning, `/x/` "
        "equals `/x`; the long syntax's as written). Our model keeps every entry so that rules can point at the "
        "one that is overridden; `compose_collapse` applies Compose's rule to our list."
    ),
    "unknown modes dropped": (
        "Compose silently drops short-syntax modes it does not know (`./d:/d:ro,bogus` mounts read-only). "
        "We keep the mount with the same type, source, target and mode and mark it `invalid` so that "
        "DSL002 can report the typo; `invalid` is not compared."
    ),
    "container paths as written": (
        "Compose prints a target cleaned as a POSIX path (`c:/x/./y/` -> `c:/x/y`) but leaves backslashes "
        "and drive letters alone. Our model normalises container paths once, for the container's OS "
        "(`C:\\x\\y`), so Compose's target goes through the same `container_path` before comparing."
    ),
    "secret and config mounts": (
        "Compose's `config` lists secrets and configs, not the read-only bind mounts `up` makes of the "
        "file-based ones; `file_mounts_of` makes them from its output the way `up` does."
    ),
    "build paths": (
        "Compose prints an absolute build context as written (`/abs//ctx/`) and the Dockerfile relative to "
        "it; our model holds both as absolute `Path`s, which name the same files."
    ),
    "remote build contexts": (
        "Compose prints a remote build context (a git or HTTP URL) as written. Our model never fetches one, "
        "so it has no `Build` for it (there is no Dockerfile to read); such builds are left out."
    ),
    "unset variables": (
        "A variable listed without a value that is set nowhere is `null` for Compose; our model leaves it out."
    ),
    "home paths": (
        "Our model keeps a home path as one (`~/x`, and `${HOME}/x` since HOME is `~`): whose home it is is not "
        "known. Compose needs a directory, so it runs with HOME set to a stand-in that `our_spelling` writes "
        "back as `~` in everything it prints."
    ),
    "escaped dollars": (
        "`config` prints a literal `$` in a value as `$$`, so that its output can be read again; `our_spelling` "
        "reads it back as one."
    ),
    ".env stand-ins": (
        "Without a `.env`, our model reads the `.env.example` (or the like) a project ships; Compose is given the "
        "same file with `--env-file`."
    ),
}


@dataclass
class Tally:
    projects: int = 0
    not_followed: int = 0  # not given to Compose, see `asks_compose`
    accepted: int = 0
    services: int = 0
    mounts: int = 0
    mounts_agreeing: int = 0
    file_mounts: int = 0
    variables: int = 0
    differences: list[str] = field(default_factory=list)

    def summary(self) -> str:
        agreement = 100.0 * self.mounts_agreeing / self.mounts if self.mounts else 100.0
        return (f"{self.projects} projects ({self.not_followed} with a reference we do not follow, left out), "
                f"{self.accepted} accepted by Compose, {self.services} services "
                f"compared, {self.mounts} volume mounts compared ({agreement:.1f}% agree), "
                f"{self.file_mounts} secret/config mounts and {self.variables} environment variables compared, "
                f"{len(self.differences)} differences")


def compose_targets() -> list[tuple[Path, list[Path]]]:
    """(root, paths to lint): each rule fixture on its own, as the fixture test lints it, and the two corpora."""
    targets = []
    if FIXTURES.is_dir():
        for folder in sorted(FIXTURES.iterdir()):
            if folder.is_dir():
                targets.extend((folder, [entry]) for entry in sorted(folder.iterdir())
                               if entry.name.startswith(("bad_", "good_")))
    targets.extend((corpus, [corpus]) for corpus in (CORPUS, CORPUS_RW) if corpus.is_dir())
    return targets


@functools.lru_cache(maxsize=None)
def workspace_projects(loader: type) -> tuple[Group, ...]:
    """Every project, with the ones Compose is asked about first (see `asks_compose`)."""
    projects: list[Group] = []
    for root, paths in compose_targets():
        workspace = WorkspaceLoader(root, root, Options(environ={}, yaml_loader=loader)).load(paths)
        projects.extend(_absolute_files(project, root) for project in workspace.groups)
    # Compose takes most of the time, waiting on its own start-up: ask about every project at once
    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        list(pool.map(lambda project: compose_result(project.directory, project.files, stand_in(project)),
                      [project for project in projects if asks_compose(project)]))
    return tuple(projects)


def asks_compose(project: Group) -> bool:
    """Not for a project with a reference we do not follow (DSL004): Compose would fetch a remote include
    over the network, and our model of such a project is knowingly partial."""
    return not any(problem.code == "DSL004" for problem in project.problems)


def _absolute_files(project: Group, root: Path) -> Group:
    # display paths are relative to the root the workspace was loaded from; the oracle needs them whole
    files = tuple(str(root / file) for file in project.files)
    dotenv = str(root / project.dotenv) if project.dotenv is not None else None
    return project._replace(files=files, dotenv=dotenv)


def stand_in(project: Group) -> Optional[str]:
    """The file read in place of the project's missing `.env`, if any."""
    return project.dotenv if project.dotenv is not None and Path(project.dotenv).name != ".env" else None


@functools.lru_cache(maxsize=None)
def compose_result(directory: Path, files: tuple[str, ...], env_file: Optional[str]) -> tuple[int, dict, str]:
    """Compose's view of a project, asked once per test session whichever loader we test."""
    status, config, error = compose_config(directory, [Path(file) for file in files], env={},
                                           env_file=Path(env_file) if env_file is not None else None)
    return status, our_spelling(config), error


def compose_collapse(mounts: list[Mount]) -> list[Mount]:
    """One mount per target, the last one in the place of the first, as Compose keeps them.

    Compose rejects a project in which two mounts that survive this have the same cleaned target, so for
    the projects it accepts collapsing on our normalised target is the same as collapsing on its key. The
    exception is a pair of Windows targets written differently (`C:\\x\\` and `C:\\x`): two mounts for
    Compose, which Docker then refuses; no project here has one.
    """
    by_target: dict[object, Mount] = {}
    for mount in mounts:
        key = mount.target.parts if mount.target is not None else None
        by_target[key] = mount
    return list(by_target.values())


def compose_file_mounts(mounts: tuple[Mount, ...]) -> list[Mount]:
    """Our secret and config mounts as `docker compose up` keeps them: see `file_mounts_of`."""
    taken = {m.target.parts for m in mounts if written_as(m, *VOLUMES_ENTRIES) and m.target is not None}
    kept: dict[object, Mount] = {}
    for purpose in ("secret", "config"):
        found = {m.target.parts: m for m in mounts if m.purpose == purpose and m.target is not None}
        for key, mount in found.items():
            if key not in taken and key not in kept:
                kept[key] = mount
    return list(kept.values())


# how the entries of a service's `volumes:` are written
VOLUMES_ENTRIES = ("compose-short", "compose-long")


def mount_view(mount: Mount) -> tuple:
    return mount.kind, compose_source(mount), mount.target.text if mount.target else None, mount.read_only


def compose_source(mount: Mount) -> Optional[str]:
    """A mount's source as `docker compose config` prints it: a bind's host path joined to the directory
    it is relative to."""
    if mount.host is None or mount.source is None:
        return mount.source
    return compose_path(mount.host.directory or Path("/"), mount.source)


def written_as(mount: Mount, *how: str) -> bool:
    return mount.purpose == "storage" and mount.written_as in how


def compose_mount_view(entry: dict, os_name: str) -> tuple:
    target = entry.get("target")
    return (entry.get("type"), entry.get("source"),
            container_path(target, os_name).text if target is not None else None, bool(entry.get("read_only")))


def file_mounts_of(service: dict, config: dict, volume_targets: set, os_name: str) -> list[tuple]:
    """Compose's file-based secrets and configs as the read-only bind mounts `docker compose up` makes.

    `config` prints what the files say; the mounts are made at `up` time: a missing target is
    `/run/secrets/NAME` or `/NAME`, a relative one goes under `/run/secrets/` or `/`, a target that a
    `volumes:` entry already mounts is skipped, and one mount is kept per target.
    """
    mounts: dict[str, tuple] = {}
    for section, directory in (("secrets", "/run/secrets/"), ("configs", "/")):
        found: dict[str, tuple] = {}
        for entry in service.get(section) or []:
            definition = (config.get(section) or {}).get(entry.get("source"), {})
            if "file" not in definition:
                continue  # environment and content ones are copied in, not mounted
            target = entry.get("target") or entry["source"]
            if not _compose_absolute(target):
                target = directory + target
            text = container_path(target, os_name).text
            found[text] = ("bind", definition["file"], text, True)
        for text, mount in found.items():
            if text not in volume_targets and text not in mounts:
                mounts[text] = mount
    return list(mounts.values())


def _compose_absolute(target: str) -> bool:
    # what Compose counts as absolute for a secret or config target: `/x`, `\\\\server\\x`, `C:\\x`; not `C:/x`
    return target.startswith(("/", "\\\\")) or (len(target) > 2 and target[1] == ":" and target[2] == "\\")


def compare_service(where: str, ours: Container, theirs: dict, config: dict, tally: Tally) -> None:
    differences = tally.differences

    def check(what: str, our_value, their_value) -> None:
        if our_value != their_value:
            differences.append(f"{where}: {what}: ours {our_value!r}, Compose {their_value!r}")

    check("image", ours.image.value if ours.image else None, theirs.get("image"))
    # see COMPARISON_ADJUSTMENTS["dev container user"]
    compose_user = ours.user if ours.user and not ours.user.span.file.endswith("devcontainer.json") else None
    check("user", compose_user.value if compose_user else None, theirs.get("user"))
    check("platform", ours.platform, theirs.get("platform"))
    check("read_only", ours.read_only, bool(theirs.get("read_only")))
    check("build", _build_view(ours), _compose_build_view(theirs.get("build")))
    # see COMPARISON_ADJUSTMENTS["unset variables"]
    their_environment = {k: v for k, v in (theirs.get("environment") or {}).items() if v is not None}
    tally.variables += len(their_environment)
    check("environment", dict(ours.environment), their_environment)
    if ours.build is not None:
        their_args = ((theirs.get("build") or {}).get("args")) or {}
        check("build args", dict(ours.build.args), {k: v for k, v in their_args.items() if v is not None})

    os_name = _service_os(ours)
    volume_mounts = compose_collapse([m for m in ours.mounts if written_as(m, *VOLUMES_ENTRIES)])
    our_volumes = [mount_view(m) for m in volume_mounts]
    their_volumes = [compose_mount_view(entry, os_name) for entry in theirs.get("volumes") or []]
    tally.mounts += len(their_volumes)
    tally.mounts_agreeing += sum(1 for mount in their_volumes if mount in our_volumes)
    check("volumes", our_volumes, their_volumes)

    tmpfs_mounts = compose_collapse([m for m in ours.mounts if written_as(m, "compose-tmpfs")])
    their_tmpfs = [container_path(entry.partition(":")[0], os_name).text for entry in _as_list(theirs.get("tmpfs"))]
    check("tmpfs", [m.target.text if m.target else None for m in tmpfs_mounts], their_tmpfs)

    our_files = [mount_view(m) for m in compose_file_mounts(ours.mounts)]
    their_files = file_mounts_of(theirs, config, {m[2] for m in their_volumes}, os_name)
    tally.file_mounts += len(their_files)
    check("secret/config mounts", sorted(our_files), sorted(their_files))


def _service_os(service: Container) -> str:
    targets = [m.target for m in service.mounts if m.target is not None]
    return "windows" if any(t.os == "windows" for t in targets) else "linux"


def _build_view(service: Container) -> Optional[tuple]:
    build = service.build
    if build is None:
        return None
    return build.context, build.dockerfile, build.target


def _compose_build_view(build: Optional[dict]) -> Optional[tuple]:
    if build is None or is_remote(build["context"]):
        return None  # see COMPARISON_ADJUSTMENTS["remote build contexts"]
    # see COMPARISON_ADJUSTMENTS["build paths"]
    context = Path(build["context"])
    dockerfile = None if "dockerfile_inline" in build else \
        Path(os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile"))))
    return context, dockerfile, build.get("target")


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def compare_all(loader: type) -> Tally:
    tally = Tally()
    for project in workspace_projects(loader):
        tally.projects += 1
        if not asks_compose(project):
            tally.not_followed += 1
            continue
        status, config, _ = compose_result(project.directory, project.files, stand_in(project))
        if status != 0:
            continue
        tally.accepted += 1
        theirs = config.get("services") or {}
        where = project.files[0]
        if set(theirs) != set(project.containers):
            tally.differences.append(f"{where}: services: ours {sorted(project.containers)}, Compose {sorted(theirs)}")
        for name, service in project.containers.items():
            if name in theirs:
                tally.services += 1
                compare_service(f"{where} {name}", service, theirs[name], config, tally)
    return tally


@needs_compose
@pytest.mark.parametrize("loader", LOADERS)
def test_every_project_compose_accepts_agrees_with_our_model(loader):
    tally = compare_all(loader)
    print(f"\n{loader.__name__}: {tally.summary()}")
    for difference in tally.differences:
        print("  " + difference)
    assert tally.accepted > 0, tally.summary()
    assert tally.differences == [], tally.summary()


@needs_compose
@pytest.mark.parametrize("loader", LOADERS)
def test_projects_compose_accepts_have_no_parse_problems(loader):
    reported = []
    for project in workspace_projects(loader):
        if asks_compose(project) and compose_result(project.directory, project.files, stand_in(project))[0] == 0:
            reported.extend(f"{project.files[0]}: {p.message} ({p.span.file}:{p.span.line})"
                            for p in project.problems if p.code == "DSL001")
    assert reported == []
