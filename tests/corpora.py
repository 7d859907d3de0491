"""Where the real corpora are: `../shared` beside the repository, as CI places it on a clean clone (the tests
that read them skip when it is not there)."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
CORPUS_RW = SHARED / "corpus-rw"
