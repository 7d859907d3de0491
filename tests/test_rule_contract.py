"""The contract every rule keeps: metadata, documentation sections, fixtures, and a README row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockerstore_lint.docs import PAGES, code_table, help_uri_of, missing_sections, page, readme_table, stem, summary
from dockerstore_lint.registry import CODE, all_rules, by_code
from dockerstore_lint.rule import LEVELS, TARGETS, Rule

ROOT = Path(__file__).resolve().parents[1]
RULES = all_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_metadata(rule):
    assert CODE.match(rule.code)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.name)
    assert rule.level in LEVELS
    assert (ROOT / "rules" / f"{stem(rule)}.py").is_file(), "the file is named after the code and name"
    assert rule.targets and set(rule.targets) <= set(TARGETS), "a rule must look at something"
    for target in rule.targets:
        assert getattr(rule, target) is not getattr(Rule, target), f"{target} is a target, so the rule needs its hook"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_documentation_sections(rule):
    assert missing_sections(rule) == []
    assert summary(rule).endswith(".")


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_fixtures_exist(rule):
    folder = ROOT / "fixtures" / stem(rule)
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    assert any(n.startswith("bad_") for n in names), f"{folder} needs a bad_ fixture"
    assert any(n.startswith("good_") for n in names), f"{folder} needs a good_ fixture"
    assert "expected.txt" in names


def test_code_table_is_generated_from_every_rule_file():
    modules = sorted(p.stem for p in (ROOT / "rules").glob("dsl*.py"))
    assert sorted(stem(rule) for rule in RULES) == modules
    assert (ROOT / "rules" / "__init__.py").read_text(encoding="utf-8") == code_table(), \
        "the code table is stale: run `python -m dockerstore_lint.docs --write-index`"


def test_names_derive_from_class_names():
    assert by_code()["DSL102"].name == "anonymous-volume"
    assert by_code()["DSL402"].name == "windows-volume-on-populated-dir"


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_readme_rule_table_is_generated():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- rules:begin -->\n(.*?)\n<!-- rules:end -->", readme, re.DOTALL)
    assert match, "README.md needs the <!-- rules:begin/end --> markers"
    assert match.group(1).strip() == readme_table().strip(), \
        "README rule table is stale: run `python -m dockerstore_lint.docs --write-readme`"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_every_rule_has_its_generated_page(rule):
    page_path = ROOT / PAGES / f"{rule.code}.md"
    assert page_path.is_file() and page_path.read_text(encoding="utf-8") == page(rule), \
        "rule pages are stale: run `python -m dockerstore_lint.docs --write-pages`"


def test_reports_link_to_the_page_at_the_installed_version():
    from dockerstore_lint import __version__

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    repository = re.search(r'^Repository = "([^"]+)"', pyproject, re.MULTILINE)[1]
    assert help_uri_of("DSL101") == f"{repository}/blob/v{__version__}/docs/rules/DSL101.md"
