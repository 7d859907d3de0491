"""PowerShell scripts (`*.ps1`) -> the container commands they run.

A script runs in its own directory as far as this reader knows: `$PWD`, `(Get-Location)` and
`$PSScriptRoot` are that directory (`HERE`). Comments are `#` to the end of the line and `<# ... #>`.
"""

from __future__ import annotations

from pathlib import PurePath

from dockerstore_lint.inputs.shell.commands import Budget, Commands, mentions_container_tool, script_context
from dockerstore_lint.text.positions import FileText
from dockerstore_lint.text.sources import Source

SUFFIX = ".ps1"
COMMENT_PREFIX = "#"


def claims(path: PurePath) -> bool:
    return path.name.lower().endswith(SUFFIX)


def read_powershell_script(source: Source) -> Commands:
    # command names are case-insensitive in PowerShell: `Docker run` runs docker
    if not mentions_container_tool(source.text.lower()):
        return Commands()
    from dockerstore_lint.inputs.shell.powershell import powershell_commands

    text = FileText(source.file, source.text).whole()
    budget = Budget(source.file)
    commands = budget.keep(powershell_commands(text, script_context(source.path.parent), budget.commands))
    return Commands(commands, budget.problems())
