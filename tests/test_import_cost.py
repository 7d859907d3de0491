"""`import dockerstore_lint.cli` alone loads no YAML, SARIF, schema or Dockerfile-parsing library.

That import is what `--version`, `--help` and `rules` pay, and the floor of every run. test_lazy_imports
covers a whole lint of a lone Dockerfile, which includes the import but has to load dockerfile_parse;
this covers the import itself, dockerfile_parse included. Checked on `sys.modules`, not on timings.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .test_lazy_imports import HEAVY, lint_in_fresh_interpreter

NOT_AT_IMPORT = (*HEAVY, "dockerfile_parse")


def loaded_by_importing_the_cli() -> set[str]:
    probe = "import json, sys\nimport dockerstore_lint.cli\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60)
    return {name.split(".")[0] for name in json.loads(done.stdout)}


def test_importing_the_cli_loads_no_yaml_sarif_schema_or_dockerfile_library():
    loaded = loaded_by_importing_the_cli()
    assert "click" in loaded  # the probe does see what the cli imports at the top
    assert sorted(loaded & set(NOT_AT_IMPORT)) == []


def test_dockerfile_parse_is_the_name_a_dockerfile_lint_loads(tmp_path):
    """So that looking for `dockerfile_parse` above can find it."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nVOLUME /data\n")
    assert "dockerfile_parse" in lint_in_fresh_interpreter(tmp_path, ["Dockerfile"])
