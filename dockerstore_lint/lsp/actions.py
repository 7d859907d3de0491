"""Code actions: a finding's fix as a quick fix, "Ignore DSLxxx on this line", and every safe fix of a document.

A fix is offered whether safe or unsafe (`check --fix` makes only the safe ones); only a safe one is the
preferred action, which editors apply with one key. Edits go to the files they are about, at the versions
the lint read (a `TextDocumentEdit` that the editor refuses once the document changed), or, for a client
that takes only `changes`, unversioned. Inserted line breaks are the file's own (`\\r\\n` where its lines end
so), as `--fix` writes them.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Optional, Sequence

from lsprotocol import types

from dockerstore_lint.finding import SAFE, Edit, Finding
from dockerstore_lint.lsp.diagnostics import lsp_range, uri_of
from dockerstore_lint.lsp.ignore import ignore_edit
from dockerstore_lint.lsp.session import Linted
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.positions import FileText

QUICKFIX = types.CodeActionKind.QuickFix.value
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.dockerstore-lint"
KINDS = [QUICKFIX, FIX_ALL]
FIX_ALL_TITLE = "dockerstore-lint: apply every safe fix"
# a comment that suppresses nothing is removed, not suppressed by another one
UNUSED_SUPPRESSION = "DSL005"


class EditOptions(NamedTuple):
    """How the client takes edits."""

    utf16: bool  # positions count UTF-16 units, else code points
    versioned: bool  # `documentChanges` (edits of a document's version), else `changes`


def wanted(only: Optional[Sequence[str]], kind: str) -> bool:
    """Whether a code action request's `only` asks for `kind`: kinds are hierarchical (`source.fixAll` asks
    for `source.fixAll.dockerstore-lint`)."""
    if only is None:
        return kind == QUICKFIX
    return any(not asked or kind == asked or kind.startswith(asked + ".") for asked in only)


def finding_actions(finding: Finding, shown: types.Diagnostic, linted: Linted,
                    options: EditOptions) -> list[types.CodeAction]:
    """The quick fixes of one finding, shown as `shown`: its fix, if it has one, and the suppression comment."""
    actions = []
    fix = finding.fix
    if fix is not None and fix.edits:
        safe = fix.applicability == SAFE
        actions.append(types.CodeAction(
            title=fix.title if safe else f"{fix.title} (unsafe fix)", kind=QUICKFIX, diagnostics=[shown],
            edit=_workspace_edit(list(fix.edits), linted, options), is_preferred=True if safe else None))
    if finding.code != UNUSED_SUPPRESSION:
        span = finding.span
        lines, syntax = linted.lines_of(span.file)
        ignore = ignore_edit(lines, syntax, span.file, span.line, finding.code)
        if ignore is not None:
            where = ignore.scope if span.file == linted.file else f"in {span.file} at line {span.line}"
            actions.append(types.CodeAction(title=f"Ignore {finding.code} {where}", kind=QUICKFIX,
                                            diagnostics=[shown],
                                            edit=_workspace_edit([ignore.edit], linted, options)))
    return actions


def fix_all_action(uri: str, version: Optional[int], before: str, after: str,
                   options: EditOptions) -> types.CodeAction:
    """Every safe fix of a document as one action, whose one edit replaces what changed: `before` and `after`
    are the document's whole text, line endings as the editor has them."""
    start, end = _changed(before, after)
    origin = FileText(uri, before)
    span = Span(uri, *origin.position(start), *origin.position(end))
    edit = types.TextEdit(range=lsp_range(span, before.split("\n"), options.utf16),
                          new_text=after[start:len(after) - (len(before) - end)])
    return types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL,
                            edit=_document_edits([(uri, version, [edit])], options))


def _workspace_edit(edits: list[Edit], linted: Linted, options: EditOptions) -> types.WorkspaceEdit:
    by_file: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        file = edit.span.file
        newline = linted.newline_of(file)
        by_file.setdefault(file, []).append(types.TextEdit(
            range=lsp_range(edit.span, linted.lines_of(file)[0], options.utf16),
            new_text=edit.text.replace("\n", newline) if newline != "\n" else edit.text))
    changed = []
    for file, text_edits in by_file.items():
        buffer = linted.buffer_of(file)
        changed.append((uri_of(file, linted), buffer.version if buffer is not None else None, text_edits))
    return _document_edits(changed, options)


def _document_edits(changed: list[tuple[str, Optional[int], list[types.TextEdit]]],
                    options: EditOptions) -> types.WorkspaceEdit:
    """Edits of documents (uri, version read, edits); a document not open in the editor has no version."""
    if options.versioned:
        return types.WorkspaceEdit(document_changes=[
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=list(edits)) for uri, version, edits in changed])
    return types.WorkspaceEdit(changes={uri: list(edits) for uri, _, edits in changed})


def _changed(before: str, after: str) -> tuple[int, int]:
    """The region of `before` that `after` replaces: what lies between their common start and common end,
    never between the two characters of a `\\r\\n`."""
    start = _common_length(before, after, lambda text, size: text[:size])
    room = min(len(before), len(after)) - start
    kept = _common_length(before, after, lambda text, size: text[len(text) - size:], room)
    end = len(before) - kept
    if 0 < start < len(before) and before[start - 1:start + 1] == "\r\n":
        start -= 1
    if 0 < end < len(before) and before[end - 1:end + 1] == "\r\n":
        end += 1
    return start, end


def _common_length(first: str, second: str, part: Callable[[str, int], str], limit: Optional[int] = None) -> int:
    """The largest size whose `part` is the same in both texts: a binary search of slices, compared in C, so that a
    5 MB document costs milliseconds."""
    low, high = 0, min(len(first), len(second)) if limit is None else limit
    while low < high:
        middle = (low + high + 1) // 2
        if part(first, middle) == part(second, middle):
            low = middle
        else:
            high = middle - 1
    return low
