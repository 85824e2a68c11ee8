"""Offsets to LSP positions: UTF-16 by default, correct with emoji, accents and CRLF."""

from __future__ import annotations

from hypothesis import given, strategies as st

from powerwords.positions import UTF8, UTF16, UTF32, LineIndex


def test_emoji_takes_two_utf16_units():
    text = "😀 inference"
    index = LineIndex(text)
    assert index.position(text.index("inference"), UTF16) == (0, 3)
    assert index.position(text.index("inference"), UTF8) == (0, 5)
    assert index.position(text.index("inference"), UTF32) == (0, 2)


def test_crlf_and_cr_line_ends():
    text = "a\r\nb\rc\nd"
    index = LineIndex(text)
    assert [index.position(text.index(ch)) for ch in "abcd"] == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert index.offset(1, 5) == text.index("b") + 1  # past the end of the line: clamped


def test_offset_inside_a_surrogate_pair_rounds_down():
    text = "x😀y"
    assert LineIndex(text).offset(0, 2, UTF16) == 1


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200), st.data())
def test_round_trip(text, data):
    index = LineIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    # Offsets that split a CRLF pair have no position of their own.
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        return
    for enc in (UTF8, UTF16, UTF32):
        line, col = index.position(offset, enc)
        assert index.offset(line, col, enc) == offset
