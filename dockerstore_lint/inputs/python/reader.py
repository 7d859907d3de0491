"""Parse a Python file with libcst and recognise the containers and volumes it creates.

Only called on text that `complexity.too_complex` let through. A file libcst cannot parse (a syntax
error, or a construct newer than this libcst) is skipped: it is the Python linter's business, and
guessing at a broken file would give findings about code that never runs.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from dockerstore_lint.inputs.python import docker_sdk, testcontainers
from dockerstore_lint.inputs.python.launches import PythonLaunches
from dockerstore_lint.inputs.python.syntax import Program
from dockerstore_lint.inputs.python.values import Values


def read(text: str, file: str, directory: Path, working_directory: Path) -> PythonLaunches:
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return PythonLaunches(skipped=f"not valid Python (line {error.raw_line}): the Python linter's business")
    except cst.CSTValidationError as error:  # Python rejects it too: `"a" b"b"`
        return PythonLaunches(skipped=f"not valid Python ({error}): the Python linter's business")
    except UnicodeError:  # a lone surrogate: no file decoded from bytes has one
        return PythonLaunches(skipped="not valid Python: not Unicode text")
    except MemoryError:
        return PythonLaunches(skipped="too large to parse")
    try:
        program = Program(module, file)
        values = Values(program, directory, working_directory)
        containers, volumes = docker_sdk.read(program, values)
        containers += testcontainers.read(program, values)
    except RecursionError:  # complexity.py keeps files far from it: a safety net
        return PythonLaunches(skipped="nested too deeply to read")
    containers.sort(key=lambda container: container.span[1:3])
    return PythonLaunches(tuple(containers), tuple(volumes))
