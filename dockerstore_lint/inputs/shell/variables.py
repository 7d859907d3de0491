"""Which value a variable has where a command uses it: a few flow-insensitive rules, conservative.

A script is read, not run, so a use gets a value only when the text makes it certain enough:

* An assignment made in a subshell (`( )`, `$( )`, a pipeline element) is not seen outside it; a
  `local` one only inside its function.
* Outside functions, a use before any assignment sees the environment (unknown, except the few
  variables the input kind knows: `$PWD`, `$HOME`, `$GITHUB_WORKSPACE`...). After one, at least one
  assignment must be on the straight path to the use (not only in a branch or loop that may not have
  run), or the value is unknown.
* When every assignment of the variable anywhere gives the same known value, that is the value.
* Otherwise the last assignment before the use decides, if it is certain to have run (it sits in the
  same block as the use or in one around it) and no later assignment in a loop around the use can
  come back to it; in a function body it must be in the same function (a function may be called from
  anywhere). Anything else is unknown, never guessed.

`cd` is read as an assignment to `PWD`, so `$PWD` and `$(pwd)` follow the same rules.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, NamedTuple, Optional, Sequence

BRANCH = "branch"  # if/case/&&-||: may not run
LOOP = "loop"  # may run again
SUBSHELL = "subshell"  # assignments stay inside
FUNCTION = "function"  # runs when called, from anywhere

# the outcome of a look-up when no assignment decides: the variable comes from the environment
ENVIRONMENT = "\ue002"


class Scope(NamedTuple):
    kind: str
    start: int
    end: int


class ScopeIndex:
    """The scopes of a text, to find the ones around any region without climbing a syntax tree (a
    tree-sitter node finds its parent from the root: climbing is quadratic in the nesting)."""

    def __init__(self, scopes: Sequence[Scope], limit: int) -> None:
        self.scopes = sorted(scopes, key=lambda scope: (scope.start, -scope.end))
        self.starts = [scope.start for scope in self.scopes]
        self.limit = limit  # more scopes around a region than this: None, too deep to judge
        self.parents: list[int] = []
        stack: list[int] = []
        for index, scope in enumerate(self.scopes):
            while stack and self.scopes[stack[-1]].end < scope.end:
                stack.pop()
            self.parents.append(stack[-1] if stack else -1)
            stack.append(index)

    def around(self, start: int, end: int) -> Optional[tuple[Scope, ...]]:
        """The scopes that hold `start:end`, outermost first; None past `limit` steps."""
        index = bisect_right(self.starts, start) - 1
        steps = 0
        while index >= 0 and self.scopes[index].end < end:
            index = self.parents[index]
            steps += 1
            if steps > self.limit:
                return None
        found = []
        while index >= 0:
            found.append(self.scopes[index])
            index = self.parents[index]
            if len(found) > self.limit:
                return None
        found.reverse()
        return tuple(found)


class Assignment(NamedTuple):
    name: str
    offset: int  # where it takes effect
    scopes: tuple[Scope, ...]  # the regions around it, outermost first
    local: bool = False  # `local`: seen only inside its function
    handle: int = 0  # the reader's handle for its value


def _is_prefix(outer: tuple[Scope, ...], inner: tuple[Scope, ...]) -> bool:
    return len(outer) <= len(inner) and inner[:len(outer)] == outer


def _function(scopes: tuple[Scope, ...]) -> Optional[Scope]:
    for scope in reversed(scopes):
        if scope.kind == FUNCTION:
            return scope
    return None


def _visible(assignment: Assignment, use_scopes: tuple[Scope, ...]) -> bool:
    for scope in assignment.scopes:
        if scope.kind == SUBSHELL and scope not in use_scopes:
            return False
    if assignment.local:
        function = _function(assignment.scopes)
        return function is None or function in use_scopes
    return True


def reaching_value(assignments: Sequence[Assignment], offset: int, scopes: tuple[Scope, ...],
                   value: Callable[[Assignment], Optional[str]]) -> Optional[str]:
    """The value a use at `offset` sees: a string, `ENVIRONMENT`, or None for unknown.

    `assignments` are those of one variable, in text order; `value` gives an assignment's value (None
    when it is unknown)."""
    candidates = [a for a in assignments if _visible(a, scopes)]
    if not candidates:
        return ENVIRONMENT
    before = [a for a in candidates if a.offset <= offset]
    function = _function(scopes)
    if function is None:
        if not before:
            return ENVIRONMENT
        if not any(_is_prefix(a.scopes, scopes) for a in before):
            return None  # set only on a path that may not have run: maybe unset
    values = {value(a) for a in candidates}
    if len(values) == 1 and None not in values:
        return values.pop()
    if not before:
        return None
    last = before[-1]
    if not _is_prefix(last.scopes, scopes):
        return None
    if function is not None and _function(last.scopes) != function:
        return None
    for scope in scopes:
        if scope.kind == LOOP and any(a.offset > offset and scope.start <= a.offset <= scope.end
                                      for a in candidates):
            return None
    return value(last)
