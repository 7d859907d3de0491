"""Markdown -> the container commands of shell code blocks; prompts, output and placeholders."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from dockerstore_lint.inputs.markdown import claims, read_markdown
from dockerstore_lint.text.placeholders import is_placeholder
from tests.command_words import position, source, values


def read(text: str):
    return read_markdown(source(text, "README.md"))


def commands(text: str):
    return read(text).commands


def test_a_fenced_block_is_a_script_with_exact_positions():
    text = "# Title\n\nRun it:\n\n```bash\ndocker run -d \\\n  -v \"$PWD\":/src img\n```\n"
    (command,) = commands(text)
    assert values(command) == ["docker", "run", "-d", "-v", "{HERE}:/src", "img"]
    assert position(command.words[4]) == (7, 6, 7, 17)
    (block,) = read(text).blocks
    assert (block.language, block.info, position(block.span)) == ("bash", "bash", (5, 1, 8, 4))


def test_console_blocks_read_prompt_lines_only():
    text = ("```console\n"
            "$ docker run -v /a:/a img \\\n"
            "> -v /b:/b\n"
            "docker: Error response from daemon\n"
            "# docker volume create v\n"
            "Created volume\n"
            "```\n")
    first, second = commands(text)
    assert values(first) == ["docker", "run", "-v", "/a:/a", "img", "-v", "/b:/b"]
    assert position(first.words[0]) == (2, 3, 2, 9)
    assert values(second) == ["docker", "volume", "create", "v"]


def test_shell_blocks_with_dollar_prompts_are_sessions_too():
    text = "```sh\n$ docker run -v /a:/a img\nsome output docker run\n```\n"
    assert [values(command) for command in commands(text)] == [["docker", "run", "-v", "/a:/a", "img"]]


def test_powershell_blocks_and_prompts():
    text = ("```powershell\ndocker run -v ${PWD}:/app img\n```\n"
            "```\nPS C:\\> docker run -v ${PWD}:/w img\n```\n")
    first, second = commands(text)
    assert values(first)[3] == "{HERE}:/app"
    assert values(second)[3] == "{HERE}:/w"
    assert [block.language for block in read(text).blocks] == ["powershell", "powershell"]


def test_fences_indented_in_lists_tildes_and_longer_fences():
    text = ("1. Start:\n\n"
            "    ```shell\n    docker run -v /a:/a img\n    ```\n"
            "~~~~\ndocker run -v /b:/b img\n~~~\nstill inside\n~~~~~\n"
            "````sh\n```\ndocker run -v /c:/c img\n````\n")
    found = commands(text)
    assert [values(command)[3] for command in found] == ["/a:/a", "/b:/b", "/c:/c"]
    assert position(found[0].words[3]) == (4, 19, 4, 24)


@pytest.mark.parametrize("text", [
    "Use `docker run -v /a:/a img` inline.\n",
    "```yaml\nservices: {x: {command: docker run -v /a:/a img}}\n```\n",
    "```dockerfile\nRUN docker run -v /a:/a img\n```\n",
    "<!--\n```bash\ndocker run -v /a:/a img\n```\n-->\n",
    "```\ndocker run ^\n  -v C:\\a:C:\\a img\n```\n",  # Windows cmd.exe
    "```bash\necho docker run -v /a:/a img\n```\n",
    "    docker run -v /a:/a img\n",  # an indented code block is not read
])
def test_not_commands(text):
    assert commands(text) == ()


def test_an_unclosed_fence_runs_to_the_end():
    (command,) = commands("```bash\ndocker run -v /a:/a img\n")
    assert values(command) == ["docker", "run", "-v", "/a:/a", "img"]


def test_placeholders_are_not_values():
    text = ("```\ndocker run -v [VOLUME]:TARGET_PATH -v /path/to/data:/d -v my-vol:/v <image>\n"
            "docker run -v HOST_DIR:/x your-image:latest --cap-add=NET_ADMIN ...\n```\n")
    first, second = commands(text)
    assert values(first)[3::2] == ["?[VOLUME]:TARGET_PATH", "?/path/to/data:/d", "my-vol:/v"]
    assert values(first)[-1] == "?<image>"
    assert values(second)[3:] == ["?HOST_DIR:/x", "?your-image:latest", "--cap-add=NET_ADMIN", "?..."]


@pytest.mark.parametrize(("value", "placeholder"), [
    ("<image>", True), ("IMAGE", True), ("[VOLUME]:TARGET_PATH", True), ("/path/to/x", True),
    ("your-image", True), ("{{.Names}}", True), ("...", True), ("source=HOST_PATH,target=/x", True),
    ("type=bind,source=path to config.yaml,target=/c", True), ("/srv/xpath/tox", False),
    ("postgres:16", False), ("/var/lib/postgresql/data", False), ("my-volume:/data", False),
    ("--cap-add=NET_ADMIN", False), ("C:\\data", False), ("8080:80", False),
])
def test_placeholder_words(value, placeholder):
    assert is_placeholder(value) is placeholder


def test_comments_before_a_fence_are_kept_for_suppressions():
    text = ("<!-- dockerstore-lint: ignore=DSL102 -->\n\n```bash\ndocker run -v /data img\n```\n"
            "<!-- other -->\ntext\n```bash\ndocker run -v /x img\n```\n")
    first, second = read(text).blocks
    assert first.comments == ((1, "<!-- dockerstore-lint: ignore=DSL102 -->"),)
    assert second.comments == ()


def test_names():
    assert claims(PurePath("README.md")) and claims(PurePath("docs/Setup.MD")) and not claims(PurePath("README.rst"))
