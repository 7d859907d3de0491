"""The `.env` parser, by form, and against the real Compose CLI (a service's `env_file`)."""

from __future__ import annotations

import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

import pytest

from dockerstore_lint.inputs.compose.dotenv import parse_dotenv
from tests.compose_oracle import compose_binary
from tests.corpora import CORPUS
from tests.test_interpolation import decode_dollars, invalid, missing, run_compose

FIXTURES = CORPUS / "compose-spec__compose-go" / "dotenv" / "fixtures"
ENV = {"OSV": "os", "A": "osA", "EMPTY": "", "VAR_TO_BE_LOADED_FROM_OS_ENV": "SOME_RANDOM_VALUE"}


def unexpected(char: str) -> str:
    return f'unexpected character "{char}" in variable name'


# (text, values, problems): every row was checked with docker-compose v5.6.1 (where it has no
# problems; Compose only says that it fails, and on which line, where it has some)
CASES = [
    # statements
    ("KEY=VALUE\n", {"KEY": "VALUE"}, ()),
    ("export KEY=VALUE", {"KEY": "VALUE"}, ()),
    ("  export\tKEY=1\n", {"KEY": "1"}, ()),
    ("exportKEY=1\nexport=2\n", {"exportKEY": "1", "export": "2"}, ()),
    ("KEY: VALUE\n", {"KEY": "VALUE"}, ()),
    ("KEY: a: b\nK2=c:d\n", {"KEY": "a: b", "K2": "c:d"}, ()),
    ("KEY=a=b\nK2==c\n", {"KEY": "a=b", "K2": "=c"}, ()),
    ("\n# comment\n  # indented comment\nK=1\n\n", {"K": "1"}, ()),
    ("=value\n", {"": "value"}, ()),
    ("K=1\nK=2\n", {"K": "2"}, ()),
    # unquoted values
    ("K=a # comment\n", {"K": "a"}, ()),
    ("K=a#b\n", {"K": "a#b"}, ()),
    ("K=a\t#b\n", {"K": "a\t#b"}, ()),
    ("K= #not a comment\n", {"K": "#not a comment"}, ()),
    ("K =  spaced value  \n", {"K": "spaced value"}, ()),
    ("K=\u00a0x\u00a0\n", {"K": "x"}, ()),
    ("K=\nL=   \nM:\n", {"K": "", "L": "", "M": ""}, ()),
    ("K=x\"q\" it's\n", {"K": "x\"q\" it's"}, ()),
    ("K=v\\\nL=w\n", {"K": "v\\", "L": "w"}, ()),
    ("K=a\\nb\n", {"K": "a\\nb"}, ()),
    # a key alone copies it from the environment, if it is set there
    ("OSV\nNOPE\n", {"OSV": "os"}, ()),
    ("export OSV\n", {"OSV": "os"}, ()),
    ("A=1\nA\nZ=1\nZ\n", {"A": "osA", "Z": "1"}, ()),
    ("OSV", {"": "OSV"}, ()),  # no line break at the end: Compose takes it as a value
    ("export", {"": "export"}, ()),
    # single quotes: literal
    ("K='$OSV \\n #x'\n", {"K": "$OSV \\n #x"}, ()),
    ("K='Let\\'s go!'\n", {"K": "Let's go!"}, ()),
    ("K='first line\nsecond line'\nL=2\n", {"K": "first line\nsecond line", "L": "2"}, ()),
    ("K='${NOPE:?x}'\n", {"K": "${NOPE:?x}"}, ()),
    # double quotes: escapes, then variables
    ('K="a\\nb\\t\\"q\\"\\\\"\n', {"K": 'a\nb\t"q"\\'}, ()),
    ('K="\\a\\b\\f\\r\\v"\n', {"K": "\a\b\f\r\v"}, ()),
    ('K="\\$OSV $OSV $$OSV"\n', {"K": "$OSV os $OSV"}, ()),
    ('K="\\\\$OSV"\n', {"K": "\\os"}, ()),
    ('K="\\0101\\0351\\01234"\n', {"K": "A\u00e9S4"}, ()),
    ('K="\\0|\\01|\\012|\\0777|\\0128"\n', {"K": "\\|\\1|\\12|\\777|\\128"}, ()),
    ('K="\\c\\x41\\u0041\\q"\n', {"K": "\\c\\x41\\u0041\\q"}, ()),
    ('K="a\nb"\n', {"K": "a\nb"}, ()),
    ('K = "echo \'asd\'" # comment\n', {"K": "echo 'asd'"}, ()),
    ('K=" "\nL=""\nM="#"\n', {"K": " ", "L": "", "M": "#"}, ()),
    # what follows a closing quote is a new statement
    ('K="x" L=2\n', {"K": "x", "L": "2"}, ()),
    ('K="x"#c\n', {"K": "x"}, ()),
    ('K="x"y', {"K": "x", "": "y"}, ()),
    # variables: the environment first, then the keys above
    ("X=1\nY=${X}_$X\n", {"X": "1", "Y": "1_1"}, ()),
    ("A=1\nB=${A}\n", {"A": "1", "B": "osA"}, ()),
    ("B=${X}\nX=1\n", {"B": "", "X": "1"}, ()),
    ("K=${NOPE:-d} ${EMPTY:-e} ${OSV:+alt}\n", {"K": "d e alt"}, ()),
    ("K=$$x $ \n", {"K": "$x $"}, ()),
    # keys
    ("K.x-y[0]=1\nk\u00e9=2\n\u0661\u0662=3\n1K=4\n",
     {"K.x-y[0]": "1", "k\u00e9": "2", "\u0661\u0662": "3", "1K": "4"}, ()),
    ("A\tB=1\nK\t=\t2\n", {"A\tB": "1", "K": "2"}, ()),
    ("\u3000K=1\n", {"K": "1"}, ()),
    # byte order mark and Windows line ends
    ("\ufeffK=1\n", {"K": "1"}, ()),
    ("K=\ufeff1\n", {"K": "\ufeff1"}, ()),
    ("K=a\r\nL=b\r\nNOPE\r\n", {"K": "a", "L": "b"}, ()),
    ('K="a\r\nb"\r\n', {"K": "a\r\nb"}, ()),
    # problems: reported where they are, and reading goes on at the next line
    ("A B=1\nC=2\n", {"C": "2"}, ((1, 1, "key cannot contain a space"),)),
    ("A B\n", {}, ((1, 1, "key cannot contain a space"),)),
    ("K=1\nK/x=1\nL=2\n", {"K": "1", "L": "2"}, ((2, 2, unexpected("/")),)),
    ("K=1\n\ufeffL=2\n", {"K": "1"}, ((2, 1, unexpected("\ufeff")),)),
    ('K="a" "b"\n', {"K": "a"}, ((1, 7, unexpected('"')),)),
    ("K='a'b'\n", {"K": "a"}, ((1, 7, unexpected("'")),)),
    ('K="open\n\nL=2\n', {"L": "2"}, ((1, 3, "unterminated quoted value"),)),
    ("K=${NOPE:?need}\n", {"K": ""}, ((1, 3, missing("NOPE", "need")),)),
    ('K= "${NOPE?}"\n', {"K": ""}, ((1, 4, missing("NOPE")),)),
    ("K=${\n", {"K": "${"}, ((1, 3, invalid("${")),)),
    ("  export   ", {}, ((1, 3, "`export` without a variable"),)),
]


@pytest.mark.parametrize(("text", "values", "problems"), CASES)
def test_forms(text, values, problems):
    result = parse_dotenv(text, ENV.get)
    assert (result.values, result.problems) == (values, problems)


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no compose-go fixtures at {FIXTURES}")
@pytest.mark.parametrize(("fixture", "values"), [
    ("plain.env", {"OPTION_A": "1", "OPTION_B": "2", "OPTION_C": "3", "OPTION_D": "4", "OPTION_E": "5",
                   "456": "ABC", "OPTION_F": "", "OPTION_G": "", "OPTION_H": "my string"}),
    ("utf8-bom.env", {"OPTION_A": "1", "OPTION_B": "2", "OPTION_C": "3", "OPTION_D": "4", "OPTION_E": "5",
                      "456": "ABC", "OPTION_F": "", "OPTION_G": "", "OPTION_H": "my string"}),
    ("quoted.env", {"OPTION_A": "1", "OPTION_B": "2", "OPTION_C": "", "OPTION_D": "\\n", "OPTION_E": "1",
                    "OPTION_F": "2", "OPTION_G": "", "OPTION_H": "\n", "OPTION_I": "echo 'asd'",
                    "OPTION_J": "first line\nsecond line\nthird line\nand so on", "OPTION_K": "Let's go!",
                    "OPTION_Z": "last value"}),
    ("substitutions.env", {"OPTION_A": "1", "OPTION_B": "1", "OPTION_C": "1", "OPTION_D": "1_1", "OPTION_E": ""}),
    ("inherited-multi-var.env", {"foo": "bar", "VAR_TO_BE_LOADED_FROM_OS_ENV": "SOME_RANDOM_VALUE", "bar": "baz"}),
    ("inherited-not-found.env", {}),
    ("special.env", {"VAR.WITH.DOTS": "dots", "VAR_WITH_UNDERSCORES": "underscores", "VAR-WITH-DASHES": "dashes"}),
])
def test_compose_go_fixtures(fixture, values):
    result = parse_dotenv((FIXTURES / fixture).read_bytes().decode("utf-8"), ENV.get)
    assert (result.values, result.problems) == (values, ())


@pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"no compose-go fixtures at {FIXTURES}")
def test_invalid_fixture_points_at_the_key_with_a_space():
    result = parse_dotenv((FIXTURES / "invalid1.env").read_text(encoding="utf-8"), ENV.get)
    assert result.problems == ((7, 1, "key cannot contain a space"),)
    assert result.values == {"foo": "\n  a\n  multine\n  value\n", "zot": "qix"}


def corpus_env_files() -> list[Path]:
    """The `env` files listed in the corpus manifest."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [CORPUS / row[0] / row[1] for row in rows if len(row) > 2 and row[2] == "env"]


@pytest.mark.skipif(not corpus_env_files(), reason=f"no corpus manifest at {CORPUS}")
def test_every_corpus_env_file_parses_without_raising():
    files = corpus_env_files()
    for path in files:
        result = parse_dotenv(path.read_bytes().decode("utf-8"), ENV.get)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.values.items())
        assert all(line >= 1 and column >= 1 for line, column, _ in result.problems)
    assert len(files) >= 30


def test_large_file_is_fast():
    text = "".join(f'K{i}="value {i} with $$ and \\n"\nL{i}=${{K{i}}} # comment\n' for i in range(20_000))
    started = time.perf_counter()
    result = parse_dotenv(text, ENV.get)
    assert len(result.values) == 40_000 and result.values["L7"] == "value 7 with $ and \n"
    assert time.perf_counter() - started < 5


# --- the real Compose CLI as the oracle: each text is the `env_file` of a service --------------------


def _generated_cases(count: int) -> list[str]:
    pieces = ["K", "OSV", "A", "=", ":", '"', "'", "\\", "\n", "\n", "#", " ", " #", "\t", "export ", "$",
              "${OSV}", "${U", "}", "x", "\\0", "\r\n", "1", "\\n", '\\"', "$$", ".", "-", "${A:-d}", "\u00e9"]
    generator = random.Random(20240602)
    cases: dict[str, None] = {}
    while len(cases) < count:
        cases["".join(generator.choice(pieces) for _ in range(generator.randint(1, 14)))] = None
    return list(cases)


def _oracle_cases() -> list[str]:
    files = sorted(FIXTURES.glob("*.env")) if FIXTURES.is_dir() else []
    texts = [case[0] for case in CASES] + [path.read_bytes().decode("utf-8") for path in files + corpus_env_files()]
    return list(dict.fromkeys(texts + _generated_cases(150)))


ORACLE_CASES = _oracle_cases()
# the oracle's environment also has PATH and HOME, so `PATH` alone in a file copies it
ORACLE_ENV = {**ENV, "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root")}
# what Compose says when it refuses a file, and what we say then
_PROBLEM_KINDS = [("key cannot contain a space", "key cannot contain a space"),
                  ("unexpected character", "unexpected character"),
                  ("unterminated quoted value", "unterminated quoted value"),
                  ("required variable", "required variable"),
                  ("Invalid template", "is not a valid expression"),
                  ("zero length string", "`export` without a variable")]


def _kind(message: str, side: int) -> Optional[int]:
    return next((i for i, kinds in enumerate(_PROBLEM_KINDS) if kinds[side] in message), None)


def _compose_reads(texts: list[str]) -> tuple[int, list[Optional[dict[str, str]]], str]:
    files = {f"case{i}.env": text for i, text in enumerate(texts)}
    services = "".join(f"  s{i}:\n    image: x\n    env_file: [./case{i}.env]\n" for i in range(len(texts)))
    files["compose.yaml"] = "services:\n" + services
    code, config, stderr = run_compose(files, ENV)
    if code:
        return code, [], stderr
    environments = [config["services"][f"s{i}"].get("environment") or {} for i in range(len(texts))]
    return 0, [{k: decode_dollars(v) for k, v in e.items()} for e in environments], stderr


def _compose_result(text: str) -> tuple[Optional[dict[str, str]], str]:
    code, environments, stderr = _compose_reads([text])
    return (environments[0], "") if code == 0 else (None, stderr)


@pytest.fixture(scope="module")
def compose_results() -> dict[str, tuple[Optional[dict[str, str]], str]]:
    if compose_binary() is None:
        pytest.skip("no Compose CLI found (docker-compose beside this Python, on PATH, or in /tmp/peers/venv/bin)")
    results = {}
    # files that should read cleanly go through Compose together; the others one by one, since
    # Compose stops at the first file it cannot read
    clean = [text for text in ORACLE_CASES if not parse_dotenv(text, ORACLE_ENV.get).problems]
    code, environments, _ = _compose_reads(clean)
    if code == 0:
        results = {text: (environment, "") for text, environment in zip(clean, environments, strict=True)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        alone = [text for text in ORACLE_CASES if text not in results]
        results.update(zip(alone, pool.map(_compose_result, alone), strict=True))
    return results


@pytest.mark.parametrize("text", ORACLE_CASES)
def test_agrees_with_compose(text, compose_results):
    mine = parse_dotenv(text, ORACLE_ENV.get)
    values, stderr = compose_results[text]
    if values is not None:
        assert (mine.values, mine.problems) == (values, ())
        return
    # Compose refused the file: the first problem must be the one it gives
    assert mine.problems, stderr
    assert _kind(mine.problems[0][2], 1) == _kind(stderr, 0) is not None, stderr
    if _kind(stderr, 0) == 3:
        assert mine.problems[0][2] in stderr
