"""Markdown (`*.md`) -> the container commands of its shell code blocks.

Fenced code blocks (``` or ~~~, three or more, closed by a fence of the same character at least as
long, or by the end of the document, as CommonMark says) tagged `sh`, `bash`, `shell`, `zsh`,
`console` (or its aliases `shell-session`, `sh-session`, `shellsession`), `powershell`, `pwsh`, `ps1`,
or untagged. A fence may be indented (inside a list item); that much indentation is removed from its
lines. Fences inside an HTML comment and in block quotes are not read.

A block whose lines start with a prompt (`$ `, and in `console` blocks also `# `; `PS> ` and
`PS C:\\> ` for PowerShell) is a terminal session: only the prompt lines, with the lines they continue
onto, are commands, the rest is output. A block without prompts is a script. Each block is read on its
own, in the Markdown file's directory (`HERE`). Documentation placeholders (`<image>`, `IMAGE`,
`/path/to/x`, `{{...}}`) are marked unresolved: they are not values (and `<image>` is read as a word,
not as two redirections).

A block whose lines end with ` ^` is for Windows' cmd.exe, which is not read.

A small fence scanner rather than markdown-it-py, which costs about 40 ms to import and whose other
work (inline markup, links) this does not need.

Comments: `<!-- ... -->`. `FencedBlock.comments` gives the HTML comments right before each fence, so
that `<!-- dockerstore-lint: ignore=DSL102 -->` there can apply to the block's commands.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Iterator, NamedTuple, Optional

from dockerstore_lint.inputs.shell.commands import Budget, ShellContext, mentions_container_tool
from dockerstore_lint.model.span import Problem, Span
from dockerstore_lint.text.placeholders import is_placeholder
from dockerstore_lint.text.positions import Embedded, EmbeddedBuilder, FileText
from dockerstore_lint.text.shell import HERE, HOME, SimpleCommand
from dockerstore_lint.text.sources import Source

SUFFIX = ".md"
COMMENT_START, COMMENT_END = "<!--", "-->"

_BASH = frozenset({"sh", "bash", "shell", "zsh", ""})
_CONSOLE = frozenset({"console", "shell-session", "sh-session", "shellsession"})
_POWERSHELL = frozenset({"powershell", "pwsh", "ps1"})
_FENCE = re.compile(r"( *)(`{3,}|~{3,})(.*)")
_PROMPT = re.compile(r"[ \t]*\$ ")
_ROOT_PROMPT = re.compile(r"[ \t]*# ")
_POWERSHELL_PROMPT = re.compile(r"[ \t]*PS(?: [^>\n]*)?> ")
_ANGLE_PLACEHOLDER = re.compile(r"<[A-Za-z][^<>\s'\"]*>")
_CMD_CONTINUATION = re.compile(r" \^[ \t]*$", re.MULTILINE)


class FencedBlock(NamedTuple):
    """A code block the commands were read from."""

    language: str  # "bash" or "powershell"
    info: str  # the fence's info string as written
    span: Span  # from the opening fence to the closing one
    comments: tuple[tuple[int, str], ...]  # (line, text) of the HTML comments right before the fence


class MarkdownCommands(NamedTuple):
    commands: tuple[SimpleCommand, ...] = ()
    blocks: tuple[FencedBlock, ...] = ()
    problems: tuple[Problem, ...] = ()


def claims(path: PurePath) -> bool:
    return path.name.lower().endswith(SUFFIX)


def read_markdown(source: Source) -> MarkdownCommands:
    if not mentions_container_tool(source.text):
        return MarkdownCommands()
    origin = FileText(source.file, source.text)
    context = ShellContext(source.path.parent, {"PWD": HERE, "HOME": HOME}, False)
    commands: list[SimpleCommand] = []
    blocks: list[FencedBlock] = []
    budget = Budget(source.file)
    for block, lines in _blocks(origin):
        text, shell = _commands_text(origin, lines, block.language)
        if not mentions_container_tool(text.text.lower()) or _CMD_CONTINUATION.search(text.text):
            continue  # no command, or a block for Windows' cmd.exe (`^` continues its lines)
        block = block._replace(language=shell)
        if not budget.parse(block.span):
            break
        if shell == "powershell":
            from dockerstore_lint.inputs.shell.powershell import powershell_commands as read
        else:
            from dockerstore_lint.inputs.shell.bash import bash_commands as read
        found = budget.keep(read(text, context, budget.commands))
        if found:
            blocks.append(block)
            commands.extend(_without_placeholders(command) for command in found)
    return MarkdownCommands(tuple(commands), tuple(blocks), budget.problems())


def _without_placeholders(command: SimpleCommand) -> SimpleCommand:
    words = tuple(word._replace(resolved=False) if word.resolved and is_placeholder(word.value) else word
                  for word in command.words)
    return command._replace(words=words)


def _lines(text: str) -> list[tuple[int, int]]:
    lines = []
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            lines.append((start, len(text)))
            return lines
        lines.append((start, end))
        start = end + 1


def _blocks(origin: FileText) -> Iterator[tuple[FencedBlock, list[tuple[int, int]]]]:
    """(block, its content lines as (start, end) offsets with the fence's indentation removed)."""
    text = origin.text
    lines = _lines(text)
    comments: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        stripped = line.lstrip(" ")
        if stripped.startswith(COMMENT_START) and len(line) - len(stripped) <= 3:
            first = index
            while COMMENT_END not in text[lines[index][0]:lines[index][1]] and index + 1 < len(lines):
                index += 1
            if index == first:
                comments.append((index + 1, stripped.strip()))
            index += 1
            continue
        fence = _FENCE.fullmatch(line)
        if fence is None or (fence.group(2)[0] == "`" and "`" in fence.group(3)):
            if line.strip():
                comments = []
            index += 1
            continue
        indent, marker, info = len(fence.group(1)), fence.group(2), fence.group(3).strip()
        closing = re.compile(r" *" + re.escape(marker[0]) + "{" + str(len(marker)) + r",} *")
        body_start = index + 1
        index += 1
        while index < len(lines) and not closing.fullmatch(text[lines[index][0]:lines[index][1]]):
            index += 1
        body = []
        for line_start, line_end in lines[body_start:index]:
            removable = 0
            while removable < indent and line_start + removable < line_end and text[line_start + removable] == " ":
                removable += 1
            body.append((line_start + removable, line_end))
        last = min(index, len(lines) - 1)
        span = origin.span(start + indent, max(lines[last][1], lines[last][0] + 1))
        language = _language(info)
        if language is not None:
            yield FencedBlock(language, info, span, tuple(comments)), body
        comments = []
        index += 1


class _PlaceholderQuoter(EmbeddedBuilder):
    """Copies text with `<image>`-style placeholders quoted, so that the shell reads them as words
    (they would be redirections)."""

    __slots__ = ()

    def copy(self, start: int, end: int) -> None:
        at = start
        for match in _ANGLE_PLACEHOLDER.finditer(self.origin.text, start, end):
            super().copy(at, match.start())
            self.insert(f"'{match.group()}'", match.start(), match.end())
            at = match.end()
        super().copy(at, end)


def _language(info: str) -> Optional[str]:
    tag = re.split(r"[\s,{}]+", info.lstrip("{."), maxsplit=1)[0].lower() if info else ""
    if tag in _POWERSHELL:
        return "powershell"
    if tag in _CONSOLE:
        return "console"
    return "bash" if tag in _BASH else None


def _commands_text(origin: FileText, lines: list[tuple[int, int]], language: str) -> tuple[Embedded, str]:
    """The block's commands as one text, and the shell that reads them: the whole block, or its prompt
    lines and the lines they continue onto."""
    text = origin.text
    prompts = {"powershell": (_POWERSHELL_PROMPT,), "console": (_PROMPT, _ROOT_PROMPT, _POWERSHELL_PROMPT),
               "bash": (_PROMPT, _POWERSHELL_PROMPT)}[language]
    builder = _PlaceholderQuoter(origin)
    first_prompt = next((prompt for start, end in lines for prompt in prompts if prompt.match(text, start, end)), None)
    if first_prompt is None:
        for start, end in lines:
            builder.copy(start, end)
            builder.insert("\n", end, end + 1)
        return builder.build(), "bash" if language == "console" else language
    shell = "powershell" if first_prompt is _POWERSHELL_PROMPT else "bash"
    continuing = False
    for start, end in lines:
        if not continuing:
            matched = next((found for found in (prompt.match(text, start, end) for prompt in prompts) if found), None)
            if matched is None:
                continue  # output
            start = matched.end()
        elif text.startswith("> ", start):
            start += 2  # the shell's continuation prompt
        builder.copy(start, end)
        builder.insert("\n", end, end + 1)
        content = text[start:end].rstrip()
        continuing = content.endswith(("\\", "`", "|", "&&", "||"))
    return builder.build(), shell
