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


class TooManyGlobs(ValueError):
    """More globs than a `GlobSet` takes that start or end the same way: the message says which."""


class GlobSet:
    """Shell globs as `fnmatch` reads them (`*` crosses `/`), compiled once into one matcher.

    A glob is filed under the literal text it starts with, or ends with (the longer, up to `KEY_LENGTH`
    characters), and a path is tried only against the globs filed under how it starts or ends, and
    against the few that start and end with a wildcard. So that a path never meets thousands of globs,
    at most `MAX_PER_KEY` may share a key, and as many start and end with a wildcard.
    """

    KEY_LENGTH = 64
    MAX_PER_KEY = 100

    def __init__(self, globs: list[str], below: bool = False) -> None:
        """`below`: a glob also matches whatever is under a path it matches (`vendor` matches `vendor/x`)."""
        self.globs = globs
        self.below = below
        self._starts: dict[str, list[int]] = {}
        self._ends: dict[str, list[int]] = {}
        self._loose: list[int] = []
        self._compiled: dict[int, tuple[re.Pattern[str], ...]] = {}
        self._cache: dict[str, tuple[int, ...]] = {}
        for index, glob in enumerate(globs):
            # with `below`, what follows a path the glob matches is anything: only how it starts (before
            # any final `/`, which `glob/*` does not need twice) says something of such a path
            start = re.split(r"[*?[]", glob.rstrip("/") if below else glob, maxsplit=1)[0][:self.KEY_LENGTH]
            end = "" if below else re.split(r"[*?[\]]", glob)[-1][-self.KEY_LENGTH:]
            if not start and not end:
                table, key, bucket = None, "", self._loose
            elif len(start) >= len(end):
                table, key = self._starts, start
                bucket = table.setdefault(key, [])
            else:
                table, key = self._ends, end
                bucket = table.setdefault(key, [])
            if len(bucket) >= self.MAX_PER_KEY:
                shape = "start and end with a wildcard" if table is None else \
                    f"{'start' if table is self._starts else 'end'} with `{key[:40]}`"
                raise TooManyGlobs(f"more than {self.MAX_PER_KEY} globs {shape}")
            bucket.append(index)
        self._start_lengths = sorted({len(key) for key in self._starts})
        self._end_lengths = sorted({len(key) for key in self._ends})

    def matching(self, path: str) -> tuple[int, ...]:
        """The indexes of the globs that match `path`, in order."""
        found = self._cache.get(path)
        if found is None:
            candidates = list(self._loose)
            for length in self._start_lengths:
                candidates += self._starts.get(path[:length], ()) if len(path) >= length else ()
            for length in self._end_lengths:
                candidates += self._ends.get(path[-length:], ()) if len(path) >= length else ()
            found = tuple(index for index in sorted(set(candidates))
                          if any(pattern.match(path) for pattern in self._patterns(index)))
            self._cache[path] = found
        return found

    def _patterns(self, index: int) -> tuple[re.Pattern[str], ...]:
        if index not in self._compiled:
            import fnmatch

            glob = self.globs[index]
            forms = [glob, glob.rstrip("/") + "/*"] if self.below else [glob]
            self._compiled[index] = tuple(re.compile(fnmatch.translate(form)) for form in forms)
        return self._compiled[index]
