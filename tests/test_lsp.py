"""`dockerstore-lint server` driven by a real LSP client (pygls') over stdio, as an editor runs it.

Each test starts the server as a child process, initializes it, sends document notifications and
reads the `textDocument/publishDiagnostics` notifications that come back; the transport tests write
bytes to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from tests.lsp_client import TIMEOUT, codes, editor, run, server_command

CLEAN = "FROM alpine:3.20\nUSER 65532\n"
WITH_VOLUME = "FROM alpine:3.20\nUSER 65532\nVOLUME /data\n"
NODE_DOCKERFILE = ("FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
                   "COPY . .\nUSER node\n")
COMPOSE_CLEAN = "services:\n  web:\n    build: .\n"
# the live-reload bind mount hides the node_modules that `npm ci` installed in the image (DSL301)
COMPOSE_BIND = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"


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
                                                                  types.DiagnosticSeverity.Information)
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


# --- the transport, byte by byte -------------------------------------------------------------------

class RawServer:
    """The server over stdio, written to as bytes and read as framed JSON messages."""

    def __init__(self, cwd: Path):
        self.process = subprocess.Popen(server_command(), cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.messages: "queue.Queue[dict]" = queue.Queue()
        self.notifications: list[dict] = []  # those read while waiting for an answer
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line == b"\r\n":
                    break
            self.messages.put(json.loads(stream.read(length)))

    def send(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def request(self, request_id, method: str, params=None, pad: int = 0) -> None:
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None or pad:
            message["params"] = params if params is not None else {"pad": "x" * pad}
        self.send(frame(message))

    def notify(self, method: str, params=None) -> None:
        self.send(frame({"jsonrpc": "2.0", "method": method, **({"params": params} if params is not None else {})}))

    def answer(self, request_id, timeout: float = TIMEOUT) -> dict:
        """The response to `request_id`; the notifications before it are kept in `notifications`."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if message.get("id") == request_id and "method" not in message:
                return message
            self.notifications.append(message)

    def published(self, uri: str, version: int) -> list[dict]:
        """The diagnostics published for `uri` at `version` (publishes of other versions are kept)."""
        while True:
            message = self.messages.get(timeout=TIMEOUT)
            self.notifications.append(message)
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri \
                    and params.get("version") == version:
                return params["diagnostics"]

    def start(self, root: Path) -> None:
        self.request(0, "initialize", {**INITIALIZE, "rootUri": root.as_uri()})
        self.answer(0)
        self.notify("initialized", {})

    def open(self, path: Path, text: str, language: str) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                                              "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": start[0], "character": start[1]},
                                          "end": {"line": end[0], "character": end[1]}}, "text": text}]})

    def finish(self) -> tuple[int, str]:
        """Close the input; the exit status and what was written on standard error."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self.process.stdin.close()
        status = self.process.wait(TIMEOUT)
        return status, self.process.stderr.read().decode("utf-8", "replace")


def frame(message: dict, length: Optional[str] = None) -> bytes:
    body = json.dumps(message).encode()
    return f"Content-Length: {len(body) if length is None else length}\r\n\r\n".encode() + body


INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}
BROKEN_FRAMES = {
    "a length of 20 digits": b"Content-Length: 99999999999999999999\r\n\r\n{}",
    "a negative length": b"Content-Length: -1\r\n\r\n{}",
    "a length in exponent form": b"Content-Length: 1e3\r\n\r\n{\"jsonrpc\": \"2.0\"}",
    "a length shorter than the body": frame({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}, length="10"),
    "no header at all": b"{\"jsonrpc\": \"2.0\", \"id\": 98, \"method\": \"shutdown\"}\r\n",
    "a body that is not JSON": b"Content-Length: 5\r\n\r\nhello",
    "a body that is a JSON list": b"Content-Length: 6\r\n\r\n[1, 2]",
    "a JSON nested 100,000 deep": b"Content-Length: 200000\r\n\r\n" + b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(BROKEN_FRAMES))
def test_a_broken_frame_is_skipped_and_the_next_message_answered(name, tmp_path):
    server = RawServer(tmp_path)
    server.send(BROKEN_FRAMES[name])
    server.request(1, "initialize", INITIALIZE)
    assert "capabilities" in server.answer(1)["result"]
    server.request(2, "shutdown")
    assert server.answer(2)["result"] is None
    server.notify("exit")
    status, stderr = server.finish()
    assert status == 0
    assert "Traceback" not in stderr and stderr.count("\n") <= 3, stderr
    assert stderr.startswith("dockerstore-lint server: error: skip"), stderr
    assert not [m for m in server.notifications if m.get("method") == "window/showMessage"]


def test_requests_before_initialize_are_refused_and_notifications_dropped(tmp_path):
    (tmp_path / "Dockerfile").write_text(WITH_VOLUME)
    server = RawServer(tmp_path)
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": (tmp_path / "Dockerfile").as_uri(), "languageId": "dockerfile", "version": 1, "text": WITH_VOLUME}})
    server.request(1, "shutdown")
    assert server.answer(1)["error"]["code"] == -32002  # ServerNotInitialized
    server.request(2, "textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                              "position": {"line": 0, "character": 0}})
    assert server.answer(2)["error"]["code"] == -32002
    server.notify("exit")  # without shutdown: exit status 1, as the specification says
    status, stderr = server.finish()
    assert (status, stderr) == (1, "")
    assert server.notifications == []  # the didOpen before initialize was dropped, not linted


def test_requests_after_shutdown_are_answered_with_invalid_request(tmp_path):
    server = RawServer(tmp_path)
    server.request(1, "initialize", INITIALIZE)
    server.answer(1)
    server.request(2, "shutdown")
    server.answer(2)
    server.request(3, "shutdown")
    assert server.answer(3)["error"]["code"] == -32600
    server.notify("exit")
    assert server.finish() == (0, "")


FRAME_PIECES = st.one_of(
    st.builds(lambda value: b"Content-Length: " + value + b"\r\n", st.one_of(
        st.integers(-5, 999).map(lambda n: str(n).encode()),
        st.sampled_from([b"", b"1e3", b"0x10", b" 12 ", b"99999999999999999999", "１２".encode()]),
        st.binary(max_size=3))),
    st.just(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"),
    st.just(b"\r\n"),
    st.binary(max_size=200),
    st.builds(lambda value: json.dumps(value).encode(), st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
            ["jsonrpc", "id", "method", "params", "result", "x"]), inner, max_size=4), max_leaves=8)),
)


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    server = RawServer(tmp_path_factory.mktemp("framing"))
    yield server
    status, stderr = server.finish()
    assert "Traceback" not in stderr, stderr
    assert status == 1  # the input ended without shutdown and exit


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(FRAME_PIECES, max_size=8))
def test_any_bytes_then_a_request_the_server_answers_it(shared_server, pieces):
    """Whatever came before (a valid length is at most 999 here), one of the next requests is answered:
    the server neither died, nor hangs, nor stays deaf."""
    shared_server.send(b"".join(pieces))
    probe = f"probe-{time.monotonic_ns()}"
    for _ in range(3):  # each probe is 1,000 bytes: a length read from the noise swallows at most one
        shared_server.request(probe, "dockerstore-lint/probe", pad=1000)
    # not initialized (unless the noise was an initialize request): refused, but answered
    answer = shared_server.answer(probe)
    assert answer.get("error", {}).get("code") in (-32002, -32601), answer
    assert shared_server.process.poll() is None


def big_compose(services: int) -> str:
    return "services:\n" + "".join(f"  s{i}:\n    image: postgres:16\n    volumes: [data{i}:/var/lib/postgresql/data]\n"
                                   for i in range(services)) + "# end\n"


def test_a_burst_of_edits_costs_a_lint_or_two_and_requests_are_answered_meanwhile(tmp_path):
    """200 keystrokes on a 100 KB Compose file, then a request: the request is answered before the lint of the
    last keystroke is published (was: after 200 lints, two minutes), and that lint is of the last version."""
    text = big_compose(1400)
    assert len(text) > 100_000
    (tmp_path / "compose.yaml").write_text(text)
    server = RawServer(tmp_path)
    server.start(tmp_path)
    uri = server.open(tmp_path / "compose.yaml", text, "dockercompose")
    assert server.published(uri, 1)
    last_line = text.count("\n") - 1
    for version in range(2, 202):  # typing at the end of the last comment
        column = len("# end") + version - 2
        server.change(uri, version, "x", (last_line, column), (last_line, column))
    server.request("during", "textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": 0, "character": 0}})
    assert server.answer("during")["result"] is None  # no diagnostic there to document, but answered
    assert not [m for m in server.notifications if (m.get("params") or {}).get("version") == 201]
    assert server.published(uri, 201)
    publishes = [m for m in server.notifications if m.get("method") == "textDocument/publishDiagnostics"]
    assert len(publishes) <= 4, [m["params"]["version"] for m in publishes]
    server.request("end", "shutdown")
    server.answer("end")
    server.notify("exit")
    assert server.finish() == (0, "")


def test_a_lone_surrogate_in_a_buffer_is_linted_and_positioned(tmp_path):
    """An edit that split a UTF-16 pair leaves half of it in the buffer: was a UnicodeEncodeError, an "Error in
    server" pop-up and the old diagnostics left in place."""
    text = 'services:\n  app:\n    image: busybox\n    volumes: ["/\ud83ddata"]\n'
    server = RawServer(tmp_path)
    server.start(tmp_path)
    uri = server.open(tmp_path / "compose.yaml", text, "dockercompose")
    [anonymous] = [d for d in server.published(uri, 1) if d["code"] == "DSL102"]
    line = text.split("\n")[3]
    start = line.index('"')
    assert anonymous["range"] == {"start": {"line": 3, "character": start},
                                  "end": {"line": 3, "character": start + len('"/\ud83ddata"')}}
    # an edit past the end of a line and past the end of the document is clamped to them, as LSP says
    server.change(uri, 2, "\n  db:\n    image: postgres:16\n", (99, 99), (99, 99))
    server.change(uri, 3, " ", (0, 999), (0, 999))
    assert [d["range"]["start"]["line"] for d in server.published(uri, 3) if "service 'db'" in d["message"]] == [6]
    server.request(1, "shutdown")
    server.answer(1)
    server.notify("exit")
    assert server.finish() == (0, "")
    assert not [m for m in server.notifications if m.get("method") == "window/showMessage"]
