"""Makefiles -> the container commands of their recipes, after Make's own expansion."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from dockerstore_lint.inputs.makefile import claims, read_makefile
from tests.command_words import position, source, values
from tests.linting import lint_paths, text_lines


def commands(text: str):
    return read_makefile(source(text, "Makefile")).commands


def test_recipe_lines_prefixes_continuations_and_curdir():
    text = ("IMAGE := postgres:16\n"
            "run:\n"
            "\t@docker run -d \\\n"
            "\t\t-v $(CURDIR)/data:/var/lib/postgresql/data \\\n"
            "\t\t$(IMAGE)\n")
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "-d", "-v", "{HERE}/data:/var/lib/postgresql/data", "postgres:16"]
    assert command.words[4].written == "$(CURDIR)/data:/var/lib/postgresql/data"
    assert position(command.words[4]) == (4, 6, 4, 45)
    # a variable's value stands where it is used: the container is started, and judged, on the recipe line
    assert (command.words[5].written, position(command.words[5])) == ("$(IMAGE)", (5, 3, 5, 11))
    assert position(command) == (3, 3, 5, 11)


def test_dollar_dollar_is_the_shell_s_dollar_and_each_line_is_its_own_shell():
    text = ("t:\n"
            "\tdir=/x; docker run -v $$dir:/a -v $${HOME}/b:/b img\n"
            "\tdocker run -v $$dir:/c img\n")
    first, second = commands(text)
    assert values(first)[3::2][:2] == ["/x:/a", "{HOME}/b:/b"]
    assert values(second)[3] == "?$$dir:/c"


def test_oneshell_makes_the_recipe_one_script():
    text = ".ONESHELL:\nt:\n\tdir=/x\n\tdocker run -v $$dir:/c img\n"
    (command,) = commands(text)
    assert values(command)[3] == "/x:/c"


def test_variables_resolve_only_when_plain_and_unique():
    text = ("A = /a\n"
            "B ?= /b\n"
            "C := /c1\nC := /c2\n"
            "D = /d\nD += /more\n"
            "E != pwd\n"
            "F = $(shell id -u)\n"
            "G = $(A)/g\n"
            "run:\n"
            "\tdocker run -v $(A):/a -v ${B}:/b -v $(C):/c -v $(D):/d -v $(E):/e -u $(F) -v $(G):/g -v $@:/t img\n")
    (command,) = commands(text)
    assert values(command)[3:] == ["/a:/a", "-v", "/b:/b", "-v", "?$(C):/c", "-v", "?$(D):/d", "-v", "?$(E):/e",
                                   "-u", "?$(shell id -u)", "-v", "/a/g:/g", "-v", "?$@:/t", "img"]


def test_a_variable_holding_a_docker_command_is_expanded_in_the_recipe():
    """A command line in a variable keeps its words where they are written: what they mount is reported once,
    at the definition, however many recipes use it."""
    text = 'DOCKER_RUN := docker run --rm -v "$(CURDIR):/work" -w /work\nlint:\n\t$(DOCKER_RUN) alpine ls\n'
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "--rm", "-v", "{HERE}:/work", "-w", "/work", "alpine", "ls"]
    assert position(command.words[0]) == (1, 15, 1, 21) and position(command.words[4]) == (1, 34, 1, 51)
    assert position(command.words[7]) == (3, 16, 3, 22)  # the image, written in the recipe


def test_a_command_line_in_a_variable_is_reported_once_at_its_definition(tmp_path):
    (tmp_path / "Makefile").write_text("RUN := docker run --rm -v /var/run/docker.sock:/var/run/docker.sock kafka\n"
                                       "a:\n\t$(RUN) topics --list\n"
                                       "b:\n\t$(RUN) topics --describe\n")
    findings, loader = lint_paths([tmp_path], cwd=tmp_path, select=["DSL701"])
    assert [line.split(": ", 1)[0] for line in text_lines(findings, loader)] == ["Makefile:1:27"]


def test_a_shared_variable_points_at_each_use_where_a_suppression_covers_it(tmp_path):
    (tmp_path / "Makefile").write_text("DB := postgres:16\n"
                                       "a:\n"
                                       "\t# dockerstore-lint: ignore=DSL103\n"
                                       "\tdocker run -d $(DB)\n"
                                       "b:\n"
                                       "\tdocker run -d $(DB)\n")
    findings, loader = lint_paths([tmp_path], cwd=tmp_path, select=["DSL103"])
    assert [line.split(": ", 1)[0] for line in text_lines(findings, loader)] == ["Makefile:6:16"]


def test_unknown_references_stay_unknown_even_inside_single_quotes():
    text = "t:\n\tdocker run -v '$(SRC)':/s img\n"
    (command,) = commands(text)
    assert values(command)[3] == "?$(SRC):/s"


@pytest.mark.parametrize("text", [
    "# docker run -v /x:/x img\nt:\n\techo hi\n",
    "X = docker run -v /x:/x img\n",  # never used in a recipe
    "define BODY\n\tdocker run -v /x:/x img\nendef\n",
    "t:\n\techo 'docker run -v /x:/x img'\n",
    "\tdocker run -v /x:/x img\n",  # a tab line outside any rule is not a recipe
])
def test_not_commands(text):
    assert commands(text) == ()


def test_inline_recipe_after_a_semicolon():
    (command,) = commands("t: ; docker run -v /x:/x img\n")
    assert values(command) == ["docker", "run", "-v", "/x:/x", "img"]
    assert position(command) == (1, 6, 1, 29)


def test_names():
    assert all(claims(PurePath(name)) for name in ("Makefile", "GNUmakefile", "makefile", "build/docker.mk"))
    assert not claims(PurePath("Makefile.bak"))
