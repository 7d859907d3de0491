"""Every finding on the two real corpora has been read and judged (docs/corpus-verdicts.tsv, see
docs/corpus-verdicts.md): a finding that appears or goes away fails here until it is judged, and the
false findings are exactly the ones kept knowingly."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli_process import run_cli
from tests.corpora import CORPUS, CORPUS_RW, SHARED

VERDICTS = Path(__file__).resolve().parents[1] / "docs" / "corpus-verdicts.tsv"
KEPT_FALSE = {
    ("corpus/compose-spec__compose-go/loader/testdata/include/dir/compose.yaml", 8, 9, "DSL603"),
    ("corpus/sixeyed__diamol/ch09/exercises/grafana/Dockerfile", 1, 1, "DSL202"),
    ("corpus/sixeyed__diamol/ch09/lab/grafana/Dockerfile", 1, 1, "DSL202"),
}

pytestmark = pytest.mark.skipif(not (CORPUS.is_dir() and CORPUS_RW.is_dir()), reason="the corpora are not available")


def verdicts() -> dict[tuple[str, int, int, str], str]:
    with VERDICTS.open(encoding="utf-8", newline="") as table:
        return {(row["file"], int(row["line"]), int(row["column"]), row["code"]): row["verdict"]
                for row in csv.DictReader(table, delimiter="\t")}


def test_every_finding_on_the_corpora_is_judged_and_no_false_one_is_new():
    found = set()
    for corpus in (CORPUS, CORPUS_RW):
        done = run_cli(["-q", "--format", "json", corpus.name], cwd=SHARED)
        assert done.status in (0, 1), done.stderr
        found |= {(f["file"], f["line"], f["column"], f["code"]) for f in json.loads(done.stdout)["findings"]
                  if f["suppressed"] is None}
    judged = verdicts()
    assert sorted(found - judged.keys()) == [], "findings not judged yet"
    assert sorted(judged.keys() - found) == [], "judged findings no longer reported: judge the change"
    assert set(judged.values()) <= {"true", "debatable", "artifact", "false"}
    assert {key for key, verdict in judged.items() if verdict == "false"} == KEPT_FALSE
    assert len(KEPT_FALSE) * 50 <= len(found)  # at most one false finding in 50
