"""PowerShell scripts -> container commands, with PowerShell's argument and quoting rules."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from dockerstore_lint.inputs.powershell_script import claims, read_powershell_script
from tests.command_words import position, source, values


def commands(text: str):
    return read_powershell_script(source(text, "run.ps1")).commands


def test_one_argument_per_word_as_powershell_passes_them():
    text = ('docker run -d `\n'
            '  -v ${PWD}:/app -v "$(pwd)\\data:/data" -v $PWD/logs:/logs --name=\'it\'\'s\' `\n'
            '  -e "A=`"q`"" postgres\n')
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "-d", "-v", "{HERE}:/app", "-v", "{HERE}\\data:/data", "-v",
                               "{HERE}/logs:/logs", "--name=it's", "-e", 'A="q"', "postgres"]
    assert position(command.words[4]) == (2, 6, 2, 17)
    assert position(command) == (1, 1, 3, 24)


def test_location_idioms_and_home():
    text = ('docker run -v (Get-Location):/a -v "$((Get-Location).Path):/b" -v $PSScriptRoot\\c:/c '
            '-v $HOME\\d:/d -v ${env:USERPROFILE}\\e:/e img\n')
    (command,) = commands(text)
    assert values(command)[3::2][:5] == ["{HERE}:/a", "{HERE}:/b", "{HERE}\\c:/c", "{HOME}\\d:/d", "{HOME}\\e:/e"]


def test_variables_are_case_insensitive_and_follow_the_same_rules_as_bash():
    text = ("$Src = \"$(Get-Location)\\data\"\n"
            "$target = 'C:\\data'\n"
            "docker run -v ${src}:$TARGET img\n"
            "if ($x) { $maybe = 'C:\\m' }\n"
            "docker run -v ${maybe}:C:\\m img\n")
    first, second = commands(text)
    assert values(first)[3] == "{HERE}\\data:C:\\data"
    assert values(second)[3] == "?${maybe}:C:\\m"


def test_an_unquoted_comma_makes_separate_arguments():
    (command,) = commands("docker run --mount type=bind,source=C:\\x,target=C:\\y img\n")
    assert values(command) == ["docker", "run", "--mount", "type=bind", "source=C:\\x", "target=C:\\y", "img"]


@pytest.mark.parametrize(("text", "expected"), [
    ("docker run -v $PWD:/x img\n", "?$PWD:/x"),  # PowerShell refuses `$PWD:` as a variable name
    ("docker run -v $env:DATA:/x img\n", "?$env:DATA:/x"),
    ("docker run -v ~/x:/x img\n", "?~/x:/x"),
    ("docker run -v $cfg.Path:/x img\n", "?$cfg.Path:/x"),
])
def test_unknown_arguments(text, expected):
    (command,) = commands(text)
    assert values(command)[3] == expected


@pytest.mark.parametrize("text", [
    'Write-Host "docker run -v /x:/x img"\n',
    "# docker run -v /x:/x img\n",
    "<# docker run -v /x:/x img #>\n",
    '$h = @"\ndocker run -v /x:/x img\n"@\n',
    "$s = 'docker run -v /x:/x img'\n",
])
def test_not_commands(text):
    assert commands(text) == ()


def test_commands_in_blocks_and_after_the_call_operator():
    text = "function f { docker run a }\nforeach ($i in 1..2) { & docker run b }\n1 | ForEach-Object { podman run c }\n"
    assert [values(command)[-1] for command in commands(text)] == ["a", "b", "c"]


def test_names():
    assert claims(PurePath("build.ps1")) and claims(PurePath("x/Build.PS1")) and not claims(PurePath("build.psm1"))
