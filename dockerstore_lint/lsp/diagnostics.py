"""Findings as LSP diagnostics, and our positions as LSP's.

Our spans are 1-based lines and columns that count code points, end exclusive, in the text with `\\r\\n`
read as `\\n`; LSP's are 0-based, and count UTF-16 units unless the client offered UTF-32 (then chosen).
"""

from __future__ import annotations

import os
from typing import Optional

from lsprotocol import types
from pygls.uris import from_fs_path

from dockerstore_lint.docs import help_uri_of
from dockerstore_lint.finding import Finding
from dockerstore_lint.lsp.session import Linted
from dockerstore_lint.model.span import Span

SOURCE = "dockerstore-lint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}


def diagnostic(finding: Finding, linted: Linted, utf16: bool) -> types.Diagnostic:
    related = [types.DiagnosticRelatedInformation(_location(r.span, linted, utf16), r.message)
               for r in finding.related]
    span, message = finding.span, finding.text
    if span.file != linted.file:
        # a finding located in another file that points into this one: shown where it points
        span = next(r.span for r in finding.related if r.span.file == linted.file)
        message = f"{message} ({finding.span.file}:{finding.span.line})"
        related.insert(0, types.DiagnosticRelatedInformation(_location(finding.span, linted, utf16),
                                                             "reported here"))
    return types.Diagnostic(
        range=lsp_range(span, linted.lines_of(span.file)[0], utf16),
        message=message,
        severity=SEVERITY[finding.level],
        code=finding.code,
        code_description=_code_description(finding.code),
        source=SOURCE,
        related_information=related or None,
    )


def lsp_range(span: Span, lines: list[str], utf16: bool) -> types.Range:
    """Our 1-based span (code points, end exclusive) as a 0-based LSP range."""
    return types.Range(start=_position(span.line, span.column, lines, utf16),
                       end=_position(span.end_line, span.end_column, lines, utf16))


def _position(line: int, column: int, lines: list[str], utf16: bool) -> types.Position:
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[index] if lines else ""
    return types.Position(line=index, character=character(text, column, utf16))


def character(line: str, column: int, utf16: bool) -> int:
    """A 1-based code-point column of `line` as a 0-based LSP character, in UTF-16 units if asked."""
    prefix = line[:max(column - 1, 0)]
    # a lone surrogate (half of a pair an edit split) is one UTF-16 unit
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2 if utf16 else len(prefix)


def uri_of(file: str, linted: Linted) -> str:
    """A file's URI: the one the editor gave its open buffer (an `untitled:` one too), else its path's."""
    buffer = linted.buffer_of(file)
    if buffer is not None and buffer.uri is not None:
        return buffer.uri
    return from_fs_path(os.path.abspath(file)) or file


def _location(span: Span, linted: Linted, utf16: bool) -> types.Location:
    return types.Location(uri=uri_of(span.file, linted), range=lsp_range(span, linted.lines_of(span.file)[0], utf16))


def _code_description(code: str) -> Optional[types.CodeDescription]:
    uri = help_uri_of(code)
    return types.CodeDescription(href=uri) if uri else None
