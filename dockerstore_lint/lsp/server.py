"""`dockerstore-lint server`: a Language Server over stdio: findings as diagnostics, fixes as code actions.

The files the linter reads (Dockerfiles, Compose files, scripts...) are linted on open, change and save,
from the editor's buffer and, for the rest of their projects, from disk (or from other open buffers);
closing a document clears its diagnostics. A document is of the input kind its name says, else of the
one its language id names (an unsaved new buffer has only that). A document gets the findings that
concern it, as `dockerstore-lint check FILE` reports them: the ones located in it, and cross-file ones
located elsewhere that point into it (placed at that point, with the real location as related
information). Open documents whose verdict depended on the edited one are linted again after it, and
all of them when the editor reports a change on disk to the configuration or a project file (the
watcher is registered when the client allows it; without it the configuration is still read again
when its time or size changed, at the next lint).

Diagnostics are pushed (`publishDiagnostics`), or pulled (`textDocument/diagnostic`) by a client that
says it pulls: such a client is not pushed to, since editors keep the two apart and would show each
finding twice; it is asked to pull again (`workspace/diagnostic/refresh`) when a document's verdict
changes without an edit of its own. Hovering a diagnostic shows its rule's documentation. Code actions
(lsp/actions.py): each finding's fix, "Ignore DSLxxx on this line", and `source.fixAll.dockerstore-lint`.

Lints run on a worker thread (lsp/worker.py), never on the event loop that answers requests: an
edit marks its document due; a due document is linted in its latest version, at once if its last
lint started more than LINT_INTERVAL ago, else when that much time has passed, so a burst of
keystrokes costs a lint or two, not one each (an open or a save is linted at once). A result for a
version that was edited meanwhile is not published: the next lint is already due. A request about a
document's findings (code actions, a pull) waits for the lint of the version the document had when it
was asked; hover answers from the last lint, as shown.

The transport is ours (lsp/framing.py): a malformed header or body is logged and skipped, and the
next message read. Before `initialize`, requests are answered with ServerNotInitialized and
notifications dropped; after `shutdown`, requests are answered with InvalidRequest, as the
specification says. What goes wrong is logged on standard error in one line, never as a traceback
or a pop-up. Imported only by the `server` command (pygls is an optional extra).
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
from pygls.capabilities import get_capability
from pygls.exceptions import (
    FeatureRequestError,
    JsonRpcException,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from dockerstore_lint import __version__
from dockerstore_lint.finding import Finding
from dockerstore_lint.lsp.actions import FIX_ALL, KINDS, QUICKFIX, EditOptions, finding_actions, fix_all_action, wanted
from dockerstore_lint.lsp.diagnostics import SOURCE, diagnostic
from dockerstore_lint.lsp.framing import DescriptorReader, bodies
from dockerstore_lint.lsp.session import Linted, Session
from dockerstore_lint.lsp.worker import Worker
from dockerstore_lint.text.elide import shorten

if TYPE_CHECKING:
    from pygls.protocol.json_rpc import RPCMessage
    from pygls.workspace import TextDocument

LINT_INTERVAL = 0.1  # seconds between the starts of two lints of a document being typed in (keys come slower)
NEVER = float("-inf")
UNTITLED = "untitled:"
# the files whose change on disk can change an open document's verdict: the configuration, the variables
# Compose reads, and the files of a project (a Compose file by its content may have any YAML name)
WATCHED = ("**/.dockerstore-lint.{yaml,yml}", "**/pyproject.toml",
           "**/{.env,.env.example,env.example,.env.sample,.env.dist,.env.template}", "**/*.{yml,yaml}",
           "**/{Dockerfile,dockerfile,Containerfile}*", "**/*.{Dockerfile,dockerfile,Containerfile}",
           "**/{devcontainer.json,.devcontainer.json}")
log = logging.getLogger("dockerstore_lint.lsp")
Shown = list[tuple[types.Diagnostic, Finding]]  # each diagnostic shown, with the finding it shows


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
        result = yield from super().lsp_initialize(params)
        result.capabilities.execute_command_provider = None  # pygls announces one, with no command
        return result

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


class Report(NamedTuple):
    """A document's last lint, as the editor gets it."""

    version: int
    serial: int  # which lint of the session: a pull's result id
    linted: Optional[Linted]  # None for a document the linter does not read
    shown: Shown

    @property
    def diagnostics(self) -> list[types.Diagnostic]:
        return [shown for shown, _ in self.shown]


class StorageLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(SOURCE, __version__, protocol_cls=_Protocol)
        self.session: Optional[Session] = None
        self.reports: dict[str, Report] = {}  # uri -> its last lint, for the open documents
        self.reported_errors: set[str] = set()
        self._due: dict[str, _Due] = {}
        self._started: dict[str, float] = {}  # uri -> when its last lint for an edit started (the loop's clock)
        self._linting: Optional[str] = None  # the document being linted
        self._serial = 0
        self._refresh = False  # whether a pulling client is to pull again once the due lints are done
        # made by `_serve` on the loop that serves; read through the properties `_wake`, `_finished` and `_worker`
        self._wake_event: Optional[asyncio.Event] = None
        self._finished_event: Optional[asyncio.Event] = None
        self._serving_worker: Optional[Worker] = None

    # what exists only while the server serves: everything that uses it runs on the serving loop, for a message
    # (which comes only then) or in the linting task

    @property
    def _wake(self) -> asyncio.Event:
        """Set when a document becomes due."""
        assert self._wake_event is not None, "used only while serving"
        return self._wake_event

    @property
    def _finished(self) -> asyncio.Event:
        """Set (and replaced) when a lint ends or a document closes."""
        assert self._finished_event is not None, "used only while serving"
        return self._finished_event

    @property
    def _worker(self) -> Worker:
        """The thread the lints run on."""
        assert self._serving_worker is not None, "used only while serving"
        return self._serving_worker

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
        self._wake_event = asyncio.Event()
        self._finished_event = asyncio.Event()
        self._serving_worker = Worker()
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

    def report_server_error(self, error: Exception, source: Optional[type[Exception]]) -> None:
        # pygls shows every error in a pop-up ("Error in server: ..."), for each keystroke; the log is enough,
        # and for a request not even that: its answer says it (`source` is None for a lint's error)
        if source is not FeatureRequestError:
            log.error("%s: %s", type(error).__name__, error)

    # --- linting -----------------------------------------------------------------------------------

    def start(self) -> Session:
        folders = [Path(p) for p in (to_fs_path(f.uri) for f in self.workspace.folders.values()) if p]
        root = self.workspace.root_path
        if root and os.path.isdir(root):
            # display paths are relative to the current directory, as in a `check` run from the root
            os.chdir(root)
            folders.append(Path(root))
        self.session = Session(Path.cwd(), folders)
        return self.session

    def _capability(self, field: str) -> bool:
        return bool(get_capability(self.client_capabilities, field, None))

    @property
    def utf16(self) -> bool:
        return self.workspace.position_encoding != types.PositionEncodingKind.Utf32

    @property
    def pulls(self) -> bool:
        return self._capability("text_document.diagnostic")

    @property
    def edit_options(self) -> EditOptions:
        return EditOptions(self.utf16, self._capability("workspace.workspace_edit.document_changes"))

    def document_path(self, uri: str) -> Optional[Path]:
        """The file behind a document: an unsaved new buffer (`untitled:`) is taken to be in the root; None for
        another scheme, or a name no file can have."""
        if uri.startswith(UNTITLED):
            return (self.session or self.start()).untitled(unquote(uri[len(UNTITLED):]))
        path = to_fs_path(uri)
        return Path(os.path.abspath(path)) if path and "\0" not in path else None

    def _document(self, uri: str) -> Optional[TextDocument]:
        """The open document, if it is open."""
        documents: dict[str, TextDocument] = self.workspace.text_documents
        return documents.get(unquote(uri))

    def changed(self, uri: str, typed: bool = False) -> None:
        """A document was opened, saved, or edited (`typed`): it is due, and after it the open ones that depend
        on it. Only edits wait for the interval: an open or a save is a single event that wants its answer."""
        due = self._due.get(uri, _Due(False, False))
        self._due[uri] = _Due(True, due.at_once or not typed)
        self._wake.set()

    def closed(self, uri: str) -> None:
        self._due.pop(uri, None)
        self._started.pop(uri, None)
        report = self.reports.pop(uri, None)
        path = self.document_path(uri)
        if path is not None and self.session is not None:
            self._worker.submit(self.session.close, path)  # after the lints already given, before the next
        if not self.pulls:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self._lint_ended()
        if report is not None and report.linted is not None:
            # the file on disk stands in for the buffer again
            self._dependents_due(report.linted.file)

    def files_changed(self, uris: list[str]) -> None:
        """Files changed on disk: every open document is linted again, unless they are all documents linted
        from their open buffers, which stand in for them (a configuration file open in the editor does not)."""
        opened = {self.document_path(uri) for uri, report in self.reports.items() if report.linted is not None}
        paths = [path for path in map(self.document_path, uris) if path is not None and path not in opened]
        if not paths:
            return
        session = self.session or self.start()
        self._worker.submit(session.changed_on_disk, paths)
        for uri in self.reports:
            self._due[uri] = _Due(self._due[uri].edited if uri in self._due else False, True)
        self._wake.set()

    async def _lint_due(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
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
                self._linting = uri
                try:
                    await self._lint(uri, due.edited)
                except Exception as error:  # noqa: BLE001 - a bug in a lint must not stop the linting
                    self.report_server_error(error, None)
                finally:
                    self._linting = None
                    self._lint_ended()
            if self._refresh:
                self._refresh = False
                if self._capability("workspace.diagnostics.refresh_support"):
                    self.workspace_diagnostic_refresh(None)

    async def _lint(self, uri: str, edited: bool) -> None:
        document = self._document(uri)
        if document is None:
            return  # closed since
        version, path, language = _version(document), self.document_path(uri), document.language_id or ""
        session = self.session or self.start()
        linted: Optional[Linted] = None
        shown: Shown = []
        if path is not None and session.lintable(path, language):
            linted, shown, config_error = await self._worker.submit(
                _lint_buffer, session, path, document.source, language, version, uri, self.utf16)
            if self._document(uri) is not document or document.version != version:
                return  # edited or closed meanwhile: the lint of the new version is due
            if config_error and config_error not in self.reported_errors:
                self.reported_errors.add(config_error)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=config_error))
        self._serial += 1
        report = Report(version, self._serial, linted, shown)
        previous = self.reports.get(uri)
        self.reports[uri] = report
        if not self.pulls:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=report.diagnostics))
        elif previous is not None and previous.version == version and previous.diagnostics != report.diagnostics:
            self._refresh = True  # the client pulled this version already, and has no reason to pull it again
        if edited and linted is not None:
            self._dependents_due(linted.file)

    def _turn(self, uri: str) -> float:
        return NEVER if self._due[uri].at_once else self._started.get(uri, NEVER)

    def _dependents_due(self, file: str) -> None:
        """The other open documents whose last lint read `file` are linted again."""
        for uri, report in self.reports.items():
            linted = report.linted
            if linted is not None and linted.file != file and file in linted.depends_on:
                self._due.setdefault(uri, _Due(False, False))
        if self._due:
            self._wake.set()

    def _lint_ended(self) -> None:
        self._finished.set()
        self._finished_event = asyncio.Event()

    async def settled(self, uri: str) -> Optional[Report]:
        """The document's last lint, once it is of the version the document has now (or a later one); None when
        the document is closed, or its lint failed."""
        document = self._document(uri)
        if document is None:
            return None
        asked = _version(document)
        while True:
            report = self.reports.get(uri)
            if report is not None and report.version >= asked:
                return report
            if self._document(uri) is None or (uri not in self._due and self._linting != uri):
                return None
            await self._finished.wait()

    # --- requests ----------------------------------------------------------------------------------

    async def code_actions(self, params: types.CodeActionParams) -> Optional[list[types.CodeAction]]:
        uri, context = params.text_document.uri, params.context
        report = await self.settled(uri)
        if report is None or report.linted is None:
            return None
        path = self.document_path(uri)
        actions: list[types.CodeAction] = []
        if wanted(context.only, QUICKFIX):
            shown = [(d, finding) for d, finding in report.shown
                     if any(_same(d, asked) for asked in context.diagnostics)]
            if shown:
                actions += await self._worker.submit(_quick_fixes, self.session, path, report, shown,
                                                     self.edit_options)
        # on save, or asked for by kind or by hand (the light bulb asks on its own, for every cursor move)
        asked = wanted(context.only, FIX_ALL) if context.only is not None \
            else context.trigger_kind == types.CodeActionTriggerKind.Invoked
        if asked and any(f.fix is not None and f.fix.applies(False) for _, f in report.shown):
            document = self._document(uri)
            if document is not None:
                action = await self._worker.submit(_fix_all, self.session, path, document.source,
                                                   document.language_id or "", _version(document), uri,
                                                   self.edit_options)
                if action is not None:
                    actions.append(action)
        return actions or None

    def hover(self, params: types.HoverParams) -> Optional[types.Hover]:
        """The documentation of the rules of the diagnostics under the cursor, as they were last shown."""
        from dockerstore_lint.docs import rule_text

        report = self.reports.get(params.text_document.uri)
        if report is None:
            return None
        under = [d for d in report.diagnostics if _within(params.position, d.range)]
        texts = [text for text in (rule_text(str(code)) for code in dict.fromkeys(d.code for d in under)) if text]
        if not texts:
            return None
        formats = get_capability(self.client_capabilities, "text_document.hover.content_format", None)
        kind = types.MarkupKind.Markdown if not formats or types.MarkupKind.Markdown in formats \
            else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value="\n\n---\n\n".join(texts)),
                           range=under[0].range)

    async def pulled(self, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        report = await self.settled(params.text_document.uri)
        if report is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = str(report.serial)
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=report.diagnostics, result_id=result_id)

    async def watch_files(self) -> None:
        """Ask the client to report changes on disk to the files in WATCHED, if it can be asked."""
        if not self._capability("workspace.did_change_watched_files.dynamic_registration"):
            return
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        try:
            await self.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="dockerstore-lint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception as error:  # noqa: BLE001 - a client that refuses: the stamps still catch changes
            log.error("the client did not register the file watcher: %s", error)


class _Due(NamedTuple):
    edited: bool  # the documents that depend on it are due after it (it changed, rather than what it reads)
    at_once: bool  # opened, saved or changed on disk: not held back by the interval


def _version(document: TextDocument) -> int:
    """An open document's version: the editor gives one when it opens the document and with each change."""
    assert document.version is not None, "an open document has a version"
    return document.version


def _lint_buffer(session: Session, path: Path, text: str, language: str, version: int, uri: str,
                 utf16: bool) -> tuple[Linted, Shown, Optional[str]]:
    """On the worker: the buffer's lint, its diagnostics (positions read from the loader, which only this
    thread touches) and the configuration problem there is, if any."""
    session.update(path, text, language, version, uri)
    linted, config_error = session.lint(path)
    return linted, [(diagnostic(f, linted, utf16), f) for f in linted.findings], config_error


def _quick_fixes(session: Session, path: Path, report: Report, shown: Shown,
                 options: EditOptions) -> list[types.CodeAction]:
    """On the worker: the quick fixes of the findings shown as the diagnostics asked about."""
    buffer = session.buffers.get(path)
    if buffer is None or buffer.version != report.version or report.linted is None:
        return []  # edited since: the lines read are no longer those the findings were placed in
    actions: dict[str, types.CodeAction] = {}
    for d, finding in shown:
        for action in finding_actions(finding, d, report.linted, options):
            actions.setdefault(action.title, action)  # "Ignore DSL102 on this line" for two findings on one line
    return list(actions.values())


def _fix_all(session: Session, path: Path, text: str, language: str, version: int, uri: str,
             options: EditOptions) -> Optional[types.CodeAction]:
    """On the worker: every safe fix of the buffer as one action, or None when there is nothing to fix."""
    session.update(path, text, language, version, uri)
    fixed = session.fix_all(path)
    return fix_all_action(uri, version, *fixed, options) if fixed is not None else None


def _same(shown: types.Diagnostic, asked: types.Diagnostic) -> bool:
    """Whether a diagnostic a client sends back is one it was given (clients may drop other fields)."""
    return (shown.range, shown.code, shown.message) == (asked.range, asked.code, asked.message)


def _within(position: types.Position, span: types.Range) -> bool:
    at = (position.line, position.character)
    return (span.start.line, span.start.character) <= at <= (span.end.line, span.end.character)


def create_server() -> StorageLanguageServer:
    server = StorageLanguageServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: StorageLanguageServer, params: types.InitializedParams) -> None:
        await ls.watch_files()

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

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: StorageLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.files_changed([change.uri for change in params.changes])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=KINDS))
    async def code_action(ls: StorageLanguageServer,
                          params: types.CodeActionParams) -> Optional[list[types.CodeAction]]:
        return await ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: StorageLanguageServer, params: types.HoverParams) -> Optional[types.Hover]:
        return ls.hover(params)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=True,
                                            workspace_diagnostics=False))
    async def pull_diagnostics(ls: StorageLanguageServer,
                               params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        return await ls.pulled(params)

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

