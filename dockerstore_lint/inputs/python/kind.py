"""Python files that start containers, as an input kind: a `*.py` file is taken when its first bytes import
the Docker SDK or testcontainers, and read (with libcst, see `reader`) only when it also calls them.

Each file is one group, as a script is: `client.volumes.create(NAME)` declares a volume for the containers
after it, and `containers.run` creates a named volume on first use.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.group import Group

if TYPE_CHECKING:
    from dockerstore_lint.loader import WorkspaceLoader

# an import of the SDK or of testcontainers at the start of a line, in the first bytes of a file: what tells
# a Python file that may start containers from the many that mention docker in a string or a comment
_IMPORTS = re.compile(rb"^[ \t]*(?:import|from)[ \t]+(?:docker|testcontainers)\b", re.MULTILINE)


class PythonKind(InputKind):
    name = "python"
    noun = "Python file"
    language_ids = ("python",)
    produces = ("container",)

    def candidate(self, path: PurePath) -> bool:
        return path.suffix == ".py"

    def recognises(self, head: bytes) -> bool:
        return _IMPORTS.search(head) is not None

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        from dockerstore_lint.inputs.python import might_start_containers, read_python
        from dockerstore_lint.launch.containers import CommandGroup

        groups: list[Group] = []
        for path in paths:
            source, _ = loader.read(path)
            if source is None or not might_start_containers(source.text):
                continue  # a file that cannot be read was reported when it was recognised
            launches = read_python(source.text, source.file, path.parent)
            commands = CommandGroup(loader, path, source.file, self.name, throwaway=loader.throwaway(path))
            for volume in launches.volumes:
                commands.add_sdk_volume(volume)
            for container in launches.containers:
                commands.add_sdk(container)
            group = commands.group(f"Python file {source.file}")
            if group is not None:
                groups.append(group)
        return Loaded(groups=tuple(groups))
