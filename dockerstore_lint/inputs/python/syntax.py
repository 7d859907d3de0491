"""A Python module parsed with libcst, with what the recognisers ask of it: which names are bound where,
what an imported name stands for, which calls chain on which, and where a node is in the file.

One walk over the tree collects it all. The walk keeps its own stack, so no nesting depth reaches
Python's recursion limit, and looks only at the fields of a node that hold code (not its whitespace),
which makes it about three times cheaper than a libcst visitor. Positions are costly in libcst (its
`PositionProvider` generates the code of the whole module): they are computed only for the top-level
statements that hold something to report, each on its own, and shifted by the lines before it.

Scopes follow Python's rules closely enough for one question, "what is this name bound to here?": a
function, lambda or comprehension sees its own names, then those of the functions around it, then the
module's (class bodies are skipped by the functions inside them), and `global`/`nonlocal` move a
binding where Python puts it. A name answers only when it is bound once in that scope (see `Program.binding`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from typing import Generic, Iterator, Mapping, NamedTuple, Optional, Sequence, TypeVar, Union

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from dockerstore_lint.model.span import Span

# field names that never hold code, whatever the node, and the name of a keyword argument: skipped by the walk
_NOT_CODE = ("whitespace", "lpar", "rpar", "comma", "semicolon", "leading_lines", "lines_after_decorators", "header",
             "footer", "newline", "equal", "colon", "dot", "star", "operator", "asynchronous", "arrow", "lbracket",
             "rbracket", "lbrace", "rbrace", "indent", "trailing_whitespace", "keyword")
_FIELDS: dict[type, tuple[str, ...]] = {}
_UNBOUND: tuple[Binding, ...] = ()


class Binding(NamedTuple):
    """One way a name gets a value in a scope."""

    kind: str  # "assign" (`name = value`, `name: T = value`), "with" (`with value as name`), "import", "param", "other"
    value: Optional[cst.CSTNode]  # the assigned expression, the `with` item's expression, or the Param
    scope: "Scope"  # where `value` is evaluated
    top: int  # the top-level statement `value` is in
    imported: str = ""  # for "import": the dotted name it binds (`import docker as d` binds d to "docker")


class Scope:
    __slots__ = ("kind", "parent", "bindings", "globals", "nonlocals")

    def __init__(self, kind: str, parent: Optional[Scope]) -> None:
        self.kind = kind  # "module", "class", "function" (def and lambda) or "comprehension"
        self.parent = parent
        self.bindings: dict[str, list[Binding]] = defaultdict(list)
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()


_Node = TypeVar("_Node", bound=cst.CSTNode, covariant=True)


class Located(Generic[_Node]):
    """A node, the scope its names are looked up in, and its top-level statement (for its position); typed
    by the kind of node (a `Located[cst.Call]` is a call)."""

    __slots__ = ("node", "scope", "top")

    def __init__(self, node: _Node, scope: Scope, top: int) -> None:
        self.node = node
        self.scope = scope
        self.top = top


class Program:
    """What one walk over a parsed module found."""

    def __init__(self, module: cst.Module, file: str) -> None:
        self.module = module
        self.file = file  # for spans
        self.scope = Scope("module", None)
        self.calls: list[Located[cst.Call]] = []  # every call, in the order of the file
        # id(expression) -> the method call made on it: `expression.m(...)`
        self.receivers: dict[int, Located[cst.Call]] = {}
        self.assigned: dict[int, tuple[str, str]] = {}  # id(value) -> (the name bound to it, "assign" or "with")
        self.name_uses: Counter[str] = Counter()  # every `Name` node but attribute names, by identifier
        self._positions: dict[int, Mapping[cst.CSTNode, CodeRange]] = {}
        self._bindings_once: dict[tuple[int, bool], Optional[Binding]] = {}
        self._line_offsets: list[int] = [len(module.header)]
        _Walker(self).walk()

    # --- names ------------------------------------------------------------------------------------

    def bindings(self, name: str, scope: Scope) -> Sequence[Binding]:
        """The bindings of `name` in the scope where Python looks it up from `scope` (the same object each
        time it is asked)."""
        if name in scope.globals:
            return self.scope.bindings.get(name, _UNBOUND)
        current: Optional[Scope] = scope
        first = True
        while current is not None:
            if (first or current.kind != "class") and (name in current.bindings or current.kind == "module"):
                return current.bindings.get(name, _UNBOUND)
            current, first = current.parent, False
        return _UNBOUND

    def binding(self, name: str, scope: Scope, none_first: bool = False) -> Optional[Binding]:
        """The binding of `name` when it is bound once: a name bound twice, in a loop, or not at all has no
        value the reader can know. An import may be repeated, or stand next to `name = None` (the usual
        `except ImportError:`); with `none_first`, so may any binding (`client = None` set later)."""
        found = self.bindings(name, scope)
        key = (id(found), none_first)  # a name used a thousand times is judged once
        if key not in self._bindings_once:
            self._bindings_once[key] = _bound_once(found, none_first)
        return self._bindings_once[key]

    def qualified_name(self, expression: cst.CSTNode, scope: Scope) -> str:
        """`d.types.Mount` after `import docker as d` -> "docker.types.Mount"; "" when not imported."""
        attributes = []
        while isinstance(expression, cst.Attribute):
            attributes.append(expression.attr.value)
            expression = expression.value
        if not isinstance(expression, cst.Name):
            return ""
        binding = self.binding(expression.value, scope)
        if binding is None or binding.kind != "import":
            return ""
        return ".".join([binding.imported, *reversed(attributes)])

    # --- positions --------------------------------------------------------------------------------

    def span(self, node: cst.CSTNode, top: int) -> Span:
        positions = self._positions.get(top)
        if positions is None:
            statement = self.module.body[top]
            alone = self.module.with_changes(header=(), body=(statement,), footer=())
            positions = self._positions[top] = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
        where = positions[node]
        offset = self._line_offset(top)
        return Span(self.file, where.start.line + offset, where.start.column + 1, where.end.line + offset,
                    where.end.column + 1)

    def span_between(self, first: cst.CSTNode, last: cst.CSTNode, top: int) -> Span:
        start, end = self.span(first, top), self.span(last, top)
        return start._replace(end_line=end.end_line, end_column=end.end_column)

    def _line_offset(self, top: int) -> int:
        """How many lines of the file come before top-level statement `top`."""
        offsets = self._line_offsets
        while len(offsets) <= top:
            offsets.append(offsets[-1] + self.module.code_for_node(self.module.body[len(offsets) - 1]).count("\n"))
        return offsets[top]

    def code(self, node: cst.CSTNode) -> str:
        """The node as written, without the comma that ends an argument or an item."""
        if isinstance(getattr(node, "comma", None), cst.Comma):
            node = node.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return self.module.code_for_node(node).strip()


class _Walker:
    """The walk: scopes and bindings, calls and what they chain on."""

    def __init__(self, program: Program) -> None:
        self.program = program

    def walk(self) -> None:
        module_scope = self.program.scope
        stack: list[tuple[cst.CSTNode, Scope, int]] = [
            (statement, module_scope, top) for top, statement in reversed(list(enumerate(self.program.module.body)))]
        while stack:
            node, scope, top = stack.pop()
            children = self.visit(node, scope, top)
            stack.extend(reversed(children))

    def visit(self, node: cst.CSTNode, scope: Scope, top: int) -> list[tuple[cst.CSTNode, Scope, int]]:
        """Record what `node` says, and return its children with the scope each is evaluated in."""
        program = self.program
        if isinstance(node, cst.Name):
            program.name_uses[node.value] += 1
            return []
        if isinstance(node, cst.Attribute):
            return [(node.value, scope, top)]
        if isinstance(node, cst.Call):
            located = Located(node, scope, top)
            program.calls.append(located)
            if isinstance(node.func, cst.Attribute):
                program.receivers[id(node.func.value)] = located
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return self._definition(node, scope, top)
        elif isinstance(node, cst.Lambda):
            inner = Scope("function", scope)
            return self._parameters(node.params, scope, inner, top) + [(node.body, inner, top)]
        elif isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = Scope("comprehension", scope)
            return [(child, inner, top) for child in _children(node)]
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                self._assign(target.target, node.value, scope, top)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self._assign(node.target, node.value, scope, top)
        elif isinstance(node, cst.WithItem):
            if node.asname is not None:
                bound = node.asname.name
                if isinstance(bound, cst.Name):
                    self._bind(bound.value, scope, Binding("with", node.item, scope, top))
                    program.assigned[id(node.item)] = (bound.value, "with")
                else:
                    self._bind_targets(bound, scope, top)
        elif isinstance(node, (cst.AugAssign, cst.For, cst.CompFor)):
            self._bind_targets(node.target, scope, top)
        elif isinstance(node, cst.NamedExpr):
            owner = scope
            while owner.kind == "comprehension" and owner.parent is not None:  # `:=` binds outside comprehensions
                owner = owner.parent
            self._bind_targets(node.target, owner, top)
        elif isinstance(node, cst.Del):
            self._bind_targets(node.target, scope, top)
        elif isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)):
            if node.name is not None:
                self._bind_targets(node.name.name, scope, top)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    self._bind_targets(alias.asname.name, scope, top, Binding("import", None, scope, top, dotted))
                else:
                    first = dotted.split(".")[0]
                    self._bind(first, scope, Binding("import", None, scope, top, first))
            return []
        elif isinstance(node, cst.ImportFrom):
            if not isinstance(node.names, cst.ImportStar):
                module = _dotted(node.module) if node.module is not None and not node.relative else ""
                for alias in node.names:
                    imported = f"{module}.{_dotted(alias.name)}" if module else ""
                    name: cst.CSTNode = alias.asname.name if alias.asname is not None else alias.name
                    self._bind_targets(name, scope, top,
                                       Binding("import", None, scope, top, imported) if imported else None)
            return []
        elif isinstance(node, cst.Global):
            scope.globals.update(item.name.value for item in node.names)
            return []
        elif isinstance(node, cst.Nonlocal):
            scope.nonlocals.update(item.name.value for item in node.names)
            return []
        elif isinstance(node, (cst.MatchAs, cst.MatchStar)):
            if node.name is not None:
                self._bind_targets(node.name, scope, top)
        elif isinstance(node, cst.MatchMapping):
            if node.rest is not None:
                self._bind_targets(node.rest, scope, top)
        elif isinstance(node, cst.TypeAlias):
            self._bind_targets(node.name, scope, top)
        return [(child, scope, top) for child in _children(node)]

    def _definition(self, node: Union[cst.FunctionDef, cst.ClassDef], scope: Scope,
                    top: int) -> list[tuple[cst.CSTNode, Scope, int]]:
        self._bind(node.name.value, scope, Binding("other", node, scope, top))
        outside: list[tuple[cst.CSTNode, Scope, int]] = [(decorator, scope, top) for decorator in node.decorators]
        if isinstance(node, cst.ClassDef):
            inner = Scope("class", scope)
            outside += [(argument, scope, top) for argument in (*node.bases, *node.keywords)]
            return outside + [(node.body, inner, top)]
        inner = Scope("function", scope)
        if node.returns is not None:
            outside.append((node.returns, scope, top))
        return outside + self._parameters(node.params, scope, inner, top) + [(node.body, inner, top)]

    def _parameters(self, parameters: cst.Parameters, outside: Scope, inner: Scope,
                    top: int) -> list[tuple[cst.CSTNode, Scope, int]]:
        """Parameters are bound inside; their defaults and annotations are evaluated outside."""
        children: list[tuple[cst.CSTNode, Scope, int]] = []
        for parameter in (*parameters.posonly_params, *parameters.params, *parameters.kwonly_params,
                          parameters.star_arg, parameters.star_kwarg):
            if not isinstance(parameter, cst.Param):
                continue
            self._bind(parameter.name.value, inner, Binding("param", parameter, outside, top))
            children += [(part.annotation if isinstance(part, cst.Annotation) else part, outside, top)
                         for part in (parameter.annotation, parameter.default) if part is not None]
        return children

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression, scope: Scope, top: int) -> None:
        """`target = value`: a name bound to the value (remembered as assigned there), or the names of a target
        that unpacks it, bound to nothing known."""
        if isinstance(target, cst.Name):
            self._bind(target.value, scope, Binding("assign", value, scope, top))
            self.program.assigned[id(value)] = (target.value, "assign")
        else:
            self._bind_targets(target, scope, top)

    def _bind_targets(self, target: cst.CSTNode, scope: Scope, top: int, binding: Optional[Binding] = None) -> None:
        """Every name in an assignment target (`a, (b, *c)`); a subscript or attribute binds no name."""
        pending = [target]
        while pending:
            item = pending.pop()
            if isinstance(item, cst.Name):
                self._bind(item.value, scope, binding or Binding("other", None, scope, top))
            elif isinstance(item, (cst.Tuple, cst.List)):
                pending.extend(element.value for element in item.elements)
            elif isinstance(item, (cst.StarredElement, cst.Element)):
                pending.append(item.value)

    def _bind(self, name: str, scope: Scope, binding: Binding) -> None:
        if name in scope.globals:
            scope = self.program.scope
        elif name in scope.nonlocals:
            enclosing = scope.parent
            while enclosing is not None and enclosing.kind not in ("function", "module"):
                enclosing = enclosing.parent
            scope = enclosing or self.program.scope
        scope.bindings[name].append(binding)


def _bound_once(found: Sequence[Binding], none_first: bool) -> Optional[Binding]:
    real = [b for b in found
            if not (b.kind == "assign" and isinstance(b.value, cst.Name) and b.value.value == "None")]
    if not real:
        return None
    if all(b.kind == "import" and b.imported == real[0].imported for b in real):
        return real[0]
    return real[0] if len(real) == 1 and (none_first or len(found) == 1) else None


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    fields = _FIELDS.get(type(node))
    if fields is None:
        fields = _FIELDS[type(node)] = tuple(field.name for field in dataclasses.fields(node)
                                             if not field.name.startswith(_NOT_CODE))
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            yield from (item for item in value if isinstance(item, cst.CSTNode))


def _dotted(node: cst.CSTNode) -> str:
    """`a.b.c` as written in an import."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
    return ".".join(reversed(parts))
