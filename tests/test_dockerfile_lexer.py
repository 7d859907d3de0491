"""The lexer over dockerfile-parse: every defect of the library it works around (grouping, continuations,
comments and blank lines inside them, escapes, heredocs), with
exact lines and columns."""

import subprocess
import sys
from pathlib import Path

import pytest

from dockerstore_lint.inputs.dockerfile.lexer import lex
from dockerstore_lint.inputs.dockerfile.parse import parse_dockerfile
from dockerstore_lint.model.span import Span
from dockerstore_lint.text.sources import Source, decode

PATH = Path("/project/Dockerfile")


def lexed(text):
    return lex(Source(PATH, "Dockerfile", text))


def shape(text):
    """(keyword, text, line, column, end_line, end_column) per instruction."""
    return [(i.keyword, i.text, i.line, i.column, i.end_line, i.end_column) for i in lexed(text).instructions]


def from_bytes(data):
    source, problem = decode(data, PATH, "Dockerfile")
    assert problem is None
    return source


# --- §1.4 edge inputs ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   \n\t\n", "# only a comment\n"])
def test_empty_files_have_no_instructions_and_one_problem(text):
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", text))
    assert dockerfile.stages == ()
    assert [(p.code, p.message, p.span) for p in dockerfile.problems] == [
        ("DSL001", "the Dockerfile has no instructions: Docker refuses to build it", Span.point("Dockerfile", 1))]


def test_garbage_is_an_unknown_instruction_at_its_position():
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", "FROM alpine\n  hello world\n"))
    assert [(p.message, p.span) for p in dockerfile.problems] == [
        ("unknown instruction: HELLO (did you mean SHELL?); Docker refuses the file",
         Span("Dockerfile", 2, 3, 2, 8))]


def test_unknown_instruction_suggests_the_close_one():
    problems = parse_dockerfile(Source(PATH, "Dockerfile", "FROM a\nVOLUMES /data\n")).problems
    assert [p.message for p in problems] == [
        "unknown instruction: VOLUMES (did you mean VOLUME?); Docker refuses the file"]


def test_text_the_library_cannot_decode_does_not_raise():
    # lone surrogates cannot be encoded as UTF-8; dockerfile-parse would raise on undecodable bytes
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", "# caf\udce9\nFROM alpine\nVOLUME /d\udce9\n"))
    assert [stage.base.raw for stage in dockerfile.stages] == ["alpine"]
    assert dockerfile.stages[0].volumes[0].path.text == "/d\udce9"


def test_latin1_bytes_are_refused_by_the_reader_not_the_parser():
    source, problem = decode(b"# caf\xe9\nFROM alpine\n", PATH, "Dockerfile")
    assert source is None and problem.code == "DSL001" and (problem.span.line, problem.span.column) == (1, 6)


def test_nul_in_text_does_not_raise():
    dockerfile = parse_dockerfile(Source(PATH, "Dockerfile", "FROM alpine\x00\n"))
    assert dockerfile.stages[0].base.raw == "alpine\x00"


def test_crlf_line_endings():
    source = from_bytes(b"FROM alpine\r\nRUN echo a \\\r\n    b\r\nVOLUME /data\r\n")
    assert shape(source.text) == [
        ("FROM", "FROM alpine", 1, 1, 1, 12),
        ("RUN", "RUN echo a     b", 2, 1, 3, 6),
        ("VOLUME", "VOLUME /data", 4, 1, 4, 13),
    ]


def test_stray_carriage_returns_are_line_endings_only():
    assert shape("FROM alpine\r\r\nRUN a \\\r\n b\r") == [("FROM", "FROM alpine", 1, 1, 1, 12),
                                                           ("RUN", "RUN a  b", 2, 1, 3, 3)]


def test_utf8_bom_is_ignored_and_does_not_shift_columns():
    source = from_bytes(b"\xef\xbb\xbfFROM alpine\nVOLUME /data\n")
    dockerfile = parse_dockerfile(source)
    assert dockerfile.stages[0].base.raw == "alpine"
    assert dockerfile.stages[0].span == Span("Dockerfile", 1, 1, 1, 12)
    # a BOM left in the text (not read through `decode`) is ignored the same way
    assert shape("\ufeffFROM alpine") == [("FROM", "FROM alpine", 1, 1, 1, 12)]


def test_bom_before_an_escape_directive_keeps_the_directive():
    source = from_bytes("\ufeff# escape=`\nFROM x\nRUN a `\n  b\n".encode("utf-8"))
    result = lexed(source.text)
    assert result.escape == "`"
    assert [(i.keyword, i.line, i.end_line) for i in result.instructions] == [("FROM", 2, 2), ("RUN", 3, 4)]


@pytest.mark.parametrize("ending", ["", "\n"])
def test_a_continuation_at_the_end_of_the_file_keeps_the_instruction(ending):
    assert shape("FROM alpine\nRUN echo a \\" + ending) == [("FROM", "FROM alpine", 1, 1, 1, 12),
                                                             ("RUN", "RUN echo a", 2, 1, 2, 13)]


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_blank_lines_inside_a_continuation_are_skipped(blank):
    text = f"FROM alpine\nRUN apt-get update \\\n{blank}\n    && apt-get install -y x\nVOLUME /v\n"
    assert shape(text) == [
        ("FROM", "FROM alpine", 1, 1, 1, 12),
        ("RUN", "RUN apt-get update     && apt-get install -y x", 2, 1, 4, 28),
        ("VOLUME", "VOLUME /v", 5, 1, 5, 10),
    ]


def test_comments_inside_a_continuation_are_skipped():
    assert shape("FROM a\nRUN one \\\n  # note\n  two\n") == [("FROM", "FROM a", 1, 1, 1, 7),
                                                             ("RUN", "RUN one   two", 2, 1, 4, 6)]


@pytest.mark.parametrize("keyword", ["HEALTHCHECK", "CMD", "STOPSIGNAL"])
def test_a_bare_keyword_at_the_end_of_the_file_is_kept(keyword):
    assert shape("FROM alpine\n" + keyword) == [("FROM", "FROM alpine", 1, 1, 1, 12),
                                                (keyword, keyword, 2, 1, 2, len(keyword) + 1)]


def test_keywords_are_upper_cased_and_text_kept():
    assert shape("from alpine\nvolume /x\n") == [("FROM", "from alpine", 1, 1, 1, 12),
                                                 ("VOLUME", "volume /x", 2, 1, 2, 10)]


def test_only_newline_ends_a_line():
    # str.splitlines() would split on \x0c, \x1c, \x85 and \u2028 and shift every line after them
    result = shape("FROM alpine\nRUN echo a\x0cb\x85c\u2028d\nVOLUME /data\n")
    assert [(keyword, line) for keyword, _, line, *_ in result] == [("FROM", 1), ("RUN", 2), ("VOLUME", 3)]


def test_an_escaped_escape_at_the_end_of_a_line_does_not_continue_it():
    # BuildKit: `\\` at the end is an escaped backslash; dockerfile-parse would join the next line
    assert shape("FROM a\nRUN echo a\\\\\nVOLUME /x\n") == [("FROM", "FROM a", 1, 1, 1, 7),
                                                            ("RUN", "RUN echo a\\\\", 2, 1, 2, 13),
                                                            ("VOLUME", "VOLUME /x", 3, 1, 3, 10)]


def test_a_keyword_split_over_two_lines_is_one_keyword():
    assert shape("FROM a\nVOL\\\nUME /x\n") == [("FROM", "FROM a", 1, 1, 1, 7), ("VOLUME", "VOLUME /x", 2, 1, 3, 7)]


def test_indented_instructions_have_their_real_column():
    result = lexed("FROM a\n   VOLUME /x\n").instructions[1]
    assert (result.line, result.column) == (2, 4)


# --- §1.2 parser directives --------------------------------------------------------------------

def test_escape_directive_on_the_first_line():
    result = lexed("# escape=`\nFROM x\nWORKDIR C:\\\nRUN a `\n  b\n")
    assert result.escape == "`"
    assert [(i.keyword, i.text) for i in result.instructions] == [
        ("FROM", "FROM x"), ("WORKDIR", "WORKDIR C:\\"), ("RUN", "RUN a   b")]


def test_escape_directive_after_check_directive():
    # dockerfile-parse stops reading directives at `# check=` and then joins the wrong lines
    result = lexed("# check=skip=JSONArgsRecommended\n# escape=`\nFROM x\nRUN a `\n  b\n")
    assert result.escape == "`"
    assert [(i.keyword, i.line, i.end_line) for i in result.instructions] == [("FROM", 3, 3), ("RUN", 4, 5)]


def test_escape_directive_after_syntax_directive():
    assert lexed("# syntax=docker/dockerfile:1\n#escape = `\nFROM x\n").escape == "`"


@pytest.mark.parametrize("text", ["\n# escape=`\nFROM x\n", "# hello\n# escape=`\nFROM x\n", "FROM x\n# escape=`\n"])
def test_escape_directive_after_anything_else_is_a_comment(text):
    assert lexed(text).escape == "\\"


def test_repeated_directive_is_refused():
    result = lexed("# escape=`\n# escape=\\\nFROM x\n")
    assert [(p.message, p.span) for p in result.problems] == [
        ("only one escape parser directive can be used", Span("Dockerfile", 2, 1, 2, 11))]


def test_invalid_escape_token_is_refused():
    problems = parse_dockerfile(Source(PATH, "Dockerfile", "# escape=x\nFROM x\n")).problems
    assert [(p.code, p.message, p.span.line) for p in problems] == [
        ("DSL001", "invalid escape token 'x' does not match ` or \\", 1)]


# --- §1.3 heredocs --------------------------------------------------------------------------

def test_heredoc_body_lines_never_become_instructions():
    text = ("FROM debian\nRUN <<EOF\nset -e\nVOLUME /not-an-instruction\n# not a comment for docker\n\nEOF\n"
            "VOLUME /real\n")
    result = lexed(text)
    assert [(i.keyword, i.line, i.end_line, i.end_column) for i in result.instructions] == [
        ("FROM", 1, 1, 12), ("RUN", 2, 7, 4), ("VOLUME", 8, 8, 13)]
    body = "set -e\nVOLUME /not-an-instruction\n# not a comment for docker\n\n"
    assert result.instructions[1].heredocs == (("EOF", body),)
    stage = parse_dockerfile(Source(PATH, "Dockerfile", text)).stages[0]
    assert [volume.path.text for volume in stage.volumes] == ["/real"]


def test_chomped_heredoc_ends_at_a_tab_indented_terminator():
    result = lexed("FROM a\nRUN <<-EOT bash\n\tmkdir /cache\n\tEOT\nUSER app\n")
    assert [(i.keyword, i.line, i.end_line) for i in result.instructions] == [("FROM", 1, 1), ("RUN", 2, 4),
                                                                             ("USER", 5, 5)]
    assert result.instructions[1].heredocs == (("EOT", "\tmkdir /cache\n"),)


@pytest.mark.parametrize("opening", ['<<"EOF"', "<<'EOF'", "<<E\"O\"F", '<<-"EOF"'])
def test_quoted_heredoc_markers(opening):
    result = lexed(f"FROM a\nCOPY {opening} /etc/app.conf\nkey=$value\nEOF\nUSER app\n")
    assert [i.keyword for i in result.instructions] == ["FROM", "COPY", "USER"]
    assert result.instructions[1].heredocs == (("EOF", "key=$value\n"),)


def test_several_heredocs_on_one_line_are_read_in_order():
    text = "FROM a\nCOPY <<FILE1 <<FILE2 /dest/\nVOLUME /one\nFILE1\nWORKDIR /two\nFILE2\nENV A=1\n"
    result = lexed(text)
    assert [(i.keyword, i.line, i.end_line) for i in result.instructions] == [
        ("FROM", 1, 1), ("COPY", 2, 6), ("ENV", 7, 7)]
    assert result.instructions[1].heredocs == (("FILE1", "VOLUME /one\n"), ("FILE2", "WORKDIR /two\n"))


def test_heredoc_with_file_descriptor_and_after_a_command():
    result = lexed("FROM a\nRUN python3 3<<PY > /out\nprint(1)\nPY\n")
    assert result.instructions[1].heredocs == (("PY", "print(1)\n"),)


def test_no_heredoc_in_json_form_or_other_instructions():
    result = lexed('FROM a\nRUN ["cat", "<<EOF"]\nENV X=<<EOF\nEOF\n')
    assert [(i.keyword, i.heredocs) for i in result.instructions] == [
        ("FROM", ()), ("RUN", ()), ("ENV", ()), ("EOF", ())]


def test_here_string_is_not_a_heredoc():
    assert lexed("FROM a\nRUN cat <<<EOF\nVOLUME /x\n").instructions[1].heredocs == ()


def test_heredoc_under_onbuild():
    result = lexed("FROM a\nONBUILD RUN <<EOF\nVOLUME /x\nEOF\n")
    assert [(i.keyword, i.heredocs) for i in result.instructions] == [("FROM", ()),
                                                                     ("ONBUILD", (("EOF", "VOLUME /x\n"),))]


def test_unterminated_heredoc_is_a_problem_at_the_instruction():
    text = "FROM a\nRUN <<EOF\necho hi\nVOLUME /x\n"
    result = lexed(text)
    assert [(i.keyword, i.end_line) for i in result.instructions] == [("FROM", 1), ("RUN", 4)]
    assert [(p.code, p.message, p.span) for p in result.problems] == [
        ("DSL001", "unterminated heredoc <<EOF: no line `EOF` ends it", Span("Dockerfile", 2, 1, 4, 10))]


def test_heredoc_body_with_continuations_does_not_swallow_the_next_instruction():
    result = lexed("FROM a\nRUN <<EOF\necho a \\\n\nEOF\nVOLUME /x\n")
    assert [(i.keyword, i.line) for i in result.instructions] == [("FROM", 1), ("RUN", 2), ("VOLUME", 6)]


# --- positions of sub-tokens ---------------------------------------------------------------

def test_positions_across_continuation_lines():
    line = lexed("FROM a\nVOLUME /one \\\n   /two\n").instructions[1]
    start = line.text.index("/two")
    assert line.span("Dockerfile", start, start + 4) == Span("Dockerfile", 3, 4, 3, 8)


def test_dockerfile_parse_is_imported_only_when_a_dockerfile_is_parsed():
    code = ("import sys, dockerstore_lint.inputs.dockerfile.parse as d; assert 'dockerfile_parse' not in sys.modules;"
            "from pathlib import Path; from dockerstore_lint.text.sources import Source;"
            "d.parse_dockerfile(Source(Path('/D'), 'D', 'FROM a')); assert 'dockerfile_parse' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
