"""The Docker SDK for Python (docker-py): `client.containers.run(...)`, `client.containers.create(...)` and
`client.volumes.create(...)`, where `client` is known to be a Docker client.

A client is a call of `docker.from_env()`, `docker.client.from_env()`, `docker.from_context()`,
`docker.DockerClient(...)` or `docker.DockerClient.from_env()` (under whatever name they were imported),
written in place or bound once to a name (`client = None` set later counts once), or a parameter
annotated `docker.DockerClient`. Anything else with a `containers.run` method is not a Docker client
as far as the reader knows (an attribute `self.client`, a fixture's parameter without annotation), and
is left alone rather than guessed.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import libcst as cst

from dockerstore_lint.inputs.python.launches import CREATE, RUN, PythonContainer, Text, VolumeDeclaration
from dockerstore_lint.inputs.python.run_arguments import TEXTS, Arguments
from dockerstore_lint.inputs.python.syntax import Located, Program, Scope
from dockerstore_lint.inputs.python.values import Values
from dockerstore_lint.model.span import Span

_CLIENTS = frozenset(("docker.from_env", "docker.client.from_env", "docker.from_context", "docker.client.from_context",
                      "docker.DockerClient", "docker.client.DockerClient", "docker.DockerClient.from_env",
                      "docker.client.DockerClient.from_env"))
_CLIENT_CLASSES = frozenset(("docker.DockerClient", "docker.client.DockerClient"))
# the parameters that may be given by position
_POSITIONAL = {RUN: ("image", "command", "stdout", "stderr", "remove"), CREATE: ("image", "command")}
_MAX_INDIRECTION = 20


class Client(NamedTuple):
    builder: str  # the qualified name of what made it
    daemon: Optional[Text]  # `DockerClient(base_url=...)`


def read(program: Program, values: Values) -> tuple[list[PythonContainer], list[VolumeDeclaration]]:
    containers, volumes = [], []
    for call in program.calls:
        func = call.node.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)):
            continue
        collection, method = func.value.attr.value, func.attr.value
        if (collection, method) in (("containers", "run"), ("containers", "create"), ("volumes", "create")):
            client = _client(program, values, func.value.value, call.scope, call.top, 0)
            if client is None:
                continue
            if collection == "containers":
                containers.append(_container(program, values, call, RUN if method == "run" else CREATE, client))
            else:
                volumes.append(_volume(program, values, call, client))
    return containers, volumes


def _client(program: Program, values: Values, node: cst.CSTNode, scope: Scope, top: int,
            depth: int) -> Optional[Client]:
    if isinstance(node, cst.Call):
        builder = program.qualified_name(node.func, scope)
        if builder not in _CLIENTS:
            return None
        daemon = None
        if builder in _CLIENT_CLASSES:
            for index, argument in enumerate(node.args):
                if (argument.keyword is not None and argument.keyword.value == "base_url") or (
                        argument.keyword is None and not argument.star and index == 0):
                    daemon = values.text(argument.value, scope, top)
        return Client(builder, daemon)
    if isinstance(node, cst.Name) and depth < _MAX_INDIRECTION:
        binding = program.binding(node.value, scope, none_first=True)
        if binding is None:
            return None
        if binding.kind == "assign" and binding.value is not None:
            return _client(program, values, binding.value, binding.scope, binding.top, depth + 1)
        if binding.kind == "param" and isinstance(binding.value, cst.Param) and binding.value.annotation is not None:
            annotation = binding.value.annotation.annotation
            if program.qualified_name(annotation, binding.scope) in _CLIENT_CLASSES:
                return Client("docker.DockerClient", None)
    return None


def _container(program: Program, values: Values, call: Located[cst.Call], api: str,
               client: Client) -> PythonContainer:
    arguments = Arguments(program, values)
    for index, argument in enumerate(call.node.args):
        if argument.star:
            arguments.unreadable(argument.star)
        elif argument.keyword is not None:
            arguments.keyword(argument.keyword.value, argument.value, call.scope, call.top)
        elif index < len(_POSITIONAL[api]):
            arguments.keyword(_POSITIONAL[api][index], argument.value, call.scope, call.top)
    return container(arguments, api, client.builder, program.span(call.node, call.top), daemon=client.daemon)


def container(arguments: Arguments, api: str, builder: str, span: Span, *, image: Optional[Text] = None,
              image_is_default: bool = False, daemon: Optional[Text] = None,
              throwaway: bool = False) -> PythonContainer:
    """The container the arguments describe (testcontainers builds its own with this too)."""
    single, lists = arguments.single, arguments.lists
    flags = arguments.flags
    removed = flags.get("auto_remove") or (flags.get("remove") if api == RUN else None)
    return PythonContainer(
        api=api, builder=builder, span=span, image=single.get("image", image),
        image_is_default=image_is_default and "image" not in single,
        command=tuple(lists["command"]), volumes=tuple(arguments.volumes), mounts=tuple(arguments.mounts),
        tmpfs=tuple(lists["tmpfs"]), volumes_from=tuple(lists["volumes_from"]),
        environment=tuple(lists["environment"]),
        **{name: single.get(name) for name in TEXTS if name != "image"},
        read_only=flags.get("read_only"), remove=flags.get("remove"), auto_remove=flags.get("auto_remove"),
        detach=flags.get("detach"), daemon=daemon, opaque=tuple(arguments.opaque),
        throwaway=throwaway or (removed is not None and removed.value is True))


def _volume(program: Program, values: Values, call: Located[cst.Call], client: Client) -> VolumeDeclaration:
    """`volumes.create(name=None, driver=None, driver_opts=None, labels=None)`."""
    arguments = Arguments(program, values)
    name = driver = None
    for index, argument in enumerate(call.node.args):
        keyword = argument.keyword.value if argument.keyword is not None else ("name", "")[min(index, 1)]
        if argument.star:
            arguments.unreadable(argument.star)
        elif keyword == "name" and not values.is_none(argument.value):
            name = values.text(argument.value, call.scope, call.top)
        elif keyword == "driver" and not values.is_none(argument.value):
            driver = values.text(argument.value, call.scope, call.top)
        elif keyword in ("driver_opts", "labels") and not values.is_none(argument.value):
            arguments.lists[keyword] = []
            arguments.pairs(argument.value, call.scope, call.top, keyword, "=", skip_empty=False)
    return VolumeDeclaration(program.span(call.node, call.top), name, driver,
                             tuple(arguments.lists.get("driver_opts", ())), tuple(arguments.lists.get("labels", ())),
                             client.builder, client.daemon, tuple(arguments.opaque))
