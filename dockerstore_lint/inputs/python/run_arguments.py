"""docker-py's `containers.run`/`create` keyword arguments, read into the fields of a container.

testcontainers hands its own extra keyword arguments to the same call, so both recognisers read them
here. Each argument is read as docker-py reads it (`docker/models/containers.py`, `docker/types`,
`docker/utils`): `volumes` as a dict or a list, `mounts` as `docker.types.Mount` objects, `tmpfs` as a
dict or a list, `environment` as a dict or a list. A collection is read when it is written in the call,
or bound once to a name used nowhere else in the file (a name used twice may be changed in between).
"""

from __future__ import annotations

from typing import Optional, Sequence, TypeVar, Union, overload

import libcst as cst

from dockerstore_lint.inputs.python.launches import Bind, Flag, MountCall, Text
from dockerstore_lint.inputs.python.syntax import Located, Program, Scope
from dockerstore_lint.inputs.python.values import Values
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE

TEXTS = ("image", "user", "working_dir", "platform", "name")
FLAGS = ("read_only", "remove", "auto_remove", "detach")
COLLECTIONS = ("command", "volumes", "mounts", "tmpfs", "volumes_from", "environment")
KEYWORDS = frozenset((*TEXTS, *FLAGS, *COLLECTIONS))
_MOUNTS = frozenset(("docker.types.Mount", "docker.types.services.Mount"))
_DRIVER_CONFIGS = frozenset(("docker.types.DriverConfig", "docker.types.services.DriverConfig"))
# docker.types.Mount(target, source, type, read_only, ...): its parameters in order, and the `--mount` field each is
_MOUNT_PARAMETERS = (("target", "target"), ("source", "source"), ("type", "type"), ("read_only", "readonly"),
                     ("consistency", "consistency"), ("propagation", "bind-propagation"),
                     ("no_copy", "volume-nocopy"), ("labels", "volume-label"), ("driver_config", "driver_config"),
                     ("tmpfs_size", "tmpfs-size"), ("tmpfs_mode", "tmpfs-mode"), ("subpath", "volume-subpath"))
_MOUNT_FIELDS = dict(_MOUNT_PARAMETERS)
_PROPAGATIONS = frozenset(("rshared", "shared", "rslave", "slave", "rprivate", "private"))
_Kind = TypeVar("_Kind", bound=cst.CSTNode)
_Other = TypeVar("_Other", bound=cst.CSTNode)


class Arguments:
    """The arguments read so far for one container (testcontainers spreads them over several calls)."""

    def __init__(self, program: Program, values: Values) -> None:
        self.program = program
        self.values = values
        self.single: dict[str, Text] = {}  # TEXTS
        self.flags: dict[str, Flag] = {}  # FLAGS
        # the collections of texts, by argument; `volumes` and `mounts` have their own types
        self.lists: dict[str, list[Text]] = {name: [] for name in COLLECTIONS if name not in ("volumes", "mounts")}
        self.volumes: list[Bind] = []
        self.mounts: list[MountCall] = []
        self.opaque: list[str] = []

    def unreadable(self, what: str) -> None:
        if what not in self.opaque:
            self.opaque.append(what)

    def keyword(self, name: str, node: cst.CSTNode, scope: Scope, top: int) -> None:
        """One argument of `containers.run`/`create`, given as `name=node`; others than KEYWORDS are ignored,
        and so is `None`, docker-py's default for all of them."""
        if self.values.is_none(node):
            return
        if name in TEXTS:
            self.single[name] = self.values.text(node, scope, top)
        elif name in FLAGS:
            self.flags[name] = self.values.flag(node, scope, top)
        elif name == "command":
            self.lists[name] = self.texts(node, scope, top, name)
        elif name == "volumes":
            self._volumes(node, scope, top)
        elif name == "mounts":
            self._mounts(node, scope, top)
        elif name == "tmpfs":
            self.pairs(node, scope, top, name, ":", skip_empty=True)
        elif name == "volumes_from":
            self.lists[name] = self.texts(node, scope, top, name)
        elif name == "environment":
            self.pairs(node, scope, top, name, "=", skip_empty=False)

    # --- collections ------------------------------------------------------------------------------

    @overload
    def literal(self, node: cst.CSTNode, scope: Scope, top: int,
                kinds: tuple[type[_Kind]]) -> Optional[Located[_Kind]]: ...
    @overload
    def literal(self, node: cst.CSTNode, scope: Scope, top: int,
                kinds: tuple[type[_Kind], type[_Other]]) -> Optional[Located[Union[_Kind, _Other]]]: ...
    def literal(self, node: cst.CSTNode, scope: Scope, top: int,
                kinds: tuple[type[cst.CSTNode], ...]) -> Optional[Located[cst.CSTNode]]:
        """The literal `node` is, or that a name used only here is bound to."""
        if isinstance(node, kinds):
            return Located(node, scope, top)
        if isinstance(node, cst.Name) and self.program.name_uses[node.value] == 2:
            binding = self.program.binding(node.value, scope)
            if binding is not None and binding.kind == "assign" and isinstance(binding.value, kinds):
                return Located(binding.value, binding.scope, binding.top)
        return None

    def texts(self, node: cst.CSTNode, scope: Scope, top: int, what: str) -> list[Text]:
        """A string as one Text, a list of strings as one Text each; what may be either is unreadable."""
        found = self.literal(node, scope, top, (cst.List,))
        if found is None:
            text = self.values.text(node, scope, top)
            if text.resolved:
                return [text]
            self.unreadable(what)
            return []
        texts = []
        for element in found.node.elements:
            if isinstance(element, cst.StarredElement):
                self.unreadable(what)
            else:
                texts.append(self.values.text(element.value, found.scope, found.top))
        return texts

    def pairs(self, node: cst.CSTNode, scope: Scope, top: int, what: str, separator: str, skip_empty: bool) -> None:
        """A dict of `{key: value}` as `key<separator>value` texts (`key` alone for None, or for "" when
        `skip_empty`), or a list of such texts as they are."""
        found = self.literal(node, scope, top, (cst.Dict, cst.List))
        if found is None:
            self.unreadable(what)
            return
        if isinstance(found.node, cst.List):
            self.lists[what] += self.texts(found.node, found.scope, found.top, what)
            return
        for element in found.node.elements:
            if not isinstance(element, cst.DictElement):
                self.unreadable(what)
                continue
            key = self.values.text(element.key, found.scope, found.top)
            pieces: list[Union[Text, str]] = [key]
            if not self.values.is_none(element.value):
                value = self.values.text(element.value, found.scope, found.top)
                if not (skip_empty and value.resolved and value.value == ""):
                    pieces += [separator, value]
            self.lists[what].append(composed(pieces, self.program.code(element),
                                             self.program.span_between(element.key, element.value, found.top)))

    def _volumes(self, node: cst.CSTNode, scope: Scope, top: int) -> None:
        found = self.literal(node, scope, top, (cst.Dict, cst.List))
        if found is None:
            self.unreadable("volumes")
            return
        volumes = self.volumes
        for element in found.node.elements:
            if isinstance(element, cst.Element):
                volumes.append(Bind(self.values.text(element.value, found.scope, found.top)))
            elif isinstance(element, cst.DictElement):
                volumes.append(self._volume(element, found.scope, found.top))
            else:
                self.unreadable("volumes")

    def _volume(self, element: cst.DictElement, scope: Scope, top: int) -> Bind:
        """`{SOURCE: {"bind": TARGET, "mode": MODE}}`, or `{"ro": BOOL}` instead of the mode, or `{SOURCE: TARGET}`."""
        source = self.values.text(element.key, scope, top)
        target = mode = None
        propagation = ""
        complete = True
        if isinstance(element.value, cst.Dict):
            for option in element.value.elements:
                key = self.values.string(option.key, scope) if isinstance(option, cst.DictElement) else None
                if key == "bind":
                    target = self.values.text(option.value, scope, top)
                elif key == "mode":
                    mode = self.values.text(option.value, scope, top)
                elif key == "ro":
                    read_only = self.values.boolean(option.value, scope)
                    mode = Text("rw" if read_only is False else "ro", self.program.code(option.value),
                                self.program.span(option.value, top), read_only is not None)
                elif key == "propagation":
                    propagation = self.values.string(option.value, scope) or ""
                    complete = complete and bool(propagation)
                else:
                    complete = False
        else:
            target = self.values.text(element.value, scope, top)
        mode_text: Union[Text, str] = mode if mode is not None else "rw"
        pieces: list[Union[Text, str]] = [source, ":", target or "?", ":", mode_text]
        if propagation in _PROPAGATIONS:
            pieces += [",", propagation]
        spec = composed(pieces, self.program.code(element), self.program.span_between(element.key, element.value, top))
        if not complete or target is None:
            spec = spec._replace(resolved=False)
        return Bind(spec, source, target, mode)

    # --- docker.types.Mount -----------------------------------------------------------------------

    def _mounts(self, node: cst.CSTNode, scope: Scope, top: int) -> None:
        found = self.literal(node, scope, top, (cst.List,))
        if found is None:
            self.unreadable("mounts")
            return
        for element in found.node.elements:
            call = None
            if isinstance(element, cst.Element):
                call = self.literal(element.value, found.scope, found.top, (cst.Call,))
            if call is None or self.program.qualified_name(call.node.func, call.scope) not in _MOUNTS:
                self.unreadable("mounts")
                continue
            self.mounts.append(self._mount(call))

    def _mount(self, call: Located[cst.Call]) -> MountCall:
        fields: list[Text] = []
        complete = True
        for index, argument in enumerate(call.node.args):
            if argument.star:
                complete = False
                continue
            parameter = argument.keyword.value if argument.keyword is not None else (
                _MOUNT_PARAMETERS[index][0] if index < len(_MOUNT_PARAMETERS) else "")
            field = _MOUNT_FIELDS.get(parameter)
            if field is None:
                complete = False
            elif not self.values.is_none(argument.value):
                fields += self._mount_field(field, argument, call)
        return MountCall(self.program.span(call.node, call.top), tuple(fields), complete)

    def _mount_field(self, field: str, argument: cst.Arg, call: Located[cst.Call]) -> list[Text]:
        node, scope, top = argument.value, call.scope, call.top
        span, written = self.program.span(argument, top), self.program.code(argument)
        if field in ("readonly", "volume-nocopy"):
            flag = self.values.boolean(node, scope)
            value = self.program.code(node) if flag is None else str(flag).lower()
            return [Text(f"{field}={value}", written, span, flag is not None)]
        if field == "tmpfs-mode":  # an int, which the command line writes in octal
            number = self.values.integer(node)
            if number is not None:
                return [Text(f"{field}={number:o}", written, span)]
        if field == "volume-label":
            return self._prefixed_pairs("volume-label=", node, scope, top)
        if field == "driver_config":
            return self._driver_config(node, scope, top)
        return [composed([f"{field}=", self.values.text(node, scope, top)], written, span)]

    def _driver_config(self, node: cst.CSTNode, scope: Scope, top: int) -> list[Text]:
        """`DriverConfig(name, options)`: `volume-driver=NAME` and a `volume-opt=K=V` per option."""
        call = self.literal(node, scope, top, (cst.Call,))
        if call is None or self.program.qualified_name(call.node.func, call.scope) not in _DRIVER_CONFIGS:
            return [Text(f"volume-driver={self.program.code(node)}", self.program.code(node),
                         self.program.span(node, top), False)]
        fields = []
        for index, argument in enumerate(call.node.args):
            positional = ("name", "options", "")[min(index, 2)]
            parameter = argument.keyword.value if argument.keyword is not None else positional
            if argument.star:
                fields.append(Text(f"volume-driver={self.program.code(node)}", self.program.code(node),
                                   self.program.span(node, top), False))
            elif parameter == "name":
                fields.append(composed(["volume-driver=", self.values.text(argument.value, call.scope, call.top)],
                                       self.program.code(argument), self.program.span(argument, call.top)))
            elif parameter == "options" and not self.values.is_none(argument.value):
                fields += self._prefixed_pairs("volume-opt=", argument.value, call.scope, call.top)
        return fields

    def _prefixed_pairs(self, prefix: str, node: cst.CSTNode, scope: Scope, top: int) -> list[Text]:
        found = self.literal(node, scope, top, (cst.Dict,))
        if found is None:
            written = self.program.code(node)
            return [Text(prefix + written, written, self.program.span(node, top), False)]
        pairs = []
        for element in found.node.elements:
            if isinstance(element, cst.DictElement):
                key = self.values.text(element.key, found.scope, found.top)
                value = self.values.text(element.value, found.scope, found.top)
                pairs.append(composed([prefix, key, "=", value], self.program.code(element),
                                      self.program.span_between(element.key, element.value, found.top)))
            else:
                pairs.append(Text(prefix + self.program.code(element), self.program.code(element),
                                  self.program.span(element, found.top), False))
        return pairs


def composed(pieces: Sequence[Union[Text, str]], written: str, span: Span) -> Text:
    """One Text made of texts and fixed strings, unresolved if any of its texts is, or if two of them
    refer to different directories."""
    directories = {piece.directory for piece in pieces if isinstance(piece, Text) and piece.directory is not None}
    value = "".join(piece.value if isinstance(piece, Text) else piece for piece in pieces)
    resolved = len(directories) <= 1 and all(piece.resolved for piece in pieces if isinstance(piece, Text))
    return Text(value, written, span, resolved, next(iter(directories)) if HERE in value and directories else None)
