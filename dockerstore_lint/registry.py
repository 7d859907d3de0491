"""Finding the rules in `dockerstore_lint.rules` and selecting them by code or prefix."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from typing import Iterable

from .rule import Rule

CODE = re.compile(r"^DSL\d{3}$")


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code. A module holds exactly one rule."""
    from . import rules as package

    found = []
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        classes = [v for v in vars(module).values()
                   if isinstance(v, type) and issubclass(v, Rule) and v is not Rule and v.__module__ == module.__name__]
        found.extend(classes)
    return tuple(sorted(found, key=lambda rule: rule.code))


def by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}


def matches(code: str, selectors: Iterable[str]) -> bool:
    """A selector is a code (DSL101), a prefix (DSL1, DSL), or a rule name (dockerfile-volume)."""
    return any(code.startswith(s) for s in selectors)


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    codes = [rule.code for rule in all_rules()]
    return [s for s in selectors if not any(code.startswith(s) for code in codes)]
