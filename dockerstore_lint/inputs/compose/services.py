"""A resolved Compose tree -> the `Container` of each service, and the `NamedVolume`s the project declares."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional

from dockerstore_lint.inputs.compose.mounts import MountReader, compose_path, split_short_volume
from dockerstore_lint.model.container import CONFIG, SECRET, Build, Container, Mount, VolumesFrom
from dockerstore_lint.model.container_paths import looks_windows
from dockerstore_lint.model.dockerfile import Dockerfile, Stage
from dockerstore_lint.model.group import NamedVolume
from dockerstore_lint.model.host_paths import exists, is_inside, is_remote
from dockerstore_lint.model.images import image_os, parse_image
from dockerstore_lint.model.span import INVALID, Problem, Setting, Span
from dockerstore_lint.text.yaml_nodes import (
    YMap,
    YNode,
    YScalar,
    YSeq,
    is_null,
    is_true,
    sequence_items,
    text_of,
)

# (build context, dockerfile path or inline text, is_inline, span) -> the parsed Dockerfile, if any
DockerfileLookup = Callable[[Path, Optional[Path], Optional[YScalar], Span], Optional[Dockerfile]]


class ServiceContext:
    __slots__ = ("root", "dockerfiles", "env_files", "lookup", "secrets", "configs", "ignored", "problems")

    def __init__(self, root: Path, dockerfiles: DockerfileLookup,
                 env_files: Callable[[list[tuple[Path, Span]]], dict[str, str]],
                 lookup: Callable[[str], Optional[str]], secrets: Optional[YMap] = None,
                 configs: Optional[YMap] = None, ignored: Optional[Callable[[Path], bool]] = None) -> None:
        self.root = root
        self.dockerfiles = dockerfiles
        self.env_files = env_files  # the variables of env files read in order
        self.lookup = lookup
        self.secrets = secrets
        self.configs = configs
        self.ignored = ignored
        self.problems: list[Problem] = []

    def invalid(self, node: YNode, message: str) -> None:
        self.problems.append(Problem(INVALID, f"invalid Compose file: {message}", node.span))


def read_service(name: YScalar, node: YNode, context: ServiceContext) -> Optional[Container]:
    if isinstance(node, YScalar) and node.is_null:
        node = YMap([], node.span, node.base)
    if not isinstance(node, YMap):
        context.invalid(node, f"service '{name.value}' must be a mapping")
        return None
    image_node = node.get("image")
    image = text_of(image_node) or None
    build = _build(node.get("build"), node.key("build"), context, name.value)
    dockerfile = stage = None
    if build is not None:
        dockerfile = context.dockerfiles(build.context, build.dockerfile, _inline(node.get("build")), build.span)
        if dockerfile is not None:
            stage = dockerfile.stage(build.target)
        elif build.dockerfile is not None and is_inside(build.dockerfile, context.root):
            build = build._replace(dockerfile_exists=exists(build.dockerfile))
    platform = text_of(node.get("platform")) or None
    os_name = _service_os(platform, image, stage, node.get("volumes"))
    reader = MountReader(context.root, os_name, context.ignored)
    mounts: list[Mount] = []
    volumes = node.get("volumes")
    if volumes is not None and not isinstance(volumes, YSeq) and not is_null(volumes):
        context.invalid(volumes, f"services.{name.value}.volumes must be a list")
    for item in sequence_items(volumes) if isinstance(volumes, YSeq) else []:
        mounts.append(reader.volume(item))
    for item in sequence_items(node.get("tmpfs")):
        if isinstance(item, YScalar):
            mounts.append(reader.tmpfs(item))
    mounts.extend(_file_mounts(node, SECRET, context.secrets, reader))
    mounts.extend(_file_mounts(node, CONFIG, context.configs, reader))
    user_node = node.get("user")
    user = Setting(user_node.value, user_node.span, not user_node.unset) \
        if isinstance(user_node, YScalar) and text_of(user_node) else None
    return Container(
        label=f"service '{name.value}'",
        name=name.value,
        origin="compose",
        span=name.span,
        image=Setting(image, image_node.span, not image_node.unset) if image and isinstance(image_node, YScalar)
        else None,
        build=build,
        dockerfile=dockerfile,
        stage=stage,
        user=user,
        platform=platform,
        read_only=is_true(node.get("read_only")),
        environment=_environment(node, context),
        command=_command(node.get("command")),
        entrypoint=_entrypoint(node.get("entrypoint")),
        workdir=text_of(node.get("working_dir")) or None,
        mounts=tuple(mounts),
        volumes_from=tuple(_volumes_from(node.get("volumes_from"))),
    )


def read_volume(name: YScalar, node: YNode, context: ServiceContext) -> Optional[NamedVolume]:
    if isinstance(node, YScalar) and node.is_null:
        return NamedVolume(name.value, name.span)
    if not isinstance(node, YMap):
        context.invalid(node, f"volume '{name.value}' must be a mapping")
        return None
    external_node = node.get("external")
    external = is_true(external_node) or isinstance(external_node, YMap)
    real_name = text_of(node.get("name")) or None
    if isinstance(external_node, YMap):
        real_name = real_name or text_of(external_node.get("name")) or None
    options = node.get("driver_opts")
    driver_opts = {k.value: v.value for k, v in options.pairs if isinstance(v, YScalar)} \
        if isinstance(options, YMap) else {}
    return NamedVolume(name.value, name.span, text_of(node.get("driver")) or None, driver_opts, external, real_name)


def _build(node: Optional[YNode], key: Optional[YScalar], context: ServiceContext,
           service: str) -> Optional[Build]:
    if node is None or key is None or is_null(node):
        return None
    if isinstance(node, YScalar):
        if is_remote(node.value):
            return None
        build_context = Path(compose_path(node.base, node.value))
        return Build(build_context, build_context / "Dockerfile", None, False, key.span)
    if not isinstance(node, YMap):
        context.invalid(node, f"services.{service}.build must be a string or a mapping")
        return None
    context_node = node.get("context")
    context_text = text_of(context_node) or "."
    if is_remote(context_text):
        return None  # a remote build context is not fetched: the image is unknown, as for `image:`
    # the context node's own directory: after a merge it may come from another file than `build:`
    base = context_node.base if context_node is not None else node.base
    build_context = Path(compose_path(base, context_text))
    inline = _inline(node)
    dockerfile_text = text_of(node.get("dockerfile")) or "Dockerfile"
    # the builder reads a relative Dockerfile path from the context, `~` included
    dockerfile = None if inline is not None else Path(os.path.normpath(os.path.join(build_context, dockerfile_text)))
    args: dict[str, str] = {}
    for name, value in _pairs(node.get("args")):
        if value is not None:
            args[name] = value
    return Build(build_context, dockerfile, text_of(node.get("target")) or None, inline is not None, key.span, args)


def _inline(node: Optional[YNode]) -> Optional[YScalar]:
    if isinstance(node, YMap):
        inline = node.get("dockerfile_inline")
        if isinstance(inline, YScalar) and not inline.is_null:
            return inline
    return None


def _file_mounts(node: YMap, purpose: str, top: Optional[YMap], reader: MountReader) -> list[Mount]:
    """Secrets and configs backed by a file become read-only single-file bind mounts.

    Plain Compose puts them under `/run/secrets/` and `/` whatever the container's OS (the Windows
    directories under `ProgramData` are Swarm's), and takes a target as absolute only when it starts with
    `/`, two backslashes or a drive and a backslash: `C:/x` goes under the default directory too.
    """
    mounts = []
    default_dir = "/run/secrets/" if purpose == SECRET else "/"
    for item in sequence_items(node.get(purpose + "s")):
        if isinstance(item, YScalar):
            source, target = item.value, ""
        elif isinstance(item, YMap):
            source, target = text_of(item.get("source")), text_of(item.get("target"))
        else:
            continue
        definition = top.get(source) if top is not None else None
        file_node = definition.get("file") if isinstance(definition, YMap) else None
        if not isinstance(file_node, YScalar) or not file_node.value:
            continue
        if not _absolute_target(target):
            target = default_dir + (target or source)
        mounts.append(reader.file_mount(purpose, file_node.value, file_node.base, target, item.span))
    return mounts


def _absolute_target(target: str) -> bool:
    return target.startswith(("/", "\\\\")) or (len(target) > 2 and target[1] == ":" and target[2] == "\\")


def _volumes_from(node: Optional[YNode]) -> list[VolumesFrom]:
    entries = []
    for item in sequence_items(node):
        if not isinstance(item, YScalar):
            continue
        ref, read_only = item.value, False
        head, _, mode = ref.rpartition(":")
        if head and mode in ("ro", "rw"):
            ref, read_only = head, mode == "ro"
        entries.append(VolumesFrom(ref, read_only, item.span))
    return entries


def _environment(node: YMap, context: ServiceContext) -> dict[str, str]:
    environment: dict[str, str] = {}
    files = []
    for item in sequence_items(node.get("env_file")):
        path_node = item.get("path") if isinstance(item, YMap) else item
        if isinstance(path_node, YScalar) and path_node.value:
            files.append((Path(compose_path(path_node.base, path_node.value)), path_node.span))
    environment.update(context.env_files(files))
    for key, value in _pairs(node.get("environment")):
        if value is None:
            value = context.lookup(key)
        if value is not None:
            environment[key] = value
    return environment


def _pairs(node: Optional[YNode]) -> list[tuple[str, Optional[str]]]:
    """`KEY: value` mappings and `- KEY=value` lists alike."""
    if isinstance(node, YMap):
        return [(k.value, None if v.is_null else v.typed_text) for k, v in node.pairs if isinstance(v, YScalar)]
    pairs = []
    for item in sequence_items(node):
        if isinstance(item, YScalar):
            key, equals, value = item.value.partition("=")
            pairs.append((key, value if equals else None))
    return pairs


def _command(node: Optional[YNode]) -> tuple[str, ...]:
    if isinstance(node, YSeq):
        return tuple(item.value for item in node.items if isinstance(item, YScalar))
    if isinstance(node, YScalar) and not node.is_null:
        words = command_words(node.value)
        return tuple(words if words is not None else node.value.split())
    return ()


def _entrypoint(node: Optional[YNode]) -> Optional[tuple[str, ...]]:
    """The service's own entrypoint: none (the image's) when it is not set or null; `[]` and `""` clear it."""
    return None if node is None or is_null(node) else _command(node)


def command_words(text: str) -> Optional[list[str]]:
    """The words Compose makes of a `command:` or `entrypoint:` string (go-shellwords): quotes and backslashes
    removed, variables and substitutions left as written, and nothing from the first unquoted `;`, `&`, `|`, `<`
    or `>` on (no shell runs the text: those end it); None where it refuses the text (an open quote)."""
    from dockerstore_lint.text.shell_words import parse_shell, resolve_word

    script = parse_shell(text, "")
    if script.problems:
        return None
    # the shared reader lists a substitution's commands before the command that holds it
    first = next((command for command in script.commands if not command.substituted), None)
    if first is None:
        return []
    # `NAME=value` is an ordinary word to Compose, which runs no shell
    words = [(assignment.span, f"{assignment.name}{'+' if assignment.append else ''}="
                               f"{resolve_word(assignment.value).value}") for assignment in first.assignments]
    words += [(word.span, resolve_word(word).value) for word in first.words]
    return [word for _, word in sorted(words, key=lambda pair: (pair[0].line, pair[0].column))]


def _service_os(platform: Optional[str], image: Optional[str], stage: Optional[Stage],
                volumes: Optional[YNode]) -> str:
    """Windows when the platform, the built stage or the image says so, or a mount target is a Windows path."""
    if platform and platform.lower().startswith("windows"):
        return "windows"
    if stage is not None:
        return stage.os
    if image and image_os(parse_image(image)) == "windows":
        return "windows"
    for item in sequence_items(volumes):
        if isinstance(item, YScalar):
            target = split_short_volume(item.value).target
        else:
            target = text_of(item.get("target")) if isinstance(item, YMap) else ""
        if looks_windows(target):
            return "windows"
    return "linux"
