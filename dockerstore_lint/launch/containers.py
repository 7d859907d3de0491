"""A file's docker commands -> the containers they start, as one group: what the command line means.

`docker_cli` says what a command line is; this says what Docker makes of it, in the model's terms. The
commands of one file (a script, a Makefile, a CI job, a Markdown page) are read in order, as one group:
`docker volume create` declares a named volume for the containers after it, and `docker build -t NAME`
links a later `docker run NAME` to the Dockerfile it builds. Named volumes that nothing creates are made
by `docker run` on first use, so the group's volumes are "created on demand".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from dockerstore_lint.launch.docker_cli import interpret
from dockerstore_lint.launch.invocations import ImageBuild, Invocation, VolumeCreation
from dockerstore_lint.launch.mount_spec import MountSpec, mount_flag, volume_flag
from dockerstore_lint.model.container import BIND, NPIPE, STORAGE, Build, Container, Mount, VolumesFrom
from dockerstore_lint.model.container_paths import container_path, looks_windows
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.group import Group, NamedVolume
from dockerstore_lint.model.host_paths import host_path, is_file, is_inside
from dockerstore_lint.model.span import Setting, Span
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand, Word

if TYPE_CHECKING:
    from dockerstore_lint.inputs.devcontainer import DevContainer
    from dockerstore_lint.inputs.github_actions import JobContainer
    from dockerstore_lint.inputs.python.launches import PythonContainer, Text, VolumeDeclaration
    from dockerstore_lint.loader import WorkspaceLoader

# how a message shows the known directory a path starts from: `$PWD` where a shell runs the commands, and in
# definitions no shell reads (by group kind), the variable they write for the repository; the home is `~`
_HERE_SHOWN = {"devcontainer": "${localWorkspaceFolder}", "ci-job": "${{ github.workspace }}"}


class CommandGroup:
    """The containers, named volumes and image builds of one file's commands, read in order."""

    def __init__(self, loader: WorkspaceLoader, path: Path, file: str, kind: str, throwaway: bool = False,
                 knows_directory: bool = True, host_os: Optional[str] = None):
        self.loader = loader
        self.host_os = host_os  # see Group.host_os
        # whether `$PWD` in the file's commands is the directory the readers say (a script's own, a CI
        # checkout), or whatever directory a reader of a page happens to be in
        self.knows_directory = knows_directory
        self.path = path
        self.file = file
        self.kind = kind
        self.throwaway = throwaway  # every container of the file is (a CI job's services)
        self.containers: dict[str, Container] = {}
        self.volumes: dict[str, NamedVolume] = {}
        self._builds: dict[str, tuple[Build, Path]] = {}  # image tag -> the build and its Dockerfile

    def add(self, command: SimpleCommand, discarded: bool = False) -> None:
        """Read one command; `discarded` when the machine it runs on is discarded after it (a CI job on a hosted
        runner), with the containers it starts."""
        recognised = interpret(command)
        if isinstance(recognised, Invocation) and recognised.image is not None:
            container = self.container(recognised, command.directory if self.knows_directory else None)
            if discarded:
                container = container._replace(throwaway=True)
            self.containers[f"{container.span.line}:{container.span.column}"] = container
        elif isinstance(recognised, VolumeCreation) and recognised.name is not None and recognised.name.resolved:
            self.volumes[recognised.name.value] = _volume(recognised)
        elif isinstance(recognised, ImageBuild):
            self._build(recognised, command.directory)

    def container(self, invocation: Invocation, directory: Optional[Path]) -> Container:
        image = invocation.image
        assert image is not None
        build, dockerfile, stage = self._built(image)
        shown = self.shown(image.value)  # what is unknown in it stays as written
        name = invocation.name.value if invocation.name is not None and invocation.name.resolved else ""
        label = f"the container of `{invocation.tool} {invocation.subcommand} {_short(shown)}`" + \
            (f" ('{name}')" if name else "")
        # a --mount value the shell split at a space: Docker refuses the command, for the piece it gets as the
        # mount or for the next piece taken as the image; the interpreter says which
        split = {(problem.span.line, problem.span.column): self.shown(problem.message)
                 for problem in invocation.problems if problem.kind == "split-mount"}
        return Container(
            label=label,
            name=name,
            origin="command",
            engine=invocation.tool,
            span=invocation.span,
            image=Setting(shown, image.span, image.resolved),
            build=build,
            dockerfile=dockerfile,
            stage=stage,
            user=_setting(invocation.user),
            platform=invocation.platform.value if invocation.platform is not None else None,
            read_only=bool(invocation.read_only),
            environment=dict(_pair(word) for word in invocation.environment if word.resolved and "=" in word.value),
            command=tuple(word.value for word in invocation.command),
            entrypoint=(invocation.entrypoint.value,) if invocation.entrypoint is not None else None,
            workdir=invocation.workdir.value if invocation.workdir is not None and invocation.workdir.resolved
            else None,
            mounts=tuple(self.mount(spec, directory, split.get((spec.span.line, spec.span.column)))
                         for spec in invocation.mounts),
            volumes_from=tuple(VolumesFrom(entry.container, bool(entry.read_only), entry.word.span)
                               for entry in invocation.volumes_from if entry.error is None),
            throwaway=self.throwaway or bool(invocation.remove),
        )

    def mount(self, spec: MountSpec, directory: Optional[Path], refused: Optional[str] = None) -> Mount:
        """The mount a flag makes; `refused` says why Docker refuses the command it is in, when the flag's
        value is not the problem by itself."""
        target = container_path(spec.target, "windows" if spec.windows or looks_windows(spec.target)
                                else "linux") if spec.target else None
        host = None
        source = spec.source
        if spec.kind in (BIND, NPIPE) and spec.source:
            source = self.shown(spec.source)
            host = host_path(spec.source, self.loader.root, relative_to=None, here=directory, written=source,
                             resolved=spec.resolved, ignored=self.loader.git_ignored)
        return Mount(spec.kind or "unknown", target, spec.span, source, host, bool(spec.read_only), STORAGE,
                     spec.written_as, spec.missing_source or "create", dict(spec.options), refused or spec.error,
                     spec.resolved and spec.kind is not None, unknown_modes=spec.unknown_modes)

    def shown(self, value: str) -> str:
        """A value for messages: the known directories as the file's kind writes them (Python code names its
        own directory, shown as the repository's path to it)."""
        here = self.loader.display(self.path.parent) if self.kind == "python" else _HERE_SHOWN.get(self.kind, "$PWD")
        return value.replace(HERE, here).replace(HOME, "~")

    def add_declared(self, declared: JobContainer) -> None:
        """A container a CI runner starts from a declaration (`image`, `volumes`, `options`), as `docker create`
        would with those flags."""
        if declared.image is None:
            return
        words = (*_words(declared.span, "docker", "create"), *declared.options,
                 *(word for volume in declared.volumes for word in (_word(volume.span, "-v"), volume)), declared.image)
        recognised = interpret(SimpleCommand(words, declared.span, declared.directory))
        if isinstance(recognised, Invocation) and recognised.image is not None:
            container = self.container(recognised, declared.directory)
            label = f"the container of job '{declared.job}'" if declared.name == "container" \
                else f"service '{declared.name}' of job '{declared.job}'"
            self.containers[declared.name] = container._replace(label=label, name=declared.name, origin="ci",
                                                                span=declared.span)

    def add_dev_container(self, dev: DevContainer) -> None:
        """The container a dev container definition describes: its image or build, the workspace mount, its
        `mounts` and `runArgs`, and the user the editor's processes run as."""
        words = [*_words(dev.span, "docker", "run"), *dev.run_args]
        mounts = [dev.workspace_mount or _default_workspace_mount(dev)]
        mounts += [mount if isinstance(mount, Word) else mount.as_mount_word() for mount in dev.mounts]
        for mount in mounts:
            words += [_word(mount.span, "--mount"), mount]
        image = dev.image or _word(dev.span, "dev-container-image")
        recognised = interpret(SimpleCommand((*words, image), dev.span, dev.directory))
        if not isinstance(recognised, Invocation) or recognised.image is None:
            return
        container = self.container(recognised, dev.directory)
        user = dev.remote_user or dev.container_user
        build, dockerfile, stage = self._dev_build(dev)
        self.containers["devcontainer"] = container._replace(
            label="the dev container", origin="devcontainer", span=dev.span,
            image=container.image if dev.image is not None else None,
            build=build, dockerfile=dockerfile, stage=stage,
            user=_setting(user) if user is not None else container.user)

    def add_sdk(self, sdk: PythonContainer) -> None:
        """A container Python code starts (docker-py, testcontainers), read as `docker run` with the same
        settings; its `volumes=` go to the engine's API as written (no relative path made absolute) and its
        `Mount(...)`s as `--mount` values. A container whose mounts are built in a way the reader could not
        follow, or that runs on another machine's engine, is left out: what it mounts is not known."""
        if sdk.image is None or sdk.daemon is not None or set(sdk.opaque) & _HIDES_MOUNTS:
            return
        directory = self.path.parent  # what `os.getcwd()` and `__file__` stand for (HERE)
        words = [*_words(sdk.span, "docker", "create" if sdk.api == "containers.create" else "run")]
        for flag, values in (("--name", (sdk.name,)), ("--user", (sdk.user,)), ("--workdir", (sdk.working_dir,)),
                             ("--platform", (sdk.platform,)), ("--env", sdk.environment),
                             ("--volumes-from", sdk.volumes_from), ("--tmpfs", sdk.tmpfs)):
            for value in values:
                if value is not None:
                    words += [_word(value.span, flag), _sdk_word(value)]
        if sdk.read_only is not None and sdk.read_only.value:
            words.append(_word(sdk.read_only.span, "--read-only"))
        words += [_sdk_word(sdk.image), *(_sdk_word(word) for word in sdk.command)]
        recognised = interpret(SimpleCommand(tuple(words), sdk.span, directory))
        if not isinstance(recognised, Invocation) or recognised.image is None:
            return
        container = self.container(recognised, directory)
        specs = [volume_flag(_sdk_word(bind.spec), api=True)._replace(written_as="sdk") for bind in sdk.volumes]
        specs += [mount_flag(_sdk_word(call.as_flag_value("Mount(...)")), written_as="sdk-mount")
                  for call in sdk.mounts]
        kind = "testcontainers" if sdk.api == "testcontainers" else sdk.api
        image = sdk.image.value if sdk.image.resolved else sdk.image.written
        self.containers[f"{sdk.span.line}:{sdk.span.column}"] = container._replace(
            label=f"the container of `{kind}({_short(image)})`" + (f" ('{container.name}')" if container.name else ""),
            origin="python",
            mounts=container.mounts + tuple(self.mount(spec, directory) for spec in specs),
            throwaway=container.throwaway or sdk.throwaway)

    def add_sdk_volume(self, declared: VolumeDeclaration) -> None:
        """`client.volumes.create(NAME, driver=..., driver_opts=...)`, as `docker volume create`."""
        if declared.name is None or not declared.name.resolved or declared.daemon is not None:
            return
        options = dict(_pair(_sdk_word(text)) for text in declared.options if text.resolved and "=" in text.value)
        driver = declared.driver.value if declared.driver is not None and declared.driver.resolved else None
        self.volumes[declared.name.value] = NamedVolume(declared.name.value, declared.name.span, driver, options)

    def _dev_build(self, dev: DevContainer) -> tuple[Optional[Build], Optional[Dockerfile], Optional[Stage]]:
        """The Dockerfile a dev container builds: `build.dockerfile`, relative to the definition's folder."""
        if dev.dockerfile is None or not dev.dockerfile.resolved:
            return None, None, None
        folder = self.path.parent
        path = Path(os.path.normpath(folder / dev.dockerfile.value))
        context = Path(os.path.normpath(folder / dev.context.value)) if dev.context is not None \
            and dev.context.resolved else path.parent
        if not is_inside(path, self.loader.root) or not is_file(path):
            return None, None, None
        target = dev.target.value if dev.target is not None and dev.target.resolved else None
        build = Build(context, path, target, False, dev.dockerfile.span)
        dockerfile = self.loader.dockerfile(path)
        return build, dockerfile, dockerfile.stage(target) if dockerfile is not None else None

    def group(self, label: Optional[str] = None) -> Optional[Group]:
        if not self.containers and not self.volumes:
            return None
        return Group(label or f"{self.kind} {self.file}", self.kind, self.file, None, (self.file,), self.containers,
                     self.volumes, volumes_on_demand=True, host_os=self.host_os)

    def _build(self, build: ImageBuild, directory: Optional[Path]) -> None:
        """Remember which Dockerfile a tag is built from, when the context is a directory of the repository."""
        if build.context is None or not build.context.resolved or not build.tags:
            return
        context = self._directory(build.context.value, directory)
        if context is None:
            return
        if build.file is not None:
            dockerfile = self._directory(build.file.value, directory, is_directory=False)
            if dockerfile is None:
                return
        else:
            dockerfile = context / "Dockerfile"
        target = build.target.value if build.target is not None and build.target.resolved else None
        span = build.span
        for tag in build.tags:
            if tag.resolved:
                self._builds[tag.value] = (Build(context, dockerfile, target, False, span), dockerfile)

    def _directory(self, value: str, directory: Optional[Path], is_directory: bool = True) -> Optional[Path]:
        """A path a build names, in the repository: from the known directory `$PWD` stands for; a relative one
        from the directory the commands run in when that is not the file's own (a CI job's checkout), else from
        the file's own directory or the root, when exactly one of them has it."""
        if value.startswith(HERE):
            if directory is None:
                return None
            candidates = [Path(os.path.normpath(os.path.join(directory, value[len(HERE):].lstrip("/"))))]
        elif value.startswith(("/", "~", HOME)) or "://" in value or value == "-":
            return None
        else:
            bases = (directory,) if directory is not None and directory != self.path.parent \
                else (self.path.parent, self.loader.root)
            candidates = list(dict.fromkeys(Path(os.path.normpath(os.path.join(base, value))) for base in bases))
        found = [c for c in candidates if is_inside(c, self.loader.root)
                 and (os.path.isdir(c) if is_directory else is_file(c))]
        return found[0] if len(found) == 1 else None

    def _built(self, image: Word) -> tuple[Optional[Build], Optional[Dockerfile], Optional[Stage]]:
        known = self._builds.get(image.value) if image.resolved else None
        if known is None:
            return None, None, None
        build, path = known
        dockerfile = self.loader.dockerfile(path) if is_file(path) else None
        stage = dockerfile.stage(build.target) if dockerfile is not None else None
        return build, dockerfile, stage


def _word(span: Span, text: str) -> Word:
    """A word the definition implies rather than writes (`docker`, `-v`), placed where it is defined."""
    return Word(text, text, span)


def _words(span: Span, *texts: str) -> tuple[Word, ...]:
    return tuple(_word(span, text) for text in texts)


# arguments that, written in a form the Python reader does not follow, may hold mounts
_HIDES_MOUNTS = frozenset(("volumes", "mounts", "tmpfs", "volumes_from", "*", "**"))


def _sdk_word(text: Text) -> Word:
    return Word(text.value, text.written, text.span, text.resolved)


def _default_workspace_mount(dev: DevContainer) -> Word:
    """What the Dev Containers CLI mounts when `workspaceMount` is not set: the repository, at the workspace
    folder."""
    folder = dev.workspace_folder.value if dev.workspace_folder is not None and dev.workspace_folder.resolved \
        else f"/workspaces/{dev.directory.name}"
    return Word(f"type=bind,source={HERE},target={folder},consistency=cached", "the workspace", dev.span)


def _volume(creation: VolumeCreation) -> NamedVolume:
    assert creation.name is not None
    options = dict(_pair(word) for word in creation.options if word.resolved and "=" in word.value)
    driver = creation.driver.value if creation.driver is not None and creation.driver.resolved else None
    return NamedVolume(creation.name.value, creation.name.span, driver, options)


def _pair(word: Word) -> tuple[str, str]:
    key, _, value = word.value.partition("=")
    return key, value


def _setting(word: Optional[Word]) -> Optional[Setting]:
    return Setting(word.value, word.span, word.resolved) if word is not None else None




def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

