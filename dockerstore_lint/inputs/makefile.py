"""Makefiles (`Makefile`, `GNUmakefile`, `makefile`, `*.mk`) -> the container commands of their recipes.

Make hands each recipe line to its own shell after expanding its own references, so that is what
this reads: the recipe lines (tab-indented in a rule, or after `;` on the rule line), `@`/`-`/`+`
prefixes dropped, backslash continuations kept for the shell with the continuation's tab removed, the
whole recipe as one script under `.ONESHELL:`. Then Make's references are expanded: `$$` is `$`,
`$(CURDIR)`, `$(PWD)` and `$(shell pwd)` are the Makefile's directory (`HERE`), and a variable
assigned in this file with `=`, `:=`, `::=` or `?=` to one value everywhere (plain text or other such
variables) is replaced by that value, which stands where it is used: a word made of it spans the reference
in the recipe (`$(IMAGE)`), the line that starts the container, as it does for a shell variable. Anything
else (automatic variables, functions, `+=`, `!=`, `define`, target-specific or conflicting values,
variables from the environment or command line) stays as written and makes its words unresolved.
Then the shell path reads each line.

A small line scanner, not tree-sitter-make: what Make does with a recipe is line-level and simple,
and the grammar misreads valid Makefiles (nested function calls with quotes inside `$(shell ...)`,
target-specific variables: 4 of the 23 Makefiles of the real corpora get ERROR nodes).

Comments are `#` to the end of the line outside recipes; in a recipe `#` is the shell's.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import NamedTuple, Optional

from dockerstore_lint.inputs.shell.commands import (
    Budget,
    Commands,
    ShellContext,
    mentions_container_tool,
    opaque_mark,
)
from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand
from dockerstore_lint.text.sources import Source

NAMES = frozenset({"Makefile", "GNUmakefile", "makefile"})
SUFFIX = ".mk"
COMMENT_PREFIX = "#"
# expansions of expansions deeper than this, or longer, stay unresolved (`A = $(B)$(B)`, `B = $(C)$(C)`...)
MAX_EXPANSION_DEPTH = 32
MAX_EXPANDED_LENGTH = 100_000

_ASSIGNMENT = re.compile(r"(?:(?:export|override|private)\s+)*([^\s:#=$()]+|\$\([^()]*\))\s*(::?:?=|\?=|\+=|!=|=)")
_DIRECTIVES = ("ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude",
               "vpath", "unexport", "export", "override", "undefine", "$(eval", "$(info", "$(warning", "$(error")
_RECIPE_PREFIXES = "@-+ \t"
_HERE_REFERENCES = frozenset({"CURDIR", "PWD", "shell pwd"})
_NAME = re.compile(r"[^\s:#=$(){},]+")


def claims(path: PurePath) -> bool:
    return path.name in NAMES or path.name.endswith(SUFFIX)


class _Definition(NamedTuple):
    start: int  # file offsets of the value text, continuations included
    end: int
    plain: bool  # `=`, `:=`, `::=`, `?=`: a value this reader may use


class _RecipeLine(NamedTuple):
    rule: int  # which rule's recipe it belongs to
    start: int  # file offsets of the shell text (after the prefixes)
    end: int


def read_makefile(source: Source) -> Commands:
    if not mentions_container_tool(source.text):
        return Commands()
    origin = FileText(source.file, source.text)
    recipes, definitions, one_shell = _scan(source.text)
    expander = _Expander(origin, definitions)
    from dockerstore_lint.inputs.shell.bash import bash_commands

    directory = source.path.parent
    budget = Budget(source.file)
    found: list[SimpleCommand] = []
    for group in _shell_texts(recipes, one_shell):
        text, opaque = expander.recipe(group)
        if not mentions_container_tool(text.text):
            continue
        region = origin.span(group[0].start, group[-1].end)
        if not budget.parse(region):
            break
        context = ShellContext(directory, {"PWD": HERE, "HOME": HOME}, False, opaque)
        kept = budget.keep(bash_commands(text, context, budget.commands))
        found.extend(kept)
    return Commands(tuple(found), budget.problems())


def _shell_texts(recipes: list[_RecipeLine], one_shell: bool) -> list[list[_RecipeLine]]:
    if not one_shell:
        return [[line] for line in recipes]
    groups: list[list[_RecipeLine]] = []
    for line in recipes:
        if groups and groups[-1][0].rule == line.rule:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _scan(text: str) -> tuple[list[_RecipeLine], dict[str, list[_Definition]], bool]:
    """Recipe lines and variable definitions, from physical lines joined at backslash continuations."""
    recipes: list[_RecipeLine] = []
    definitions: dict[str, list[_Definition]] = {}
    lines = _physical_lines(text)
    one_shell = False
    rule = -1  # index of the rule whose recipe tab lines belong to; -1 outside any rule
    index = 0
    in_define: Optional[str] = None
    while index < len(lines):
        start, end = lines[index]
        last = index
        while _continues(text, lines[last]) and last + 1 < len(lines):
            last += 1
        logical_end = lines[last][1]
        line = text[start:end]
        index = last + 1
        if in_define is not None:
            if line.strip().startswith("endef"):
                in_define = None
            continue
        if line.startswith("\t") and rule >= 0:
            prefix = start + 1
            while prefix < logical_end and text[prefix] in _RECIPE_PREFIXES and prefix < end:
                prefix += 1
            if text[prefix:logical_end].strip():
                recipes.append(_RecipeLine(rule, prefix, logical_end))
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        body = _uncommented(text, start, logical_end)
        if stripped.startswith(("define ", "define\t")) or re.match(
                r"(?:(?:export|override|private)\s+)+define\s", stripped):
            tokens = stripped.split()
            name = tokens[tokens.index("define") + 1] if tokens.index("define") + 1 < len(tokens) else ""
            definitions.setdefault(name, []).append(_Definition(start, start, False))
            in_define = name
            continue
        assignment = _ASSIGNMENT.match(text, start + len(line) - len(line.lstrip()), body)
        colon = _outside_references(text, start, body, ":")
        if assignment and (colon is None or colon >= assignment.start(2)):
            name, operator = assignment.group(1), assignment.group(2)
            value_start = assignment.end()
            while value_start < body and text[value_start] in " \t":
                value_start += 1
            definitions.setdefault(name, []).append(
                _Definition(value_start, body, operator in ("=", ":=", "::=", ":::=", "?=")))
            rule = -1
            continue
        if stripped.split(None, 1)[0] in _DIRECTIVES:
            continue
        if colon is not None:
            if text[start:colon].strip() == ".ONESHELL":
                one_shell = True
            after = colon + 1
            if text.startswith(":", after):
                after += 1  # `::` rules
            target_assignment = _ASSIGNMENT.match(text, after + len(text[after:body]) - len(text[after:body].lstrip()),
                                                  body)
            if target_assignment:  # `target: VAR = value` gives the variable another value for that target
                definitions.setdefault(target_assignment.group(1), []).append(_Definition(after, after, False))
            rule = index
            semicolon = _outside_references(text, after, body, ";")
            if semicolon is not None and text[semicolon + 1:logical_end].strip():
                recipe_start = semicolon + 1
                while recipe_start < logical_end and text[recipe_start] in _RECIPE_PREFIXES:
                    recipe_start += 1
                recipes.append(_RecipeLine(rule, recipe_start, logical_end))
    return recipes, definitions, one_shell


def _physical_lines(text: str) -> list[tuple[int, int]]:
    lines = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                lines.append((start, len(text)))
            break
        lines.append((start, end))
        start = end + 1
    return lines


def _continues(text: str, line: tuple[int, int]) -> bool:
    start, end = line
    backslashes = 0
    while end - backslashes > start and text[end - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _uncommented(text: str, start: int, end: int) -> int:
    """Where a non-recipe line's text ends: at a `#` that is not escaped."""
    at = start
    while True:
        at = text.find("#", at, end)
        if at < 0:
            return end
        if at == start or text[at - 1] != "\\":
            return at
        at += 1


def _outside_references(text: str, start: int, end: int, char: str) -> Optional[int]:
    depth = 0
    for at in range(start, end):
        current = text[at]
        if current in "({":
            depth += 1
        elif current in ")}":
            depth = max(depth - 1, 0)
        elif current == char and depth == 0:
            return at
    return None


class _Expander:
    """Make's expansion of a recipe, into a shell text that maps back to the file."""

    def __init__(self, origin: FileText, definitions: dict[str, list[_Definition]]) -> None:
        self.origin = origin
        self.text = origin.text
        self.definitions = definitions
        self.opaque: list[str] = []

    def recipe(self, lines: list[_RecipeLine]) -> tuple[Embedded, tuple[str, ...]]:
        self.opaque = []
        builder = EmbeddedBuilder(self.origin)
        for number, line in enumerate(lines):
            if number:
                builder.insert("\n", lines[number - 1].end, lines[number - 1].end + 1)
            self._expand(builder, line.start, line.end, 0, recipe=True)
        return builder.build(), tuple(self.opaque)

    def _expand(self, builder: EmbeddedBuilder, start: int, end: int, depth: int, recipe: bool) -> None:
        text = self.text
        at = start
        while at < end:
            dollar = text.find("$", at, end)
            newline = text.find("\n", at, end)
            if newline >= 0 and (dollar < 0 or newline < dollar):
                self._line_break(builder, at, newline, end, recipe)
                at = newline + 1
                if recipe and at < end and text[at] == "\t":
                    at += 1  # the recipe prefix of a continuation line is not the shell's
                elif not recipe:
                    while at < end and text[at] in " \t":
                        at += 1
                continue
            if dollar < 0:
                builder.copy(at, end)
                return
            builder.copy(at, dollar)
            at = self._reference(builder, dollar, end, depth)

    def _line_break(self, builder: EmbeddedBuilder, at: int, newline: int, end: int, recipe: bool) -> None:
        if recipe:
            builder.copy(at, newline + 1)  # the shell sees the backslash and the line break
            return
        # in a variable's value a continuation is one space, with the blanks around it
        stop = newline - 1
        while stop > at and self.text[stop - 1] in " \t":
            stop -= 1
        builder.copy(at, stop)
        builder.insert(" ", stop, newline + 1)

    def _reference(self, builder: EmbeddedBuilder, dollar: int, end: int, depth: int) -> int:
        """Expand the reference at `dollar`; return where the text goes on."""
        text = self.text
        if dollar + 1 >= end:
            builder.copy(dollar, end)
            return end
        following = text[dollar + 1]
        if following == "$":
            builder.insert("$", dollar, dollar + 2)
            return dollar + 2
        if following not in "({":
            self._unknown(builder, dollar, dollar + 2)  # `$@`, `$<`, `$X`...
            return dollar + 2
        close = _matching(text, dollar + 1, end)
        if close is None:
            self._unknown(builder, dollar, end)
            return end
        inner = text[dollar + 2:close].strip()
        if inner in _HERE_REFERENCES:
            builder.insert(HERE, dollar, close + 1)
            return close + 1
        definition = self._definition(inner) if _NAME.fullmatch(inner) else None
        if definition is None or depth >= MAX_EXPANSION_DEPTH or len(builder) > MAX_EXPANDED_LENGTH:
            self._unknown(builder, dollar, close + 1)
        elif depth or len(self.text[definition.start:definition.end].split()) > 1:
            # a command line or a part of one (`DOCKER_RUN := docker run -v ...`): its words keep their place in the
            # definition, so that what they say is reported once there, however many recipes use it
            self._expand(builder, definition.start, definition.end, depth + 1, recipe=False)
        else:
            # a value (`$(IMAGE)`), with what it refers to, stands for the reference in the recipe: findings on it
            # point at the command that uses it, where a suppression comment covers them
            value = EmbeddedBuilder(self.origin)
            self._expand(value, definition.start, definition.end, depth + 1, recipe=False)
            builder.insert(value.build().text, dollar, close + 1)
        return close + 1

    def _definition(self, name: str) -> Optional[_Definition]:
        definitions = self.definitions.get(name)
        if not definitions or not all(definition.plain for definition in definitions):
            return None
        values = {self.text[definition.start:definition.end] for definition in definitions}
        return definitions[0] if len(values) == 1 else None

    def _unknown(self, builder: EmbeddedBuilder, start: int, end: int) -> None:
        self.opaque.append(self.text[start:end])
        builder.insert(opaque_mark(len(self.opaque) - 1), start, end)


def _matching(text: str, opening_at: int, end: int) -> Optional[int]:
    """The `)` or `}` closing the one at `opening_at`, counting nested pairs of that kind."""
    opening = text[opening_at]
    closing = ")" if opening == "(" else "}"
    depth = 0
    for at in range(opening_at, end):
        if text[at] == opening:
            depth += 1
        elif text[at] == closing:
            depth -= 1
            if depth == 0:
                return at
    return None
