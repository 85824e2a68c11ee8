"""Only prose is read: Markdown structure comes from tree-sitter-markdown."""

from __future__ import annotations

from powerwords.prose import MASK, extract


def visible(text: str, markdown: bool = True) -> str:
    return extract(text, markdown).masked.replace(MASK, "")


def test_code_is_never_prose():
    text = "Use `inference` here.\n\n```python\ninference = 1\n```\n\n    indented inference\n"
    out = visible(text)
    assert "Use  here." in out
    assert "inference" not in out


def test_links_keep_their_text_but_not_their_destinations():
    text = "See [the inference guide](https://x.io/inference) and <https://y.io/inference>.\n"
    out = visible(text)
    assert "the inference guide" in out
    assert "x.io" not in out and "y.io" not in out


def test_bare_urls_comments_and_front_matter_are_masked():
    text = ("---\ntitle: inference\n---\n\nRead https://x.io/inference or www.a.com/inference now."
            "\n\n<!-- inference in a comment -->\n\nText <!-- inline inference --> end.\n")
    out = visible(text)
    assert "title" not in out
    assert "inference" not in out
    assert "Read" in out and "now." in out and "Text" in out and "end." in out


def test_headings_lists_tables_and_quotes_are_prose():
    text = "# Inference costs\n\n- inference in a list\n\n| a | b |\n|---|---|\n| inference | x |\n\n> quoted\n> inference\n"
    prose = extract(text, True)
    assert prose.masked.count("nference") == 4
    assert len(prose.masked) == len(text)


def test_offsets_survive_non_ascii_text():
    text = "Émoji 😀 `code` and inference.\n"
    prose = extract(text, True)
    assert prose.masked.index("inference") == text.index("inference")
    assert prose.masked[text.index("`"):text.index("`") + 6] == MASK * 6


def test_plain_text_is_all_prose_except_front_matter():
    text = "---\nmodel: x\n---\nUse `inference` freely.\n\n- one\n- two\n"
    prose = extract(text, False)
    assert "`inference`" in prose.masked
    assert "model" not in prose.masked
    assert len(prose.blocks) == 3
