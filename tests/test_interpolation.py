"""Compose variable interpolation, by form, and against the real Compose CLI.

`run_compose` and the other oracle helpers here are also used by test_dotenv.py.
"""

from __future__ import annotations

import json
import random
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Optional

import pytest

from dockerstore_lint.inputs.compose.interpolation import MAX_NESTING, Interpolated, interpolate
from tests.compose_oracle import compose_binary, compose_config
from tests.corpora import CORPUS

ENV = {"FOO": "first", "BAR": "", "DOLLAR": "a$b", "BRACE": "}", "\u017f": "long s", "\u212a": "kelvin"}
KELVIN = "\u212a"


def outcome(result: Interpolated) -> tuple[str, tuple[str, ...], Optional[str]]:
    return result.value, result.unset, result.error


def invalid(template: str) -> str:
    return f'"{template}" is not a valid expression (a literal $ is written $$)'


def missing(name: str, message: str = "") -> str:
    return f"required variable {name} is missing a value" + (f": {message}" if message else "")


# (text, value, unset, error): every row was checked with docker-compose v5.6.1, and the oracle
# test below checks them again
CASES = [
    # plain and braced variables
    ("no variables", "no variables", (), None),
    ("$FOO", "first", (), None),
    ("${FOO}", "first", (), None),
    ("$FOO-bar", "first-bar", (), None),
    ("$FOO.bar/$FOO", "first.bar/first", (), None),
    ("${FOO}bar", "firstbar", (), None),
    ("$FOObar", "", ("FOObar",), None),
    ("$BAR|${BAR}", "|", (), None),
    ("$UNSET", "", ("UNSET",), None),
    ("${UNSET}", "", ("UNSET",), None),
    ("${UNSET} $UNSET ${OTHER}", "  ", ("UNSET", "OTHER"), None),
    ("${foo}", "", ("foo",), None),
    ("$DOLLAR ${BRACE}", "a$b }", (), None),
    ("a\n$FOO\nb", "a\nfirst\nb", (), None),
    # names
    ("${_}$_1", "", ("_", "_1"), None),
    ("${_1:-x}", "x", (), None),
    ("$\u017f ${" + KELVIN + "}", "long s kelvin", (), None),
    ("$\u00e9 $\u0131", "$\u00e9 $\u0131", (), None),
    # defaults
    ("${UNSET:-d}", "d", (), None),
    ("${BAR:-d}", "d", (), None),
    ("${FOO:-d}", "first", (), None),
    ("${UNSET-d}", "d", (), None),
    ("${BAR-d}", "", (), None),
    ("${FOO-d}", "first", (), None),
    ("${UNSET:-}${UNSET-}", "", (), None),
    ("${BAR:-/non:-alphanumeric}", "/non:-alphanumeric", (), None),
    ("${UNSET-myerror?msg}", "myerror?msg", (), None),
    # alternatives
    ("${UNSET:+a}", "", (), None),
    ("${BAR:+a}", "", (), None),
    ("${FOO:+a}", "a", (), None),
    ("${UNSET+a}", "", (), None),
    ("${BAR+a}", "a", (), None),
    ("${FOO+a}", "a", (), None),
    ("${FOO:+a:-b}", "a:-b", (), None),
    # required
    ("${UNSET:?boom}", "", (), missing("UNSET", "boom")),
    ("${BAR:?boom}", "", (), missing("BAR", "boom")),
    ("${FOO:?boom}", "first", (), None),
    ("${UNSET?boom}", "", (), missing("UNSET", "boom")),
    ("${BAR?boom}", "", (), None),
    ("${UNSET:?}", "", (), missing("UNSET")),
    ("${UNSET?bar-baz}", "", (), missing("UNSET", "bar-baz")),
    ("pre-${UNSET:?x}-post", "pre--post", (), missing("UNSET", "x")),
    ("${UNSET:?need $FOO}", "", (), missing("UNSET", "need first")),
    ("${UNSET:?a$OTHER}", "", ("OTHER",), missing("UNSET", "a")),
    ("${UNSET:?${}}", "", (), invalid("${}")),
    ("${use:?msg} ${use:-d}", " d", (), missing("use", "msg")),
    # nesting, and words that are only read when used
    ("${A:-${B:-c}}", "c", (), None),
    ("${UNSET:-${FOO}}", "first", (), None),
    ("${UNSET:-a${BAR}b}", "ab", (), None),
    ("${UNSET:-a$FOO.b}", "afirst.b", (), None),
    ("${UNSET:-${OTHER}}", "", ("OTHER",), None),
    ("${FOO:-${OTHER}}", "first", (), None),
    ("${FOO:-${}}", "first", (), None),
    ("${FOO:?${}}", "first", (), None),
    ("${UNSET:+${}}", "", (), None),
    ("${BAR+${}}", "${}", (), invalid("${}")),
    ("${UNSET:-${}}", "${}", (), invalid("${}")),
    ("${UNSET:-${OTHER:?inner}}", "", (), missing("OTHER", "inner")),
    ("${FOO:+${OTHER:?inner}}", "", (), missing("OTHER", "inner")),
    ("${UNSET:-${X:-${Y:-deep}}}", "deep", (), None),
    ("${UNSET:-${FOO}}-${UNSET:-${FOO}}", "first-first", (), None),
    # escapes and lone dollars
    ("$$", "$", (), None),
    ("$$FOO $${FOO}", "$FOO ${FOO}", (), None),
    ("$$$FOO", "$first", (), None),
    ("${UNSET:-$$}", "$", (), None),
    ("$", "$", (), None),
    ("a $ b", "a $ b", (), None),
    ("^REGEX$", "^REGEX$", (), None),
    ("$1 $- $} $@", "$1 $- $} $@", (), None),
    ("$ {FOO}", "$ {FOO}", (), None),
    ("${UNSET:-$1}", "$1", (), None),
    # invalid expressions: the value keeps them as written
    ("${", "${", (), invalid("${")),
    ("${}", "${}", (), invalid("${}")),
    ("${ FOO}", "${ FOO}", (), invalid("${ FOO}")),
    ("${FOO }", "${FOO }", (), invalid("${FOO }")),
    ("${FOO:x}", "${FOO:x}", (), invalid("${FOO:x}")),
    ("${FOO!}", "${FOO!}", (), invalid("${FOO!}")),
    ("${FOO", "${FOO", (), invalid("${FOO")),
    ("${1}", "${1}", (), invalid("${1}")),
    ("${UNSET:-x", "${UNSET:-x", (), invalid("${UNSET:-x")),
    ("${UNSET:-a\nb}", "${UNSET:-a\nb}", (), invalid("${UNSET:-a\nb}")),
    ("${FOO:-a} ${", "first ${", (), invalid("${FOO:-a} ${")),
    ("${UNSET:-a} ${ x}", "a ${ x}", (), invalid(" ${ x}")),
    # where a `${NAME<op>` ends
    ("${FOO:-x}}", "first}", (), None),
    ("${UNSET:-x}}}", "x}}", (), None),
    ("${UNSET:-x}y}", "xy}", (), None),
    ("${UNSET:-{x}}", "{x}", (), None),
    ("${UNSET:-{x}y}", "{x}y", (), None),
    ("${UNSET:-{}a}b}", "{}a}b", (), None),
    ("${UNSET:-a}-${UNSET:-b}", "a-b", (), None),
    ("${FOO:-${B:-x} ${FOO}", "first", (), None),
    ("${UNSET:-${FOO}", "${FOO", (), invalid("${FOO")),
    ("${UNSET:-${FOO:-x}\n}", "${FOO:-x\n}", (), invalid("${FOO:-x")),
]


@pytest.mark.parametrize(("text", "value", "unset", "error"), CASES)
def test_forms(text, value, unset, error):
    assert outcome(interpolate(text, ENV.get)) == (value, unset, error)


def test_text_without_dollar_is_returned_as_is():
    text = "x" * 10_000
    assert interpolate(text, ENV.get).value is text


def test_nesting_limit_is_exact():
    def nested(depth: int) -> str:
        return "${UNSET:-" * depth + "x" + "}" * depth

    assert outcome(interpolate(nested(MAX_NESTING), ENV.get)) == ("x", (), None)
    assert interpolate(nested(MAX_NESTING + 1), ENV.get).error == \
        f"expressions nested more than {MAX_NESTING} levels deep"


@pytest.mark.parametrize("operator", [":-", "-", ":?", "?"])
def test_20000_levels_give_an_error_quickly(operator):
    text = ("${UNSET" + operator) * 20_000 + "x" + "}" * 20_000
    started = time.perf_counter()
    result = interpolate(text, ENV.get)
    assert result.error is not None
    assert time.perf_counter() - started < 2


def test_unused_deep_default_is_not_read():
    # Compose does not look at a default it does not use, however deep
    result = interpolate("${FOO:-" * 20_000 + "x" + "}" * 20_000, ENV.get)
    assert (result.value, result.error) == ("first", None)


@pytest.mark.parametrize("text", [
    "${UNSET-x}" * 100_000,  # many expressions on one line
    "${UNSET-x}" * 50_000 + "a" * 200_000,  # ... followed by a long tail without `}`
    "${UNSET:-" * 100_000,  # expressions that never end
    "${UNSET:-" + "{" * 200_000 + "}",  # an unbalanced word
    "$FOO " * 100_000,
    ("${UNSET:-" * 5_000 + "\n") * 20,
])
def test_scan_is_linear(text):
    started = time.perf_counter()
    interpolate(text, ENV.get)
    assert time.perf_counter() - started < 3


def test_first_error_wins_and_the_rest_is_still_interpolated():
    result = interpolate("${A:?first} $FOO ${B:?second} $OTHER", ENV.get)
    assert outcome(result) == (" first  ", ("OTHER",), missing("A", "first"))


def _corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.rglob("*") if path.is_file()) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_every_corpus_line_interpolates_without_raising():
    seen = 0
    for path in _corpus_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        for line in text.split("\n"):
            result = interpolate(line, ENV.get)
            assert isinstance(result.value, str) and (result.error is None or isinstance(result.error, str))
            seen += "$" in line
    assert seen > 100


# --- the real Compose CLI as the oracle ------------------------------------------------------------


def run_compose(files: dict[str, str], env: dict[str, str]) -> tuple[int, dict, str]:
    """`docker-compose config` on a project made of `files` (one is `compose.yaml`), with only `env`."""
    with tempfile.TemporaryDirectory(prefix="oracle") as directory:
        for name, text in files.items():
            Path(directory, name).write_bytes(text.encode("utf-8"))
        return compose_config(Path(directory), [Path(directory, "compose.yaml")], env)


def decode_dollars(value: str) -> str:
    """`config` writes each `$` of a value as `$$`."""
    assert re.fullmatch(r"(?:[^$]|\$\$)*", value), value
    return value.replace("$$", "$")


def _generated_cases(count: int) -> list[str]:
    pieces = ["$", "{", "}", ":", "-", "+", "?", "FOO", "BAR", "U", "x", " ", "\n", "$$", "${", "${FOO",
              "${U", "${BAR", ":-", ":+", ":?", "}}", "{{", "{}", "\t", "$FOO", "${U}", KELVIN]
    generator = random.Random(20240601)
    cases: dict[str, None] = {}
    while len(cases) < count:
        cases["".join(generator.choice(pieces) for _ in range(generator.randint(1, 16)))] = None
    return list(cases)


ORACLE_CASES = list(dict.fromkeys([case[0] for case in CASES] + _generated_cases(200)))
_WARNING = re.compile(r'The \\"(.*?)\\" variable is not set')
_REQUIRED = "error while interpolating services.s.environment.K0: "
_INVALID = "invalid interpolation format for services.s.environment.K0.\nYou may need to escape any $ with another $.\n"


def _compose_interpolates(texts: list[str]) -> tuple[int, dict, str]:
    lines = ["services:", "  s:", "    image: x", "    environment:"]
    # JSON strings are YAML double-quoted scalars; ASCII escapes keep YAML from folding U+2028 & co
    lines += [f"      K{i}: {json.dumps(text)}" for i, text in enumerate(texts)]
    return run_compose({"compose.yaml": "\n".join(lines) + "\n"}, ENV)


def _compose_result(text: str) -> tuple[str, tuple[str, ...], Optional[str]]:
    code, config, stderr = _compose_interpolates([text])
    if code == 0:
        value = config["services"]["s"]["environment"]["K0"]
        return decode_dollars(value), tuple(dict.fromkeys(_WARNING.findall(stderr))), None
    if _REQUIRED in stderr:
        return "", (), stderr[stderr.index(_REQUIRED) + len(_REQUIRED):]
    if _INVALID in stderr:
        return "", (), invalid(stderr[stderr.index(_INVALID) + len(_INVALID):])
    return "", (), f"unexpected Compose failure: {stderr}"


@pytest.fixture(scope="module")
def compose_results() -> dict[str, tuple[str, tuple[str, ...], Optional[str]]]:
    if compose_binary() is None:
        pytest.skip("no Compose CLI found (docker-compose beside this Python, on PATH, or in /tmp/peers/venv/bin)")
    results = {}
    # texts that should interpolate cleanly go through Compose together; the others one by one,
    # since Compose stops at the first error and its warnings do not say which value they are about
    clean = [t for t in ORACLE_CASES if outcome(interpolate(t, ENV.get))[1:] == ((), None)]
    code, config, stderr = _compose_interpolates(clean)
    if code == 0 and not _WARNING.search(stderr):
        environment = config["services"]["s"]["environment"]
        results = {text: (decode_dollars(environment[f"K{i}"]), (), None) for i, text in enumerate(clean)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        alone = [t for t in ORACLE_CASES if t not in results]
        results.update(zip(alone, pool.map(_compose_result, alone), strict=True))
    return results


@pytest.mark.parametrize("text", ORACLE_CASES)
def test_agrees_with_compose(text, compose_results):
    mine = interpolate(text, ENV.get)
    value, unset, error = compose_results[text]
    assert _comparable(mine.error) == _comparable(error)
    if error is None:  # Compose gives no value when it fails
        assert (mine.value, mine.unset) == (value, unset)


def _comparable(message: Optional[str]) -> Optional[str]:
    """The oracle helper strips Compose's output, and with it the blanks that end a message."""
    suffix = invalid("")[1:]
    if message is None or not (message.startswith('"') and message.endswith(suffix)):
        return message and message.rstrip()
    return invalid(message[1:-len(suffix)].rstrip())
