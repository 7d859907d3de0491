"""PowerShell text -> the container commands in it.

tree-sitter-powershell finds where commands start (not in comments, `<# #>` blocks, strings or
here-strings) and the blocks around them; the arguments are then read here, with PowerShell's own
argument-mode rules, because the grammar splits what PowerShell passes as one argument: `-v
${PWD}:/app` (the way Docker's documentation writes a bind mount for PowerShell) becomes two
arguments there, `$src`:/x` an error. The rules: blanks separate arguments, and so does an unquoted
comma (an array, which PowerShell passes to a program as separate arguments); `'...'` is literal with
`''` for a quote; `"..."` expands `$var`, `${var}`, `$env:VAR` and `$(...)`, with backtick escapes and
`""`; a backtick escapes the next character, and at the end of a line continues the command; `--%`
passes the rest of the line as it is.

Variables are case-insensitive. `$PWD`, `${PWD}`, `$(pwd)`, `$(Get-Location)`, `(Get-Location)`,
`(Get-Location).Path`, `$PWD.Path` and (in a script file) `$PSScriptRoot` are the known directory;
`$HOME`, `$env:HOME` and `$env:USERPROFILE` are `~`. `~` itself is left unresolved: whether
PowerShell expands it for a program depends on its version.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, Optional, Union

from dockerstore_lint.inputs.shell.commands import (
    MAX_COMMANDS,
    ShellContext,
    container_command,
    reveal_opaque,
    too_deep,
)
from dockerstore_lint.inputs.shell.trees import Chars, nodes_of_kinds, parse_tree
from dockerstore_lint.inputs.shell.variables import (
    BRANCH,
    ENVIRONMENT,
    FUNCTION,
    LOOP,
    Assignment,
    Scope,
    ScopeIndex,
    reaching_value,
)
from dockerstore_lint.text.positions import Embedded
from dockerstore_lint.text.shell import HERE, SimpleCommand, Word

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    # an assignment as written: its node, and the value's node (a plain `=`), `("cd", command)` for a
    # Set-Location, or None for a value this reader cannot know
    _Written = tuple[Node, Union[Node, tuple[str, Node], None]]

MAX_BLOCK_DEPTH = 400
MAX_VARIABLE_DEPTH = 64

_SCOPES = {
    "if_statement": BRANCH, "switch_statement": BRANCH, "trap_statement": BRANCH, "try_statement": BRANCH,
    "while_statement": LOOP, "for_statement": LOOP, "foreach_statement": LOOP, "do_statement": LOOP,
    "function_statement": FUNCTION, "script_block_expression": FUNCTION,
}
_READ_KINDS = frozenset({"command", "assignment_expression", "foreach_statement", *_SCOPES})
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_LOCATION_COMMANDS = frozenset({"pwd", "get-location", "gl"})
_DIRECTORY_CHANGES = frozenset({"cd", "chdir", "set-location", "sl", "push-location", "pushd"})
_DIRECTORY_RESTORES = frozenset({"pop-location", "popd"})
_VARIABLE_NAME = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*:)?[A-Za-z0-9_?]+")
_STATEMENT_END = "\n;|)}"
# well-known variables -> the bash-style name the input kind's environment uses
_ENVIRONMENT_NAMES = {"pwd": "PWD", "home": "HOME", "env:home": "HOME", "env:userprofile": "HOME"}


def powershell_commands(text: Embedded, context: ShellContext,
                        limit: int = MAX_COMMANDS) -> tuple[SimpleCommand, ...]:
    """The container commands of a PowerShell text: `limit` of them, and one more when there are more.
    A text nested too deep gives none."""
    if too_deep(text.text):
        return ()
    parsed, data, tree = parse_tree(text.text, "tree_sitter_powershell")
    return _Reader(text, parsed, data, tree, context).commands(limit)


class _Token(NamedTuple):
    value: str
    start: int
    end: int
    resolved: bool


class _Reader:
    def __init__(self, text: Embedded, parsed: str, data: bytes, tree: Tree, context: ShellContext) -> None:
        self.text = text
        self.source = text.text
        self.context = context
        self.chars = Chars(parsed, data)
        self.nodes = nodes_of_kinds(tree, _READ_KINDS)
        self._scope_index = ScopeIndex([Scope(_SCOPES[node.type], node.start_byte, node.end_byte)
                                        for kind in _SCOPES for node in self.nodes[kind]], MAX_BLOCK_DEPTH)
        self._written: Optional[dict[str, list[_Written]]] = None  # name -> (node, value node)
        self._assignments: dict[str, Optional[list[Assignment]]] = {}
        self._handles: list[_Written] = []  # Assignment.handle -> (node, value node)
        self._values: dict[int, Optional[str]] = {}
        self._busy: set[int] = set()

    def _scopes(self, start_byte: int, end_byte: int) -> Optional[tuple[Scope, ...]]:
        return self._scope_index.around(start_byte, end_byte)

    def commands(self, limit: int) -> tuple[SimpleCommand, ...]:
        found: list[SimpleCommand] = []
        read_to = -1  # a command inside the arguments of the one before was read with them
        for node in self.nodes["command"]:
            if len(found) > limit:
                break
            name = (node.child_by_field_name("command_name")
                    or _first_named(node, ("command_name", "command_name_expr")))
            if name is None:
                continue
            raw = (name.text or b"").lower()
            if b"docker" not in raw and b"podman" not in raw and b"$" not in raw:
                continue
            start = self.chars(name.start_byte)
            if start < read_to:
                continue
            tokens = self._arguments(start, len(self.source))
            read_to = tokens[-1].end if tokens else start
            words = [reveal_opaque(Word(token.value, self.text.written(token.start, token.end),
                                        self.text.span(token.start, token.end), token.resolved), self.context)
                     for token in tokens]
            command = container_command(words, self.context.directory)
            if command is not None:
                found.append(command)
        return tuple(found)

    # --- arguments ----------------------------------------------------------------------------

    def _arguments(self, at: int, end: int) -> list[_Token]:
        """The arguments from `at` to the end of the statement, with PowerShell's argument rules."""
        source = self.source
        tokens: list[_Token] = []
        while at < end:
            char = source[at]
            if char in " \t\r,":
                at += 1
                continue
            if char == "`" and source.startswith("\n", at + 1):
                at += 2
                continue
            if char in _STATEMENT_END or char == "#" or source.startswith("&&", at) or source.startswith("||", at):
                break
            if source.startswith("--%", at) and (at + 3 >= end or source[at + 3] in " \t\n"):
                line_end = source.find("\n", at)
                line_end = end if line_end < 0 else line_end
                # passed on as written: how the program splits quotes or expands %VAR% is its own business
                for match in re.finditer(r"\S+", source[at + 3:line_end]):
                    tokens.append(_Token(match.group(), at + 3 + match.start(), at + 3 + match.end(),
                                         not re.search(r'["%]', match.group())))
                break
            token = self._argument(at, end)
            tokens.append(token)
            at = max(token.end, at + 1)
        return tokens

    def _argument(self, start: int, end: int) -> _Token:
        source = self.source
        parts: list[str] = []
        resolved = True
        at = start
        while at < end:
            char = source[at]
            if char in " \t\r,\n;|" or (char in ")}" and at > start):
                break
            if char == "'":
                close = _verbatim_end(source, at + 1, end)
                parts.append(source[at + 1:close].replace("''", "'"))
                resolved &= close < end
                at = close + 1
            elif char == '"':
                text, at, complete = self._expandable(at + 1, end)
                parts.append(text)
                resolved &= complete
            elif char == "`":
                if at + 1 < end and source[at + 1] == "\n":
                    break  # a continuation
                parts.append(_ESCAPES.get(source[at + 1], source[at + 1]) if at + 1 < end else "")
                at += 2
            elif char == "$":
                known, at = self._variable(at, end, in_string=False)
                resolved &= known is not None
                parts.append(known or "")
            elif char == "(" and at == start:
                close = _balanced(source, at, end)
                known = self._location(source[at + 1:close], at) if close < end else None
                at = close + 1
                if known is not None and source.startswith(".Path", at):
                    at += 5
                resolved &= known is not None
                parts.append(known or "")
            elif char in "@({" or (char == "~" and at == start):
                close = _balanced(source, at + 1, end) if char == "@" and at + 1 < end and source[at + 1] in "({" \
                    else _balanced(source, at, end) if char in "({" else at
                at = close + 1
                resolved = False
            else:
                parts.append(char)
                at += 1
        if not resolved:
            return _Token(self.text.written(start, at), start, at, False)
        return _Token("".join(parts), start, at, True)

    def _expandable(self, at: int, end: int) -> tuple[str, int, bool]:
        """A `"..."` string from after its opening quote: its value, where it ends, whether it is known."""
        source = self.source
        parts: list[str] = []
        known = True
        while at < end:
            char = source[at]
            if char == '"':
                if source.startswith('""', at):
                    parts.append('"')
                    at += 2
                    continue
                return "".join(parts), at + 1, known
            if char == "`" and at + 1 < end:
                parts.append(_ESCAPES.get(source[at + 1], "" if source[at + 1] == "\n" else source[at + 1]))
                at += 2
            elif char == "$":
                value, at = self._variable(at, end, in_string=True)
                known &= value is not None
                parts.append(value or "")
            else:
                parts.append(char)
                at += 1
        return "".join(parts), end, False

    def _variable(self, at: int, end: int, in_string: bool) -> tuple[Optional[str], int]:
        """The value of the `$...` at `at` (None when unknown) and where it ends."""
        source = self.source
        if source.startswith("$(", at):
            close = _balanced(source, at + 1, end)
            value = self._location(source[at + 2:close], at) if close < end else None
            at = close + 1
            if value is not None and not in_string and source.startswith(".Path", at):
                at += 5
            return value, at
        if source.startswith("${", at):
            close = source.find("}", at, end)
            if close < 0:
                return None, end
            return self._lookup(source[at + 2:close], at), close + 1
        match = _VARIABLE_NAME.match(source, at + 1, end)
        if match is None:
            return "$", at + 1  # a lone `$` is itself
        name = match.group()
        after = match.end()
        if source.startswith(":", after):  # `$PWD:/x`: PowerShell refuses a `:` that no name follows
            return None, after + 1
        value = self._lookup(name, at)
        if not in_string and source.startswith(".", after) and after + 1 < end and source[after + 1].isalpha():
            member = re.match(r"\.[A-Za-z_]+", source[after:end])
            length = member.end() if member else 1
            if value == HERE and source[after:after + length].lower() == ".path":
                return value, after + length
            return None, after + length  # another member of an object
        return value, after

    def _location(self, expression: str, offset: int) -> Optional[str]:
        """`HERE` for `Get-Location`, `pwd`, `gl`, `$PWD` and `$PWD.Path` inside `(...)` or `$(...)`."""
        expression = expression.strip()
        if expression.lower() in _LOCATION_COMMANDS:
            return self._lookup("pwd", offset)
        if re.fullmatch(r"\$pwd(\.path)?|\(get-location\)\.path|\(pwd\)\.path", expression, re.IGNORECASE):
            return self._lookup("pwd", offset)
        return None

    # --- variables ----------------------------------------------------------------------------

    def _lookup(self, name: str, offset: int) -> Optional[str]:
        key = name.lower()
        if key == "psscriptroot":
            return HERE if self.context.script_directory else None
        assignments = self._assignments_of(key)
        if assignments is None:
            return None
        value: Optional[str] = ENVIRONMENT
        if assignments:
            scopes = self._scopes_at(offset)
            value = None if scopes is None else reaching_value(assignments, offset, scopes, self._value)
        if value == ENVIRONMENT:
            if key.startswith("env:") and key not in _ENVIRONMENT_NAMES:
                return self.context.environment.get(name[4:])
            environment_name = _ENVIRONMENT_NAMES.get(key)
            return self.context.environment.get(environment_name) if environment_name else None
        return value

    def _scopes_at(self, offset: int) -> Optional[tuple[Scope, ...]]:
        byte = self.chars.byte(offset)
        return self._scopes(byte, byte + 1)

    def _assignments_of(self, key: str) -> Optional[list[Assignment]]:
        if key in self._assignments:
            return self._assignments[key]
        if self._written is None:
            self._written = self._collect()
        found: list[Assignment] = []
        for node, value_node in self._written.get(key, []):
            scopes = self._scopes(node.start_byte, node.end_byte)
            if scopes is None:
                self._assignments[key] = None
                return None
            # a function's or script block's assignments are its own (PowerShell's scopes are dynamic)
            local = any(scope.kind == FUNCTION for scope in scopes)
            found.append(Assignment(key, self.chars(node.end_byte), scopes, local, len(self._handles)))
            self._handles.append((node, value_node))
        found.sort(key=lambda assignment: assignment.offset)
        self._assignments[key] = found
        return found

    def _collect(self) -> dict[str, list[_Written]]:
        found: dict[str, list[_Written]] = {}
        for node in self.nodes["assignment_expression"]:
            left = _first_named(node, ("left_assignment_expression",))
            operator = _first_named(node, ("assignement_operator", "assignment_operator"))
            value = node.children[-1] if node.child_count else None
            if left is None:
                continue
            name = (left.text or b"").decode("utf-8", "replace").strip()
            if not name.startswith("$"):
                continue  # a typed or indexed target: `[string]$x`, `$a[0]`
            plain = operator is not None and operator.text == b"="
            found.setdefault(name[1:].lower(), []).append((node, value if plain else None))
        for loop in self.nodes["foreach_statement"]:
            variable = _first_named(loop, ("variable",))
            if variable is not None:
                found.setdefault((variable.text or b"").decode("utf-8", "replace")[1:].lower(), []).append((loop, None))
        for node in self.nodes["command"]:
            name_node = node.child_by_field_name("command_name") or _first_named(node, ("command_name",))
            command = (name_node.text or b"").decode("utf-8", "replace").lower() if name_node is not None else ""
            if command in _DIRECTORY_CHANGES:
                found.setdefault("pwd", []).append((node, ("cd", node)))
            elif command in _DIRECTORY_RESTORES:
                found.setdefault("pwd", []).append((node, None))
        return found

    def _value(self, assignment: Assignment) -> Optional[str]:
        key = assignment.handle
        if key in self._values:
            return self._values[key]
        if key in self._busy or len(self._busy) >= MAX_VARIABLE_DEPTH:
            return None
        self._busy.add(key)
        _, value_node = self._handles[key]
        value: Optional[str] = None
        if isinstance(value_node, tuple):  # Set-Location DIR
            command = value_node[1]
            name_node = command.child_by_field_name("command_name") or _first_named(command, ("command_name",))
            if name_node is not None:
                arguments = self._arguments(self.chars(name_node.end_byte), self.chars(command.end_byte))
                tokens = [token for token in arguments if not token.value.lower().startswith("-")]
                if len(tokens) == 1 and tokens[0].resolved and tokens[0].value.rstrip("\\/") == HERE:
                    value = HERE
        elif value_node is not None:
            start, end = self.chars(value_node.start_byte), self.chars(value_node.end_byte)
            if self.source[start:start + 1] in ("'", '"', "$", "("):
                tokens = self._arguments(start, end)
                if len(tokens) == 1 and tokens[0].resolved and tokens[0].end == end:
                    value = tokens[0].value
        self._busy.discard(key)
        self._values[key] = value
        return value


def _first_named(node: Node, kinds: tuple[str, ...]) -> Optional[Node]:
    for child in node.children:
        if child.type in kinds:
            return child
    return None


def _verbatim_end(source: str, at: int, end: int) -> int:
    """The closing quote of a `'...'` string whose text starts at `at` (`end` when there is none)."""
    while at < end:
        close = source.find("'", at, end)
        if close < 0:
            return end
        if source.startswith("''", close):
            at = close + 2
            continue
        return close
    return end


def _balanced(source: str, at: int, end: int) -> int:
    """The bracket closing the one at `at`, skipping strings; `end` when there is none."""
    depth = 0
    while at < end:
        char = source[at]
        if char in "({[":
            depth += 1
        elif char in ")}]":
            depth -= 1
            if depth == 0:
                return at
        elif char == "'":
            at = _verbatim_end(source, at + 1, end)
        elif char == '"':
            at += 1
            while at < end and source[at] != '"':
                at += 2 if source[at] == "`" else 1
        elif char == "`":
            at += 1
        at += 1
    return end
