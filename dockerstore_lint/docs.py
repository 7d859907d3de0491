"""Rule documentation, generated from the rules' docstrings: `rule CODE`, `rules`, the README table, the pages
under docs/rules/ that reports link to, SARIF help."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Optional

from dockerstore_lint import __version__
from dockerstore_lint.registry import BUILTIN, all_rules, by_code, rule_class
from dockerstore_lint.rule import DOC_SECTIONS, Rule

PAGES = Path("docs") / "rules"  # in the repository: one Markdown page per built-in rule, from its docstring
_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)
FIX_SAFETY = "Fix safety"  # the docstring section of a rule that has fixes
_MARKERS = re.compile(r"<!-- rules:begin -->\n.*?<!-- rules:end -->", re.DOTALL)


def summary(rule: type[Rule]) -> str:
    """The docstring's first line: one sentence that stands alone."""
    return _docstring(rule).split("\n", 1)[0].strip()


def sections(rule: type[Rule]) -> dict[str, str]:
    """`## Heading` -> body, in order."""
    text = _docstring(rule)
    parts = _HEADING.split(text)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def _docstring(rule: type[Rule]) -> str:
    # `inspect` costs 4 ms to import: a JSON report, which only links the rules' pages, does not pay for it
    import inspect

    return inspect.getdoc(rule) or ""


def markdown(rule: type[Rule]) -> str:
    body = "\n\n".join(f"## {title}\n{text}" for title, text in sections(rule).items())
    return f"# {rule.code} {rule.name}\n\n{summary(rule)}\n\nDefault level: `{rule.level}`.\n\n{body}\n"


def stem(rule: type[Rule]) -> str:
    return f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def help_uri(rule: type[Rule]) -> Optional[str]:
    return help_uri_of(rule.code)


def help_uri_of(code: str) -> Optional[str]:
    """Where a rule's documentation is, without importing a built-in rule: its page at the installed version's
    tag; a third-party rule's own `url`."""
    if BUILTIN.match(code):
        return f"{repository_url()}/blob/v{__version__}/{PAGES.as_posix()}/{code}.md"
    return getattr(rule_class(code), "url", None)


@lru_cache(maxsize=None)
def repository_url() -> str:
    """The project's repository, as `[project.urls]` in pyproject.toml says: read from the installed
    distribution's metadata (without importlib.metadata, which costs 40 ms), or from pyproject.toml in a
    checkout that is not installed."""
    for directory in sys.path:
        try:
            names = [n for n in os.listdir(directory or ".") if n.startswith("dockerstore_lint-")
                     and n.endswith(".dist-info")]
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(directory or ".", name, "METADATA"), encoding="utf-8") as handle:
                    for line in handle:
                        if line.startswith("Project-URL: Repository,"):
                            return line.split(",", 1)[1].strip()
            except OSError:
                continue
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.MULTILINE)
    assert match is not None, "pyproject.toml names the repository under [project.urls]"
    return match.group(1)


def page(rule: type[Rule]) -> str:
    """The rule's page under docs/rules/."""
    return f"<!-- generated from rules/{stem(rule)}.py by `python -m dockerstore_lint.docs --write-pages` -->\n" \
        + markdown(rule)


def write_pages(folder: Path) -> list[Path]:
    """Write the page of every built-in rule; the pages that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for rule in all_rules():
        if BUILTIN.match(rule.code):
            path = folder / f"{rule.code}.md"
            if not path.exists() or path.read_text(encoding="utf-8") != page(rule):
                path.write_text(page(rule), encoding="utf-8")
                changed.append(path)
    return changed


def rule_text(code: str) -> Optional[str]:
    rule = by_code().get(code)
    return markdown(rule) if rule is not None else None


def can_fix(rule: type[Rule]) -> bool:
    """Whether `--fix` can fix some findings of the rule: a rule that has fixes says how safe they are."""
    return FIX_SAFETY in sections(rule)


def rules_table() -> str:
    """`dockerstore-lint rules`: code, name, default level, `[*]` for a rule --fix can fix (ruff's mark), summary."""
    rows = [f"{rule.code}  {rule.name:<34} {rule.level:<8} {'[*]' if can_fix(rule) else '   '} {summary(rule)}"
            for rule in all_rules()]
    return "\n".join(rows)


def rules_json() -> str:
    """`dockerstore-lint rules --format json`: a list of the rules, for scripts (keys may be added, never changed)."""
    import json

    return json.dumps([{"code": rule.code, "name": rule.name, "level": rule.level, "fixable": can_fix(rule),
                        "summary": summary(rule), "url": help_uri(rule)} for rule in all_rules()], indent=2)


def readme_table() -> str:
    """The Markdown table the README carries between its RULES markers."""
    rows = ["| code | name | level | what it flags |", "|---|---|---|---|"]
    for rule in all_rules():
        link = f"{PAGES.as_posix()}/{rule.code}.md" if BUILTIN.match(rule.code) else help_uri(rule)
        rows.append(f"| [{rule.code}]({link}) | {rule.name} | {rule.level} | {summary(rule)} |")
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
    """The text of `rules/__init__.py`: the code table, from the rule files themselves (a new file is found
    before the table lists it)."""
    import importlib

    from dockerstore_lint import rules as package

    found: list[type[Rule]] = []
    for module_file in sorted(Path(package.__file__).parent.glob("dsl[0-9][0-9][0-9]_*.py")):
        module = importlib.import_module(f"{package.__name__}.{module_file.stem}")
        found.extend(v for v in vars(module).values()
                     if isinstance(v, type) and issubclass(v, Rule) and v.__module__ == module.__name__)
    rows = "".join(f"    {rule.code!r}: ({stem(rule)!r}, {rule.targets!r}),\n".replace("'", '"')
                   for rule in sorted(found, key=lambda rule: rule.code))
    return _CODE_TABLE_HEAD + rows + "}\n"


def write_if_changed(path: Path, text: str) -> bool:
    changed = path.read_text(encoding="utf-8") != text
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed


if __name__ == "__main__":

    if sys.argv[1:] == ["--write-readme"]:
        print("README.md updated" if write_readme(Path("README.md")) else "README.md already up to date")
    elif sys.argv[1:] == ["--write-index"]:
        changed = write_if_changed(Path("rules/__init__.py"), code_table())
        print("rules/__init__.py updated" if changed else "rules/__init__.py already up to date")
    elif sys.argv[1:] == ["--write-pages"]:
        print(f"{len(write_pages(PAGES))} pages updated under {PAGES}")
    else:
        sys.exit("usage: python -m dockerstore_lint.docs --write-readme | --write-index | --write-pages")
