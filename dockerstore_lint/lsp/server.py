"""`dockerstore-lint server`: a Language Server over stdio that publishes findings as diagnostics.

Dockerfiles and Compose files are linted on open, change and save, from the editor's buffer and,
for the rest of their projects, from disk (or from other open buffers); closing a document clears
its diagnostics. A document gets the findings that concern it, as `dockerstore-lint check FILE`
reports them: the ones located in it, and cross-file ones located elsewhere that point into it
(placed at that point, with the real location as related information). Open documents whose
verdict depended on the edited one are published again after it.

Lints run on a worker thread (lsp/worker.py), never on the event loop that answers requests: an
edit marks its document due; a due document is linted in its latest version, at once if its last
lint started more than LINT_INTERVAL ago, else when that much time has passed, so a burst of
keystrokes costs a lint or two, not one each (an open or a save is linted at once). A result for a
version that was edited meanwhile is not published: the next lint is already due.

The transport is ours (lsp/framing.py): a malformed header or body is logged and skipped, and the
next message read. Before `initialize`, requests are answered with ServerNotInitialized and
notifications dropped; after `shutdown`, requests are answered with InvalidRequest, as the
specification says. What goes wrong is logged on standard error in one line, never as a traceback
or a pop-up.

Positions: our columns count code points, LSP's count UTF-16 units unless the client offers
UTF-32, which is then chosen. Imported only by the `server` command (pygls is an optional extra).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Generator, NamedTuple, Optional
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import (
    FeatureRequestError,
    JsonRpcException,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path, to_fs_path

from dockerstore_lint import __version__
from dockerstore_lint.docs import help_uri_of
from dockerstore_lint.finding import Finding
from dockerstore_lint.lsp.framing import DescriptorReader, bodies
from dockerstore_lint.lsp.session import Linted, Session
from dockerstore_lint.lsp.worker import Worker
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.elide import shorten

if TYPE_CHECKING:
    from pygls.protocol.json_rpc import RPCMessage
    from pygls.server import ServerErrors

SOURCE = "dockerstore-lint"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}
LINT_INTERVAL = 0.1  # seconds between the starts of two lints of a document being typed in (keys come slower)
NEVER = float("-inf")
log = logging.getLogger("dockerstore_lint.lsp")


class _Protocol(LanguageServerProtocol):
    initialize_received = False

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        # pygls takes the client's first encoding; ours is UTF-32 (code points) when offered, else UTF-16
        general = params.capabilities.general
        if general is not None:
            offered = general.position_encodings or []
            general.position_encodings = [types.PositionEncodingKind.Utf32] \
                if types.PositionEncodingKind.Utf32 in offered else None
        return (yield from super().lsp_initialize(params))

    def handle_message(self, message: RPCMessage) -> None:
        method = getattr(message, "method", None)
        request_id = getattr(message, "id", None) if method is not None else None
        if method == types.INITIALIZE:
            self.initialize_received = True
        elif not self.initialize_received and method != types.EXIT:
            if request_id is not None:
                self._send_response(request_id, error=JsonRpcServerNotInitialized().to_response_error())
            return  # a notification is dropped
        elif self._shutdown and request_id is not None:
            # pygls drops it, and the client would wait for an answer forever
            self._send_response(request_id, error=JsonRpcInvalidRequest("the server is shutting down")
                                .to_response_error())
            return
        super().handle_message(message)


class StorageLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, protocol_cls=_Protocol)
        self.session: Optional[Session] = None
        self.linted: dict[str, Linted] = {}  # uri -> its last lint, for the open documents
        self.reported_errors: set[str] = set()
        self._due: dict[str, _Due] = {}
        self._started: dict[str, float] = {}  # uri -> when its last lint for an edit started (the loop's clock)
        self._wake: Optional[asyncio.Event] = None  # these two exist while serving
        self._worker: Optional[Worker] = None

    # --- transport ---------------------------------------------------------------------------------

    def start_io(self, stdin: Optional[BinaryIO] = None, stdout: Optional[BinaryIO] = None) -> int:
        """Serve until `exit` or the end of the input; the exit status is 0 after `shutdown`, else 1."""
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._serve(DescriptorReader((stdin or sys.stdin.buffer).fileno())))
        except SystemExit as exit_:  # the `exit` notification
            return exit_.code if isinstance(exit_.code, int) else 1
        except BrokenPipeError:
            log.error("the client closed the connection")
        return 0 if self.protocol._shutdown else 1

    async def _serve(self, stdin: DescriptorReader) -> None:
        loop = asyncio.get_running_loop()
        ended = loop.create_future()
        self._wake = asyncio.Event()
        self._worker = Worker()
        linting = asyncio.create_task(self._lint_due())

        def end() -> None:
            if not ended.done():
                ended.set_result(None)

        def read() -> None:
            try:
                for body in bodies(stdin, log.error):
                    loop.call_soon_threadsafe(self._receive, body)
                loop.call_soon_threadsafe(end)
            except (RuntimeError, ValueError, OSError):  # the loop or the input was closed: exiting
                return

        threading.Thread(target=read, name="dockerstore-lint-reader", daemon=True).start()
        try:
            await ended
        finally:
            linting.cancel()

    def _receive(self, body: bytes) -> None:
        """Hand one message to pygls; a message that is not one is logged and skipped."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            log.error("skipped a message that is not JSON")
            return
        if not isinstance(data, dict) or "jsonrpc" not in data:
            log.error("skipped a message that is not a JSON-RPC object")
            return
        try:
            message = self.protocol.structure_message(data)
        except JsonRpcException as error:
            method, request_id = data.get("method"), data.get("id")
            log.error("skipped a %s message whose fields are not valid", shorten(str(method), 60))
            if isinstance(method, str) and isinstance(request_id, (int, str)):
                self.protocol._send_response(request_id, error=error.to_response_error())
            return
        self.protocol.handle_message(message)

    def report_server_error(self, error: Exception, source: Optional[ServerErrors]) -> None:
        # pygls shows every error in a pop-up ("Error in server: ..."), for each keystroke; the log is enough,
        # and for a request not even that: its answer says it
        if source is not FeatureRequestError:
            log.error("%s: %s", type(error).__name__, error)

    # --- linting -----------------------------------------------------------------------------------

    @property
    def wake(self) -> asyncio.Event:
        """Set when a document is due."""
        assert self._wake is not None, "not serving"
        return self._wake

    @property
    def worker(self) -> Worker:
        assert self._worker is not None, "not serving"
        return self._worker

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

    def changed(self, uri: str, typed: bool = False) -> None:
        """A document was opened, saved, or edited (`typed`): it is due, and after it the open ones that depend
        on it. Only edits wait for the interval: an open or a save is a single event that wants its answer."""
        due = self._due.get(uri, _Due(False, False))
        self._due[uri] = _Due(True, due.at_once or not typed)
        self.wake.set()

    def closed(self, uri: str) -> None:
        self._due.pop(uri, None)
        self._started.pop(uri, None)
        linted = self.linted.pop(uri, None)
        path = _path(uri)
        if path is not None and self.session is not None:
            self.worker.submit(self.session.close, path)  # after the lints already given, before the next
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        if linted is not None:
            # the file on disk stands in for the buffer again
            self._dependents_due(linted.file)

    async def _lint_due(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self._due:
                await asyncio.sleep(0)  # the messages already read come first: the latest version is linted
                # the due document whose turn comes first: opened or saved, or linted longest ago
                uri = min(self._due, key=self._turn)
                wait = self._turn(uri) + LINT_INTERVAL - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue  # what is due may have changed meanwhile
                due = self._due.pop(uri)
                if not due.at_once:  # the interval paces typing; an open or a save does not hold the next edit
                    self._started[uri] = loop.time()
                try:
                    await self._lint(uri, due.edited)
                except Exception as error:  # noqa: BLE001 - a bug in a lint must not stop the linting
                    self.report_server_error(error, None)

    async def _lint(self, uri: str, edited: bool) -> None:
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            return  # closed since
        version, path = document.version, _path(uri)
        session = self.session or self.start()
        findings: list[types.Diagnostic] = []
        if path is not None and session.lintable(path, document.language_id or ""):
            linted, findings, config_error = await self.worker.submit(
                _lint_buffer, session, path, document.source, self.utf16)
            if self.workspace.text_documents.get(unquote(uri)) is not document or document.version != version:
                return  # edited or closed meanwhile: the lint of the new version is due
            self.linted[uri] = linted
            if config_error and config_error not in self.reported_errors:
                self.reported_errors.add(config_error)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=config_error))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=findings))
        if edited and uri in self.linted:
            self._dependents_due(self.linted[uri].file)

    def _turn(self, uri: str) -> float:
        return NEVER if self._due[uri].at_once else self._started.get(uri, NEVER)

    def _dependents_due(self, file: str) -> None:
        """The other open documents whose last lint read `file` are linted again."""
        for uri, linted in self.linted.items():
            if linted.file != file and file in linted.depends_on:
                self._due.setdefault(uri, _Due(False, False))
        if self._due:
            self.wake.set()


class _Due(NamedTuple):
    edited: bool  # the documents that depend on it are due after it (it changed, rather than what it reads)
    at_once: bool  # opened or saved: not held back by the interval


def _lint_buffer(session: Session, path: Path, text: str,
                 utf16: bool) -> tuple[Linted, list[types.Diagnostic], Optional[str]]:
    """On the worker: the buffer's lint, its diagnostics (positions read from the loader, which only this
    thread touches) and the configuration problem there is, if any."""
    session.update(path, text)
    linted, config_error = session.lint(path)
    return linted, [diagnostic(f, linted, utf16) for f in linted.findings], config_error


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


def _location(span: Span, linted: Linted, utf16: bool) -> types.Location:
    return types.Location(uri=from_fs_path(os.path.abspath(span.file)),
                          range=lsp_range(span, linted.lines_of(span.file)[0], utf16))


def _path(uri: str) -> Optional[Path]:
    """The file behind a document; None for an unsaved new buffer (`untitled:`), which has no project, or
    for a name no file can have."""
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path and "\0" not in path else None


def create_server() -> StorageLanguageServer:
    server = StorageLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StorageLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StorageLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, typed=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: StorageLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StorageLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    return server


class _OneLine(logging.Formatter):
    """A log record as one short line: pygls logs tracebacks, and messages that quote whole documents."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage().split("\n", 1)[0]
        return f"dockerstore-lint server: {record.levelname.lower()}: {shorten(message, 300)}"


def serve() -> int:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.ERROR)  # pygls warns about what editors commonly do (cancelling an answered request)
    return create_server().start_io()


def _code_description(code: str) -> Optional[types.CodeDescription]:
    uri = help_uri_of(code)
    return types.CodeDescription(href=uri) if uri else None
