"""Running the selected rules over a workspace, then applying levels and suppressions.

Each rule is called through the hooks its `targets` name; findings are de-duplicated (a Dockerfile built
by two projects is judged once), given their configured level, marked when a comment or the configuration
suppresses them, and sorted by position.
"""

from __future__ import annotations

from typing import Callable, Iterator, Optional

from dockerstore_lint.config import Config
from dockerstore_lint.finding import Finding
from dockerstore_lint.model.span import INVALID, Span
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.registry import codes, rule_class, targets
from dockerstore_lint.related import concerns
from dockerstore_lint.rule import Rule, UnusedDirective
from dockerstore_lint.suppression import Suppressions, parse_suppressions
from dockerstore_lint.text.comments import CommentSyntax


def present_targets(workspace: Optional[Workspace]) -> set[str]:
    """What a workspace has for rules to look at (everything, when there is no workspace to ask)."""
    present = {"problems", "suppressions"}
    if workspace is None or workspace.dockerfiles:
        present.add("dockerfile")
    if workspace is None or workspace.groups:
        present.update(("container", "group", "workspace"))
    return present


def selected_rules(config: Config, workspace: Optional[Workspace] = None) -> list[Rule]:
    """The enabled rules; for a given workspace, only those with something to look at in it (no rule
    about containers is even imported to lint a lone Dockerfile)."""
    present = present_targets(workspace)
    return [rule_class(code)() for code in codes() if config.enabled(code) and present.intersection(targets(code))]


def run_rules(workspace: Workspace, rules: list[Rule]) -> Iterator[Finding]:
    for rule in rules:
        for target in rule.targets:
            if target == "problems":
                yield from rule.problems(workspace.all_problems())
            elif target == "dockerfile":
                for dockerfile in workspace.dockerfiles:
                    yield from rule.dockerfile(dockerfile)
            elif target == "container":
                for container, group in workspace.containers():
                    for finding in rule.container(container, group):
                        yield finding._replace(subject=container.label) if container.label in finding.message \
                            else finding
            elif target == "group":
                for group in workspace.groups:
                    yield from rule.group(group)
            elif target == "workspace" and workspace.groups:
                yield from rule.workspace(workspace)


def lint(workspace: Workspace, config: Config, lines_of: Callable[[str], tuple[list[str], CommentSyntax]],
         report_files: Optional[set[str]] = None, rules: Optional[list[Rule]] = None) -> list[Finding]:
    """All findings, levels applied, suppressed ones marked, sorted; only those that concern `report_files`
    (located in one of them, or pointing into one) if given.

    `lines_of(file)` gives a file's lines and its input kind's name, for the comments that suppress findings.
    """
    unique: dict[tuple[str, Span, str], Finding] = {}  # (code, where, message)
    sharing: dict[tuple[str, Span, str], list[Finding]] = {}
    for finding in run_rules(workspace, selected_rules(config, workspace) if rules is None else rules):
        if report_files is not None and not concerns(finding, report_files):
            continue
        if finding.subject is not None:
            # the same entry judged in several containers (`extends`, a YAML anchor): one finding naming them all
            sharing.setdefault((finding.code, finding.span, finding.text.replace(finding.subject, "\0")),
                               []).append(finding)
            continue
        unique.setdefault((finding.code, finding.span, finding.text), finding)
    # an entry other containers share (an anchor, extends): changing it for one changes it for all
    subjects: dict[tuple[str, Span], set[Optional[str]]] = {}
    for same in sharing.values():
        for finding in same:
            subjects.setdefault((finding.code, finding.span), set()).add(finding.subject)
    for key, same in sharing.items():
        unique[key] = _naming_all(same)
        if len(subjects[(same[0].code, same[0].span)]) > 1:
            unique[key] = unique[key]._replace(fix=None)
    if any(f.fix is not None and f.fix.intent is not None for f in unique.values()):
        # an edit placed by a partial reading of a file that did not parse could land anywhere
        unparsed = {problem.span.file for problem in workspace.all_problems() if problem.kind == INVALID}
        unique = {key: _with_edits(finding, lines_of, unparsed) for key, finding in unique.items()}
    suppressions: dict[str, Suppressions] = {}

    def suppressed(finding: Finding) -> Finding:
        level = config.level_for(finding.code, finding.level)
        if level != finding.level:
            finding = finding.with_level(level)
        file = finding.span.file
        if file not in suppressions:
            lines, kind = lines_of(file)
            suppressions[file] = parse_suppressions(lines, kind)
        if suppressions[file].covers(finding.code, finding.span.line):
            return finding._replace(suppressed="inSource")
        if config.ignored_at(finding.code, file):
            return finding._replace(suppressed="external")
        return finding

    out = [suppressed(finding) for finding in unique.values()]
    checking = [rule for rule in (selected_rules(config, workspace) if rules is None else rules)
                if "suppressions" in rule.targets]
    if checking:
        files = {d.file for d in workspace.dockerfiles} | {f for g in workspace.groups for f in g.files}
        files = {f for f in files if report_files is None or f in report_files} - set(suppressions)
        for file in sorted(files):
            lines, kind = lines_of(file)
            suppressions[file] = parse_suppressions(lines, kind)
        unused = _unused(suppressions, config)
        for rule in checking:
            out.extend(suppressed(finding) for finding in rule.suppressions(unused))
    return sorted(out, key=lambda f: f.sort_key)


def _unused(suppressions: dict[str, Suppressions], config: Config) -> list[UnusedDirective]:
    """The codes of suppression comments that suppressed nothing, where that can be told: a code of a rule this
    run did not select could have."""
    known = codes()
    unused = []
    for file, found in suppressions.items():
        for directive, selector in found.unused():
            matching = [code for code in known if code.startswith(selector)]
            if matching and not any(config.enabled(code) for code in matching):
                continue
            span = Span(file, directive.line, directive.column, directive.line, directive.end_column)
            unused.append(UnusedDirective(span, selector, bool(matching), directive.whole_file))
    return unused


def _with_edits(finding: Finding, lines_of: Callable[[str], tuple[list[str], CommentSyntax]],
                unparsed: set[str]) -> Finding:
    """The finding with its fix's edits found in the text, or without a fix where they cannot be (or would
    change a file in `unparsed`)."""
    fix = finding.fix
    if fix is None or fix.intent is None:
        return finding
    from dockerstore_lint.fixes.edits import edits_for

    edits = edits_for(fix.intent, lambda file: lines_of(file)[0])
    if not edits or any(edit.span.file in unparsed for edit in edits):
        return finding._replace(fix=None)
    return finding._replace(fix=fix._replace(edits=edits, intent=None))


def _naming_all(same: list[Finding]) -> Finding:
    """One finding for the containers that share the entry it is about, named in the first one's message."""
    first = same[0]
    others = list(dict.fromkeys(f.subject for f in same[1:] if f.subject != first.subject))
    if not others or first.subject is None:
        return first
    names = [other.split(" ", 1)[-1] for other in others if other is not None]
    also = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    which = "which shares" if len(names) == 1 else "which share"
    named = f"{first.subject} (and {also}, {which} this entry)"
    return first._replace(message=first.message.replace(first.subject, named, 1))
