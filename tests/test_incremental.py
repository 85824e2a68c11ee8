"""Incremental re-checking: after any sequence of edits, an open document's analysis equals a
fresh check of its whole text (the property issue 5 asks for), and the edit bookkeeping under it
is right."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from powerwords.document import Document
from powerwords.edits import EditMap
from powerwords.engine import Analysis, Engine

# Pieces that build and break Markdown structure (fences, lists, quotes, tables, front matter,
# HTML comments), terms and misuses, and odd characters, so edits change structure often.
PIECES = [
    "inference", "During inference the model learns from feedback.", "Our latency is 500 requests"
    " per second.", "make stuff up", "context window", "RAG", "hallucinat", "fine-tune the prompt",
    "\n", "\n\n", "\r\n", "\r", "```\n", "```", "~~~\n", "    ", "- ", "1. ", "> ", "# ", "## ",
    "| a | b |\n|---|---|\n| inference | x |\n", "|", "`", "<!-- powerwords-disable -->",
    "<!-- powerwords-disable-next-line -->\n", "<!--", "-->", "<div>\n", "</div>\n", "---\n",
    "[x](https://x.io/inference)", "https://x.io/inference ", "😀", "é", "\t", " ", ".", "*",
    "temperature 0 fixes hallucinations", "The agent",
]
BASE = (
    "---\ntitle: x\n---\n\n# Guide\n\nDuring inference the model learns from feedback. Keep the "
    "context window small.\n\n- Our latency is 500 requests per second.\n- Never make stuff up.\n"
    "\n```python\ninference = 1\n```\n\n> Fine-tune the prompt until it works.\n> RAG helps.\n\n"
    "| metric | value |\n|---|---|\n| inference | 3 |\n\nSetting temperature 0 fixes "
    "hallucinations.\n"
)

edit = st.tuples(st.floats(0, 1), st.floats(0, 1), st.lists(st.sampled_from(PIECES), max_size=3))


def snapshot(analysis: Analysis) -> tuple:
    """What a user sees of an analysis: findings, power words and weak phrasings."""
    return (
        [(f.start, f.end, f.code, f.severity, f.message, f.replacements) for f in analysis.findings],
        [(o.start, o.end, o.card.id, o.form) for o in analysis.occurrences],
        [(o.start, o.end, o.card.id) for o in analysis.weak],
        analysis.front_matter_end,
    )


def apply(text: str, e: tuple[float, float, list[str]]) -> tuple[int, int, str]:
    a, b = int(e[0] * len(text)), int(e[1] * len(text))
    return min(a, b), max(a, b), "".join(e[2])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edit, min_size=1, max_size=4), min_size=1, max_size=6), st.booleans())
def test_incremental_equals_full_check(engine: Engine, batches, markdown) -> None:
    doc = Document(engine, BASE, markdown)
    text = BASE
    for batch in batches:  # several edits may arrive before the next analysis
        for e in batch:
            start, end, new = apply(text, e)
            doc.edit(start, end, new)
            text = text[:start] + new + text[end:]
        assert doc.text == text
        assert snapshot(doc.analyse()) == snapshot(engine.analyse(text, markdown))


def test_typing_a_paragraph_character_by_character(engine: Engine) -> None:
    """The editor case: one character at a time, analysed after each, across structure."""
    doc = Document(engine, BASE)
    text = BASE
    typed = "\n\nOpen a fence:\n```\nDuring inference the model learns.\n```\nand close it.\n"
    at = BASE.index("# Guide") + len("# Guide")
    for i, ch in enumerate(typed):
        doc.edit(at + i, at + i, ch)
        text = text[:at + i] + ch + text[at + i:]
        assert snapshot(doc.analyse()) == snapshot(engine.analyse(text)), repr(text[:at + i + 1])
    rnd = random.Random(7)
    for _ in range(150):  # and deleting, anywhere
        i = rnd.randrange(len(text))
        doc.edit(i, i + 1, "")
        text = text[:i] + text[i + 1:]
        assert snapshot(doc.analyse()) == snapshot(engine.analyse(text)), repr(text)


def test_only_touched_blocks_are_read_again(engine: Engine, monkeypatch) -> None:
    text = "".join(f"Paragraph {i} says inference is fine.\n\n" for i in range(200))
    doc = Document(engine, text)
    doc.analyse()
    read: list[int] = []
    original = engine.read_block
    monkeypatch.setattr(engine, "read_block", lambda t, leaf, md: read.append(leaf.start)
                        or original(t, leaf, md))
    at = text.index("Paragraph 100") + len("Paragraph 10")
    doc.edit(at, at, "0")
    doc.analyse()
    assert len(read) == 1 and read[0] == text.index("Paragraph 100")


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.integers(0, 5)), max_size=80))
def test_edit_map_moves_untouched_stretches(edits) -> None:
    """Every character no edit touched is found again where EditMap says it moved."""
    size = 60
    tags = list(range(size))  # each original character, tagged by its old offset
    text: list[int | None] = list(tags)
    emap = EditMap()
    for a, b, n in edits:
        s, e = sorted((int(a * len(text)), int(b * len(text))))
        text[s:e] = [None] * n
        emap.add(s, e, n)
    where = {tag: i for i, tag in enumerate(text) if tag is not None}
    for old in range(size):
        moved = emap.moved(old, old + 1)
        if moved is not None:
            assert where[old] == old + moved
    touched = emap.touched()
    for i, tag in enumerate(text):
        if tag is None:  # inserted text always lies in a touched stretch
            assert any(s <= i < e for s, e in touched)


def test_findings_come_in_document_order(engine: Engine) -> None:
    text = BASE * 3 + "| inference | make stuff up |\n|---|---|\n| RAG | hallucinate |\n"
    for analysis in (engine.analyse(text), Document(engine, text).analyse()):
        keys = [(f.start, f.end, f.code) for f in analysis.findings]
        assert keys == sorted(keys) and len(keys) > 10
