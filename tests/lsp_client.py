"""A real LSP client (pygls') that drives `dockerstore-lint server` over stdio as an editor does: it opens,
changes, saves and closes documents, reads what is published, asks for code actions, hovers and pulls,
and applies the edits it is given to its own copy of each document, as an editor applies them."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import sys
from pathlib import Path
from typing import Optional

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import to_fs_path

TIMEOUT = 30


def server_command() -> list[str]:
    """The console script next to this Python, as editors start it."""
    script = shutil.which("dockerstore-lint", path=str(Path(sys.executable).parent))
    return [script, "server"] if script else [sys.executable, "-m", "dockerstore_lint", "server"]


class Client(LanguageClient):
    def __init__(self):
        super().__init__("dockerstore-lint-tests", "1")
        self.inbox: dict[str, asyncio.Queue] = {}
        self.registrations: list[types.Registration] = []
        self.refreshes: asyncio.Queue = asyncio.Queue()
        self.exit_status: Optional[int] = None

    async def server_exit(self, server):
        self.exit_status = server.returncode

    def queue(self, uri: str) -> asyncio.Queue:
        return self.inbox.setdefault(uri, asyncio.Queue())


class Editor:
    """What an editor does: open, change, save and close documents, and read what gets published."""

    def __init__(self, client: Client, root: Path, capabilities: types.ServerCapabilities):
        self.client = client
        self.root = root
        self.capabilities = capabilities
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def uri(self, name: str) -> str:
        return name if name.startswith("untitled:") else (self.root / name).as_uri()

    def open(self, name: str, text: str, language: str = "dockerfile") -> str:
        uri = self.uri(name)
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, name: str, text: str) -> str:
        return self._change(self.uri(name), text)

    def _change(self, uri: str, text: str) -> str:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))
        return uri

    def save(self, name: str) -> str:
        uri = self.uri(name)
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
        return uri

    def close(self, name: str) -> str:
        uri = self.uri(name)
        self.versions.pop(uri)
        self.texts.pop(uri)
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
        return uri

    async def published(self, uri: str, closed: bool = False) -> list:
        """The diagnostics of the next publish for `uri` at its current version (or after close)."""
        while True:
            params = await asyncio.wait_for(self.client.queue(uri).get(), TIMEOUT)
            if closed or params.version == self.versions.get(uri):
                return list(params.diagnostics)

    async def actions(self, uri: str, diagnostics: list, only: Optional[list[str]] = None,
                      invoked: bool = False) -> list[types.CodeAction]:
        whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
        context = types.CodeActionContext(diagnostics=diagnostics, only=only, trigger_kind=(
            types.CodeActionTriggerKind.Invoked if invoked else types.CodeActionTriggerKind.Automatic))
        found = await asyncio.wait_for(self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range if diagnostics else whole, context=context)), TIMEOUT)
        return list(found or [])

    async def hover(self, uri: str, line: int, character: int) -> Optional[types.Hover]:
        return await asyncio.wait_for(self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character))), TIMEOUT)

    async def pull(self, uri: str, previous: Optional[str] = None):
        return await asyncio.wait_for(self.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous)), TIMEOUT)

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Make the edits, as an editor applies a code action: in the open documents (refused for a version
        that is not the document's), or in the files on disk; each changed open document is sent."""
        changes = [(change.text_document.uri, change.text_document.version, change.edits)
                   for change in edit.document_changes or []]
        changes += [(uri, None, edits) for uri, edits in (edit.changes or {}).items()]
        opened = {to_fs_path(uri) or uri: uri for uri in self.texts}
        for uri, version, edits in changes:
            path = to_fs_path(uri) or uri
            if path in opened:
                uri = opened[path]
                assert version is None or version == self.versions[uri], "an edit of another version"
                self._change(uri, apply_edits(self.texts[uri], edits, self.utf16))
            else:
                Path(path).write_bytes(apply_edits(Path(path).read_bytes().decode(), edits, self.utf16).encode())

    @property
    def utf16(self) -> bool:
        return self.capabilities.position_encoding != types.PositionEncodingKind.Utf32


def apply_edits(text: str, edits: list[types.TextEdit], utf16: bool = True) -> str:
    """`text` with LSP text edits made, as the specification says: every range is of the text before the edits,
    lines end at `\\n`, `\\r\\n` or `\\r`, characters count UTF-16 units (or code points)."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]

    def offset(position: types.Position) -> int:
        if position.line >= len(starts):
            return len(text)
        start = starts[position.line]
        end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
        line = text[start:end].rstrip("\r\n")
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return start + index
            units += 2 if utf16 and ord(char) > 0xFFFF else 1
        return start + len(line)

    placed = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits),
                    key=lambda placed: placed[:2], reverse=True)
    for start, end, new_text in placed:
        text = text[:start] + new_text + text[end:]
    return text


@contextlib.asynccontextmanager
async def editor(root: Path, encodings: Optional[list[str]] = None, pulls: bool = False,
                 versioned_edits: bool = True, env: Optional[dict[str, str]] = None):
    """An editor on `root`. It takes edits with versions (`documentChanges`) unless told otherwise, registers
    watchers, and pulls diagnostics when `pulls` (then it is not pushed to)."""
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        client.queue(params.uri).put_nowait(params)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    @client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
    def on_refresh(params: None) -> None:
        client.refreshes.put_nowait(True)

    command = server_command()
    await client.start_io(command[0], *command[1:], cwd=str(root), env=env)
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            diagnostic=types.DiagnosticClientCapabilities() if pulls else None,
            code_action=types.CodeActionClientCapabilities(),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown])),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=versioned_edits),
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)))
    result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=capabilities, root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="test")])), TIMEOUT)
    client.initialized(types.InitializedParams())
    session = Editor(client, root, result.capabilities)
    try:
        yield session
    finally:
        if client.exit_status is None:
            await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
            client.exit(None)
        await asyncio.wait_for(client.stop(), TIMEOUT)


def run(scenario) -> None:
    asyncio.run(scenario)


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]
