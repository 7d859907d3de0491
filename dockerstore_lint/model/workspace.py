"""Everything one run looked at."""

from pathlib import Path
from typing import Iterator, NamedTuple

from dockerstore_lint.model.container import Container
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Problem


class Workspace(NamedTuple):
    root: Path
    dockerfiles: tuple[Dockerfile, ...]
    groups: tuple[Group, ...]
    problems: tuple[Problem, ...] = ()  # files that could not be read at all

    def containers(self) -> Iterator[tuple[Container, Group]]:
        for group in self.groups:
            for container in group.containers.values():
                yield container, group

    def all_problems(self) -> tuple[Problem, ...]:
        """Input problems of every file and group, each once."""
        found = dict.fromkeys(self.problems)
        for dockerfile in self.dockerfiles:
            found.update(dict.fromkeys(dockerfile.problems))
        for group in self.groups:
            found.update(dict.fromkeys(group.problems))
        return tuple(found)
