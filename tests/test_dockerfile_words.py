"""BuildKit's word processing: quotes, escapes, `$VAR` and its modifiers, unknown variables kept."""

import pytest

from dockerstore_lint.inputs.dockerfile.syntax import extract_flags, parse_arguments, split_command
from dockerstore_lint.inputs.dockerfile.words import expand, lex_words, split_shell_words, split_whitespace

SCOPE = {
    "HOME": ("/home/app", True),
    "EMPTY": ("", True),
    "SPACED": ("a b", True),
    "FROM_BASE": ("$BASE_ONLY/x", False),  # itself built from an unknown variable
    "BIN": ("/usr/local/bin", True),
}


@pytest.mark.parametrize("word, text, resolved", [
    ("plain", "plain", True),
    ("$HOME/data", "/home/app/data", True),
    ("${HOME}data", "/home/appdata", True),
    ('"$HOME"/x', "/home/app/x", True),
    ("'$HOME'", "$HOME", True),
    ('"a b"', "a b", True),
    ("a\\ b", "a b", True),
    ("\\$HOME", "$HOME", True),
    ('"\\$HOME"', "$HOME", True),
    ('"a\\b"', "a\\b", True),
    ("$", "$", True),
    ("$/x", "$/x", True),
    # unknown variables stay as written, and the result is not resolved
    ("$UNKNOWN/data", "$UNKNOWN/data", False),
    ("${UNKNOWN}/data", "${UNKNOWN}/data", False),
    ("$FROM_BASE", "$BASE_ONLY/x", False),
    # ${VAR:-x} / ${VAR-x}: default when unset (and, with the colon, when empty)
    ("${HOME:-/d}", "/home/app", True),
    ("${EMPTY:-/d}", "/d", True),
    ("${EMPTY-/d}", "", True),
    ("${UNKNOWN:-/d}", "${UNKNOWN:-/d}", False),
    ("${UNKNOWN-/d}", "${UNKNOWN-/d}", False),
    ("${HOME:-$UNKNOWN}", "/home/app", True),
    ("${EMPTY:-$UNKNOWN}", "$UNKNOWN", False),
    ('${EMPTY:-"a b"}', "a b", True),
    # ${VAR:+x} / ${VAR+x}: alternative when set
    ("${HOME:+alt}", "alt", True),
    ("${EMPTY:+alt}", "", True),
    ("${EMPTY+alt}", "alt", True),
    ("${UNKNOWN:+alt}", "${UNKNOWN:+alt}", False),
    ("${UNKNOWN+alt}", "${UNKNOWN+alt}", False),
    # ${VAR:?x} / ${VAR?x}: the value, or Docker fails; a known empty value may still be set by the build
    ("${HOME:?needed}", "/home/app", True),
    ("${HOME?needed}", "/home/app", True),
    ("${EMPTY?needed}", "", True),
    ("${EMPTY:?needed}", "${EMPTY:?needed}", False),
    ("${UNKNOWN:?needed}", "${UNKNOWN:?needed}", False),
    # BuildKit's pattern modifiers
    ("${BIN%/*}", "/usr/local", True),
    ("${BIN%%/l*}", "/usr", True),
    ("${BIN#/*/}", "local/bin", True),
    ("${BIN##*/}", "bin", True),
    ("${BIN/local/opt}", "/usr/opt/bin", True),
    ("${SPACED// /_}", "a_b", True),
])
def test_expand(word, text, resolved):
    result = expand(word, SCOPE)
    assert (result.text, result.resolved, result.error) == (text, resolved, None)


@pytest.mark.parametrize("word, error", [
    ("${}", "syntax error: bad substitution"),
    ("${:x}", "syntax error: bad substitution"),
    ("${HOME", "unsupported modifier () in substitution"),
    ("${HOME:-x", "syntax error: missing '}'"),
    ('"open', "unexpected end of statement while looking for matching double-quote"),
    ("'open", "unexpected end of statement while looking for matching single-quote"),
    ("${HOME:x}", "unsupported modifier (:x) in substitution"),
    ("${HOME.x}", "unsupported modifier (.) in substitution"),
])
def test_expand_errors(word, error):
    assert expand(word, SCOPE).error == error


def test_escape_character_backtick():
    assert expand("C:\\app", {}, "`").text == "C:\\app"
    assert expand("C:\\app", {}, "\\").text == "C:app"  # what Docker does without the directive
    assert expand("C:\\\\data\\\\db", {}, "\\").text == "C:\\data\\db"
    assert expand("a` b", {}, "`").text == "a b"
    assert expand('"`$HOME"', SCOPE, "`").text == "$HOME"


def test_split_whitespace_has_no_quote_handling():
    words = split_whitespace('  ["/a" "/b"]\tx  ')
    assert [(w.raw, w.start, w.end) for w in words] == [('["/a"', 2, 7), ('"/b"]', 8, 13), ("x", 14, 15)]


def test_split_shell_words_keeps_quotes_and_escapes():
    words = split_shell_words('a="b c" d=e\\ f "" x', "\\")
    assert [(w.raw, w.start, w.end) for w in words] == [('a="b c"', 0, 7), ("d=e\\ f", 8, 14), ('""', 15, 17),
                                                        ("x", 18, 19)]
    assert [w.raw for w in split_shell_words("a` b c", "`")] == ["a` b", "c"]


def test_lex_words_for_heredoc_markers():
    assert lex_words("RUN <<'EOF' cat", raw=True) == ["RUN", "<<'EOF'", "cat"]
    assert lex_words('"EOF"') == ["EOF"]
    assert lex_words('"open') is None


def test_flags_are_leading_double_dash_words():
    line = "COPY --from=build --chown='app user' --link -- --not-a-flag /dst"
    flags, rest = extract_flags(line, 5)
    assert [(f.name, f.value, f.word.start, f.word.end) for f in flags] == [
        ("from", "build", 5, 17), ("chown", "app user", 18, 36), ("link", "", 37, 43)]
    assert line[rest:] == "--not-a-flag /dst"


@pytest.mark.parametrize("line, json_form, words, error", [
    ('VOLUME ["/a", "/b"]', True, [("/a", '"/a"'), ("/b", '"/b"')], None),
    ('VOLUME ["/a" "/b"]', False, [('["/a"', '["/a"'), ('"/b"]', '"/b"]')], None),
    ("VOLUME ['/data']", False, [("['/data']", "['/data']")], None),
    ("VOLUME [1]", True, [], "when using JSON array syntax, arrays must be comprised of strings only"),
    ("VOLUME [NaN]", False, [("[NaN]", "[NaN]")], None),
    ('CMD ["a", "\\u0062"]', True, [("a", '"a"'), ("b", '"\\u0062"')], None),
    ('HEALTHCHECK --interval=5s CMD ["curl", "-f"]', True, [("CMD", "CMD"), ("curl", '"curl"'), ("-f", '"-f"')], None),
    ("WORKDIR  /my dir  ", False, [("/my dir", "/my dir")], None),
    ('ENV A="b c" D=e', False, [('A="b c"', 'A="b c"'), ("D=e", "D=e")], None),
])
def test_arguments(line, json_form, words, error):
    keyword, start = split_command(line)
    arguments = parse_arguments(keyword, line, start, "\\")
    assert arguments.json_form == json_form
    assert [(w.raw, line[w.start:w.end]) for w in arguments.words] == words
    assert arguments.error == error
