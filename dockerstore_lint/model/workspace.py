"""Everything one run looked at."""

from pathlib import Path
from typing import NamedTuple

from dockerstore_lint.model.compose import Project
from dockerstore_lint.model.dockerfile import Dockerfile
from dockerstore_lint.model.span import Problem


class Workspace(NamedTuple):
    """Everything one run looked at."""

    root: Path
    projects: tuple[Project, ...]
    dockerfiles: tuple[Dockerfile, ...]
    problems: tuple[Problem, ...] = ()  # files that could not be read at all

    def all_problems(self) -> tuple[Problem, ...]:
        """Input problems of every file and project, each once."""
        found = dict.fromkeys(self.problems)
        for dockerfile in self.dockerfiles:
            found.update(dict.fromkeys(dockerfile.problems))
        for project in self.projects:
            found.update(dict.fromkeys(project.problems))
        return tuple(found)
