"""Worst cases of size and shape: inputs under the size caps that once took minutes or gigabytes.

Each function writes one project into an empty directory. `tests/test_hostile_inputs.py` lints each under a
2 GB address-space limit and checks the findings; `benchmarks/hostile.py` times them. No pytest here: the
benchmark runs where only dockerstore-lint is installed.
"""

from __future__ import annotations

from pathlib import Path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def doubling_variables(first: str = "xxxxxxxxxxxxxxxx", count: int = 60) -> str:
    """A `.env` of `count` + 1 lines where each variable is the one before it twice: 2^60 characters in 1 KB."""
    return f"A0={first}\n" + "".join(f"A{i + 1}=${{A{i}}}${{A{i}}}\n" for i in range(count))


def dotenv_doubling(root: Path) -> None:
    _write(root / ".env", doubling_variables())
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    volumes: [\"./${A60}:/data\"]\n")


def env_file_doubling(root: Path) -> None:
    _write(root / "app.env", doubling_variables())
    _write(root / "compose.yaml", "services:\n  app:\n    image: busybox\n    env_file: app.env\n")


def compose_doubling(root: Path) -> None:
    """The doubling done by the Compose file: each value quotes the variable of the `.env` many times."""
    _write(root / ".env", "A=" + "x" * 1000 + "\n")
    value = "${A}" * 200_000  # 800 KB of text that would expand to 200 MB
    _write(root / "compose.yaml", "services:\n" + "".join(
        f"  s{i}:\n    image: busybox\n    environment: {{V: \"{value}\"}}\n" for i in range(4)))


def include_diamonds(root: Path, levels: int = 41) -> None:
    """`levels` levels of two files, each file including both files of the next level: 2^levels paths."""
    for level in range(levels):
        for side in "ab":
            nested = f"include: [l{level + 1}a.yaml, l{level + 1}b.yaml]\n" if level + 1 < levels else ""
            _write(root / f"l{level}{side}.yaml", f"{nested}services:\n  s{level}{side}:\n    image: busybox\n")
    _write(root / "compose.yaml", "include: [l0a.yaml, l0b.yaml]\nservices: {}\n")


def extends_diamonds(root: Path, levels: int = 41) -> None:
    """The same shape through `extends` across files: every service extends a service of the next file."""
    for level in range(levels):
        if level + 1 < levels:
            body = "".join(f"  {side}:\n    extends: {{file: e{level + 1}.yaml, service: {side}}}\n" for side in "ab")
        else:
            body = "  a:\n    image: busybox\n  b:\n    image: busybox\n"
        _write(root / f"e{level}.yaml", "services:\n" + body)
    _write(root / "compose.yaml", "services:\n  app:\n    extends: {file: e0.yaml, service: a}\n")


def run_continued_over_800k_lines(root: Path) -> None:
    _write(root / "Dockerfile", "FROM busybox\nRUN true \\\n" + " a \\\n" * 800_000 + " b\nVOLUME /data\n")


def volume_paths_before_runs(root: Path, volumes: int = 20_000, runs: int = 2_000) -> None:
    """VOLUME with 20,000 paths, then 2,000 RUNs that each change a file under one of them, in a stage
    that is only copied from, so that no image has a VOLUME to report 20,000 times."""
    paths = " ".join(f"/v{i}" for i in range(volumes))
    changes = "".join(f"RUN touch /v{i * (volumes // runs)}/f\n" for i in range(runs))
    _write(root / "Dockerfile",
           f"FROM busybox AS build\nVOLUME {paths}\n{changes}FROM busybox\nCOPY --from=build /f /f\n")


def gitignore_double_stars(root: Path) -> None:
    """5,000 `**` patterns (none matching) over 20,000 directories."""
    (root / ".git").mkdir()
    _write(root / ".gitignore", "".join(f"**/cache{i}/**/tmp\n" for i in range(5_000)))
    for i in range(200):
        for j in range(100):
            (root / f"d{i}" / f"e{j}").mkdir(parents=True)
    _write(root / "d0" / "e0" / "Dockerfile", "FROM busybox\nVOLUME /data\n")


def gitignore_nested(root: Path) -> None:
    """200 nested directories, each with a `.gitignore` of 1,000 patterns."""
    (root / ".git").mkdir()
    directory = root
    for depth in range(200):
        _write(directory / ".gitignore", "".join(f"build{depth}-{i}/*.o\n" for i in range(1_000)))
        for sibling in range(20):
            (directory / f"s{sibling}").mkdir()
        directory = directory / "n"
    _write(directory / "Dockerfile", "FROM busybox\nVOLUME /data\n")


def configuration_globs(root: Path) -> None:
    """20,000 `exclude` and 20,000 `per-path-ignores` globs over 300 Dockerfiles."""
    excluded = "".join(f"  - \"generated{i}/**\"\n" for i in range(20_000))
    ignored = "".join(f"  \"vendor{i}/*\": [DSL101]\n" for i in range(20_000))
    _write(root / ".dockerstore-lint.yaml", f"exclude:\n{excluded}per-path-ignores:\n{ignored}")
    for i in range(300):
        _write(root / f"app{i}" / "Dockerfile", "FROM busybox\nVOLUME /data\n")


BOMBS = {
    "dotenv-doubling": dotenv_doubling,
    "env-file-doubling": env_file_doubling,
    "compose-value-doubling": compose_doubling,
    "include-diamonds-41": include_diamonds,
    "extends-diamonds-41": extends_diamonds,
    "run-over-800k-lines": run_continued_over_800k_lines,
    "volume-20k-paths-2k-runs": volume_paths_before_runs,
    "gitignore-5000-double-stars-20k-dirs": gitignore_double_stars,
    "gitignore-200-nested-files": gitignore_nested,
    "config-20k-globs-300-dockerfiles": configuration_globs,
}
