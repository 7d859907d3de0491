"""Rule documentation, generated from the rules' docstrings: `rule CODE`, `rules`, the README table, SARIF help."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Optional

from dockerstore_lint.registry import all_rules, by_code
from dockerstore_lint.rule import DOC_SECTIONS, Rule

# a rule's file is its documentation: the docstring is what `dockerstore-lint rule CODE` prints
SOURCE_URL = "https://github.com/dockerstore-lint/dockerstore-lint/blob/main/rules"
_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
_MARKERS = re.compile(r"<!-- rules:begin -->\n.*?<!-- rules:end -->", re.DOTALL)


def summary(rule: type[Rule]) -> str:
    """The docstring's first line: one sentence that stands alone."""
    return inspect.getdoc(rule).split("\n", 1)[0].strip()


def sections(rule: type[Rule]) -> dict[str, str]:
    """`## Heading` -> body, in order."""
    text = inspect.getdoc(rule) or ""
    parts = _HEADING.split(text)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def markdown(rule: type[Rule]) -> str:
    body = "\n\n".join(f"## {title}\n{text}" for title, text in sections(rule).items())
    return f"# {rule.code} {rule.name}\n\n{summary(rule)}\n\nDefault level: `{rule.level}`.\n\n{body}\n"


def stem(rule: type[Rule]) -> str:
    return f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def help_uri(rule: type[Rule]) -> str:
    return help_uri_of(rule.code, rule.name)


def help_uri_of(code: str, name: str) -> str:
    """The documentation of a rule known by code and name, without importing it (a finding carries both)."""
    return f"{SOURCE_URL}/{code.lower()}_{name.replace('-', '_')}.py"


def rule_text(code: str) -> Optional[str]:
    rule = by_code().get(code)
    return markdown(rule) if rule is not None else None


def rules_table() -> str:
    rows = [f"{rule.code}  {rule.name:<34} {rule.level:<8} {summary(rule)}" for rule in all_rules()]
    return "\n".join(rows)


def readme_table() -> str:
    """The Markdown table the README carries between its RULES markers."""
    rows = ["| code | name | level | what it flags |", "|---|---|---|---|"]
    for rule in all_rules():
        rows.append(f"| [{rule.code}](rules/{stem(rule)}.py) | {rule.name} | {rule.level} | {summary(rule)} |")
    return "\n".join(rows)


def missing_sections(rule: type[Rule]) -> list[str]:
    found = list(sections(rule))
    return [name for name in DOC_SECTIONS if name not in found]


def write_readme(readme: Path) -> bool:
    """Replace the table between the README's rules markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    table = f"<!-- rules:begin -->\n{readme_table()}\n<!-- rules:end -->"
    return write_if_changed(readme, _MARKERS.sub(lambda _: table, text))



_CODE_TABLE_HEAD = '''"""The rules, one file each; this package installs as `dockerstore_lint.rules`.

`INDEX` is the table of codes, generated from the rules by `python -m dockerstore_lint.docs --write-index`
(tests/test_rule_contract.py checks it is current): for each code, the module that holds the rule and its
`targets`, what it looks at. The engine imports only the rules a run can need: linting a lone Dockerfile
never loads the rules about containers.
"""

INDEX = {
'''


def code_table() -> str:
    """The text of `rules/__init__.py`: the code table, from the rules themselves."""
    rows = "".join(f"    {rule.code!r}: ({stem(rule)!r}, {rule.targets!r}),\n".replace("'", '"')
                   for rule in all_rules() if rule.__module__.startswith("dockerstore_lint.rules."))
    return _CODE_TABLE_HEAD + rows + "}\n"


def write_if_changed(path: Path, text: str) -> bool:
    changed = path.read_text(encoding="utf-8") != text
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--write-readme"]:
        print("README.md updated" if write_readme(Path("README.md")) else "README.md already up to date")
    elif sys.argv[1:] == ["--write-index"]:
        changed = write_if_changed(Path("rules/__init__.py"), code_table())
        print("rules/__init__.py updated" if changed else "rules/__init__.py already up to date")
    else:
        sys.exit("usage: python -m dockerstore_lint.docs --write-readme | --write-index")
