"""The POSIX tokenizer: words with exact spans, quoting, expansions resolved only by the caller,
operators, redirections, assignments, comments, heredocs, substitutions, and bad input as a value."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerstore_lint.model.span import Span
from dockerstore_lint.text.shell import HERE
from dockerstore_lint.text.shell_words import (
    Diagnostic,
    Expansion,
    parse_shell,
    resolve_command,
    resolve_word,
    simple_commands,
    variables,
    working_directory,
)
from tests.test_properties import check_span, examples


def words(text: str, resolver=None, line: int = 1, column: int = 1) -> list[list[tuple]]:
    """(value, written, (line, column, end line, end column), resolved) per word, per command."""
    commands, problems = simple_commands(text, "run.sh", line, column, resolver=resolver)
    assert problems == ()
    return [[(w.value, w.written, tuple(w.span[1:]), w.resolved) for w in command.words] for command in commands]


def values(text: str, resolver=None) -> list[list[str]]:
    return [[word[0] for word in command] for command in words(text, resolver)]


# --- words and their spans -----------------------------------------------------------------------

def test_words_have_exact_spans_from_the_given_start():
    assert words('docker run -v "$PWD":/src  img', working_directory(), line=3, column=5) == [[
        ("docker", "docker", (3, 5, 3, 11), True),
        ("run", "run", (3, 12, 3, 15), True),
        ("-v", "-v", (3, 16, 3, 18), True),
        (HERE + ":/src", '"$PWD":/src', (3, 19, 3, 30), True),
        ("img", "img", (3, 32, 3, 35), True),
    ]]


def test_a_word_continued_on_the_next_line_spans_both():
    assert words("docker run \\\n  -v a\\\nb:/c img") == [[
        ("docker", "docker", (1, 1, 1, 7), True),
        ("run", "run", (1, 8, 1, 11), True),
        ("-v", "-v", (2, 3, 2, 5), True),
        ("ab:/c", "a\\\nb:/c", (2, 6, 3, 5), True),
        ("img", "img", (3, 6, 3, 9), True),
    ]]


def test_later_lines_start_at_column_one():
    assert words("a\n  b", line=7, column=9) == [[("a", "a", (7, 9, 7, 10), True)], [("b", "b", (8, 3, 8, 4), True)]]


def test_a_locate_function_places_text_embedded_in_a_file():
    script = parse_shell("a bb", "ci.yml", locate=lambda offset: (20, 11 + offset * 2))
    assert [word.span for word in script.commands[0].words] == [Span("ci.yml", 20, 11, 20, 13),
                                                                Span("ci.yml", 20, 15, 20, 19)]


@pytest.mark.parametrize("text, value", [
    ("'a b'", "a b"),
    ("'a'\"b\"c", "abc"),
    ('"a \\"b\\" \\$x \\\\ \\y"', 'a "b" $x \\ \\y'),
    ("a\\ b", "a b"),
    ("\\'", "'"),
    ("''", ""),
    ("$'a\\tb\\x41\\u00e9\\'\\101'", "a\tbAé'A"),
    ('$"x y"', "x y"),
    ("a#b", "a#b"),
    ("x=y", "x=y"),
    ("a~b", "a~b"),
    ('"~/x"', "~/x"),
    ("{}", "{}"),
    ("$", "$"),
    ("$/x", "$/x"),
    ("trailing\\", "trailing\\"),
])
def test_quotes_and_escapes_are_removed_as_the_shell_does(text, value):
    assert words("echo " + text)[0][1][:2] == (value, text)
    assert words("echo " + text)[0][1][3] is True


# --- expansions ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["$HOME/x", "${HOME}/x", "${HOME:-/d}", "$(id -u)", "`id -u`", "$((1+2))", "~/x",
                                  "${{ github.workspace }}", "$1", '"$@"', "$A$B"])
def test_unknown_expansions_stay_as_written_and_unresolved(text):
    # (the command is listed after those in its substitutions)
    assert words("echo " + text)[-1][1] == (text.strip('"'), text, (1, 6, 1, 6 + len(text)), False)


def test_the_resolver_is_asked_about_each_expansion_as_written():
    asked = []

    def resolver(expansion):
        asked.append(expansion)
        return None

    parse = parse_shell('echo $A "${B:-x}" $(pwd) `pwd -P` ~ ~bob/x $((1)) ${{ env.X }} ${#C}', "f")
    resolve_command(parse.commands[-1], resolver)
    assert asked == [
        Expansion("parameter", "A", "$A", False),
        Expansion("parameter", "B", "${B:-x}", True, ":-x"),
        Expansion("command", "pwd", "$(pwd)", False),
        Expansion("command", "pwd -P", "`pwd -P`", False),
        Expansion("tilde", "", "~", False),
        Expansion("tilde", "bob", "~bob", False),
        Expansion("arithmetic", "1", "$((1))", False),
        Expansion("template", "env.X", "${{ env.X }}", False),
        Expansion("parameter", "C", "${#C}", False, "#"),
    ]


def test_known_variables_and_the_working_directory_resolve():
    resolver = variables({"DATA": HERE + "/data", "T": "/t"}, working_directory())
    assert values('docker run -v "$DATA":${T} -v $(pwd):/src -v `pwd`/x:/y -v "$UNSET":/u', resolver) == [
        ["pwd"], ["pwd"],
        ["docker", "run", "-v", HERE + "/data:/t", "-v", HERE + ":/src", "-v", HERE + "/x:/y", "-v", "$UNSET:/u"]]
    assert [word[3] for word in words('x "$DATA" "$UNSET"', resolver)[0]] == [True, True, False]


def test_an_unquoted_value_the_shell_would_split_or_glob_is_not_resolved():
    resolver = variables({"SPACED": "a b", "GLOB": "/x/*", "PLAIN": "/x"})
    assert [word[3] for word in words('x $SPACED "$SPACED" $GLOB "$GLOB" $PLAIN', resolver)[0]] == [
        True, False, True, False, True, True]


def test_an_unquoted_empty_expansion_is_no_word_at_all():
    resolver = variables({"EMPTY": ""})
    assert values('docker run $EMPTY img "$EMPTY" $EMPTY$EMPTY x', resolver) == [["docker", "run", "img", "", "x"]]


@pytest.mark.parametrize("text", ["*.txt", "a?", "[VOLUME]:/x", "{a,b}", "x{1..3}"])
def test_glob_and_brace_patterns_are_not_resolved(text):
    assert words("ls " + text)[0][1][3] is False
    assert words(f"ls '{text}'")[0][1][3] is True


def test_a_tilde_expands_at_a_word_start_and_after_an_assignment_equals_only():
    script = parse_shell("A=~/x echo ~ a~ --x=~/y ~user ~'q'", "f")
    command = script.commands[0]
    def kinds(word):
        return [piece.expansion.kind if piece.expansion else piece.text for piece in word.pieces]

    assert kinds(command.assignments[0].value) == ["tilde", "/x"]
    assert [kinds(word) for word in command.words] == [["echo"], ["tilde"], ["a~"], ["--x=~/y"], ["tilde"],
                                                       ["~q"]]


# --- commands ------------------------------------------------------------------------------------

def test_operators_end_simple_commands():
    assert values("a 1 && b || c; d | e & f |& g\nh ;; i") == [
        ["a", "1"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"], ["h"], ["i"]]


def test_subshells_and_groups_are_read_inside():
    assert values("(cd x && docker run a) ; { docker run b; }") == [["cd", "x"], ["docker", "run", "a"],
                                                                 ["docker", "run", "b"]]


def test_compound_command_keywords_are_not_commands():
    text = ("if docker run a; then echo ok; elif x; else y; fi\n"
            "for i in 1 2; do docker run $i; done\nwhile true; do ! b; done\n"
            "case $1 in\n  start) docker run c;;\nesac")
    assert values(text) == [["docker", "run", "a"], ["echo", "ok"], ["x"], ["y"], ["docker", "run", "$i"],
                            ["true"], ["b"], ["start"], ["docker", "run", "c"]]


def test_comments_end_at_the_line():
    assert values("docker run x # -v /data\n# docker run y\ndocker run z#not-a-comment") == [
        ["docker", "run", "x"], ["docker", "run", "z#not-a-comment"]]


def test_redirections_are_set_apart_with_their_targets():
    command = parse_shell("docker run x > out.log 2>&1 <in &>>all", "f").commands[0]
    assert [word.written for word in command.words] == ["docker", "run", "x"]
    assert [(r.operator, r.target.written, tuple(r.span[1:])) for r in command.redirections] == [
        (">", "out.log", (1, 14, 1, 23)), ("2>&", "1", (1, 24, 1, 28)), ("<", "in", (1, 29, 1, 32)),
        ("&>>", "all", (1, 33, 1, 39))]


def test_assignments_before_the_name_are_set_apart():
    script = parse_shell('A=1 B+="x y" docker run img C=2\nD=$(pwd)\nexport E=~/e F', "f")
    first, pwd, second, third = script.commands
    assert [word.written for word in pwd.words] == ["pwd"]
    assert [(a.name, a.value.written, tuple(a.value.span[1:]), a.append) for a in first.assignments] == [
        ("A", "1", (1, 3, 1, 4), False), ("B", '"x y"', (1, 8, 1, 13), True)]
    assert [word.written for word in first.words] == ["docker", "run", "img", "C=2"]
    assert (second.words, [a.name for a in second.assignments]) == ((), ["D"])
    assert resolve_word(second.assignments[0].value, working_directory()).value == HERE
    # a declaration's operands are assignments, and still its arguments
    assert ([a.name for a in third.assignments], [w.written for w in third.words]) == (["E"], ["export", "E=~/e", "F"])


def test_heredoc_bodies_are_data_not_commands():
    text = ("cat <<EOF > f\ndocker run a\nEOF\ncat <<-'END'\n\tdocker run b\n\tEND\n"
            "cat <<< 'docker run c'\ndocker run d")
    assert values(text) == [["cat"], ["cat"], ["cat"], ["docker", "run", "d"]]


def test_commands_in_substitutions_run_and_are_listed_first():
    script = parse_shell('ID=$(docker run -d -v a:/b img) && echo "$(docker ps)" `docker images` <(docker run c)',
                         "f")
    listed = [([w.written for w in c.words], c.substituted) for c in script.commands]
    assert listed == [(["docker", "run", "-d", "-v", "a:/b", "img"], True), ([], False),
                      (["docker", "ps"], True), (["docker", "images"], True), (["docker", "run", "c"], True),
                      (["echo", '"$(docker ps)"', "`docker images`", "<(docker run c)"], False)]
    assert script.commands[0].words[0].span == Span("f", 1, 6, 1, 12)


def test_a_substitution_of_only_a_comment_is_empty():
    # linuxserver's READMEs mark optional lines with `#optional`, which the shell runs as nothing
    assert values("docker run -d \\\n  -v /tv:/tv `#optional` \\\n  -e A=1 $(# note\n) img") == [
        ["docker", "run", "-d", "-v", "/tv:/tv", "-e", "A=1", "img"]]
    assert words('echo "`#x`"')[0][1][:2] == ("", '"`#x`"')


def test_documentation_placeholders_are_words_only_when_asked():
    line = "docker run -v <local-path>:/mnt/config -p 3100:3100 --name <YOUR NAME> <image> >log"
    commands, _ = simple_commands(line, "README.md", placeholders=True)
    assert [w.value for w in commands[0].words] == ["docker", "run", "-v", "<local-path>:/mnt/config", "-p",
                                                    "3100:3100", "--name", "<YOUR NAME>", "<image>"]
    # a shell reads redirections there
    assert values(line) == [["docker", "run", "-v", "-p", "3100:3100", "--name", "NAME"]]
    commands, _ = simple_commands("cat <in >out <<EOF", "f", placeholders=True)
    assert [[w.value for w in command.words] for command in commands] == [["cat"]]


def test_a_quoted_command_is_one_word():
    assert values("echo 'docker run -v /x img'; sh -c \"docker run y\"") == [
        ["echo", "docker run -v /x img"], ["sh", "-c", "docker run y"]]


# --- bad input is a value ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind, message, column", [
    ("ok; docker run 'x", "unterminated-quote", "unterminated single quote", 16),
    ('ok; echo "a $(b', "unterminated-substitution", "`$(` or `<(` without a matching `)`", 16),
    ('ok; echo "a', "unterminated-quote", "unterminated double quote", 10),
    ("ok; echo `a", "unterminated-quote", "unterminated backquote", 10),
    ("ok; echo ${a", "unterminated-substitution", "`${` without a matching `}`", 10),
    ("ok; echo $((1", "unterminated-substitution", "`$((` without a matching `))`", 10),
    ("ok; echo ${{ x", "unterminated-substitution", "`${{` without a matching `}}`", 10),
    ("ok; echo $'a", "unterminated-quote", "unterminated $'...' string", 10),
])
def test_unterminated_constructs_end_the_reading_with_a_diagnostic(text, kind, message, column):
    script = parse_shell(text, "f")
    assert [[w.written for w in c.words] for c in script.commands] == [["ok"]]
    assert script.problems[0][:2] == (kind, message)
    assert (script.problems[0].span.line, script.problems[0].span.column) == (1, column)


def test_nesting_and_size_have_limits():
    deep = parse_shell("echo " + "$(" * 100, "f")
    assert deep.problems[0].kind == "too-deep"
    many = parse_shell("a " * 20, "f", max_words=10)
    assert (many.commands, many.problems) == ((), (Diagnostic("too-many-words", "more than 10 words",
                                                              Span("f", 1, 21, 1, 22)),))


@pytest.mark.parametrize("text, problem", [
    ("a" * 10_000_000, None),
    ("'" * 100_001, "unterminated-quote"),
    ('"' + "a\\x" * 1_000_000, "unterminated-quote"),
    ("`" + "a\\x" * 1_000_000, "unterminated-quote"),
    ("[" * 3_000_000, None),
    ("{a" * 1_000_000, None),
    ("&" * 3_000_000, None),
    ("(" * 3_000_000, None),
    (")" * 3_000_000, None),
    ("\n" * 3_000_000, None),
    ("x <<EOF\n" + "y\n" * 1_000_000, None),
    ("a " * 1_000_000, "too-many-words"),
    ("$" * 3_000_000, "too-many-words"),
])
def test_huge_and_hostile_text_is_read_to_the_end_or_a_diagnostic(text, problem):
    script = parse_shell(text, "f")
    assert [p.kind for p in script.problems] == ([problem] if problem else [])


# --- properties ----------------------------------------------------------------------------------------

_SHELLISH = st.text(alphabet="ab $'\"\\`(){}[]<>|&;#~=*?\n\t-:/!", max_size=300)


@examples(300)
@given(st.text(max_size=300) | _SHELLISH)
def test_any_text_reads_without_exception_into_spans_inside_it(text):
    lines = {"f": text.split("\n")}
    script = parse_shell(text, "f")
    for command in script.commands:
        check_span(command.span, lines)
        resolved = resolve_command(command, working_directory(), None)
        for word in command.words:
            check_span(word.span, lines)
        for word in resolved.words:
            check_span(word.span, lines)
        for assignment in command.assignments:
            check_span(assignment.span, lines)
            check_span(assignment.value.span, lines)
        for redirection in command.redirections:
            check_span(redirection.span, lines)
    for problem in script.problems:
        check_span(problem.span, lines)
    assert parse_shell(text, "f") == script


@examples(300)
@given(st.text(alphabet="ab $'\"\\`(){}[]<>|&;#~=*?-:/!", max_size=200))
def test_every_word_is_the_text_under_its_span(text):
    # on one line, columns are offsets: what a span covers is exactly what the word says was written
    for command in parse_shell(text, "f").commands:
        for word in [*command.words, *(a.value for a in command.assignments)]:
            assert text[word.span.column - 1:word.span.end_column - 1] == word.written
