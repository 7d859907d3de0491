"""DSL004 reference-not-followed."""

from dockerstore_lint.rule import InputProblemRule


class ReferenceNotFollowed(InputProblemRule):
    """A reference to a file outside the scanned root, or to a remote resource, was not followed.

    ## What it does
    Reports each `extends: file:`, `include:`, `env_file:` and build Dockerfile that points outside
    the directory being linted (or at a URL), which dockerstore-lint deliberately does not read.

    ## Why it matters
    The linter never reads or prints files outside the scanned root and never touches the network,
    so whatever the reference brings in is unknown: rules that would need it stay silent for that
    service, and you should know the verdict is partial.

    ## Example
    ```yaml
    services:
      web:
        extends:
          file: ../shared/common.yaml   # outside the scanned root
          service: base
    ```

    ## Fix
    Lint from a directory that contains both files (`dockerstore-lint --root ..`), or ignore the
    code if the partial verdict is fine: `ignore: [DSL004]`.
    """

    code = "DSL004"
    level = "note"

