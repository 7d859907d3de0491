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


_LINT_PROBE = """
import json, sys
from pathlib import Path
from dockerstore_lint.config import Config
from dockerstore_lint.engine import lint
from dockerstore_lint.loader import Options, WorkspaceLoader
root = Path(sys.argv[1])
loader = WorkspaceLoader(root, root, Options())
lint(loader.load([root]), Config(base=root), loader.lines_of)
print(json.dumps(sorted({module.split(".")[0] for module in sys.modules})))
"""


def linted_modules(root: Path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", _LINT_PROBE, str(root)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_python_files_that_start_no_container_do_not_import_libcst(tmp_path):
    (tmp_path / "app.py").write_text("import docker\nprint(docker.version)\n")
    (tmp_path / "tool.py").write_text("import os\nos.system('docker run -v /a:/a x')\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nVOLUME /data\n")
    assert "libcst" not in linted_modules(tmp_path)


def test_a_python_file_that_starts_a_container_imports_libcst(tmp_path):
    (tmp_path / "run.py").write_text("import docker\ndocker.from_env().containers.run('redis:7', volumes=['/a:/a'])\n")
    assert "libcst" in linted_modules(tmp_path)
