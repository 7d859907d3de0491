"""Code actions of `dockerstore-lint server`, driven by a real LSP client that applies the edits it gets: a
finding's fix, "Ignore DSLxxx on this line", and `source.fixAll.dockerstore-lint`, which must make what
`check --fix` makes."""

from __future__ import annotations

import shutil

import pytest
from lsprotocol import types

from tests.cli_process import run_cli
from tests.lsp_client import codes, editor, run

UNQUOTED_VOLUME = "FROM alpine:3.20\nUSER 65532\nVOLUME [/data]\n"
NODE_WITHOUT_USER = "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n"
# the bind mount is written as root (DSL201, suppressed) and hides what `npm ci` installed (DSL301)
COMPOSE_HIDING = "services:\n  web:\n    build: .\n    volumes:\n      - .:/app  # dockerstore-lint: ignore=DSL201\n"
# two undeclared volumes (DSL601: both fixes add to one `volumes:` key, so they take two rounds), a mode that
# Compose drops (DSL002), and an anonymous volume (DSL102, whose fix is unsafe: left alone)
COMPOSE_FIXABLE = (
    "services:\n  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n"
    "  cache:\n    image: redis:7\n    user: \"999\"\n    volumes:\n      - cache:/data\n"
    "      - ./conf/redis.conf:/usr/local/etc/redis/redis.conf:readonly\n      - /tmp/scratch\n")


def titles(actions) -> list[str]:
    return [action.title for action in actions]


def test_a_quick_fix_then_ignore_on_this_line_applied_by_the_editor(tmp_path):
    (tmp_path / "Dockerfile").write_text(UNQUOTED_VOLUME)

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", UNQUOTED_VOLUME)
            found = await session.published(uri)
            assert codes(found) == ["DSL003"]
            fix, ignore = await session.actions(uri, found)
            assert (fix.title, fix.kind, fix.is_preferred) == ('Write VOLUME ["/data"]', "quickfix", True)
            assert (ignore.title, ignore.kind, ignore.is_preferred) == ("Ignore DSL003 on this line", "quickfix", None)
            assert list(fix.diagnostics) == found
            session.apply(fix.edit)
            assert session.texts[uri] == 'FROM alpine:3.20\nUSER 65532\nVOLUME ["/data"]\n'
            found = await session.published(uri)
            assert codes(found) == ["DSL101"]
            [ignore] = [a for a in await session.actions(uri, found) if a.title.startswith("Ignore")]
            assert ignore.title == "Ignore DSL101 on this line"
            session.apply(ignore.edit)
            # a Dockerfile takes a comment only on a line of its own
            assert session.texts[uri] == \
                'FROM alpine:3.20\nUSER 65532\n# dockerstore-lint: ignore=DSL101\nVOLUME ["/data"]\n'
            assert await session.published(uri) == []

    run(scenario())


def test_ignore_adds_the_code_to_the_comment_already_on_the_line(tmp_path):
    (tmp_path / "Dockerfile").write_text(NODE_WITHOUT_USER)
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "compose.yaml").write_text(COMPOSE_HIDING)

    async def scenario():
        async with editor(tmp_path, versioned_edits=False) as session:
            uri = session.open("compose.yaml", COMPOSE_HIDING, language="yaml")
            found = await session.published(uri)
            assert codes(found) == ["DSL301"]
            fix, ignore = await session.actions(uri, found)
            # an unsafe fix is offered, but not as the one to apply without looking
            assert fix.title == "Keep /app/node_modules with an anonymous volume (unsafe fix)"
            assert fix.is_preferred is None
            assert ignore.title == "Ignore DSL301 on this line"
            assert list(ignore.edit.changes) == [uri] and ignore.edit.document_changes is None
            session.apply(ignore.edit)
            assert session.texts[uri].split("\n")[4] == "      - .:/app  # dockerstore-lint: ignore=DSL201,DSL301"
            assert await session.published(uri) == []

    run(scenario())


def test_ignoring_a_finding_located_in_another_file_edits_that_file(tmp_path):
    """The DSL301 of compose.yaml is shown in the Dockerfile too, at the RUN it hides: its comment goes in
    compose.yaml, which is not open: the edit is of the file on disk (no version)."""
    (tmp_path / "Dockerfile").write_text(NODE_WITHOUT_USER)
    (tmp_path / "package.json").write_text("{}\n")
    (tmp_path / "compose.yaml").write_text(COMPOSE_HIDING)

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", NODE_WITHOUT_USER)
            [pointing] = [d for d in await session.published(uri) if d.code == "DSL301"]
            [ignore] = [a for a in await session.actions(uri, [pointing]) if a.title.startswith("Ignore")]
            assert ignore.title == "Ignore DSL301 in compose.yaml at line 5"
            [change] = ignore.edit.document_changes
            assert (change.text_document.uri, change.text_document.version) == ((tmp_path / "compose.yaml").as_uri(),
                                                                              None)
            session.apply(ignore.edit)
            assert "ignore=DSL201,DSL301" in (tmp_path / "compose.yaml").read_text()
            session.save("Dockerfile")
            assert "DSL301" not in codes(await session.published(uri))

    run(scenario())


def test_ignore_in_a_markdown_code_block_goes_above_its_fence(tmp_path):
    page = "# Run it\n\n```sh\ndocker run -v /data redis:7\n```\n"

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("RUN.md", page, language="markdown")
            found = await session.published(uri)
            assert codes(found) == ["DSL102"]
            [ignore] = [a for a in await session.actions(uri, found) if a.title.startswith("Ignore")]
            assert ignore.title == "Ignore DSL102 in this code block"
            session.apply(ignore.edit)
            assert session.texts[uri] == ("# Run it\n\n<!-- dockerstore-lint: ignore=DSL102 -->\n```sh\n"
                                          "docker run -v /data redis:7\n```\n")
            assert await session.published(uri) == []

    run(scenario())


@pytest.mark.parametrize("name, text, language, versioned", [
    ("compose.yaml", COMPOSE_FIXABLE.replace("\n", "\r\n"), "dockercompose", True),
    # the change starts before an emoji and ends after it: two UTF-16 units
    ("Dockerfile", "FROM alpine:3.20\nUSER 65532\nVOLUME [/😀 /data]\n", "dockerfile", False),
])
def test_fix_all_makes_what_check_fix_makes(tmp_path, name, text, language, versioned):
    """`source.fixAll.dockerstore-lint` on the buffer, as one edit, gives the text `check --fix` writes in a copy
    of the project: every safe fix, over rounds, line endings kept; the unsafe ones left."""
    (tmp_path / "project" / "conf").mkdir(parents=True)
    (tmp_path / "project" / "conf" / "redis.conf").write_text("")
    (tmp_path / "project" / name).write_bytes(text.encode())
    shutil.copytree(tmp_path / "project", tmp_path / "copy")
    assert "Traceback" not in run_cli(["check", "--fix", name], tmp_path / "copy").stderr
    expected = (tmp_path / "copy" / name).read_bytes().decode()
    assert expected != text

    async def scenario():
        async with editor(tmp_path / "project", versioned_edits=versioned) as session:
            uri = session.open(name, text, language)
            found = await session.published(uri)
            # the light bulb asks for every cursor move: quick fixes only; asked by hand, the fix-all too
            assert "source.fixAll.dockerstore-lint" not in [a.kind for a in await session.actions(uri, found)]
            assert "source.fixAll.dockerstore-lint" in [a.kind for a in await session.actions(uri, found, invoked=True)]
            assert await session.actions(uri, [], only=["quickfix"]) == []
            [fix_all] = await session.actions(uri, [], only=["source.fixAll"])
            assert (fix_all.kind, fix_all.title) == ("source.fixAll.dockerstore-lint",
                                                     "dockerstore-lint: apply every safe fix")
            edits = [e for change in fix_all.edit.document_changes or [] for e in change.edits] \
                + [e for changes in (fix_all.edit.changes or {}).values() for e in changes]
            assert len(edits) == 1
            session.apply(fix_all.edit)
            assert session.texts[uri] == expected
            left = await session.published(uri)
            assert not {"DSL601", "DSL002", "DSL003"} & set(codes(left))
            assert await session.actions(uri, [], only=["source.fixAll.dockerstore-lint"]) == []  # nothing left

    run(scenario())


def test_fix_all_asked_right_after_an_edit_is_of_the_edited_version(tmp_path):
    """On save, editors ask for the fix-all right after the last keystroke: it is of that version, not of the last
    one linted."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")

    async def scenario():
        async with editor(tmp_path) as session:
            uri = session.open("Dockerfile", "FROM alpine:3.20\n")
            await session.published(uri)
            session.change("Dockerfile", UNQUOTED_VOLUME)
            [fix_all] = await session.actions(uri, [], only=[types.CodeActionKind.SourceFixAll])
            [change] = fix_all.edit.document_changes
            assert change.text_document.version == 2
            session.apply(fix_all.edit)
            assert session.texts[uri] == 'FROM alpine:3.20\nUSER 65532\nVOLUME ["/data"]\n'

    run(scenario())
