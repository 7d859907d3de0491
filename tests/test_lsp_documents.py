"""`dockerstore-lint server` with a real LSP client: which documents it reads (by name, else by the language id
editors send, untitled buffers too), what it announces, reloading on changes the editor sees on disk, hover,
pulled diagnostics, and the variables of the configuration."""

from __future__ import annotations

import asyncio
import os

from lsprotocol import types

from tests.lsp_client import TIMEOUT, codes, editor, run

WITH_VOLUME = "FROM alpine:3.20\nUSER 65532\nVOLUME /data\n"
ANONYMOUS = "services:\n  app:\n    image: redis:7\n    volumes:\n      - /data\n"
RUN = "docker run -v /data redis:7\n"
NODE_DOCKERFILE = ("FROM node:20-alpine\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
                   "COPY . .\nUSER node\n")
COMPOSE_CLEAN = "services:\n  web:\n    build: .\n"
COMPOSE_BIND = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n"

# (name, language id the editor sends, text, codes): a name a kind claims decides whatever the language;
# else the language id does, when it names a kind (`yaml` and `json` do not); the CI job runs on a self-hosted
# runner, whose containers outlive the job (a hosted runner's are throwaway)
DOCUMENTS = [
    ("stack.yml", "dockercompose", ANONYMOUS, ["DSL102"]),
    ("prod.yml", "yaml.docker-compose", ANONYMOUS, ["DSL102"]),
    ("deploy.yml", "compose", ANONYMOUS, ["DSL102"]),
    ("compose.yaml", "yaml", ANONYMOUS, ["DSL102"]),
    ("values.yaml", "yaml", ANONYMOUS, []),
    ("build.txt", "containerfile", WITH_VOLUME, ["DSL101"]),
    ("Containerfile", "plaintext", WITH_VOLUME, ["DSL101"]),
    ("run-db", "shellscript", RUN, ["DSL102"]),
    ("tasks", "makefile", "run:\n\t" + RUN, ["DSL102"]),
    ("start.txt", "powershell", RUN, ["DSL102"]),
    ("notes.txt", "markdown", "```sh\n" + RUN + "```\n", ["DSL102"]),
    (".devcontainer/devcontainer.json", "jsonc", '{"image": "redis:7", "runArgs": ["-v", "/data"]}\n', ["DSL102"]),
    ("tsconfig.json", "jsonc", '{"image": "redis:7", "runArgs": ["-v", "/data"]}\n', []),
    ("ci.yml", "github-actions-workflow", "on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n"
                                          "      - run: " + RUN, ["DSL102"]),
    ("untitled:Untitled-1", "dockerfile", WITH_VOLUME, ["DSL101"]),
    ("untitled:Untitled-2", "yaml.docker-compose", ANONYMOUS, ["DSL102"]),
    ("untitled:Untitled-3", "plaintext", WITH_VOLUME, []),
]


def test_documents_are_read_by_name_else_by_the_language_id_editors_send(tmp_path):
    (tmp_path / ".devcontainer").mkdir()

    async def scenario():
        async with editor(tmp_path) as session:
            uris = [session.open(name, text, language) for name, language, text, _ in DOCUMENTS]
            found = [codes(await session.published(uri)) for uri in uris]
            assert found == [expected for *_, expected in DOCUMENTS]

    run(scenario())


def test_capabilities_and_the_watcher_registered(tmp_path):
    async def scenario():
        async with editor(tmp_path) as session:
            capabilities = session.capabilities
            assert capabilities.execute_command_provider is None
            assert list(capabilities.code_action_provider.code_action_kinds) == ["quickfix",
                                                                                 "source.fixAll.dockerstore-lint"]
            assert capabilities.hover_provider
            assert capabilities.diagnostic_provider.inter_file_dependencies
            for _ in range(TIMEOUT * 10):
                if session.client.registrations:
                    break
                await asyncio.sleep(0.1)
            [registration] = session.client.registrations
            assert registration.method == "workspace/didChangeWatchedFiles"
            patterns = [watcher["globPattern"] for watcher in registration.register_options["watchers"]]
            assert "**/.dockerstore-lint.{yaml,yml}" in patterns and "**/pyproject.toml" in patterns

    run(scenario())


def changed_on_disk(session, *names: str) -> None:
    session.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=(session.root / name).as_uri(), type=types.FileChangeType.Changed) for name in names]))


def test_a_change_on_disk_the_editor_reports_republishes_every_open_document(tmp_path):
    """The configuration is rewritten with the same size and time (what a lint compares): the editor's report
    is what makes it read again; a Compose file changed on disk is seen by the Dockerfile it builds."""
    config = tmp_path / ".dockerstore-lint.yaml"
    config.write_text("ignore: [DSL101]\n")
    (tmp_path / "Dockerfile").write_text(NODE_DOCKERFILE)
    (tmp_path / "compose.yaml").write_text(COMPOSE_CLEAN)

    async def scenario():
        async with editor(tmp_path) as session:
            dockerfile = session.open("Dockerfile", NODE_DOCKERFILE)
            other = session.open("other.Dockerfile", WITH_VOLUME)
            # the configuration open in the editor too: its buffer is not linted, and stands in for nothing
            opened = session.open(".dockerstore-lint.yaml", config.read_text(), language="yaml")
            assert await session.published(dockerfile) == []
            assert await session.published(other) == []
            assert await session.published(opened) == []
            stamp = os.stat(config)
            config.write_text("ignore: [DSL102]\n")
            os.utime(config, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
            changed_on_disk(session, ".dockerstore-lint.yaml")
            assert codes(await session.published(other)) == ["DSL101"]
            assert await session.published(dockerfile) == []
            (tmp_path / "compose.yaml").write_text(COMPOSE_BIND)
            changed_on_disk(session, "compose.yaml")
            assert "DSL301" in codes(await session.published(dockerfile))

    run(scenario())


def test_an_entrypoint_script_changed_on_disk_is_read_again_for_the_dockerfile_that_runs_it(tmp_path):
    text = 'FROM debian:bookworm-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n'
    (tmp_path / "entrypoint.sh").write_text("#!/bin/sh\nexec server\n")

    async def scenario():
        async with editor(tmp_path) as session:
            dockerfile = session.open("Dockerfile", text)
            assert codes(await session.published(dockerfile)) == ["DSL202"]
            (tmp_path / "entrypoint.sh").write_text('#!/bin/sh\nexec gosu app "$@"\n')
            changed_on_disk(session, "entrypoint.sh")
            assert await session.published(dockerfile) == []

    run(scenario())


def test_hover_on_a_diagnostic_shows_its_rule_documentation(tmp_path):
    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", WITH_VOLUME)
            [found] = await session.published(uri)
            hover = await session.hover(uri, found.range.start.line, found.range.start.character + 1)
            assert hover.contents.kind == types.MarkupKind.Markdown
            assert hover.contents.value.startswith("# DSL101 dockerfile-volume\n")
            assert "## Why it matters" in hover.contents.value
            assert hover.range == found.range
            assert await session.hover(uri, 0, 0) is None

    run(scenario())


def test_a_client_that_pulls_gets_its_diagnostics_by_pulling_and_is_told_to_pull_again(tmp_path):
    (tmp_path / "Dockerfile").write_text(NODE_DOCKERFILE)
    (tmp_path / "compose.yaml").write_text(COMPOSE_CLEAN)

    async def scenario():
        async with editor(tmp_path, pulls=True) as session:
            dockerfile = session.open("Dockerfile", NODE_DOCKERFILE + "VOLUME /data\n")
            report = await session.pull(dockerfile)
            assert report.kind == "full" and "DSL101" in codes(report.items)
            again = await session.pull(dockerfile, report.result_id)
            assert again.kind == "unchanged" and again.result_id == report.result_id
            session.change("Dockerfile", NODE_DOCKERFILE)
            assert list((await session.pull(dockerfile)).items) == []
            compose = session.open("compose.yaml", COMPOSE_CLEAN, language="dockercompose")
            assert list((await session.pull(compose)).items) == []
            session.change("compose.yaml", COMPOSE_BIND)
            # the Dockerfile's verdict changed without an edit of it: the client is asked to pull again
            await asyncio.wait_for(session.client.refreshes.get(), TIMEOUT)
            assert "DSL301" in codes((await session.pull(dockerfile)).items)
            # nothing was pushed: the answers came before any publish would have
            assert all(queue.empty() for queue in session.client.inbox.values())

    run(scenario())


def test_the_configuration_variables_apply_and_the_process_environment_only_when_asked(tmp_path):
    """`env:` gives Compose its variables; the server's own environment is read only with
    `env-from-process: true`, and its values are not shown."""
    config = tmp_path / ".dockerstore-lint.yaml"
    config.write_text("env:\n  DATA: ./from-config\n")
    compose = "services:\n  app:\n    image: alpine:3.20\n    user: \"1000\"\n    volumes:\n      - ${DATA}:/data\n"

    async def scenario():
        async with editor(tmp_path, env={**os.environ, "DATA": "./from-process"}) as session:
            uri = session.open("compose.yaml", compose, language="dockercompose")
            [missing] = await session.published(uri)
            assert missing.code == "DSL603" and "./from-config" in missing.message
            config.write_text("select: [DSL]\n")
            changed_on_disk(session, ".dockerstore-lint.yaml")
            assert await session.published(uri) == []  # unset: the mount is unknown
            config.write_text("env-from-process: true\n")
            changed_on_disk(session, ".dockerstore-lint.yaml")
            [missing] = await session.published(uri)
            assert "${DATA}" in missing.message and "from-process" not in missing.message

    run(scenario())
