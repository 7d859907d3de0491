"""`dockerstore-lint server` driven by a real LSP client (pygls') over stdio, as an editor runs it.

Each test starts the server as a child process, initializes it, sends document notifications and
reads the `textDocument/publishDiagnostics` notifications that come back.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

TIMEOUT = 30
CLEAN = "FROM alpine:3.20\nUSER 65532\n"
WITH_VOLUME = "FROM alpine:3.20\nUSER 65532\nVOLUME /data\n"
NODE_DOCKERFILE = ("FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
                   "COPY . .\nUSER node\n")
COMPOSE_CLEAN = "services:\n  web:\n    build: .\n"
# the live-reload bind mount hides the node_modules that `npm ci` installed in the image (DSL301)
COMPOSE_BIND = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"


def server_command() -> list[str]:
    """The console script next to this Python, as editors start it."""
    script = shutil.which("dockerstore-lint", path=str(Path(sys.executable).parent))
    return [script, "server"] if script else [sys.executable, "-m", "dockerstore_lint", "server"]


class Client(LanguageClient):
    def __init__(self):
        super().__init__("dockerstore-lint-tests", "1")
        self.inbox: dict[str, asyncio.Queue] = {}
        self.exit_status: Optional[int] = None

    async def server_exit(self, server):
        self.exit_status = server.returncode

    def queue(self, uri: str) -> asyncio.Queue:
        return self.inbox.setdefault(uri, asyncio.Queue())


class Editor:
    """What an editor does: open, change, save and close documents, and read what gets published."""

    def __init__(self, client: Client, root: Path):
        self.client = client
        self.root = root
        self.versions: dict[str, int] = {}

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str, language: str = "dockerfile") -> str:
        uri = self.uri(name)
        self.versions[uri] = 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, name: str, text: str) -> str:
        uri = self.uri(name)
        self.versions[uri] += 1
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
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
        return uri

    async def published(self, uri: str, closed: bool = False) -> list:
        """The diagnostics of the next publish for `uri` at its current version (or after close)."""
        while True:
            params = await asyncio.wait_for(self.client.queue(uri).get(), TIMEOUT)
            if closed or params.version == self.versions.get(uri):
                return list(params.diagnostics)


@contextlib.asynccontextmanager
async def editor(root: Path, encodings: Optional[list[str]] = None):
    client = Client()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        client.queue(params.uri).put_nowait(params)

    command = server_command()
    await client.start_io(command[0], *command[1:], cwd=str(root))
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)))
    result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=capabilities, root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="test")])), TIMEOUT)
    client.initialized(types.InitializedParams())
    session = Editor(client, root)
    session.capabilities = result.capabilities
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


def test_acceptance_open_change_shutdown_exit(tmp_path):
    """didOpen of a Dockerfile with VOLUME gets DSL101 at its path; a didChange without it clears
    the diagnostics; shutdown and exit end the process."""
    (tmp_path / "Dockerfile").write_text(WITH_VOLUME)

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", WITH_VOLUME)
            [found] = await session.published(uri)
            line = WITH_VOLUME.split("\n").index("VOLUME /data")
            start = "VOLUME /data".index("/data")
            assert (found.code, found.source, found.severity) == ("DSL101", "dockerstore-lint",
                                                                  types.DiagnosticSeverity.Warning)
            assert found.range == types.Range(start=types.Position(line=line, character=start),
                                              end=types.Position(line=line, character=start + len("/data")))
            assert found.code_description.href.endswith("/docs/rules/DSL101.md")
            assert "anonymous volume" in found.message
            session.change("Dockerfile", CLEAN)
            assert await session.published(uri) == []
            await asyncio.wait_for(session.client.shutdown_async(None), TIMEOUT)
            session.client.exit(None)
            for _ in range(TIMEOUT * 10):
                if session.client.exit_status is not None:
                    break
                await asyncio.sleep(0.1)
            assert session.client.exit_status == 0

    run(scenario())


def test_save_publishes_and_close_clears(tmp_path):
    (tmp_path / "Dockerfile").write_text(CLEAN)

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", CLEAN)
            assert await session.published(uri) == []
            session.change("Dockerfile", WITH_VOLUME)
            assert codes(await session.published(uri)) == ["DSL101"]
            (tmp_path / "Dockerfile").write_text(WITH_VOLUME)
            session.save("Dockerfile")
            assert codes(await session.published(uri)) == ["DSL101"]
            session.close("Dockerfile")
            assert await session.published(uri, closed=True) == []

    run(scenario())


@pytest.mark.parametrize("encodings, chosen, units", [
    (None, types.PositionEncodingKind.Utf16, 2),
    (["utf-16"], types.PositionEncodingKind.Utf16, 2),
    (["utf-8", "utf-16", "utf-32"], types.PositionEncodingKind.Utf32, 1),
])
def test_positions_after_an_astral_character(tmp_path, encodings, chosen, units):
    """An emoji is one code point but two UTF-16 units: UTF-32 is chosen when offered, else UTF-16."""
    text = 'FROM alpine:3.20\nUSER 65532\nVOLUME ["/😀", "/data"]\n'

    async def scenario():
        async with editor(tmp_path, encodings) as session:
            assert session.capabilities.position_encoding == chosen
            uri = session.open("Dockerfile", text)
            found = sorted(await session.published(uri), key=lambda d: d.range.start.character)
            line = text.split("\n")[2]
            first, second = line.index('"/😀"'), line.index('"/data"')  # in code points
            extra = units - 1  # the emoji's second UTF-16 unit
            assert [(d.range.start.line, d.range.start.character, d.range.end.character) for d in found] == [
                (2, first, first + len('"/😀"') + extra),
                (2, second + extra, second + len('"/data"') + extra),
            ]

    run(scenario())


def test_an_unsaved_compose_buffer_counts_for_its_dockerfile(tmp_path):
    """The compose buffer binds over what `npm ci` installs, on disk it does not: the open Dockerfile
    is judged with the buffer, and published again when the buffer changes or closes."""
    (tmp_path / "Dockerfile").write_text(NODE_DOCKERFILE)
    (tmp_path / "compose.yaml").write_text(COMPOSE_CLEAN)

    async def scenario():
        async with editor(tmp_path) as session:
            compose = session.open("compose.yaml", COMPOSE_BIND, language="yaml")
            [hidden] = [d for d in await session.published(compose) if d.code == "DSL301"]
            assert hidden.range.start == types.Position(line=4, character=8)
            dockerfile = session.open("Dockerfile", NODE_DOCKERFILE)
            [pointing] = [d for d in await session.published(dockerfile) if d.code == "DSL301"]
            # shown at the RUN that installed node_modules, pointing at the mount in compose.yaml
            assert pointing.range.start.line == NODE_DOCKERFILE.split("\n").index("RUN npm ci")
            assert pointing.related_information[0].location.uri == compose
            assert pointing.related_information[0].location.range.start == types.Position(line=4, character=8)
            session.change("compose.yaml", COMPOSE_CLEAN)
            assert "DSL301" not in codes(await session.published(compose))
            assert "DSL301" not in codes(await session.published(dockerfile))
            session.change("compose.yaml", COMPOSE_BIND)
            assert "DSL301" in codes(await session.published(compose))
            assert "DSL301" in codes(await session.published(dockerfile))
            session.close("compose.yaml")
            assert await session.published(compose, closed=True) == []
            # the file on disk has no bind mount
            assert "DSL301" not in codes(await session.published(dockerfile))

    run(scenario())


def test_an_edit_on_disk_of_another_file_is_seen_on_save(tmp_path):
    (tmp_path / "Dockerfile").write_text(NODE_DOCKERFILE)
    (tmp_path / "compose.yaml").write_text(COMPOSE_CLEAN)

    async def scenario():
        async with editor(tmp_path) as session:
            dockerfile = session.open("Dockerfile", NODE_DOCKERFILE)
            assert "DSL301" not in codes(await session.published(dockerfile))
            (tmp_path / "compose.yaml").write_text(COMPOSE_BIND)  # say, by a `git checkout`
            session.save("Dockerfile")
            assert "DSL301" in codes(await session.published(dockerfile))

    run(scenario())


def test_the_configuration_is_honoured_and_reloaded(tmp_path):
    config = tmp_path / ".dockerstore-lint.yaml"
    config.write_text("ignore: [DSL101]\n")
    (tmp_path / "Dockerfile").write_text(WITH_VOLUME)

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", WITH_VOLUME)
            assert await session.published(uri) == []
            config.write_text("levels:\n  DSL101: error\n")
            session.save("Dockerfile")
            [found] = await session.published(uri)
            assert (found.code, found.severity) == ("DSL101", types.DiagnosticSeverity.Error)

    run(scenario())


def test_other_yaml_files_get_no_diagnostics(tmp_path):
    text = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - /var/lib/postgresql/data\n"

    async def scenario():
        async with editor(tmp_path) as session:
            assert await session.published(session.open("values.yaml", text, language="yaml")) == []
            assert codes(await session.published(session.open("compose.yaml", text, language="yaml"))) != []

    run(scenario())


def test_without_pygls_the_server_command_says_what_to_install(tmp_path):
    probe = ("import sys; sys.modules['pygls'] = None; sys.argv = ['dockerstore-lint', 'server']\n"
             "from dockerstore_lint.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", probe], check=False, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'dockerstore-lint[lsp]'" in done.stderr


def test_an_edit_reads_and_parses_only_the_edited_buffer(tmp_path, monkeypatch):
    """In the server's session, files not edited stay read and parsed between lints."""
    import dockerstore_lint.inputs.dockerfile.parse as dockerfile_parser
    from dockerstore_lint import loader as workspace
    from dockerstore_lint.lsp.session import Session

    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text(NODE_DOCKERFILE)
    (tmp_path / "worker.Dockerfile").write_text(CLEAN)
    compose = "services:\n  web:\n    build: ./api\n  worker:\n    build:\n      context: .\n" \
              "      dockerfile: worker.Dockerfile\n"
    (tmp_path / "compose.yaml").write_text(compose)
    monkeypatch.chdir(tmp_path)
    session = Session(tmp_path, [tmp_path])
    session.update(tmp_path / "compose.yaml", compose)
    first, _ = session.lint(tmp_path / "compose.yaml")
    assert "DSL301" not in codes(first.findings)

    reads, parses = [], []
    read_source, parse_dockerfile = workspace.read_source, dockerfile_parser.parse_dockerfile
    monkeypatch.setattr(workspace, "read_source", lambda path, *a: reads.append(path) or read_source(path, *a))
    monkeypatch.setattr(dockerfile_parser, "parse_dockerfile",
                        lambda source: parses.append(source.file) or parse_dockerfile(source))
    compose = compose.replace("build: ./api\n", "build: ./api\n    volumes:\n      - ./api:/app\n")
    session.update(tmp_path / "compose.yaml", compose)
    second, _ = session.lint(tmp_path / "compose.yaml")
    assert "DSL301" in codes(second.findings)
    assert (reads, parses) == ([], [])  # both Dockerfiles came from the cache

    session.update(tmp_path / "api" / "Dockerfile", NODE_DOCKERFILE.replace("RUN npm ci", "RUN true"))
    third, _ = session.lint(tmp_path / "api" / "Dockerfile")
    assert "DSL301" not in codes(third.findings)
    assert (reads, parses) == ([], ["api/Dockerfile"])

    (tmp_path / "worker.Dockerfile").write_text(CLEAN + "VOLUME /data\n")  # changed on disk
    session.lint(tmp_path / "compose.yaml")
    assert (reads, parses) == ([tmp_path / "worker.Dockerfile"], ["api/Dockerfile", "worker.Dockerfile"])
