"""Where "Ignore DSLxxx on this line" writes its comment, in each kind of file: the edited file is linted again,
and the finding is gone while the file still reads as before (no parse error, the other findings kept)."""

from __future__ import annotations

import pytest

from dockerstore_lint.lsp.ignore import ignore_edit
from dockerstore_lint.text.positions import FileText
from tests.linting import lint_paths

CASES = {
    # Docker drops comment lines inside a continued instruction: the comment goes right above the line
    "Dockerfile": ("FROM alpine:3.20\nUSER 65532\nVOLUME /a \\\n  /b\n", "DSL101", 4,
                   "FROM alpine:3.20\nUSER 65532\nVOLUME /a \\\n  # dockerstore-lint: ignore=DSL101\n  /b\n"),
    # a comment line would end the command, and one at the end of a line would swallow its backslash
    "run.sh": ("#!/bin/sh\ndocker run \\\n  -v /data \\\n  redis:7\n", "DSL102", 3,
               "#!/bin/sh\n# dockerstore-lint: ignore=DSL102\ndocker run \\\n  -v /data \\\n  redis:7\n"),
    "run.ps1": ("docker run `\n  -v /data `\n  redis:7\n", "DSL102", 2,
                "# dockerstore-lint: ignore=DSL102\ndocker run `\n  -v /data `\n  redis:7\n"),
    # where a comment may end the line, it does
    "Makefile": ("run:\n\tdocker run -v /data redis:7\n", "DSL102", 2,
                 "run:\n\tdocker run -v /data redis:7  # dockerstore-lint: ignore=DSL102\n"),
    ".devcontainer/devcontainer.json": ('{\n  "image": "redis:7",\n  "runArgs": ["-v", "/data"]\n}\n', "DSL102", 3,
                                        '{\n  "image": "redis:7",\n  "runArgs": ["-v", "/data"]'
                                        '  // dockerstore-lint: ignore=DSL102\n}\n'),
    ".github/workflows/ci.yml": ("on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: |\n"
                                 "          docker run -v /data redis:7\n", "DSL102", 7,
                                 "on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps:\n      - run: |\n"
                                 "          docker run -v /data redis:7  # dockerstore-lint: ignore=DSL102\n"),
    "compose.yaml": ('services:\n  app:\n    image: redis:7\n    volumes: ["/data"]\n', "DSL102", 4,
                     'services:\n  app:\n    image: redis:7\n'
                     '    volumes: ["/data"]  # dockerstore-lint: ignore=DSL102\n'),
    # a comment there already: the code joins its list, in whichever syntax it is written
    "start.ps1": ("<# dockerstore-lint: ignore=DSL103 #>\ndocker run -v /data redis:7\n", "DSL102", 2,
                  "<# dockerstore-lint: ignore=DSL103,DSL102 #>\ndocker run -v /data redis:7\n"),
    "README.md": ("Run:\n\n<!-- dockerstore-lint: ignore=DSL103 -->\n```sh\ndocker run -v /data redis:7\n```\n",
                  "DSL102", 5,
                  "Run:\n\n<!-- dockerstore-lint: ignore=DSL103,DSL102 -->\n```sh\ndocker run -v /data redis:7\n```\n"),
}


def findings_of(path, root):
    findings, loader = lint_paths([path], root)
    return [f for f in findings if f.suppressed is None], loader


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_comment_covers_the_finding_and_the_file_still_reads(tmp_path, name):
    text, code, line, expected = CASES[name]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    before, loader = findings_of(path, tmp_path)
    [finding] = [f for f in before if f.code == code and f.span.line == line]
    lines, syntax = loader.lines_of(finding.span.file)
    ignore = ignore_edit(lines, syntax, finding.span.file, line, code)
    assert ignore is not None
    origin = FileText(name, text)
    start = origin.offset(ignore.edit.span.line, ignore.edit.span.column)
    end = origin.offset(ignore.edit.span.end_line, ignore.edit.span.end_column)
    edited = text[:start] + ignore.edit.text + text[end:]
    assert edited == expected
    path.write_text(edited)
    after, _ = findings_of(path, tmp_path)
    kept = [(f.code, f.message) for f in before if f is not finding and f.code != "DSL005"]
    assert [(f.code, f.message) for f in after if f.code != "DSL005"] == kept


def test_no_comment_can_cover_an_unused_suppression_comment():
    """A comment line's own code: a comment above it covers the next instruction, not it."""
    lines = ["FROM alpine:3.20", "# dockerstore-lint: ignore=DSL999", "VOLUME /data", ""]
    from dockerstore_lint.text.comments import HASH_OWN_LINE

    assert ignore_edit(lines, HASH_OWN_LINE, "Dockerfile", 2, "DSL005") is None
