"""Linting a path in-process, the way the tests need it: a given cwd, a clean environment, chosen rules."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from dockerstore_lint.config import Config
from dockerstore_lint.engine import lint
from dockerstore_lint.finding import Finding
from dockerstore_lint.loader import Options, WorkspaceLoader
from dockerstore_lint.reporters import ReportContext, render


def lint_paths(paths: list[Path], cwd: Path, select: Optional[list[str]] = None, root: Optional[Path] = None,
               yaml_loader: Optional[type] = None) -> tuple[list[Finding], WorkspaceLoader]:
    config = Config(base=cwd)
    if select is not None:
        config.select = select
    loader = WorkspaceLoader(root or cwd, cwd, Options(environ={}, yaml_loader=yaml_loader))
    findings = lint(loader.load(paths), config, loader.lines_of)
    return findings, loader


def text_lines(findings: list[Finding], loader: WorkspaceLoader) -> list[str]:
    context = ReportContext(rules=[], files=loader.files_seen(), lines_of=loader.lines_of)
    return render("text", findings, context).splitlines()
