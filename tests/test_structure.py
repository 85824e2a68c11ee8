"""Block structure: parsing in chunks gives exactly the blocks of parsing the whole text."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings, strategies as st

import pytest

from powerwords import structure
from powerwords.structure import (FRONT_MATTER, HTML, PROSE, MarkdownTree, Units, join_parts,
                                  markdown_leaves, part_leaves, part_starts)

from test_incremental import BASE, PIECES


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + ["\n\n", "\n\n", "Plain words here.\n"]), max_size=60),
       st.integers(1, 120))
def test_chunked_parse_equals_whole_parse(pieces, chunk) -> None:
    text = BASE + "".join(pieces)
    whole = _whole(text)
    assert _readable(text, markdown_leaves(text, chunk=chunk)) == _readable(text, whole)


def _whole(text: str):
    """The leaves of the whole parse, for texts the grammar reads without a syntax error: where
    it has to recover from one (a pipe row over a `---` line may end in an ERROR node that
    swallows the lines after it), a parse that starts elsewhere recovers differently."""
    tree = MarkdownTree(text)
    assume(not tree.tree.root_node.has_error)
    return tree.leaves()


def _readable(text: str, leaves) -> list:
    # Error recovery may differ on an empty heading at the very end ("# "): a blank block
    # holds nothing to read either way.
    return [leaf for leaf in leaves if leaf.kind != PROSE or text[leaf.start:leaf.end].strip()]


def _in_parts(text: str, parts: int, chunk: int):
    starts = part_starts(text, parts)
    stops = starts[1:] + [len(text)]
    return join_parts(text, [part_leaves(text, a, b, chunk) for a, b in zip(starts, stops)])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + ["\n\n", "\n\n", "Plain words here.\n", "---\n",
                                          "```\n", "> ", "- "]), max_size=60),
       st.integers(2, 5), st.integers(1, 200), st.integers(8, 400))
def test_parts_parsed_apart_and_joined_equal_the_whole_parse(pieces, parts, overlap, chunk) -> None:
    text = BASE + "".join(pieces)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(structure, "OVERLAP", overlap)
        joined = _in_parts(text, parts, chunk)
    if joined is not None:  # None: the parts agreed on no boundary, and the caller parses whole
        assert _readable(text, joined) == _readable(text, _whole(text))


def test_parts_of_a_long_document_agree_on_their_boundaries() -> None:
    unit = "# Notes\n\nSome prose about inference.\n\n- a list\n- of items\n\n```\ncode\n```\n\n"
    text = unit * 4000
    joined = _in_parts(text, 4, structure.CHUNK)
    assert joined is not None
    assert joined == list(markdown_leaves(text))


def test_leaf_kinds_and_offsets() -> None:
    text = "---\na: 1\n---\n\n# Title 😀\n\n<div>x</div>\n\n```\ncode\n```\n\n> quote\n> more\n"
    leaves = MarkdownTree(text).leaves()
    kinds = [(leaf.kind, text[leaf.start:leaf.end]) for leaf in leaves]
    assert kinds[0][0] == FRONT_MATTER
    assert (PROSE, "Title 😀") in kinds
    assert any(k == HTML and "<div>" in t for k, t in kinds)
    assert not any("code" in t for k, t in kinds if k == PROSE)
    quote = next(leaf for leaf in leaves if "quote" in text[leaf.start:leaf.end])
    assert [text[s:e] for s, e in quote.spaces] == ["> "]


def test_units_convert_both_ways() -> None:
    text = "a😀b😀😀c"
    units = Units(text)
    for i in range(len(text) + 1):
        u = len(text[:i].encode("utf-16-le")) // 2
        assert units.unit(i) == u and units.char(u) == i


def test_leaves_know_table_headers_rows_and_headings() -> None:
    text = "# Myths\n\nSome prose.\n\n| Myth | Reality |\n|---|---|\n| a | b |\n\nSetext\n---\n"
    roles = [(text[leaf.start:leaf.end].strip(), leaf.role) for leaf in MarkdownTree(text).leaves()]
    assert roles == [("Myths", "heading"), ("Some prose.", ""), ("| Myth | Reality |", "table-header"),
                     ("| a | b |", "table-row"), ("Setext", "")]
    assert [leaf.role for leaf in markdown_leaves(text)] == [role for _, role in roles]
