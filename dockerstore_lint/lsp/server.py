"""`dockerstore-lint server`: a Language Server over stdio that publishes findings as diagnostics.

Dockerfiles and Compose files are linted on open, change and save, from the editor's buffer and,
for the rest of their projects, from disk (or from other open buffers); closing a document clears
its diagnostics. A document gets the findings that concern it, as `dockerstore-lint check FILE`
reports them: the ones located in it, and cross-file ones located elsewhere that point into it
(placed at that point, with the real location as related information). Open documents whose
verdict depended on the edited one are published again after it.

Positions: our columns count code points, LSP's count UTF-16 units unless the client offers
UTF-32, which is then chosen. Imported only by the `server` command (pygls is an optional extra).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path, to_fs_path

from dockerstore_lint import __version__
from dockerstore_lint.docs import help_uri_of
from dockerstore_lint.finding import Finding
from dockerstore_lint.lsp.session import Linted, Session
from dockerstore_lint.model.span import Span

SOURCE = "dockerstore-lint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        # pygls takes the client's first encoding; ours is UTF-32 (code points) when offered, else UTF-16
        general = params.capabilities.general
        if general is not None:
            offered = general.position_encodings or []
            general.position_encodings = [types.PositionEncodingKind.Utf32] \
                if types.PositionEncodingKind.Utf32 in offered else None
        return (yield from super().lsp_initialize(params))


class StorageLanguageServer(LanguageServer):
    def __init__(self):
        super().__init__(SOURCE, __version__, protocol_cls=_Protocol)
        self.session: Optional[Session] = None
        self.linted: dict[str, Linted] = {}  # uri -> its last lint, for the open documents
        self.reported_errors: set[str] = set()

    def start(self) -> Session:
        folders = [Path(p) for p in (to_fs_path(f.uri) for f in self.workspace.folders.values()) if p]
        root = self.workspace.root_path
        if root and os.path.isdir(root):
            # display paths are relative to the current directory, as in a `check` run from the root
            os.chdir(root)
            folders.append(Path(root))
        self.session = Session(Path.cwd(), folders)
        return self.session

    @property
    def utf16(self) -> bool:
        return self.workspace.position_encoding != types.PositionEncodingKind.Utf32

    def changed(self, uri: str) -> None:
        """Lint a document that was opened, edited or saved, then the open ones that depend on it."""
        self.publish(uri)
        if uri in self.linted:
            self._publish_dependents(self.linted[uri].file)

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        path = _path(uri)
        session = self.session or self.start()
        diagnostics: list[types.Diagnostic] = []
        if path is not None and session.lintable(path, document.language_id or ""):
            session.update(path, document.source)
            linted, config_error = session.lint(path)
            self.linted[uri] = linted
            if config_error and config_error not in self.reported_errors:
                self.reported_errors.add(config_error)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=config_error))
            diagnostics = [diagnostic(f, linted, self.utf16) for f in linted.findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics))

    def closed(self, uri: str) -> None:
        linted = self.linted.pop(uri, None)
        path = _path(uri)
        if path is not None and self.session is not None:
            self.session.close(path)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if linted is not None:
            # the file on disk stands in for the buffer again
            self._publish_dependents(linted.file)

    def _publish_dependents(self, file: str) -> None:
        """Publish again the other open documents whose last lint read `file`."""
        for uri, linted in list(self.linted.items()):
            if linted.file != file and file in linted.depends_on:
                self.publish(uri)


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
    return len(prefix.encode("utf-16-le")) // 2 if utf16 else len(prefix)


def _location(span: Span, linted: Linted, utf16: bool) -> types.Location:
    return types.Location(uri=from_fs_path(os.path.abspath(span.file)),
                          range=lsp_range(span, linted.lines_of(span.file)[0], utf16))


def _path(uri: str) -> Optional[Path]:
    """The file behind a document; None for an unsaved new buffer (`untitled:`), which has no project."""
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path else None


def create_server() -> StorageLanguageServer:
    server = StorageLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StorageLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StorageLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: StorageLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StorageLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    return server


def serve() -> int:
    create_server().start_io()
    return 0


def _code_description(code: str) -> Optional[types.CodeDescription]:
    uri = help_uri_of(code)
    return types.CodeDescription(href=uri) if uri else None
