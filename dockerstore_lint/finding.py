"""What rules yield: a finding with its message, its advice and its fix as separate data.

The message says what happens (`bind mount ./src:/app is written as root ...`), the help what to do
(`set user: to your uid:gid ...`), and a fix, when the rule knows the answer, the exact text edits that
apply it, marked safe or unsafe (ruff's `Fix` and applicability). Reports print the message and the help
as one sentence; editors and SARIF also get the fix.
"""

from typing import TYPE_CHECKING, NamedTuple, Optional

from dockerstore_lint.model.span import Span

if TYPE_CHECKING:
    from dockerstore_lint.fixes.intents import Intent

SAFE = "safe"  # keeps what the container does and where its data lives: `--fix` applies it
UNSAFE = "unsafe"  # changes what a container may do or where its data lives: only with `--unsafe-fixes`


class Edit(NamedTuple):
    """Replace the text of `span` (end exclusive; empty to insert) with `text`."""

    span: Span
    text: str


class Fix(NamedTuple):
    title: str  # what applying it does, for a menu: "Add :ro"
    edits: tuple[Edit, ...] = ()
    applicability: str = SAFE
    # what the rule asks for (fixes/intents.py), in the model's terms: the engine finds the edits in the text
    intent: "Optional[Intent]" = None

    def applies(self, unsafe: bool) -> bool:
        """Whether `--fix` applies it (with `--unsafe-fixes` when `unsafe`)."""
        return bool(self.edits) and (unsafe or self.applicability == SAFE)


class Related(NamedTuple):
    span: Span
    message: str


class Finding(NamedTuple):
    code: str
    name: str
    level: str
    message: str  # what happens
    span: Span
    related: tuple[Related, ...] = ()
    suppressed: Optional[str] = None  # "inSource" (a comment) or "external" (configuration), SARIF's words
    help: Optional[str] = None  # what to do about it
    fix: Optional[Fix] = None
    subject: Optional[str] = None  # the label of the container the message is about, which it names

    @property
    def text(self) -> str:
        """The message and its advice, as reports print them."""
        return f"{self.message}; {self.help}" if self.help else self.message

    def with_level(self, level: str) -> "Finding":
        return self._replace(level=level)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code, self.text)
