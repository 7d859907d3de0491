"""A toy input kind installed through the `dockerstore_lint.inputs` entry point, by tests/test_plugins.py.

A `*.toy` file holds one container per line, `IMAGE [TARGET | SOURCE:TARGET]...`: enough for the
built-in rules about containers to judge them.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.container import BIND, VOLUME, Container, Mount
from dockerstore_lint.model.container_paths import container_path
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.host_paths import host_path
from dockerstore_lint.model.span import Setting, Span

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader


class ToyKind(InputKind):
    name = "toy"
    noun = "toy file"
    language_ids = ("toy",)
    produces = ("container",)

    def claims(self, path: PurePath) -> bool:
        return path.name.endswith(".toy")

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        groups = []
        for path in paths:
            source, problem = loader.read(path)
            if source is None:
                continue
            containers = {}
            for number, line in enumerate(source.lines, start=1):
                words = line.split()
                if not words:
                    continue
                span = Span(source.file, number, 1, number, len(line) + 1)
                mounts = []
                for word in words[1:]:
                    start = line.index(word) + 1
                    where = Span(source.file, number, start, number, start + len(word))
                    host, _, target = word.rpartition(":")
                    kind = BIND if host.startswith((".", "/")) else VOLUME
                    mounts.append(Mount(kind, container_path(target), where, host or None,
                                        host_path(host, loader.root, here=path.parent) if kind == BIND else None,
                                        written_as="toy"))
                containers[f"{number}"] = Container(f"toy container (line {number})", "", "toy", span,
                                                    image=Setting(words[0], span), mounts=tuple(mounts))
            groups.append(Group(f"toy file {source.file}", "toy", source.file, None, (source.file,), containers,
                                volumes_on_demand=True))
        return Loaded(groups=tuple(groups))
