"""Shell words with positions: what every input that holds command lines hands to the `docker` interpreter.

Scripts, Makefile recipes, CI steps, Markdown code blocks and Dockerfile RUN lines are all read into
`SimpleCommand`s made of `Word`s. A word's `value` is what the command receives (quotes removed, the
variables that are known expanded); what is not known stays as written and makes `resolved` false, so
that nothing is guessed. A reference to a directory the linter knows (`$PWD`, `$(pwd)`, `$(CURDIR)`,
`${{ github.workspace }}`...) is not replaced by that directory's path on this machine, which would
make messages and verdicts depend on where the repository is checked out: it becomes `HERE`, and the
command says which directory `HERE` stands for.
"""

from pathlib import Path
from typing import NamedTuple, Optional

from dockerstore_lint.model.span import Span

# stands for the known directory a command runs in, inside a word's value (a character no path contains)
HERE = "\ue000"


class Word(NamedTuple):
    value: str  # what the command receives; `HERE` where a known directory was referred to
    written: str  # as written in the file (quotes and `$VAR` included), for messages
    span: Span
    resolved: bool = True  # False when an expansion in it could not be resolved


class SimpleCommand(NamedTuple):
    words: tuple[Word, ...]  # the command name first; assignments and redirections are not words
    span: Span  # from the first word to the last
    directory: Optional[Path] = None  # what `HERE` stands for: the file's directory, or the repository's

# stands for the home directory of the user who runs the command (`~`, `$HOME`), inside a word's value: a
# quoted `"~/x"` is not expanded by the shell and reaches Docker as the text `~/x`
HOME = "\ue001"
