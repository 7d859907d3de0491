"""GitLab CI (`.gitlab-ci.yml`) -> the container commands of its job scripts.

Each job's (and `default:`'s) `before_script` and `script` lines run in one shell, one after the
other, and `after_script` in another; a section is a string or a list of strings (nested lists are
flattened, as GitLab does). They are read as bash, in the repository (`HERE`, the directory that holds
the file): `$CI_PROJECT_DIR` and `$PWD` are that directory. Variables from `variables:` stay unknown:
project and pipeline settings can override them. `image:` and `services:` declare no storage and are
not read, and neither are the files `include:` names (each is read when it is linted itself).

A job's containers are thrown away with the job (as with `--rm`) unless its commands talk to a Docker daemon
that outlives it. GitLab.com's hosted runners run each job in a new VM deleted after it, and a
Docker-in-Docker service (`docker:dind`) is a daemon in a container of the job; a job whose `tags:` pick a
runner of the project's own (any tag but the hosted runners' `saas-...`) and that has no such service uses the
runner's daemon, where containers and their volumes stay. An untagged job may run on a hosted runner: taken as
thrown away, rather than flagged on a guess.

Comments are YAML's: `#` to the end of the line.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Iterator, Optional

from dockerstore_lint.inputs.shell.commands import Budget, Commands, ShellContext, mentions_container_tool
from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand
from dockerstore_lint.text.sources import Source
from dockerstore_lint.text.yaml_nodes import YMap, YNode, YScalar, YSeq, load_yaml
from dockerstore_lint.text.yaml_scalars import scalar_text

NAMES = frozenset({".gitlab-ci.yml", ".gitlab-ci.yaml"})
COMMENT_PREFIX = "#"
# top-level keys that are not jobs
_GLOBAL_KEYWORDS = frozenset({"stages", "variables", "include", "workflow", "image", "services", "cache",
                              "types", "spec", "pages:deploy"})
_SECTIONS = (("before_script", "script"), ("after_script",))
# deeper lists of lines than GitLab allows are not read
_MAX_NESTING = 10
# the tags of GitLab.com's hosted runners (`saas-linux-small-amd64`...)
_HOSTED_RUNNER_TAG = "saas-"


def claims(path: PurePath) -> bool:
    return path.name in NAMES


def read_gitlab_ci(source: Source) -> Commands:
    if not mentions_container_tool(source.text):
        return Commands()
    root = source.path.parent
    loaded = load_yaml(source.text, source.file, root)
    document = loaded.documents[0] if loaded.documents else None
    if not isinstance(document, YMap):
        return Commands(problems=tuple(loaded.problems))
    origin = FileText(source.file, source.text)
    context = ShellContext(root, {"CI_PROJECT_DIR": HERE, "PWD": HERE, "HOME": HOME}, False)
    from dockerstore_lint.inputs.shell.bash import bash_commands

    commands: list[SimpleCommand] = []
    budget = Budget(source.file)
    scripts = [document] + [job for key, job in document.pairs
                            if isinstance(job, YMap) and key.value not in _GLOBAL_KEYWORDS]
    discarded: list[bool] = []
    default = document.get("default")
    defaults = (default, document) if isinstance(default, YMap) else (document,)
    for job in scripts:
        on_kept_daemon = _on_kept_daemon(job, defaults)
        for names in _SECTIONS:
            lines = [line for name in names for line in _lines(job.get(name), 0)]
            text = _joined(origin, lines)
            if text is None or not mentions_container_tool(text.text):
                continue
            if not budget.parse(lines[0].span):
                break
            kept = budget.keep(bash_commands(text, context, budget.commands))
            commands.extend(kept)
            discarded.extend([not on_kept_daemon] * len(kept))
    return Commands(tuple(commands), tuple(loaded.problems) + budget.problems(), tuple(discarded))


def _on_kept_daemon(job: YMap, defaults: tuple[YMap, ...]) -> bool:
    """Whether the job's commands talk to a Docker daemon that outlives the job (see the module's docstring)."""
    tags = _inherited(job, defaults, "tags")
    own_runner = any(not tag.value.startswith(_HOSTED_RUNNER_TAG) for tag in _lines(tags, 0))
    services = _inherited(job, defaults, "services")
    names = (item.get("name") if isinstance(item, YMap) else item for item in _items(services))
    in_job_daemon = any(isinstance(name, YScalar) and "dind" in name.value for name in names)
    return own_runner and not in_job_daemon


def _inherited(job: YMap, defaults: tuple[YMap, ...], key: str) -> Optional[YNode]:
    """The job's own `key`, else the one of `default:` (or the deprecated top-level one)."""
    for level in (job, *defaults):
        if level.key(key) is not None:
            return level.get(key)
    return None


def _items(node: Optional[YNode]) -> tuple[YNode, ...]:
    if isinstance(node, YSeq):
        return tuple(node.items)
    return (node,) if node is not None else ()


def _lines(node: Optional[YNode], depth: int) -> Iterator[YScalar]:
    if isinstance(node, YScalar) and not node.is_null:
        yield node
    elif isinstance(node, YSeq) and depth < _MAX_NESTING:
        for item in node.items:
            yield from _lines(item, depth + 1)


def _joined(origin: FileText, lines: list[YScalar]) -> Optional[Embedded]:
    """The lines as one script, one after the other."""
    if not lines:
        return None
    builder = EmbeddedBuilder(origin)
    for line in lines:
        text = scalar_text(line, origin)
        builder.extend(text)
        end = text.file_range(0, len(text.text))[1] if text.text else origin.offset(line.span.end_line,
                                                                                      line.span.end_column)
        builder.insert("\n", end, end + 1)
    return builder.build()
