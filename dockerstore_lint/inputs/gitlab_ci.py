"""GitLab CI (`.gitlab-ci.yml`) -> the container commands of its job scripts.

Each job's (and `default:`'s) `before_script` and `script` lines run in one shell, one after the
other, and `after_script` in another; a section is a string or a list of strings (nested lists are
flattened, as GitLab does). They are read as bash, in the repository (`HERE`, the directory that holds
the file): `$CI_PROJECT_DIR` and `$PWD` are that directory. Variables from `variables:` stay unknown:
project and pipeline settings can override them. `image:` and `services:` declare no storage and are
not read, and neither are the files `include:` names (each is read when it is linted itself).

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
    for job in scripts:
        for names in _SECTIONS:
            lines = [line for name in names for line in _lines(job.get(name), 0)]
            text = _joined(origin, lines)
            if text is None or not mentions_container_tool(text.text):
                continue
            if not budget.parse(lines[0].span):
                break
            commands.extend(budget.keep(bash_commands(text, context, budget.commands)))
    return Commands(tuple(commands), tuple(loaded.problems) + budget.problems())


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
