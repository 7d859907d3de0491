"""Importing the command line loads no YAML, SARIF, schema or Dockerfile-parsing library.

`dockerstore_lint.commands` (the click commands) is what `--version`, `--help`, `rules` and every
run with an option pay; `dockerstore_lint.cli`, the entry point, does not even load click. test_lazy_imports
covers a whole lint of a lone Dockerfile, which includes the import but has to load dockerfile_parse;
this covers the import itself, dockerfile_parse included. Checked on `sys.modules`, not on timings.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.test_lazy_imports import HEAVY, lint_in_fresh_interpreter

NOT_AT_IMPORT = (*HEAVY, "dockerfile_parse")


def loaded_by_importing(module: str) -> set[str]:
    probe = f"import json, sys\nimport {module}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_importing_the_commands_loads_no_yaml_sarif_schema_or_dockerfile_library():
    loaded = loaded_by_importing("dockerstore_lint.commands")
    assert "click" in loaded  # the probe does see what the commands import at the top
    assert sorted(loaded & set(NOT_AT_IMPORT)) == []


def test_importing_the_entry_point_loads_not_even_click():
    assert sorted(loaded_by_importing("dockerstore_lint.cli") & {*NOT_AT_IMPORT, "click"}) == []


def test_dockerfile_parse_is_the_name_a_dockerfile_lint_loads(tmp_path):
    """So that looking for `dockerfile_parse` above can find it."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nVOLUME /data\n")
    assert "dockerfile_parse" in lint_in_fresh_interpreter(tmp_path, ["Dockerfile"])
