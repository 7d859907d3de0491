"""Suppression comments in every comment syntax, and the ones that suppress nothing (DSL005)."""

from __future__ import annotations

from pathlib import Path

from tests.linting import lint_paths


def lint(tmp_path: Path, name: str, text: str) -> list[tuple[str, int, bool]]:
    (tmp_path / name).write_text(text)
    findings, _ = lint_paths([tmp_path / name], cwd=tmp_path, select=["DSL"])
    return [(f.code, f.span.line, f.suppressed is not None) for f in findings]


def test_a_used_suppression_is_not_reported(tmp_path):
    found = lint(tmp_path, "Dockerfile",
                 "FROM alpine:3.20\nUSER 1000\n# dockerstore-lint: ignore=DSL101\nVOLUME /data\n")
    assert found == [("DSL101", 4, True)]


def test_an_unknown_code_and_an_idle_suppression_are_reported(tmp_path):
    found = lint(tmp_path, "Dockerfile", "FROM alpine:3.20\nUSER 1000\n# dockerstore-lint: ignore=DSL999,DSL101\n"
                                         "WORKDIR /srv\n")
    assert found == [("DSL005", 3, False), ("DSL005", 3, False)]


def test_a_prefix_that_suppresses_something_is_used(tmp_path):
    found = lint(tmp_path, "Dockerfile", "# dockerstore-lint: ignore-file=DSL1\nFROM alpine:3.20\nUSER 1000\n"
                                         "VOLUME /data\n")
    assert found == [("DSL101", 4, True)]


def test_yaml_end_of_line_suppressions(tmp_path):
    found = lint(tmp_path, "compose.yaml", "services:\n  c:\n    image: redis:7\n"
                                           "    volumes:\n      - /data  # dockerstore-lint: ignore=DSL102\n")
    assert ("DSL102", 5, True) in found and not [f for f in found if f[0] == "DSL005"]


def test_a_comment_in_a_ci_script_covers_the_lines_its_command_continues_onto(tmp_path):
    # a job on the project's own runner (a tag, no Docker-in-Docker): its containers outlive it, so DSL102 applies
    found = lint(tmp_path, ".gitlab-ci.yml", "job:\n  tags: [deploy]\n  script:\n    - |\n"
                                             "      # dockerstore-lint: ignore=DSL102\n"
                                             "      docker run -d \\\n"
                                             "        -v /data alpine:3.20\n")
    assert found == [("DSL102", 7, True)]
