"""What a Python expression evaluates to, when that can be known without running anything.

Known: string literals (implicit concatenation included), f-strings whose parts are known, integers,
`+` on strings, and names bound once to one of these (see `Program.binding`). Paths too: `__file__`,
`os.getcwd()`, `Path.cwd()`, `Path.home()`, `Path(...)`, `/`, `.parent`, `.resolve()`, `.absolute()`,
`.expanduser()`, `.joinpath()`, `os.path.join/dirname/abspath/realpath/normpath/expanduser`, `os.fspath`,
`str`, and `os.environ["HOME"]`/`os.getenv("HOME")`. The directory of the file (`__file__`) and the working
directory (`os.getcwd()`, and what `abspath` or `resolve()` make a relative path absolute against) are
written `HERE`, with the directory it stands for beside it, so that the value is the same on every
machine. The home directory is a leading `~` in a value marked unresolved, as the shell reader keeps an
unexpanded `~`: whose home it is depends on the machine (and a literal "~/x", which Python does not
expand, stays a resolved string, as docker-py hands it to the engine). Anything else is left as written,
unresolved: never guessed.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple, Optional

import libcst as cst

from dockerstore_lint.inputs.python.launches import Flag, Text
from dockerstore_lint.inputs.python.syntax import Program, Scope
from dockerstore_lint.text.shell import HERE

# a name bound to a name bound to ...: deeper than this is a cycle or not worth following
_MAX_INDIRECTION = 20
# longer than any path or mount: `a1 = f"{a0}{a0}"`, `a2 = f"{a1}{a1}"`... would double up to gigabytes
_MAX_LENGTH = 10_000
_PATH_CLASSES = frozenset(("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"))
_WORKING_DIRECTORY = frozenset(("os.getcwd", *(f"{name}.cwd" for name in _PATH_CLASSES)))
_HOME = frozenset(f"{name}.home" for name in _PATH_CLASSES)
_ENVIRONMENT_GET = frozenset(("os.getenv", "os.environ.get"))


class _Value(NamedTuple):
    text: str
    resolved: bool = True
    directory: Optional[Path] = None  # what HERE in `text` stands for
    is_path: bool = False  # a pathlib path: `/` joins it
    home: bool = False  # starts with the home directory, written `~`


class Values:
    """Evaluates expressions of one program; `directory` is the file's, `working_directory` what the
    working directory of the program is taken to be."""

    def __init__(self, program: Program, directory: Path, working_directory: Path) -> None:
        self.program = program
        self.directory = directory
        self.working_directory = working_directory
        self.file_name = posixpath.basename(program.file.replace("\\", "/"))
        self._known: dict[int, _Value] = {}  # id(a bound expression) -> its value: each is worked out once

    # --- what the recognisers ask -----------------------------------------------------------------

    def text(self, node: cst.CSTNode, scope: Scope, top: int) -> Text:
        value = self._evaluate(node, scope, 0)
        return Text(value.text, self.program.code(node), self.program.span(node, top),
                    value.resolved and not value.home, value.directory if HERE in value.text else None)

    def string(self, node: cst.CSTNode, scope: Scope) -> Optional[str]:
        """The value, when it is known and holds no directory of the machine: a dictionary key, a mode."""
        value = self._evaluate(node, scope, 0)
        return value.text if value.resolved and HERE not in value.text else None

    def flag(self, node: cst.CSTNode, scope: Scope, top: int) -> Flag:
        return Flag(self.boolean(node, scope), self.program.code(node), self.program.span(node, top))

    def boolean(self, node: cst.CSTNode, scope: Scope, depth: int = 0) -> Optional[bool]:
        if isinstance(node, cst.Name):
            if node.value in ("True", "False") and not self.program.bindings(node.value, scope):
                return node.value == "True"
            binding = self.program.binding(node.value, scope)
            if binding is not None and binding.kind == "assign" and binding.value is not None \
                    and depth < _MAX_INDIRECTION:
                return self.boolean(binding.value, binding.scope, depth + 1)
        return None

    def is_none(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value == "None"

    def integer(self, node: cst.CSTNode) -> Optional[int]:
        if isinstance(node, cst.Integer):
            try:
                return int(node.evaluated_value)
            except ValueError:
                return None
        return None

    # --- evaluation -------------------------------------------------------------------------------

    def _evaluate(self, node: cst.CSTNode, scope: Scope, depth: int) -> _Value:
        value = self._evaluated(node, scope, depth) if depth <= _MAX_INDIRECTION else None
        if value is None or len(value.text) > _MAX_LENGTH:
            return _Value(self.program.code(node), False)  # not known: as written
        return value

    def _evaluated(self, node: cst.CSTNode, scope: Scope, depth: int) -> Optional[_Value]:
        if isinstance(node, cst.SimpleString):
            return self._literal(node)
        if isinstance(node, cst.ConcatenatedString):
            return _joined([self._evaluate(node.left, scope, depth + 1), self._evaluate(node.right, scope, depth + 1)])
        if isinstance(node, cst.FormattedString):
            return self._formatted(node, scope, depth)
        if isinstance(node, cst.Integer):
            number = self.integer(node)
            return None if number is None else _Value(str(number))
        if isinstance(node, cst.Name):
            return self._name(node, scope, depth)
        if isinstance(node, cst.BinaryOperation):
            return self._operation(node, scope, depth)
        if isinstance(node, cst.Call):
            return self._call(node, scope, depth)
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            base = self._evaluate(node.value, scope, depth + 1)
            return _parent(base, pathlib=True) if base.resolved and base.is_path else None
        if (isinstance(node, cst.Subscript) and len(node.slice) == 1
                and self.program.qualified_name(node.value, scope) == "os.environ"):
            index = node.slice[0].slice
            if isinstance(index, cst.Index) and self.string(index.value, scope) == "HOME":
                return _Value("~", home=True)
        return None

    def _literal(self, node: cst.SimpleString) -> Optional[_Value]:
        value = None if "b" in node.prefix.lower() else _decoded(node.value)
        return None if value is None else _Value(value)

    def _formatted(self, node: cst.FormattedString, scope: Scope, depth: int) -> Optional[_Value]:
        prefix = node.start.rstrip("'\"").lower()
        quote = node.start[len(prefix):]
        parts = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                text = part.value if "r" in prefix else _decoded(f"{quote}{part.value}{quote}")
                if text is None:
                    return None
                parts.append(_Value(text.replace("{{", "{").replace("}}", "}")))
            elif (isinstance(part, cst.FormattedStringExpression) and part.conversion in (None, "s")
                  and not part.format_spec and part.equal is None):
                parts.append(self._evaluate(part.expression, scope, depth + 1))
            else:
                parts.append(_Value(self.program.code(part), False))
        return _joined(parts)

    def _name(self, node: cst.Name, scope: Scope, depth: int) -> Optional[_Value]:
        if node.value == "__file__" and not self.program.bindings("__file__", scope):
            return _Value(f"{HERE}/{self.file_name}", directory=self.directory)
        binding = self.program.binding(node.value, scope)
        if binding is None or binding.kind != "assign" or binding.value is None:
            return None
        value = self._known.get(id(binding.value))
        if value is None:
            value = self._known[id(binding.value)] = self._evaluate(binding.value, binding.scope, depth + 1)
        return value if value.resolved else None  # not known: the name as written says more than its value

    def _operation(self, node: cst.BinaryOperation, scope: Scope, depth: int) -> Optional[_Value]:
        left, right = self._evaluate(node.left, scope, depth + 1), self._evaluate(node.right, scope, depth + 1)
        if isinstance(node.operator, cst.Add) and not left.is_path and not right.is_path:
            return _joined([left, right])
        if isinstance(node.operator, cst.Divide) and (left.is_path or right.is_path):
            return _path_join([left, right])
        return None

    def _call(self, node: cst.Call, scope: Scope, depth: int) -> Optional[_Value]:
        if any(argument.keyword is not None or argument.star for argument in node.args):
            return None
        arguments = [self._evaluate(argument.value, scope, depth + 1) for argument in node.args]
        func = node.func
        name = self.program.qualified_name(func, scope)
        if not name and isinstance(func, cst.Name) and not self.program.bindings(func.value, scope):
            name = f"builtins.{func.value}"
        if name:
            return self._function(name, arguments)
        if isinstance(func, cst.Attribute):  # a method of a path
            base = self._evaluate(func.value, scope, depth + 1)
            if base.resolved and base.is_path:
                return _path_method(func.attr.value, base, arguments, self.working_directory)
        return None

    def _function(self, name: str, arguments: list[_Value]) -> Optional[_Value]:
        if not all(argument.resolved for argument in arguments):
            return None
        if name in _WORKING_DIRECTORY and not arguments:
            return _Value(HERE, directory=self.working_directory, is_path=name != "os.getcwd")
        if name in _HOME and not arguments:
            return _Value("~", is_path=True, home=True)
        if name in _PATH_CLASSES:
            return _path_join(arguments)._replace(is_path=True) if arguments else _Value(".", is_path=True)
        if name in _ENVIRONMENT_GET and arguments and arguments[0].text == "HOME":
            return _Value("~", home=True)
        if name == "os.path.join" and arguments:
            return _path_join(arguments)._replace(is_path=False)
        if len(arguments) != 1:
            return None
        argument = arguments[0]
        if name in ("os.fspath", "builtins.str"):
            return argument._replace(is_path=False)
        if name == "os.path.dirname":
            return _parent(argument._replace(is_path=False), pathlib=False)
        if name == "os.path.expanduser":
            return _expanded(argument)._replace(is_path=False)
        if name in ("os.path.abspath", "os.path.realpath"):
            return _normalised(argument, self.working_directory)._replace(is_path=False)
        if name == "os.path.normpath":
            return _normalised(argument, None)._replace(is_path=False)
        return None


def _path_method(method: str, base: _Value, arguments: list[_Value], working_directory: Path) -> Optional[_Value]:
    if not all(argument.resolved for argument in arguments):
        return None
    if method in ("resolve", "absolute") and not arguments:
        return _normalised(base, working_directory)
    if method == "expanduser" and not arguments:
        return _expanded(base)
    if method == "joinpath":
        return _path_join([base, *arguments])
    if method == "as_posix" and not arguments:
        return base._replace(is_path=False)
    return None


def _expanded(value: _Value) -> _Value:
    """`~` and `~/...` name the home directory once expanded (`~user` is another user's: not known)."""
    if value.text == "~" or value.text.startswith("~/"):
        return value._replace(home=True)
    return value if not value.text.startswith("~") else value._replace(resolved=False)


def _decoded(source: str) -> Optional[str]:
    """The string a literal written as `source` is, if it is one."""
    from ast import literal_eval  # libcst has imported it already

    try:
        value = literal_eval(source)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def _directory(values: list[_Value]) -> tuple[bool, Optional[Path]]:
    """The directory HERE stands for in values put together: False when two of them disagree."""
    directories = {value.directory for value in values if value.directory is not None and HERE in value.text}
    if len(directories) > 1:
        return False, None
    return True, next(iter(directories), None)


def _joined(values: list[_Value]) -> _Value:
    agree, directory = _directory(values)
    return _Value("".join(value.text for value in values), agree and all(value.resolved for value in values),
                  directory, home=bool(values) and values[0].home)


def _path_join(values: list[_Value]) -> _Value:
    """`os.path.join` and pathlib's `/` on POSIX: an absolute part (or `~`, or HERE) starts over."""
    kept: list[_Value] = []
    for value in values:
        if value.text.startswith(("/", "~", HERE)):
            kept = []
        kept.append(value)
    agree, directory = _directory(kept)
    text = posixpath.join(*(value.text for value in kept)) if kept else ""
    return _Value(text, agree and all(value.resolved for value in values), directory,
                  any(value.is_path for value in values), bool(kept) and kept[0].home)


def _parent(value: _Value, pathlib: bool) -> _Value:
    """`.parent` (pathlib: `a/` is `a`, the parent of `a` is `.`), or `os.path.dirname` (of `a/` is `a`)."""
    text = _pathlib_text(value.text) if pathlib else value.text
    if text == HERE and value.directory is not None:
        return value._replace(directory=value.directory.parent)
    head = posixpath.dirname(text)
    return value._replace(text=head or ("." if pathlib else ""))


def _pathlib_text(text: str) -> str:
    """What `str(Path(text))` gives: no empty or `.` parts."""
    parts = [part for part in text.split("/") if part not in ("", ".")]
    root = "/" if text.startswith("/") else ""
    return root + "/".join(parts) or "."


def _normalised(value: _Value, working_directory: Optional[Path]) -> _Value:
    """`os.path.normpath`, or with a working directory `abspath`/`resolve()`: a relative path is taken
    from it, and `..` above HERE moves HERE's directory up."""
    text, directory = value.text, value.directory
    if working_directory is not None and not text.startswith(("/", "~", HERE)):
        text, directory = f"{HERE}/{text}", working_directory
    if not (text == HERE or text.startswith(f"{HERE}/")) or directory is None:
        return value._replace(text=posixpath.normpath(text))
    kept: list[str] = []
    for part in text[len(HERE):].split("/"):
        if part == "..":
            if kept:
                kept.pop()
            else:
                directory = directory.parent
        elif part not in ("", "."):
            kept.append(part)
    return value._replace(text="/".join([HERE, *kept]), directory=directory)
