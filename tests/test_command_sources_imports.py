"""The tree-sitter grammars are imported only when a file that needs them is read.

Checked on `sys.modules` in a fresh interpreter, as tests/test_lazy_imports.py does for the command line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GRAMMARS = {"tree_sitter", "tree_sitter_bash", "tree_sitter_powershell"}

_PROBE = """
import json, sys
from pathlib import Path
from dockerstore_lint.inputs import devcontainer, github_actions, gitlab_ci, makefile, markdown
from dockerstore_lint.inputs import powershell_script, shell_script
from dockerstore_lint.text.sources import Source

readers = {"run.sh": shell_script.read_shell_script, "Makefile": makefile.read_makefile,
           "run.ps1": powershell_script.read_powershell_script, "README.md": markdown.read_markdown,
           "ci.yml": github_actions.read_workflow, ".gitlab-ci.yml": gitlab_ci.read_gitlab_ci,
           "devcontainer.json": devcontainer.read_devcontainer}
for name, text in json.loads(sys.argv[1]).items():
    readers[name](Source(Path("/repo") / name, name, text))
print(json.dumps(sorted({module.split(".")[0] for module in sys.modules})))
"""


def loaded_after_reading(files: dict[str, str]) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(files)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_files_without_container_commands_import_no_grammar_and_no_yaml():
    loaded = loaded_after_reading({
        "run.sh": "echo hello\n", "Makefile": "all:\n\tgo build\n", "run.ps1": "Write-Host hi\n",
        "README.md": "```bash\nmake\n```\n", "ci.yml": "jobs:\n  a:\n    steps:\n      - run: make\n",
        ".gitlab-ci.yml": "job:\n  script: make\n", "devcontainer.json": '{"image": "x"}'})
    assert "dockerstore_lint" in loaded
    assert not loaded & (GRAMMARS | {"yaml"})


def test_a_script_imports_the_bash_grammar_only():
    loaded = loaded_after_reading({"run.sh": "docker run -v /a:/a img\n"})
    assert {"tree_sitter", "tree_sitter_bash"} <= loaded
    assert "tree_sitter_powershell" not in loaded


def test_a_powershell_block_in_markdown_imports_the_powershell_grammar():
    loaded = loaded_after_reading({"README.md": "```pwsh\ndocker run -v ${PWD}:/a img\n```\n"})
    assert {"tree_sitter", "tree_sitter_powershell"} <= loaded
    assert "tree_sitter_bash" not in loaded
