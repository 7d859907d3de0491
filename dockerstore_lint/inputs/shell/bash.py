"""Bash (sh, zsh) text -> the container commands in it, read with tree-sitter-bash.

The grammar does the shell's lexical work (quotes, `$'...'`, continuations, heredocs, comments) and
recovers from syntax errors; a command it could not read whole is left out. Commands are found
anywhere they run: in functions, branches, loops, pipelines, `&&` lists, subshells and command
substitutions; not in comments, strings, heredoc bodies or the arguments of `echo`, which are text.

A word's value is what the command receives: quotes removed, escapes applied, the variables that
`variables` can decide expanded (an unquoted expansion is split into fields as the shell does). What is
not known stays as written and makes the word unresolved: other variables, `$1`, `$@`, command
substitutions, arithmetic, globs and brace expansions. The few references to a known directory
(`$PWD`, `$(pwd)`, the script's directory through `$(dirname "$0")`, `$(cd "$(dirname "$0")" && pwd)`,
`realpath`/`readlink -f`) become `HERE`; `~` and `$HOME` become `HOME`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional

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
    SUBSHELL,
    Assignment,
    Scope,
    ScopeIndex,
    reaching_value,
)
from dockerstore_lint.text.positions import Embedded
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand, Word

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    # an assignment as written: (its node, the kind of value, the value's node, declared `local`)
    _Written = tuple[Node, str, Optional[Node], bool]

# the script's own path: a value only `dirname`, `realpath` and `readlink -f` see, never a word's
SCRIPT = "\ue0ff"
# deeper nesting of words in words, or of variables defined by variables, is left unresolved (the
# walks are recursive); a command in more than MAX_BLOCK_DEPTH blocks is not read
MAX_WORD_DEPTH = 64
MAX_BLOCK_DEPTH = 400

HEREDOC = "heredoc"  # not a scope of variables: commands in a heredoc body are text
_SCOPES = {
    "heredoc_body": HEREDOC,
    "if_statement": BRANCH, "case_statement": BRANCH, "list": BRANCH, "ternary_expression": BRANCH,
    "while_statement": LOOP, "for_statement": LOOP, "c_style_for_statement": LOOP,
    "subshell": SUBSHELL, "command_substitution": SUBSHELL, "process_substitution": SUBSHELL,
    "pipeline": SUBSHELL,
    "function_definition": FUNCTION,
}
_READ_KINDS = frozenset({"command", "variable_assignment", "for_statement", "declaration_command", *_SCOPES})
_NOT_WORDS = frozenset({"variable_assignment", "file_redirect", "heredoc_redirect", "herestring_redirect",
                        "comment"})
# commands that give a variable a value this reader cannot know
_READERS = frozenset({"read", "mapfile", "readarray", "getopts", "unset", "let", "printf"})
# commands after which any variable may have changed
_BARRIERS = frozenset({"source", ".", "eval"})
_DIRECTORY_CHANGES = frozenset({"cd", "pushd", "popd"})
_SCRIPT_NAMES = frozenset({"0", "BASH_SOURCE", "BASH_SOURCE[0]"})
_BRACES = re.compile(r"\{[^{}]*(?:,|\.\.)[^{}]*\}")
_GLOB = re.compile(r"[*?\[]")
_ANSI_C = re.compile(r"\\(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})|c(.)|(.))",
                     re.DOTALL)
_ANSI_C_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                  "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


def bash_commands(text: Embedded, context: ShellContext, limit: int = MAX_COMMANDS) -> tuple[SimpleCommand, ...]:
    """The container commands of a bash text, in reading order: `limit` of them, and one more when
    there are more (so that the caller can say where it stopped). A text nested too deep gives none."""
    if too_deep(text.text):
        return ()
    parsed, data, tree = parse_tree(text.text, "tree_sitter_bash")
    return _Reader(text, parsed, data, tree, context).commands(limit)


class _Part(NamedTuple):
    text: str
    split: bool  # the result of an unquoted expansion: the shell splits it into fields
    resolved: bool


class _Reader:
    def __init__(self, text: Embedded, parsed: str, data: bytes, tree: Tree, context: ShellContext) -> None:
        self.text = text  # values and positions come from here; `parsed` (as long) is what tree-sitter read
        self.data = data
        self.context = context
        self.chars = Chars(parsed, data)
        self.nodes = nodes_of_kinds(tree, _READ_KINDS)
        self._scope_index = ScopeIndex([Scope(_SCOPES[node.type], node.start_byte, node.end_byte)
                                        for kind in _SCOPES for node in self.nodes[kind]], MAX_BLOCK_DEPTH)
        self._written: Optional[dict[str, list[_Written]]] = None  # name -> its assignments
        self._assignments: dict[str, Optional[list[Assignment]]] = {}
        self._value_nodes: list[tuple[str, Optional[Node]]] = []  # Assignment.handle -> (kind, node)
        self._values: dict[int, Optional[str]] = {}
        self._busy: set[int] = set()
        self._depth = 0  # command substitutions being read, one inside the other
        self._script_operand = False  # reading the operand of `dirname`/`realpath`: `$0` is the script

    # --- commands -----------------------------------------------------------------------------

    def commands(self, limit: int) -> tuple[SimpleCommand, ...]:
        found: list[SimpleCommand] = []
        for node in self.nodes["command"]:
            if len(found) > limit:
                break
            name = node.child_by_field_name("name")
            # a container tool's name is short: a long one is not even copied out of the tree
            if name is None or name.end_byte - name.start_byte > 256 or not _may_be_container_tool(name.text or b""):
                continue
            scopes = self._scopes(node)
            if node.has_error or scopes is None or any(scope.kind == HEREDOC for scope in scopes):
                continue
            command = container_command(self._words(node), self.context.directory)
            if command is not None:
                found.append(command)
        return tuple(found)

    def _scopes(self, node: Node) -> Optional[tuple[Scope, ...]]:
        """The scopes around a node, outermost first; None when they are nested too deep."""
        return self._scope_index.around(node.start_byte, node.end_byte)

    def _words(self, command: Node) -> list[Word]:
        groups: list[list[Node]] = []
        end = -1
        for child in command.children:
            if child.type in _NOT_WORDS:
                end = -1
                continue
            node = child.children[0] if child.type == "command_name" and child.child_count == 1 else child
            # pieces the grammar leaves side by side without a space are one shell word
            if groups and node.start_byte == end:
                groups[-1].append(node)
            else:
                groups.append([node])
            end = node.end_byte
        words: list[Word] = []
        for group in groups:
            words.extend(self._fields(group))
        return words

    def _fields(self, nodes: list[Node]) -> list[Word]:
        start, end = self.chars(nodes[0].start_byte), self.chars(nodes[-1].end_byte)
        raw = self.text.text[start:end]
        parts: list[_Part] = []
        for index, node in enumerate(nodes):
            parts.extend(self._parts(node, first=index == 0, raw_word=raw, depth=0))
        span = self.text.span(start, end)
        written = self.text.written(start, end)
        resolved = all(part.resolved for part in parts)
        words = [Word(value, written, span, resolved) for value in _split_fields(parts)]
        return [reveal_opaque(word, self.context) for word in words]

    # --- word values --------------------------------------------------------------------------

    def _raw(self, node: Node) -> str:
        return self.text.text[self.chars(node.start_byte):self.chars(node.end_byte)]

    def _unknown(self, node: Node) -> _Part:
        return _Part(self.text.written(self.chars(node.start_byte), self.chars(node.end_byte)), False, False)

    def _parts(self, node: Node, first: bool, raw_word: str, depth: int, quoted: bool = False) -> list[_Part]:
        if depth > MAX_WORD_DEPTH:
            return [self._unknown(node)]
        kind = node.type
        if kind in ("word", "number") or not node.is_named and kind not in ("$",):
            return [self._literal(self._raw(node), first, raw_word, node)]
        if kind == "raw_string":
            raw = self._raw(node)
            return [_Part(raw[1:-1] if len(raw) > 1 and raw.endswith("'") else raw[1:], False, True)]
        if kind == "ansi_c_string":
            raw = self._raw(node)
            return [_Part(_ansi_c(raw[2:-1] if raw.endswith("'") else raw[2:]), False, True)]
        if kind in ("string", "translated_string"):
            return self._string(node, depth)
        if kind == "concatenation":
            parts: list[_Part] = []
            for index, child in enumerate(node.children):
                parts.extend(self._parts(child, first and index == 0, raw_word, depth + 1, quoted))
            return parts
        if kind == "simple_expansion":
            return [self._expansion(node, self._raw(node)[1:], quoted)]
        if kind == "expansion":
            return [self._braced(node, quoted)]
        if kind == "command_substitution":
            value = self._substitution(node)
            return [_Part(value, False, True) if value is not None else self._unknown(node)]
        return [self._unknown(node)]

    def _literal(self, raw: str, first: bool, raw_word: str, node: Node) -> _Part:
        value = _unescape(raw)
        if first and value.startswith("~"):
            head = value.split("/", 1)[0]
            if head != "~" or raw.startswith("\\"):
                return self._unknown(node)  # `~user` is another user's home
            value = HOME + value[1:]  # the shell expands it: Docker gets the home directory's path
        if _GLOB.search(raw) or (("{" in raw or "}" in raw) and _BRACES.search(raw_word)):
            return _Part(value, False, False)
        return _Part(value, False, True)

    def _string(self, node: Node, depth: int) -> list[_Part]:
        start, end = node.start_byte, node.end_byte
        opening = 2 if self.data[start:start + 1] == b"$" else 1
        closing = 1 if end - start > opening and self.data[end - 1:end] == b'"' else 0
        parts: list[_Part] = [_Part("", False, True)]  # "" is a word even when empty
        at = start + opening
        for child in node.children:
            if child.start_byte < at or child.end_byte > end - closing:
                continue  # the quotes
            if child.start_byte > at:
                parts.append(_Part(_unescape_quoted(self._slice(at, child.start_byte)), False, True))
            if child.type == "string_content":
                parts.append(_Part(_unescape_quoted(self._raw(child)), False, True))
            else:
                parts.extend(part._replace(split=False)
                             for part in self._parts(child, False, "", depth + 1, quoted=True))
            at = child.end_byte
        if end - closing > at:
            parts.append(_Part(_unescape_quoted(self._slice(at, end - closing)), False, True))
        return parts

    def _slice(self, start_byte: int, end_byte: int) -> str:
        return self.text.text[self.chars(start_byte):self.chars(end_byte)]

    def _expansion(self, node: Node, name: str, quoted: bool) -> _Part:
        value = self._lookup(name, node)
        if value is None or (SCRIPT in value and not self._script_operand):
            return self._unknown(node)
        return _Part(value, not quoted, True)

    def _braced(self, node: Node, quoted: bool) -> _Part:
        named = [child for child in node.children if child.type not in ("${", "}")]
        if len(named) == 1 and named[0].type in ("variable_name", "subscript"):
            return self._expansion(node, self._raw(named[0]), quoted)
        if (len(named) >= 2 and named[0].type == "variable_name" and named[1].type in (":-", "-")):
            value = self._lookup(self._raw(named[0]), node)
            if value and SCRIPT not in value:  # set and not empty: the default is not used
                return _Part(value, not quoted, True)
        return self._unknown(node)

    def _lookup(self, name: str, node: Node) -> Optional[str]:
        if name in _SCRIPT_NAMES:
            return SCRIPT if self.context.script_directory else None
        assignments = self._assignments_of(name)
        if assignments is None:
            return None
        if assignments:
            scopes = self._scopes(node)
            if scopes is None:
                return None
            value = reaching_value(assignments, self.chars(node.start_byte), scopes, self._assignment_value)
        else:
            value = ENVIRONMENT
        if value == ENVIRONMENT:
            return self.context.environment.get(name)
        return value

    def _substitution(self, node: Node) -> Optional[str]:
        """`HERE` (or the script's path, for `dirname`) for the idioms that name a known directory."""
        if self._depth >= MAX_WORD_DEPTH:
            return None
        self._depth += 1
        try:
            return self._directory_idiom(node)
        finally:
            self._depth -= 1

    def _directory_idiom(self, node: Node) -> Optional[str]:
        statements = [child for child in node.children if child.is_named and child.type != "comment"]
        if len(statements) == 1 and statements[0].type == "list":
            statements = [child for child in statements[0].children if child.is_named]
        if not statements or len(statements) > 2:
            return None
        if len(statements) == 2:  # cd DIR && pwd, cd DIR; pwd
            change, last = statements
            if _command_name(last) != "pwd" or _command_name(change) not in ("cd", "pushd"):
                return None
            return self._absolute(self._cd_target(_strip_redirects(change)), node)
        command = _strip_redirects(statements[0])
        if command is None:
            return None
        name = _command_name(command)
        if name == "pwd":
            return self._lookup("PWD", command)
        if name not in ("dirname", "realpath", "readlink", "greadlink"):
            return None
        self._script_operand, outer = True, self._script_operand
        try:
            operands = [word for word in self._words(command)[1:] if not word.value.startswith("-")]
        finally:
            self._script_operand = outer
        if len(operands) != 1 or not operands[0].resolved:
            return None
        value = operands[0].value
        if name == "dirname":
            return HERE if value == SCRIPT else None
        return value if value in (HERE, SCRIPT) else None

    def _absolute(self, directory: Optional[str], node: Node) -> Optional[str]:
        """What `cd DIRECTORY && pwd` prints: the directory, made absolute against a known `$PWD`."""
        if directory is None or directory.startswith(("/", HERE, HOME)):
            return directory
        here = self._lookup("PWD", node)
        return None if here is None else f"{here}/{directory}"

    def _cd_target(self, command: Optional[Node]) -> Optional[str]:
        if command is None:
            return None
        operands = [word for word in self._words(command)[1:] if word.value not in ("-P", "-L", "-e", "-@", "--")]
        if len(operands) != 1 or not operands[0].resolved:
            return None
        value = operands[0].value
        value = value[:-2] if value.endswith("/.") else value.rstrip("/") if len(value) > 1 else value
        return value

    # --- assignments --------------------------------------------------------------------------

    def _assignments_of(self, name: str) -> Optional[list[Assignment]]:
        """The assignments of `name` (and the commands that may change any variable), in text order;
        None when they are nested too deep to place."""
        if name in self._assignments:
            return self._assignments[name]
        if self._written is None:
            self._written = self._collect_assignments()
        written = self._written.get(name, []) + self._written.get("", [])
        assignments: list[Assignment] = []
        for node, kind, value_node, declared_local in written:
            scopes = self._scopes(node)
            if scopes is None:
                self._assignments[name] = None
                return None
            handle = len(self._value_nodes)
            self._value_nodes.append((kind, value_node))
            local = declared_local and any(scope.kind == FUNCTION for scope in scopes)
            assignments.append(Assignment(name, self.chars(node.end_byte), scopes, local, handle))
        assignments.sort(key=lambda assignment: assignment.offset)
        self._assignments[name] = assignments
        return assignments

    def _collect_assignments(self) -> dict[str, list[_Written]]:
        """name -> (node, kind of value, value node, declared `local`), for every assignment written."""
        found: dict[str, list[_Written]] = {}

        def add(name: str, node: Node, value_kind: str, value_node: Optional[Node], local: bool = False) -> None:
            found.setdefault(name, []).append((node, value_kind, value_node, local))

        # `X=1 cmd` gives X to the command's environment only; `local X=1` is the function's own
        prefixes = {(child.start_byte, child.end_byte) for command in self.nodes["command"]
                    for child in command.children if child.type == "variable_assignment"}
        locals_ = {(child.start_byte, child.end_byte) for declaration in self.nodes["declaration_command"]
                   if _is_local(declaration, self._raw)
                   for child in declaration.children if child.type == "variable_assignment"}
        for node in self.nodes["variable_assignment"]:
            where = (node.start_byte, node.end_byte)
            if where in prefixes or node.has_error:
                continue
            name_node = node.child_by_field_name("name")
            if name_node is None or name_node.type != "variable_name":
                continue
            operator = next((child.type for child in node.children if not child.is_named), "=")
            value = node.child_by_field_name("value")
            kind = "word" if operator == "=" and (value is None or value.type != "array") else "unknown"
            add(self._raw(name_node), node, kind, value, where in locals_)
        for loop in self.nodes["for_statement"]:
            variable = loop.child_by_field_name("variable")
            if variable is not None:
                add(self._raw(variable), loop, "unknown", None)
        for command in self.nodes["command"]:
            name = _command_name(command)
            if name in _DIRECTORY_CHANGES:
                add("PWD", command, "cd" if name != "popd" else "unknown", command)
            elif name in _BARRIERS:
                add("", command, "unknown", None)
            elif name in _READERS:
                operands = [self._raw(word) for word in command.children[1:] if word.type == "word"]
                if name == "printf":  # only `printf -v NAME` assigns
                    operands = operands[operands.index("-v") + 1:][:1] if "-v" in operands else []
                for operand in operands:
                    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", operand):
                        add(operand, command, "unknown", None)
        return found

    def _assignment_value(self, assignment: Assignment) -> Optional[str]:
        index = assignment.handle
        if index in self._values:
            return self._values[index]
        if index in self._busy or len(self._busy) >= MAX_WORD_DEPTH:
            return None  # a value that depends on itself, or on a chain of variables too long to follow
        self._busy.add(index)
        kind, node = self._value_nodes[index]
        value: Optional[str] = None
        if kind == "word":
            if node is None:
                value = ""
            else:
                parts = self._parts(node, True, self._raw(node), 0)
                if all(part.resolved for part in parts):
                    value = "".join(part.text for part in parts)
        elif kind == "cd" and node is not None:  # (the `cd` command's node)
            value = self._absolute(self._cd_target(node), node)
        self._busy.discard(index)
        self._values[index] = value
        return value


def _may_be_container_tool(name: bytes) -> bool:
    # a cheap look at the raw name before any word is evaluated: most commands of a script are not
    return (b"docker" in name or b"podman" in name or b"$" in name or b"`" in name
            or name in (b"sudo", b"doas", b"exec", b"command", b"builtin", b"nohup", b"time", b"env", b"nice"))


def _command_name(node: Optional[Node]) -> Optional[str]:
    node = _strip_redirects(node)
    if node is None or node.type != "command":
        return None
    name = node.child_by_field_name("name")
    if name is None or name.end_byte - name.start_byte > 256:
        return None  # not a name this reader looks for (and not worth copying)
    return (name.text or b"").decode("utf-8", "replace")


def _strip_redirects(node: Optional[Node]) -> Optional[Node]:
    while node is not None and node.type == "redirected_statement":
        node = node.child_by_field_name("body")
    return node


def _is_local(declaration: Optional[Node], raw: Callable[[Node], str]) -> bool:
    """`local`, `declare` or `typeset` (without `-g`), which in a function make a variable its own."""
    if declaration is None or declaration.type != "declaration_command":
        return False
    keyword = declaration.children[0].type if declaration.child_count else ""
    flags = [raw(child) for child in declaration.children if child.type == "word"]
    return keyword in ("local", "declare", "typeset") and "-g" not in flags





def _split_fields(parts: list[_Part]) -> list[str]:
    """The words the shell makes of one word's parts: unquoted expansion results split at blanks."""
    fields: list[str] = []
    current: list[str] = []
    started = False  # the current field has content, or a quoted (even empty) part
    for part in parts:
        if not part.split:
            current.append(part.text)
            started = True
            continue
        pieces = re.split(r"[ \t\n]+", part.text)
        for index, piece in enumerate(pieces):
            if index > 0:
                if started:
                    fields.append("".join(current))
                current, started = [], False
            if piece:
                current.append(piece)
                started = True
    if started:
        fields.append("".join(current))
    return fields


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return re.sub(r"\\(\n|.)", lambda match: "" if match.group(1) == "\n" else match.group(1), raw, flags=re.DOTALL)


def _unescape_quoted(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return re.sub(r'\\([$`"\\\n])', lambda match: "" if match.group(1) == "\n" else match.group(1), raw)


def _ansi_c(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        # "" for the groups that did not match: as false as None, and typed as text
        hex2, hex4, hex8, octal, control, other = match.groups("")
        number = hex2 or hex4 or hex8
        if number:
            code = int(number, 16)
            return chr(code) if code < 0x110000 else ""
        if octal:
            return chr(int(octal, 8) & 0xFF)
        if control:
            return chr(ord(control) & 0x1F)
        return _ANSI_C_SIMPLE.get(other, "\\" + other)

    return _ANSI_C.sub(replace, body)
