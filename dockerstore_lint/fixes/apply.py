"""`--fix` and `--diff`: apply the findings' edits to the text as read, lint again, until nothing changes.

Edits are applied to the file's own text (its line endings, BOM and encoding kept), never to a re-dump of
the parsed document. Fixes whose edits overlap one already taken wait for the next round, as in ruff: the
re-lint finds them again at their new positions. Nothing is written until the rounds are over, and then
only files under the root that parsed, whose bytes on disk are still those that were read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from dockerstore_lint.finding import Edit, Finding, Fix
from dockerstore_lint.model.workspace import Workspace
from dockerstore_lint.text.sources import Source

ROUNDS = 10  # ruff's limit: a fix that keeps producing fixes is a bug, not a reason to loop forever


class Fixable(NamedTuple):
    """How the fixes of a run are taken: which may be applied, and where the files are."""

    unsafe: bool
    path_of: Callable[[str], Optional[Path]]  # a display path's file, None when it was not read
    root: Path


class Outcome(NamedTuple):
    originals: dict[Path, Source]  # each changed file as first read
    fixed: dict[Path, bytes]  # its new content
    applied: int  # fixes applied over all rounds
    findings: list[Finding]  # what the last lint found, on the fixed text
    workspace: Workspace


Linted = tuple[Workspace, list[Finding]]


def fix_rounds(first: Linted, lint_again: Callable[[], Linted], read: Callable[[Path], Optional[Source]],
               provide: Callable[[Path, bytes], None], how: Fixable) -> Outcome:
    """Apply what can be applied, give the loader the new text and lint again, up to ROUNDS times."""
    originals: dict[Path, Source] = {}
    fixed: dict[Path, bytes] = {}
    applied = 0
    workspace, findings = first
    for _ in range(ROUNDS):
        taken = _take(findings, how)
        if not taken:
            break
        for path, edits in _by_file(taken, how.path_of).items():
            source = read(path)
            if source is None:
                continue
            originals.setdefault(path, source)
            data = encode(source, apply_edits(source, edits))
            fixed[path] = data
            provide(path, data)
        applied += len(taken)
        workspace, findings = lint_again()
    # a file fixed back into what it was is no change
    for path in [p for p, data in fixed.items() if data == originals[p].data]:
        del fixed[path], originals[path]
    return Outcome(originals, fixed, applied, findings, workspace)


Place = tuple[tuple[int, int], tuple[int, int], str]  # an edit's start, end and text


def _take(findings: list[Finding], how: Fixable) -> list[Fix]:
    """The fixes of this round: applicable, in files under the root, none overlapping another (the engine
    gives no fix that would change a file that did not parse)."""
    taken: list[Fix] = []
    placed: dict[Path, list[Place]] = {}
    for finding in findings:
        fix = finding.fix
        if finding.suppressed is not None or fix is None or not fix.applies(how.unsafe):
            continue
        paths = [path for path in (how.path_of(edit.span.file) for edit in fix.edits)
                 if path is not None and _inside(path, how.root)]
        if len(paths) != len(fix.edits):
            continue
        places = [(path, _place(edit)) for path, edit in zip(paths, fix.edits, strict=True)]
        # the same edit as a fix already taken (two services missing the same volume) is made once
        new = [(path, place) for path, place in places if place not in placed.get(path, ())]
        if any(_overlaps(place, other) for path, place in new for other in placed.get(path, ())):
            continue
        for path, place in new:
            placed.setdefault(path, []).append(place)
        taken.append(fix)
    return taken


def _place(edit: Edit) -> Place:
    span = edit.span
    return (span.line, span.column), (span.end_line, span.end_column), edit.text


def _overlaps(place: Place, other: Place) -> bool:
    """Whether two edits touch the same text; two insertions at one place also do (their order is unknown)."""
    start, end, _ = place
    other_start, other_end, _ = other
    return start == other_start or not (end <= other_start or other_end <= start)


def _inside(path: Path, root: Path) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _by_file(fixes: list[Fix], path_of: Callable[[str], Optional[Path]]) -> dict[Path, list[Edit]]:
    edits: dict[Path, list[Edit]] = {}
    for fix in fixes:
        for edit in fix.edits:
            path = path_of(edit.span.file)
            assert path is not None  # _take kept only fixes whose files were read
            if edit not in edits.setdefault(path, []):
                edits[path].append(edit)
    return edits


def apply_edits(source: Source, edits: list[Edit]) -> str:
    """The file's text as read (its own line endings) with the edits made, last first so offsets hold."""
    raw = source.data[len(source.bom):].decode(source.encoding)
    starts = [0]
    for index, char in enumerate(raw):
        if char == "\n":
            starts.append(index + 1)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    text = raw
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        span = edit.span
        inserted = edit.text.replace("\n", source.newline) if source.newline != "\n" else edit.text
        text = text[:offset(span.line, span.column)] + inserted + text[offset(span.end_line, span.end_column):]
    return text


def encode(source: Source, text: str) -> bytes:
    return source.bom + text.encode(source.encoding)


def write_fixed(outcome: Outcome) -> list[str]:
    """Write each fixed file in place, atomically; the files left alone because they changed meanwhile."""
    skipped = []
    for path, data in outcome.fixed.items():
        original = outcome.originals[path]
        target = Path(os.path.realpath(path))  # a link stays a link: its target gets the new text
        try:
            with open(target, "rb") as handle:
                current = handle.read()
        except OSError:
            current = None
        if current != original.data:
            skipped.append(original.file)
            continue
        mode = os.stat(target).st_mode & 0o7777
        handle_fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".fix")
        try:
            with os.fdopen(handle_fd, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except OSError:
            if os.path.exists(temporary):
                os.unlink(temporary)
            skipped.append(original.file)
    return skipped


def unified_diff(outcome: Outcome) -> str:
    import difflib

    chunks: list[str] = []
    for path in sorted(outcome.fixed):
        original = outcome.originals[path]
        before = original.data[len(original.bom):].decode(original.encoding).splitlines(keepends=True)
        new = outcome.fixed[path]
        after = new[len(original.bom):].decode(original.encoding).splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(before, after, f"a/{original.file}", f"b/{original.file}"))
        if chunks and not chunks[-1].endswith("\n"):
            chunks.append("\n\\ No newline at end of file\n")
    return "".join(chunks)
