"""Running the selected rules over a workspace, then applying levels and suppressions.

Each rule is called only through the hooks it defines; findings are de-duplicated (a Dockerfile
built by two projects is judged once), given their configured level, marked when a comment or the
configuration suppresses them, and sorted by position.
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from dockerstore_lint.config import Config
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.registry import codes, needs, rule_class
from dockerstore_lint.related import concerns
from dockerstore_lint.rule import Finding, Rule
from dockerstore_lint.suppression import Suppressions, parse_suppressions


def selected_rules(config: Config, workspace: Optional[Workspace] = None) -> list[Rule]:
    """The enabled rules; for a given workspace, only those with something to read in it (no Compose
    rule is even imported to lint a lone Dockerfile)."""
    present = {"problems"}
    if workspace is None or workspace.dockerfiles:
        present.add("dockerfiles")
    if workspace is None or workspace.projects:
        present.add("projects")
    return [rule_class(code)() for code in codes() if config.enabled(code) and present.intersection(needs(code))]


def run_rules(workspace: Workspace, rules: Iterable[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        hooks = rule.hooks()
        if "workspace" in hooks:
            findings.extend(rule.workspace(workspace))
        if "dockerfile" in hooks:
            for dockerfile in workspace.dockerfiles:
                findings.extend(rule.dockerfile(dockerfile))
        if "project" in hooks or "service" in hooks:
            for project in workspace.projects:
                if "project" in hooks:
                    findings.extend(rule.project(project))
                if "service" in hooks:
                    for service in project.services.values():
                        findings.extend(rule.service(service, project))
    return findings


def lint(workspace: Workspace, config: Config, lines_of: Callable[[str], tuple[list[str], bool]],
         report_files: Optional[set[str]] = None) -> list[Finding]:
    """All findings, levels applied, suppressed ones marked, sorted; only those that concern `report_files`
    (located in one of them, or pointing into one) if given.

    `lines_of(file)` gives a file's lines and whether it is YAML (where comments may end a line).
    """
    unique: dict[tuple, Finding] = {}
    for finding in run_rules(workspace, selected_rules(config, workspace)):
        if report_files is not None and not concerns(finding, report_files):
            continue
        unique.setdefault((finding.code, finding.span, finding.message), finding)
    suppressions: dict[str, Suppressions] = {}
    out = []
    for finding in unique.values():
        level = config.level_for(finding.code, finding.level)
        if level != finding.level:
            finding = finding.with_level(level)
        file = finding.span.file
        if file not in suppressions:
            lines, is_yaml = lines_of(file)
            suppressions[file] = parse_suppressions(lines, trailing_comments=is_yaml)
        if suppressions[file].covers(finding.code, finding.span.line):
            finding = finding._replace(suppressed="inSource")
        elif config.ignored_at(finding.code, file):
            finding = finding._replace(suppressed="external")
        out.append(finding)
    return sorted(out, key=lambda f: f.sort_key)

