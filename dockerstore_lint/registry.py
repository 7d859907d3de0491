"""The rules in `dockerstore_lint.rules`, found through its code table and imported only when needed."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Iterable

from dockerstore_lint.rule import Rule

CODE = re.compile(r"^DSL\d{3}$")


def codes() -> tuple[str, ...]:
    from dockerstore_lint.rules import INDEX

    return tuple(sorted(INDEX))


def needs(code: str) -> tuple[str, ...]:
    """What the rule reads of a run: `dockerfiles`, `projects`, `problems`."""
    from dockerstore_lint.rules import INDEX

    return INDEX[code][1]


@lru_cache(maxsize=None)
def rule_class(code: str) -> type[Rule]:
    """The rule with `code`; its module is imported on first use. A module holds exactly one rule."""
    from dockerstore_lint import rules as package

    module = importlib.import_module(f"{package.__name__}.{package.INDEX[code][0]}")
    found = [v for v in vars(module).values()
             if isinstance(v, type) and issubclass(v, Rule) and v.__module__ == module.__name__]
    if len(found) != 1 or found[0].code != code:
        raise LookupError(f"{module.__name__} must define exactly the rule {code}")
    return found[0]


def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code (imports them all: for docs, SARIF and the contract test)."""
    return tuple(rule_class(code) for code in codes())


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    known = codes()
    return [s for s in selectors if not any(code.startswith(s) for code in known)]
