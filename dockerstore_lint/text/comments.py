"""How each kind of file writes comments, for the directives that suppress findings."""

from typing import NamedTuple, Optional


class CommentSyntax(NamedTuple):
    line: tuple[str, ...] = ("#",)  # what starts a comment that runs to the end of the line
    trailing: bool = True  # whether such a comment may also end a line of code (YAML, shell), not only stand alone
    block: Optional[tuple[str, str]] = None  # a comment with an end, on lines of its own: `<!--` `-->`
    # what a comment on its own line covers beyond the next line: the rest of a command continued with this
    # character (`\` in a shell, a backtick in PowerShell), a YAML block scalar (`run: |`), a fenced code block
    continuation: str = ""
    block_scalars: bool = False
    fences: bool = False


HASH = CommentSyntax()
# Dockerfile: `#` starts a comment only at the start of a line; elsewhere it is an argument
HASH_OWN_LINE = CommentSyntax(trailing=False)
SHELL = CommentSyntax(continuation="\\")
POWERSHELL = CommentSyntax(block=("<#", "#>"), continuation="`")
YAML_WITH_SCRIPTS = CommentSyntax(block_scalars=True, continuation="\\")  # CI scripts are bash by default
JSONC = CommentSyntax(line=("//",), block=("/*", "*/"))
MARKDOWN = CommentSyntax(line=(), trailing=False, block=("<!--", "-->"), fences=True)
