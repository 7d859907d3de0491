"""The rules of a run: the built-in ones through the code table `dockerstore_lint.rules.INDEX` (generated from
the rules themselves, see `docs.py`), third-party ones through the `dockerstore_lint.rules` entry points.

Built-in rules are imported only when a run has something they look at: linting a lone Dockerfile never
loads the rules about containers. A third-party rule is imported to learn its targets.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Iterable

from dockerstore_lint.rule import Rule

CODE = re.compile(r"^[A-Z]{2,5}\d{3}$")
BUILTIN = re.compile(r"^DSL\d{3}$")


def codes() -> tuple[str, ...]:
    return tuple(sorted({**_builtin(), **_third_party()}))


def targets(code: str) -> tuple[str, ...]:
    """What the rule looks at (see `Rule.targets`), without importing a built-in rule."""
    builtin = _builtin()
    return builtin[code][1] if code in builtin else rule_class(code).targets


@lru_cache(maxsize=None)
def rule_class(code: str) -> type[Rule]:
    """The rule with `code`; its module is imported on first use. A built-in module holds exactly one rule."""
    builtin = _builtin()
    if code not in builtin:
        return _third_party()[code]
    from dockerstore_lint import rules as package

    module = importlib.import_module(f"{package.__name__}.{builtin[code][0]}")
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


def _builtin() -> dict[str, tuple[str, tuple[str, ...]]]:
    from dockerstore_lint.rules import INDEX

    # typed here: mypy checks rules/ as `rules`, and cannot follow its installed name
    index: dict[str, tuple[str, tuple[str, ...]]] = INDEX
    return index


@lru_cache(maxsize=None)
def _third_party() -> dict[str, type[Rule]]:
    """Rules installed through entry points, by code; one that is not a rule, or takes a built-in or
    malformed code, is an error of the installation, reported when the run starts."""
    from dockerstore_lint.plugins import RULES_GROUP, entry_points, load

    found: dict[str, type[Rule]] = {}
    for name, reference in entry_points(RULES_GROUP):
        rule = load(reference)
        if not (isinstance(rule, type) and issubclass(rule, Rule)) or not CODE.match(rule.code) \
                or BUILTIN.match(rule.code) or rule.code in found:
            raise LookupError(f"entry point {name} = {reference} ({RULES_GROUP}) is not a rule with a code of its own")
        found[rule.code] = rule
    return found
