"""Python files that start containers: the Docker SDK (docker-py) and testcontainers, read with libcst.

`might_start_containers` is the cheap first look, on the raw bytes; `read_python` reads a file into the
syntax-level descriptions of `launches.py`. Importing this package costs one regular expression: the
rest is imported by `read_python`, and libcst (over 100 ms to import) only when a file gets past both
the first look and `complexity.too_complex`, the bound on what libcst would spend on it. Nothing here
raises on any text: a file that cannot be read comes back with `skipped` set.

Modules, in the order a file goes through them: `complexity` (the linear pre-scan), `reader` (parse and
recognise), `syntax` (the walk: scopes, bindings, calls, positions), `values` (what an expression
evaluates to), `docker_sdk` and `testcontainers` (the two libraries), `run_arguments` (docker-py's
arguments, which testcontainers passes on too), `launches` (the value types).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from pathlib import Path

    from dockerstore_lint.inputs.python.launches import PythonLaunches

# `.containers.run`/`.containers.create`/`.volumes.create` as the reader recognises them, whatever the
# spacing, line continuations, comments and closing parentheses in between
# (a comment ends with its line: `#[^\n]*` alone could split "# # #" in exponentially many ways)
_GAP = r"(?:\s|\\|\#[^\n]*\n)*"
_BEFORE_DOT = r"(?:\s|\\|\)|\#[^\n]*\n)*"  # `(client.containers).run`
_SDK_CALL = rf"(?:containers{_BEFORE_DOT}\.{_GAP}(?:run|create)|volumes{_BEFORE_DOT}\.{_GAP}create)\b"
_SDK_CALL_BYTES = _SDK_CALL.encode()  # compiled on first use (and kept in `re`'s cache): importing costs nothing


def might_start_containers(data: Union[bytes, str]) -> bool:
    """True when a file may hold something `read_python` recognises: an import of testcontainers, or the
    word docker (its import) and a `containers.run`, `containers.create` or `volumes.create` call. Stricter
    than "mentions docker", which comments and strings in many Python files do: those cost no libcst."""
    if isinstance(data, bytes):
        return b"testcontainers" in data or (b"docker" in data and re.search(_SDK_CALL_BYTES, data) is not None)
    return "testcontainers" in data or ("docker" in data and re.search(_SDK_CALL, data) is not None)


def read_python(text: str, file: str, directory: Path, working_directory: Optional[Path] = None) -> PythonLaunches:
    """The containers and named volumes that `text` (a Python file, `file` for messages, in `directory`)
    creates. `working_directory` is what `os.getcwd()` stands for, the file's directory by default, as `$PWD`
    in a script."""
    from dockerstore_lint.inputs.python.complexity import too_complex
    from dockerstore_lint.inputs.python.launches import PythonLaunches

    if not might_start_containers(text):
        return PythonLaunches()
    reason = too_complex(text)
    if reason:
        return PythonLaunches(skipped=reason)
    from dockerstore_lint.inputs.python.reader import read  # imports libcst

    return read(text, file, directory, working_directory or directory)
