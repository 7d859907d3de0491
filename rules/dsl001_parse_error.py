"""DSL001 parse-error."""

from dockerstore_lint.rule import InputProblemRule


class ParseError(InputProblemRule):
    """A file cannot be read, decoded or parsed, or its structure is not valid Dockerfile or Compose.

    ## What it does
    Reports every input problem found while reading the repository: a file that cannot be read
    (permissions, a directory or FIFO where a file was expected, over the size limit), bytes that are
    not UTF-8 (or UTF-16/32 with a byte order mark), binary content, invalid YAML (syntax errors,
    duplicate keys, aliases that expand without bound), a Compose file whose structure Compose
    rejects (`services` that is not a mapping, a mount that is neither a string nor a mapping), and a
    Dockerfile that Docker rejects (no `FROM`, an unknown instruction, an unterminated heredoc).
    The position is the best one available: the offending byte, key or instruction.

    ## Why it matters
    Docker and Compose refuse these files, and no other rule can judge what it cannot read: a
    broken file would otherwise look clean. The other files are still linted.

    ## Example
    ```yaml
    services:
      db:
        image: postgres:16
        image: postgres:17   # duplicate key: Compose refuses the file
    ```

    ## Fix
    Correct the file as the message says; `docker compose config` and `docker build` show the same
    problem.
    """

    code = "DSL001"
    level = "error"

