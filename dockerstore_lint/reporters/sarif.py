"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.

One run per invocation (code scanning rejects several runs of one tool and category), describing
every rule that ran. Locations are relative to the current directory, the report's `%SRCROOT%`,
because code scanning reads a relative `uri` as relative to the repository root and the linter is
run from there. No `automationDetails` unless `--sarif-category` asks: a fixed id would override
the upload action's `category:` input.

Security rules (security.py) carry the `security` tag and a `security-severity`, which make code
scanning list their results as security alerts. Each result carries `partialFingerprints` under its
own key, made like the GitLab report's fingerprints (fingerprints.py): consumers that match results
across runs by them (an upload through the API, which has no checkout, the Multitool's
`match-results-forward`, other viewers) keep a result's identity when lines move. Not under code
scanning's `primaryLocationLineHash`: the upload action computes that from the checkout itself and warns
on every result that brings a different one. Each result whose finding has a fix carries it (`fixes`),
safe or unsafe as its `applicability` property says; its regions, like every region here, count lines
and code points of the text with `\r\n` read as `\n`.
sarif-om is imported here only: it costs ~50 ms that the other formats do not pay.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional
from urllib.parse import quote

from dockerstore_lint import __version__, docs
from dockerstore_lint.finding import Finding, Fix
from dockerstore_lint.registry import by_code
from dockerstore_lint.reporters import ReportContext
from dockerstore_lint.reporters.fingerprints import fingerprints
from dockerstore_lint.reporters.json_stream import Streamed, dump
from dockerstore_lint.reporters.security import SECURITY_SEVERITY
from dockerstore_lint.rule import Rule
from dockerstore_lint.text.escape import JSON_ERRORS

if TYPE_CHECKING:
    from types import ModuleType

    from dockerstore_lint.model.span import Span

# sarif-om's objects (it ships no types) are `object` here, and the module is passed to the helpers as `om`:
# it is imported only when a SARIF log is written

ERRORS = JSON_ERRORS

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "dockerstore-lint"
SRCROOT = "%SRCROOT%"
# code scanning orders and filters results by these two (by `security-severity` for security rules)
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
# rules say nothing when a fact is unknown, so what they report is meant to be right
PRECISION = "high"
DESCRIPTION_LIMIT = 1024  # code scanning truncates longer descriptions
# a versioned key of our own (SARIF's convention): a change of how fingerprints are made gets a new key
FINGERPRINT_KEY = "dockerstoreLint/v1"
_JUSTIFICATION = {"inSource": "a `# dockerstore-lint: ignore=` comment",
                  "external": "`per-path-ignores` in the configuration"}


def write(findings: list[Finding], context: ReportContext, out: Callable[[str], None]) -> None:
    import sarif_om as om

    from dockerstore_lint.reporters.sarif_serializer import to_sarif

    rules = _rules(context.rules, findings)
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = Path(os.path.realpath(context.cwd))
    locations: dict[str, object] = {}

    def locate(file: str) -> object:
        # findings share files, and a file's location resolves its symlinks: worked out once per file
        if file not in locations:
            locations[file] = _artifact_location(om, file, root, context.cwd)
        return locations[file]

    run = om.Run(
        tool=om.Tool(driver=om.ToolComponent(
            name=TOOL_NAME,
            semantic_version=__version__,
            information_uri=docs.repository_url(),
            rules=[_descriptor(om, rule) for rule in rules],
        )),
        automation_details=_automation(om, context.sarif_category),
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=_directory_uri(root))},
        # made and written one at a time: a log of 500,000 results held whole took gigabytes
        results=Streamed(_result(om, finding, index[finding.code], locate, fingerprint)
                         for finding, fingerprint in zip(findings, fingerprints(findings, context), strict=True)),
    )
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    dump(to_sarif(log), out)


def _rules(ran: list[type[Rule]], findings: list[Finding]) -> list[type[Rule]]:
    """The rules that ran, plus any rule a finding names that the caller did not list."""
    rules = list(ran)
    known = {rule.code for rule in rules}
    registered = by_code()
    for code in sorted({finding.code for finding in findings} - known):
        rules.append(registered[code])
    return rules


def _descriptor(om: ModuleType, rule: type[Rule]) -> object:
    markdown = docs.markdown(rule)
    summary = docs.summary(rule)
    what = _unwrapped(docs.sections(rule).get("What it does", ""))
    return om.ReportingDescriptor(
        id=rule.code,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=_limited(summary)),
        full_description=om.MultiformatMessageString(text=_limited(what or summary)),
        help=om.MultiformatMessageString(text=_plain(markdown), markdown=markdown),
        help_uri=docs.help_uri(rule),
        default_configuration=om.ReportingConfiguration(level=rule.level),
        properties=_properties(rule),
    )


def _properties(rule: type[Rule]) -> dict[str, object]:
    security = rule.code in SECURITY_SEVERITY
    properties: dict[str, object] = {"tags": ["security", *_tags(rule)] if security else _tags(rule),
                                     "precision": PRECISION, "problem.severity": PROBLEM_SEVERITY[rule.level]}
    if security:
        properties["security-severity"] = SECURITY_SEVERITY[rule.code]
    return properties


def _tags(rule: type[Rule]) -> list[str]:
    """What a rule looks at: `dockerfile` and/or `containers` (wherever they are defined); a rule that only
    sees input problems or suppression comments is about input."""
    tags = sorted({"dockerfile" if target == "dockerfile" else "containers"
                   for target in rule.targets if target not in ("problems", "suppressions")})
    return ["storage", *tags] if tags else ["input"]


def _result(om: ModuleType, finding: Finding, rule_index: int, locate: Callable[[str], object],
            fingerprint: str) -> object:
    related = [om.Location(id=number, physical_location=_physical(om, item.span, locate),
                           message=om.Message(text=_sentence(item.message)))
               for number, item in enumerate(finding.related, start=1)]
    suppressions = None
    if finding.suppressed is not None:
        suppressions = [om.Suppression(kind=finding.suppressed, state="accepted",
                                       justification=f"suppressed by {_JUSTIFICATION[finding.suppressed]}")]
    return om.Result(
        rule_id=finding.code,
        rule_index=rule_index,
        level=finding.level,
        message=om.Message(text=_sentence(finding.text)),
        locations=[om.Location(physical_location=_physical(om, finding.span, locate))],
        related_locations=related or None,
        partial_fingerprints={FINGERPRINT_KEY: fingerprint},
        fixes=_fixes(om, finding.fix, locate),
        suppressions=suppressions,
    )


def _fixes(om: ModuleType, fix: Optional[Fix], locate: Callable[[str], object]) -> Optional[list[object]]:
    """The fix as SARIF `fixes`: its edits as replacements, grouped by file in the order they come. Each
    region is one of the text as it was, as SARIF asks: all the edits of a fix are made on the text as read."""
    if fix is None or not fix.edits:
        return None
    replacements: dict[str, list[object]] = {}
    for edit in fix.edits:
        replacements.setdefault(edit.span.file, []).append(om.Replacement(
            deleted_region=_region(om, edit.span), inserted_content=om.ArtifactContent(text=edit.text)))
    return [om.Fix(
        description=om.Message(text=_sentence(fix.title)),
        artifact_changes=[om.ArtifactChange(artifact_location=locate(file), replacements=items)
                          for file, items in replacements.items()],
        properties={"applicability": fix.applicability},
    )]


def _physical(om: ModuleType, span: Span, locate: Callable[[str], object]) -> object:
    return om.PhysicalLocation(artifact_location=locate(span.file), region=_region(om, span))


def _region(om: ModuleType, span: Span) -> object:
    return om.Region(start_line=span.line, start_column=span.column, end_line=span.end_line,
                     end_column=span.end_column)


def _artifact_location(om: ModuleType, file: str, root: Path, cwd: Path) -> object:
    """`file` (a display path) as a percent-encoded URI relative to `%SRCROOT%`.

    Symlinks are resolved, as code scanning does not show a result whose path is a symlink. A file
    outside the current directory keeps a `../` reference rather than an absolute URI: code scanning
    cannot show it either way, but rejects a whole upload whose locations are absolute `file:` URIs
    when it cannot tell where the checkout is.
    """
    real = os.path.realpath(os.path.join(cwd, file))
    try:
        relative = os.path.relpath(real, root)
    except ValueError:  # another drive on Windows: no relative reference exists
        return om.ArtifactLocation(uri=Path(real).as_uri())
    # the bytes of the name, which may not be UTF-8, are what the URI encodes
    return om.ArtifactLocation(uri=quote(os.fsencode(relative.replace(os.sep, "/")), safe="/"), uri_base_id=SRCROOT)


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _automation(om: ModuleType, category: Optional[str]) -> object:
    if not category:
        return None
    # the upload reads the id as `category/run-id`, split at the last `/`
    return om.RunAutomationDetails(id=category if category.endswith("/") else category + "/")


def _sentence(message: str) -> str:
    """SARIF messages are sentences ending with a period; only the first one is shown when space is short."""
    message = message.rstrip()
    return message if message.endswith((".", "!", "?")) else message + "."


def _limited(text: str) -> str:
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    cut = text[:DESCRIPTION_LIMIT - 1]
    sentence_end = max(cut.rfind(". "), cut.rfind(".\n"))
    return cut[:sentence_end + 1] if sentence_end > 0 else cut + "…"


def _unwrapped(text: str) -> str:
    """Hard-wrapped docstring lines joined into paragraphs; list items and blank lines keep their breaks."""
    out: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if out and out[-1] and stripped and not stripped.startswith(("- ", "* ")):
            out[-1] += " " + stripped
        else:
            out.append(stripped)
    return "\n".join(out)


def _plain(markdown: str) -> str:
    """The rule's Markdown page as plain text: headings lose their `#` marks, the rest reads as is."""
    return re.sub(r"^#+ ", "", markdown, flags=re.MULTILINE)
