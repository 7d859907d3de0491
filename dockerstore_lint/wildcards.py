"""Wildcard patterns (`*` between runs of fixed-width atoms) matched in linear time.

A shell or gitignore pattern turned into one regular expression backtracks: `*a*a*a*b` against a
long `aaa...` takes a regex forever. Here the pattern is cut into runs at its `*`s; each run (literal
characters, `.`, `[...]`: one character per atom) is a regex without repetition. The runs are placed one
after the other, each at the first place it fits, which is where a match can be found if one exists;
only where the last run goes depends on whether the match should be short or long. The results are
those of the backtracking regex, in its leftmost-first order.
"""

from __future__ import annotations

import re
from typing import Optional

# Real patterns have a few `*`s; each run costs a compiled regex (tens of microseconds), so a pattern
# of a megabyte of `*a1*a2...` would take seconds to prepare.
MAX_STARS = 256


class TooManyStars(ValueError):
    """A pattern with more than `MAX_STARS` `*`s: what it matches is left unknown."""


class Wildcard:
    def __init__(self, runs: list[str]) -> None:
        """`runs`: the regex of each run, in order; a pattern with n `*`s has n + 1 runs, maybe empty."""
        if len(runs) > MAX_STARS + 1:
            raise TooManyStars(f"more than {MAX_STARS} wildcards")
        self.runs = [re.compile(run, re.DOTALL) for run in runs]
        # a run placed as late as it fits before a given end: a greedy `.*` backs off until it does
        self.late = [re.compile(f"(?:.*)({run})", re.DOTALL) for run in runs]

    def reversed(self) -> "Wildcard":
        """The pattern of the reversed texts (runs of escaped characters and `.` only, no `[...]`)."""
        return Wildcard([_reverse_run(run.pattern) for run in reversed(self.runs)])

    def prefix_end(self, value: str, start: int, greedy: bool) -> Optional[int]:
        """Where a match that starts at `start` ends, as late (`greedy`) or as early as it can; None if none does."""
        first = self.runs[0].match(value, start)
        if first is None:
            return None
        position = first.end()
        if len(self.runs) == 1:
            return position
        for run in self.runs[1:-1]:
            found = run.search(value, position)
            if found is None:
                return None
            position = found.end()
        if not greedy:
            found = self.runs[-1].search(value, position)
        elif not self.runs[-1].pattern:
            return len(value)
        else:
            found = self.late[-1].match(value, position)
        return found.end() if found else None

    def fullmatch(self, value: str) -> bool:
        return self.prefix_end(value, 0, greedy=True) == len(value)

    def search(self, value: str) -> Optional[tuple[int, int]]:
        """The leftmost match, as long as it can be."""
        if len(self.runs) == 1:
            found = self.runs[0].search(value)
            return found.span() if found else None
        # the runs after the first placed as late as they fit, right to left: the first must end before
        latest = len(value)
        for late in reversed(self.late[1:]):
            found = late.match(value, 0, latest)
            if found is None:
                return None
            latest = found.start(1)
        first = self.runs[0].search(value, 0, latest)
        if first is None:
            return None
        end = self.prefix_end(value, first.start(), greedy=True)
        return (first.start(), end) if end is not None else None


def _reverse_run(run: str) -> str:
    atoms = []
    position = 0
    while position < len(run):
        size = 2 if run[position] == "\\" else 1
        atoms.append(run[position:position + size])
        position += size
    return "".join(reversed(atoms))
