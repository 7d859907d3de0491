"""Files whose commands start containers, as input kinds: shell scripts, Makefiles, PowerShell scripts,
Markdown code blocks, GitHub Actions workflows, GitLab CI files and dev containers.

Each kind knows its files by name (and folder) here, cheaply: the readers, which parse with tree-sitter
grammars, JSONC or YAML, are imported only when a file of the kind mentions `docker` or `podman`. The
commands of one file are read in order into one group (`launch/containers.py`); a CI job's service
containers are another group, thrown away with the job.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar, Optional

from dockerstore_lint.inputs.kind import InputKind, Loaded
from dockerstore_lint.model.group import Group
from dockerstore_lint.model.span import Problem
from dockerstore_lint.text.comments import JSONC, MARKDOWN, POWERSHELL, SHELL, YAML_WITH_SCRIPTS

if TYPE_CHECKING:
    from dockerstore_lint.inputs.shell.commands import Commands
    from dockerstore_lint.loader import WorkspaceLoader
    from dockerstore_lint.text.sources import Source

# what every command file must mention before it is parsed at all
_TOOLS = ("docker", "podman")
_SHEBANG = re.compile(rb"^(?:\xef\xbb\xbf)?#![ \t]*\S*?(?:/|env[ \t]+(?:-S[ \t]+)?)(?:ba|z|da|a)?sh\b")


class _CommandFile(InputKind):
    """A kind whose files hold command lines: read them, then interpret the docker commands in order."""

    produces = ("container",)
    group_kind: ClassVar[str] = ""  # the group's kind: "script", "makefile"...
    knows_directory: ClassVar[bool] = True  # whether `$PWD` is the file's directory when its commands run
    host_os: ClassVar[Optional[str]] = None  # the OS of the machine the commands run on, when the kind tells

    def read(self, source: Source) -> Commands:
        raise NotImplementedError

    def mentions_tools(self, text: str) -> bool:
        return any(tool in text for tool in _TOOLS)

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        from dockerstore_lint.launch.containers import CommandGroup

        groups: list[Optional[Group]] = []
        problems: list[Problem] = []
        for path in paths:
            source = loader.read(path)[0]
            # a file of these kinds that cannot be read is not a Docker file the user asked about
            if source is None or not self.mentions_tools(source.text):
                continue
            found = self.read(source)
            problems.extend(found.problems)
            # a test's or CI's script (the `throwaway` globs) throws its containers away, as a Compose file there
            commands = CommandGroup(loader, path, source.file, self.group_kind, throwaway=loader.throwaway(path),
                                    knows_directory=self.knows_directory, host_os=self.host_os)
            for command, discarded in found.each():
                commands.add(command, discarded)
            # a CI job's own containers, thrown away with the job
            for job in found.jobs:
                services = CommandGroup(loader, path, source.file, "ci-job", throwaway=True)
                for declared in job.containers:
                    services.add_declared(declared)
                groups.append(services.group(f"job '{job.job}' of {source.file}"))
            groups.append(commands.group())
        return Loaded(groups=tuple(group for group in groups if group is not None), problems=tuple(problems))


class ShellScriptKind(_CommandFile):
    name = "shell"
    noun = "shell script"
    language_ids = ("shellscript", "sh", "bash", "zsh")
    comments = SHELL
    group_kind = "script"

    def claims(self, path: PurePath) -> bool:
        return path.name.endswith((".sh", ".bash"))

    def candidate(self, path: PurePath) -> bool:
        return "." not in path.name.lstrip(".")  # no extension: the first line decides

    def recognises(self, head: bytes) -> bool:
        return bool(_SHEBANG.match(head))

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.shell_script import read_shell_script

        return read_shell_script(source)


class MakefileKind(_CommandFile):
    name = "makefile"
    noun = "Makefile"
    language_ids = ("makefile", "make")
    comments = SHELL
    group_kind = "makefile"

    def claims(self, path: PurePath) -> bool:
        return path.name in ("Makefile", "GNUmakefile", "makefile") or path.name.endswith(".mk")

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.makefile import read_makefile

        return read_makefile(source)


class PowerShellKind(_CommandFile):
    name = "powershell"
    noun = "PowerShell script"
    language_ids = ("powershell", "ps1", "pwsh")
    comments = POWERSHELL
    group_kind = "script"
    # a `.ps1` next to a project's shell scripts is its Windows users' way to start the containers
    host_os = "windows"

    def claims(self, path: PurePath) -> bool:
        return path.name.lower().endswith(".ps1")

    def mentions_tools(self, text: str) -> bool:
        return super().mentions_tools(text.lower())  # command names are case-insensitive: `Docker run`

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.powershell_script import read_powershell_script

        return read_powershell_script(source)


class MarkdownKind(_CommandFile):
    name = "markdown"
    noun = "Markdown page"
    language_ids = ("markdown",)
    comments = MARKDOWN
    group_kind = "page"
    knows_directory = False  # a reader runs a page's commands wherever they are, not in the page's folder

    def claims(self, path: PurePath) -> bool:
        return path.name.lower().endswith(".md")

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.markdown import read_markdown
        from dockerstore_lint.inputs.shell.commands import Commands

        found = read_markdown(source)
        return Commands(found.commands, found.problems)


class GitLabCiKind(_CommandFile):
    name = "gitlab-ci"
    noun = "GitLab CI file"
    comments = YAML_WITH_SCRIPTS
    group_kind = "ci"

    def claims(self, path: PurePath) -> bool:
        return path.name in (".gitlab-ci.yml", ".gitlab-ci.yaml")

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.gitlab_ci import read_gitlab_ci

        return read_gitlab_ci(source)


class GitHubActionsKind(_CommandFile):
    """Workflows: the commands of their `run:` steps, and the containers the runner starts for a job (its
    `container:` and `services:`), thrown away with it."""

    name = "github-actions"
    noun = "GitHub Actions workflow"
    language_ids = ("github-actions-workflow",)
    comments = YAML_WITH_SCRIPTS
    group_kind = "workflow"

    def claims(self, path: PurePath) -> bool:
        return path.name.endswith((".yml", ".yaml")) and path.parent.name == "workflows" \
            and path.parent.parent.name == ".github"

    def mentions_tools(self, text: str) -> bool:
        return super().mentions_tools(text) or "container:" in text or "services:" in text

    def read(self, source: Source) -> Commands:
        from dockerstore_lint.inputs.github_actions import read_workflow

        return read_workflow(source)


class DevContainerKind(InputKind):
    """Dev container definitions: the container they describe, or the Compose service they run in."""

    name = "devcontainer"
    noun = "dev container definition"
    comments = JSONC  # no language id: `json`/`jsonc` documents are dev containers only by their name
    produces = ("container",)

    def claims(self, path: PurePath) -> bool:
        if path.name == ".devcontainer.json":
            return True
        return path.name == "devcontainer.json" and ".devcontainer" in (path.parent.name, path.parent.parent.name)

    def load(self, paths: list[Path], loader: WorkspaceLoader) -> Loaded:
        from dockerstore_lint.inputs.devcontainer import read_devcontainer
        from dockerstore_lint.launch.containers import CommandGroup

        groups: list[Group] = []
        problems: list[Problem] = []
        for path in paths:
            source = loader.read(path)[0]
            if source is None:
                continue
            found = read_devcontainer(source)
            problems.extend(found.problems)
            if found.container is None or found.container.compose_files:
                continue  # one that runs in a Compose service: the Compose project judges it (see ComposeKind)
            group = CommandGroup(loader, path, source.file, "devcontainer")
            group.add_dev_container(found.container)
            built = group.group()
            if built is not None:
                groups.append(built)
        return Loaded(groups=tuple(groups), problems=tuple(problems))

