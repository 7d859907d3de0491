"""The offset -> file position map for text read out of other text."""

from __future__ import annotations

from dockerstore_lint.text.positions import EmbeddedBuilder, FileText


def test_file_positions_are_lines_and_character_columns():
    origin = FileText("f", "ab\nçd\n\nx")
    assert origin.position(0) == (1, 1)
    assert origin.position(4) == (2, 2)
    assert origin.position(7) == (4, 1)
    assert origin.offset(2, 2) == 4
    assert tuple(origin.span(3, 5)) == ("f", 2, 1, 2, 3)
    assert tuple(origin.span(5, 5)) == ("f", 2, 3, 2, 4)  # an empty region is a point


def test_copied_runs_map_one_for_one_and_join_across_lines():
    origin = FileText("f", "\tdocker run \\\n\t  -v x:/y img\n")
    builder = EmbeddedBuilder(origin)
    builder.copy(1, 14)  # the first line without its tab, with the continuation
    builder.copy(15, 28)  # the next line without its tab
    embedded = builder.build()
    assert embedded.text == "docker run \\\n  -v x:/y img"
    start = embedded.text.index("x:/y")
    assert tuple(embedded.span(start, start + 4)) == ("f", 2, 7, 2, 11)
    assert embedded.written(0, 6) == "docker"
    assert len(embedded.starts) == 2


def test_inserted_text_stands_for_the_whole_region_it_replaced():
    origin = FileText("f", "-v $(CURDIR)/data:/data")
    builder = EmbeddedBuilder(origin)
    builder.copy(0, 3)
    builder.insert("\ue000", 3, 12)
    builder.copy(12, 23)
    embedded = builder.build()
    assert embedded.text == "-v \ue000/data:/data"
    assert embedded.written(3, len(embedded.text)) == "$(CURDIR)/data:/data"
    assert tuple(embedded.span(3, 4)) == ("f", 1, 4, 1, 13)
    assert tuple(embedded.span(4, 9)) == ("f", 1, 13, 1, 18)


def test_extend_keeps_the_map_of_another_embedded_text():
    origin = FileText("f", "abc ${{ x }} def")
    inner = EmbeddedBuilder(origin)
    inner.copy(0, 16)
    first = inner.build()
    builder = EmbeddedBuilder(origin)
    builder.extend(first, 0, 4)
    builder.insert("?", 4, 12)
    builder.extend(first, 12)
    embedded = builder.build()
    assert embedded.text == "abc ? def"
    assert embedded.written(4, 9) == "${{ x }} def"
    assert embedded.file_offset(6) == 13


def test_the_whole_file():
    origin = FileText("f", "a\nb")
    whole = origin.whole()
    assert whole.text == "a\nb" and tuple(whole.span(2, 3)) == ("f", 2, 1, 2, 2)
