"""DSL005 unused-suppression."""

from typing import Iterator

from dockerstore_lint.finding import Finding
from dockerstore_lint.rule import Rule, UnusedDirective


class UnusedSuppression(Rule):
    """A suppression comment names a code that does not exist, or suppresses nothing.

    ## What it does
    Flags each code of a `dockerstore-lint: ignore=...` or `ignore-file=...` comment that is not a
    rule's code or prefix (`DSL999`), or that suppressed no finding in this run. A code of a rule
    that this run did not select (`--select`, `select:`) is not judged: whether it would suppress
    something is not known.

    ## Why it matters
    A misspelt code suppresses nothing while it looks like it does, and a suppression left behind
    after the finding was fixed hides the next real finding on that line. Both make the file's
    comments lie about what the linter says.

    ## Example
    ```dockerfile
    FROM alpine:3.20
    # dockerstore-lint: ignore=DSL999
    VOLUME /data
    ```

    ## Fix
    Name the code the finding has, or remove the comment:
    ```dockerfile
    FROM alpine:3.20
    # dockerstore-lint: ignore=DSL101
    VOLUME /data
    ```
    """

    code = "DSL005"
    level = "note"
    targets = ("suppressions",)

    def suppressions(self, unused: list[UnusedDirective]) -> Iterator[Finding]:
        for entry in unused:
            if entry.known:
                message = f"the suppression of {entry.selector} here suppresses nothing: no {entry.selector} " \
                          f"finding is {'in this file' if entry.whole_file else 'on the line it covers'}"
                advice = "remove it, or move it to the line of the finding it is meant for"
            else:
                message = f"the suppression names {entry.selector}, which is not the code of any rule"
                advice = "name the code the finding has (see `dockerstore-lint rules`)"
            yield self.finding(entry.span, message, advice)
