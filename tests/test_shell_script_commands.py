"""Shell scripts -> container commands: words, values, positions, what is and is not a command."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from dockerstore_lint.inputs.shell_script import claims, is_shell_script, read_shell_script, shebang_shell
from tests.command_words import position, source, values


def commands(text: str):
    return read_shell_script(source(text)).commands


def test_words_values_and_exact_positions_through_a_continuation():
    text = ('#!/bin/bash\n'
            'source="$(pwd)/databases"\n'
            "target='/data'\n"
            'docker run -d \\\n'
            '  -v "$source":$target --name db postgres:16  # a comment\n')
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "-d", "-v", "{HERE}/databases:/data", "--name", "db", "postgres:16"]
    mount = command.words[4]
    assert mount.written == '"$source":$target'
    assert position(mount) == (5, 6, 5, 23)
    assert position(command) == (4, 1, 5, 45)
    assert command.directory == Path("/project")


@pytest.mark.parametrize("text", [
    'echo "docker run -v /data img"\n',
    "echo docker run -v /data img\n",
    "printf '%s' docker run -v /data img\n",
    "# docker run -v /data img\n",
    "x='docker run -v /data img'\n",
    "cat <<EOF\ndocker run -v /data img\nEOF\n",
    "cat <<'EOF'\ndocker run -v /data img\nEOF\n",
    'eval "docker run -v /data img"\n',
    "dockerd --debug\n",
    "docker-compose run web\n",
])
def test_text_that_only_mentions_docker_is_not_a_command(text):
    assert commands(text) == ()


def test_commands_anywhere_they_run():
    text = ("f() { docker run f; }\n"
            "if true; then docker run if; else docker run else; fi\n"
            "for i in 1; do docker run loop; done\n"
            "true && docker run and | cat\n"
            "(docker run subshell)\n"
            'id=$(docker run -d substitution)\n'
            'case x in x) docker run case ;; esac\n')
    assert [command.words[2].value for command in commands(text)] == [
        "f", "if", "else", "loop", "and", "subshell", "-d", "case"]


def test_wrappers_are_looked_through():
    text = "sudo -E -u root docker run a\nexec podman run b\nenv A=1 docker run c\ntime /usr/bin/docker run d\n"
    found = commands(text)
    assert [values(command) for command in found] == [
        ["docker", "run", "a"], ["podman", "run", "b"], ["docker", "run", "c"], ["/usr/bin/docker", "run", "d"]]
    assert position(found[0]) == (1, 17, 1, 29)


def test_known_directories_and_home():
    text = ('docker run -v "$PWD":/a -v ${PWD}/b:/b -v `pwd`:/c -v ~/d:/d -v "$HOME/e":/e img\n'
            'here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\n'
            'docker run -v "$here/f":/f -v "$(dirname "$0")/g":/g -v "$(realpath "$(dirname "$0")")":/h img\n')
    first, second = commands(text)
    assert values(first)[3::2] == ["{HERE}:/a", "{HERE}/b:/b", "{HERE}:/c", "{HOME}/d:/d", "{HOME}/e:/e"]
    assert values(second)[3:9:2] == ["{HERE}/f:/f", "{HERE}/g:/g", "{HERE}:/h"]


def test_what_is_not_known_stays_as_written_and_unresolved():
    text = ('docker run -v "$DATA":/a -v "$1":/b -v $(mktemp -d):/c -v ~other/d:/d -v /e/*:/e '
            '-v {f,g}:/f -v "$((1+2))":/g img\n')
    (command,) = commands(text)
    assert values(command)[3::2] == ["?$DATA:/a", "?$1:/b", "?$(mktemp -d):/c", "?~other/d:/d", "?/e/*:/e",
                                     "?{f,g}:/f", "?$((1+2)):/g"]


def test_quoting_and_escapes():
    text = r"""docker run -v 'a b':/a -v "c\"d":/c -v e\ f:/e -v $'g\th':/g -e X="$Y"'z' img""" + "\n"
    (command,) = commands(text)
    assert values(command)[3:9:2] == ["a b:/a", 'c"d:/c', "e f:/e"]
    assert values(command)[9] == "g\th:/g"
    assert values(command)[11] == "?X=$Yz"


def test_an_unquoted_expansion_is_split_into_words_and_an_empty_one_vanishes():
    text = 'OPTS="-v a:/b  --rm"\nEMPTY=\ndocker run $OPTS $EMPTY "$EMPTY" img\n'
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "-v", "a:/b", "--rm", "", "img"]
    assert {word.written for word in command.words[2:5]} == {"$OPTS"}


def test_flow_insensitive_rules_are_conservative():
    text = ("A=/one\n"
            "docker run -v $A:/a img\n"          # straight line: /one
            "A=/two\n"
            "docker run -v $A:/a img\n"          # the later assignment reaches it: /two
            "if x; then B=/b; fi\n"
            "docker run -v $B:/b img\n"          # maybe unset
            "if x; then C=/c1; else C=/c2; fi\n"
            "docker run -v $C:/c img\n"          # two values
            "for i in 1 2; do docker run -v $D:/d img; D=/d; done\n"   # first time unset
            "E=/e; (E=/sub)\n"
            "docker run -v $E:/e img\n"          # a subshell's assignment stays there
            "docker run -v $F:/f img\nF=/f\n")   # used before it is set
    found = [values(command)[3] for command in commands(text)]
    assert found == ["/one:/a", "/two:/a", "?$B:/b", "?$C:/c", "?$D:/d", "/e:/e", "?$F:/f"]


def test_functions_see_globals_that_agree_and_their_own_locals():
    text = ("run() { local dir=/local; docker run -v $dir:/l -v $G:/g -v $H:/h img; }\n"
            "G=/global\nH=/h1\nrun\nH=/h2\nrun\n")
    (command,) = commands(text)
    assert values(command)[3::2][:3] == ["/local:/l", "/global:/g", "?$H:/h"]


def test_cd_changes_pwd_and_makes_it_unknown_when_the_target_is():
    text = ('cd "$(dirname "$0")"\n'
            'docker run -v $PWD:/a img\n'
            'cd ../lib\n'
            'docker run -v $PWD:/b -v "$(pwd)":/c img\n'
            'cd "$1"\n'
            'docker run -v $PWD:/d img\n')
    first, second, third = commands(text)
    assert values(first)[3] == "{HERE}:/a"
    assert values(second)[3::2][:2] == ["{HERE}/../lib:/b", "{HERE}/../lib:/c"]
    assert values(third)[3] == "?$PWD:/d"


def test_sourcing_another_file_may_change_any_variable():
    text = "A=/a\n. ./env.sh\ndocker run -v $A:/a img\n"
    (command,) = commands(text)
    assert values(command)[3] == "?$A:/a"


def test_syntax_errors_keep_the_intact_commands():
    text = 'docker run -v /ok:/ok img\nif then fi ((\ndocker run -v "/broken\n'
    found = commands(text)
    assert [values(command) for command in found] == [["docker", "run", "-v", "/ok:/ok", "img"]]


def test_non_ascii_text_keeps_character_columns():
    text = 'écho=1; docker run -v "/données":/d img\n'
    (command,) = commands(text)
    assert position(command.words[3]) == (1, 23, 1, 36)
    assert command.words[3].value == "/données:/d"


def test_a_file_without_docker_is_not_parsed():
    assert read_shell_script(source("echo hello\n")).commands == ()


@pytest.mark.parametrize(("line", "shell"), [
    ("#!/bin/sh", "sh"), ("#!/bin/bash -e", "bash"), ("#!/usr/bin/env bash", "bash"),
    ("#! /usr/bin/env -S zsh -f", "zsh"), ("#!/usr/bin/python3", None), ("# just a comment", None),
    ("#!/usr/bin/env python", None), ("\ufeff#!/bin/dash", "dash"),
])
def test_shebangs(line, shell):
    assert shebang_shell(line) == shell


def test_which_names_are_scripts():
    assert claims(PurePath("run.sh")) and claims(PurePath("ci/x.bash")) and not claims(PurePath("run.py"))
    assert is_shell_script(PurePath("bin/entrypoint"), "#!/bin/sh\nexec docker run x\n")
    assert not is_shell_script(PurePath("entrypoint"), "hello\n")
    assert not is_shell_script(PurePath("notes.txt"), "#!/bin/sh\n")


def test_cd_and_pwd_in_a_substitution_gives_the_directory():
    text = ('here="$(cd "$(dirname "$0")" && pwd)"\n'
            'up="$(cd "$here/../lib" && pwd)"\n'
            'rel="$(cd sub; pwd -P)"\n'
            'docker run -v "$up:/lib" -v "$rel:/sub" -v "$(cd /opt && pwd):/opt" img\n')
    (command,) = commands(text)
    assert values(command)[3::2][:3] == ["{HERE}/../lib:/lib", "{HERE}/sub:/sub", "/opt:/opt"]


def test_characters_beyond_the_basic_plane_keep_their_values_and_columns():
    text = 'docker run -v "/😀{x}":/d -v /b:/b {\U00031860\n'
    (command,) = commands(text)
    assert values(command)[3] == "/😀{x}:/d"
    assert position(command.words[5]) == (1, 29, 1, 34)
