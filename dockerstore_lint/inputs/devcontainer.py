"""Dev containers (`.devcontainer/devcontainer.json`, `.devcontainer.json`,
`.devcontainer/<name>/devcontainer.json`) -> the container they declare.

The file is JSON with comments, read with positions by `text.jsonc`. What the container is made of
comes back as words, with their values after the Dev Containers variables the linter can know:
`${localWorkspaceFolder}` is the repository (`HERE`, the folder that holds `.devcontainer` or
`.devcontainer.json`), `${localWorkspaceFolderBasename}` that folder's name, `${localEnv:HOME}` and
`${localEnv:USERPROFILE}` the user's home (`~`), `${containerWorkspaceFolder}` the `workspaceFolder`
(by default `/workspaces/<folder name>` for an image or Dockerfile, `/` with Docker Compose). Any
other `${...}` leaves its word unresolved. `build.dockerfile`, `build.context` and `dockerComposeFile`
are relative to the devcontainer.json's own folder, as written.

Comments are `//` and `/* */`.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import NamedTuple, Optional, Union

from dockerstore_lint.model.span import INVALID, Problem, Span
from dockerstore_lint.text.jsonc import JArray, JObject, JScalar, JString, JValue, load_jsonc
from dockerstore_lint.text.positions import FileText
from dockerstore_lint.text.shell import HERE, HOME, Word
from dockerstore_lint.text.sources import Source

NAME = "devcontainer.json"
COMMENT_PREFIXES = ("//", "/*")
_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_HOME_VARIABLES = re.compile(r"localEnv:(?:HOME|USERPROFILE)(?::.*)?", re.DOTALL)
_BOTH_HOMES = re.compile(r"\$\{localEnv:HOME\}\$\{localEnv:USERPROFILE\}|\$\{localEnv:USERPROFILE\}\$\{localEnv:HOME\}")


class DevMount(NamedTuple):
    """A mount written as an object: `{"source": ..., "target": ..., "type": ...}`."""

    source: Optional[Word]
    target: Optional[Word]
    type: Optional[Word]
    span: Span
    written: str

    def as_mount_word(self) -> Word:
        """The same mount in `--mount` syntax, as the Dev Containers CLI hands it to Docker."""
        fields = [(name, word) for name, word in (("type", self.type), ("source", self.source),
                                                  ("target", self.target)) if word is not None]
        value = ",".join(f"{name}={word.value}" for name, word in fields)
        return Word(value, self.written, self.span, all(word.resolved for _, word in fields))


class DevContainer(NamedTuple):
    file: str
    directory: Path  # what `HERE` stands for: the repository
    span: Span  # the whole document
    image: Optional[Word]
    dockerfile: Optional[Word]  # `build.dockerfile`, or the older `dockerFile`
    context: Optional[Word]  # `build.context`, or the older `context`
    target: Optional[Word]  # `build.target`
    workspace_folder: Optional[Word]
    workspace_mount: Optional[Word]  # `--mount` syntax
    mounts: tuple[Union[Word, DevMount], ...]  # a word in `--mount` syntax, or an object
    run_args: tuple[Word, ...]  # `docker run` arguments, one word each
    container_user: Optional[Word]
    remote_user: Optional[Word]
    update_remote_user_uid: Optional[bool]
    compose_files: tuple[Word, ...]
    service: Optional[Word]
    run_services: tuple[Word, ...]


class DevContainerFile(NamedTuple):
    container: Optional[DevContainer] = None
    problems: tuple[Problem, ...] = ()


def claims(path: PurePath) -> bool:
    if path.name == ".devcontainer.json":
        return True
    if path.name != NAME:
        return False
    return path.parent.name == ".devcontainer" or path.parent.parent.name == ".devcontainer"


def repository_root(path: Path) -> Path:
    if path.name == ".devcontainer.json":
        return path.parent
    return path.parent.parent if path.parent.name == ".devcontainer" else path.parent.parent.parent


def read_devcontainer(source: Source) -> DevContainerFile:
    if not source.text.strip():
        return DevContainerFile()  # an empty file declares nothing
    origin = FileText(source.file, source.text)
    document, problems = load_jsonc(origin)
    if document is None:
        return DevContainerFile(None, problems)
    if not isinstance(document, JObject):
        return DevContainerFile(None, (Problem(INVALID, "invalid devcontainer.json: the top level is not an object",
                                               origin.span(document.start, document.end)),))
    root = repository_root(source.path)
    reader = _Reader(origin, root)
    build = document.get("build")
    build = build if isinstance(build, JObject) else None
    compose = document.get("dockerComposeFile")
    workspace = document.get("workspaceFolder")
    workspace_word = reader.word(workspace)
    if workspace_word is not None:
        reader.workspace = workspace_word.value if workspace_word.resolved else None
    else:
        reader.workspace = "/" if compose is not None else f"/workspaces/{root.name}"
    uid = document.get("updateRemoteUserUID")
    container = DevContainer(
        file=source.file, directory=root, span=origin.span(document.start, document.end),
        image=reader.word(document.get("image")),
        dockerfile=reader.word(build.get("dockerfile") if build else None) or reader.word(document.get("dockerFile")),
        context=reader.word(build.get("context") if build else None) or reader.word(document.get("context")),
        target=reader.word(build.get("target") if build else None),
        workspace_folder=workspace_word,
        workspace_mount=reader.word(document.get("workspaceMount")),
        mounts=reader.mounts(document.get("mounts")),
        run_args=reader.words(document.get("runArgs")),
        container_user=reader.word(document.get("containerUser")),
        remote_user=reader.word(document.get("remoteUser")),
        update_remote_user_uid=uid.value if isinstance(uid, JScalar) and isinstance(uid.value, bool) else None,
        compose_files=reader.words(compose),
        service=reader.word(document.get("service")),
        run_services=reader.words(document.get("runServices")),
    )
    return DevContainerFile(container, problems)


class _Reader:
    def __init__(self, origin: FileText, root: Path) -> None:
        self.origin = origin
        self.root = root
        self.workspace: Optional[str] = None  # the container's workspace folder, when known

    def word(self, value: Optional[JValue]) -> Optional[Word]:
        if not isinstance(value, JString):
            return None
        text = value.text(self.origin)
        span = text.span(0, len(text.text)) if text.text else self.origin.span(value.start, value.end)
        written = text.written(0, len(text.text)) if text.text else ""
        resolved = True

        def substitute(match: re.Match[str]) -> str:
            nonlocal resolved
            known = self._variable(match.group(1))
            if known is None:
                resolved = False
                return match.group()
            return known

        # `${localEnv:HOME}${localEnv:USERPROFILE}` names the home on every system: one of them is empty
        substituted = _VARIABLE.sub(substitute, _BOTH_HOMES.sub("${localEnv:HOME}", value.value))
        return Word(substituted if resolved else value.value, written, span, resolved)

    def _variable(self, name: str) -> Optional[str]:
        if name == "localWorkspaceFolder":
            return HERE
        if name == "localWorkspaceFolderBasename":
            return self.root.name
        if _HOME_VARIABLES.fullmatch(name):
            return HOME
        if name == "containerWorkspaceFolder":
            return self.workspace
        if name == "containerWorkspaceFolderBasename":
            return self.workspace.rstrip("/").rsplit("/", 1)[-1] if self.workspace else None
        return None

    def words(self, value: Optional[JValue]) -> tuple[Word, ...]:
        if isinstance(value, JString):
            word = self.word(value)
            return (word,) if word else ()
        if isinstance(value, JArray):
            return tuple(word for word in (self.word(item) for item in value.items) if word is not None)
        return ()

    def mounts(self, value: Optional[JValue]) -> tuple[Union[Word, DevMount], ...]:
        if not isinstance(value, JArray):
            return ()
        found: list[Union[Word, DevMount]] = []
        for item in value.items:
            if isinstance(item, JString):
                word = self.word(item)
                if word is not None:
                    found.append(word)
            elif isinstance(item, JObject):
                found.append(DevMount(self.word(item.get("source")), self.word(item.get("target")),
                                      self.word(item.get("type")), self.origin.span(item.start, item.end),
                                      self.origin.text[item.start:item.end]))
        return tuple(found)
