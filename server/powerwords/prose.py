"""The prose of one block: the text Power Words reads, with everything else masked.

`structure` finds the blocks; this module reads inside a prose block. Inline code, HTML tags,
autolinks, link destinations, labels and titles, and LaTeX come from tree-sitter-markdown's
inline grammar, never from hand-written Markdown parsing; link text and emphasis stay prose. A
masked block keeps the block's offsets: every non-prose character becomes MASK (line breaks
kept), and block markers inside the block (a quote's `> `) become spaces.

`extract` assembles a whole document this way (for tests and tools that want one string).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_markdown

from .structure import FRONT_MATTER, HTML, PROSE, Leaf, Units, encode, markdown_leaves, plain_leaves

MASK = "\x00"

# Inline nodes whose text is not prose.
_INLINE_SKIP = {
    "code_span", "html_tag", "uri_autolink", "email_autolink", "link_destination",
    "link_label", "link_title", "latex_block",
}
# Every inline node above starts with one of these characters: a block without them has
# nothing for the inline grammar to mask.
_INLINE_TRIGGERS = re.compile(r"[`<\[$]")
# Bare web addresses in prose (GFM's extended autolinks, which the inline grammar leaves as text).
_BARE_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>()\[\]`\x00]*[^\s<>()\[\]`.,;:!?'\"\x00]")
# A comment that switches rules off or on.
SUPPRESSION_RE = re.compile(
    r"<!--\s*powerwords-(disable-next-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE
)
_NOT_LINE_BREAK = re.compile(r"[^\r\n]")


@lru_cache(maxsize=None)
def _inline_parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_markdown.inline_language()))


def block_text(text: str, leaf: Leaf) -> str:
    """A prose leaf's text with its block markers read as spaces (no inline masking yet)."""
    piece = text[leaf.start:leaf.end]
    if leaf.spaces:
        parts, pos = [], leaf.start
        for s, e in leaf.spaces:
            parts.append(text[pos:s])
            parts.append(" " * (e - s))
            pos = e
        parts.append(text[pos:leaf.end])
        piece = "".join(parts)
    return piece


def needs_inline(piece: str) -> bool:
    """Whether the inline grammar could find anything to mask in this block text."""
    return _INLINE_TRIGGERS.search(piece) is not None


def needs_masking(piece: str) -> bool:
    """Whether `mask_inline` could change this block text (inline markup or a bare URL)."""
    return needs_inline(piece) or "://" in piece or "www." in piece


def mask_inline(piece: str, markdown: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """A block's text with inline code, HTML, link targets and bare URLs masked, and the HTML
    tags found (offsets into the block), which may hold suppression comments."""
    tags: list[tuple[int, int]] = []
    if markdown and needs_inline(piece):
        tree = _inline_parser().parse(encode(piece), encoding="utf16le")
        units = Units(piece)
        skips: list[tuple[int, int]] = []
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            if node.type in _INLINE_SKIP:
                span = (units.char(node.start_byte >> 1), units.char(node.end_byte >> 1))
                skips.append(span)
                if node.type == "html_tag":
                    tags.append(span)
                continue
            stack.extend(node.children)
        if skips:
            skips.sort()
            parts, pos = [], 0
            for s, e in skips:
                if s < pos:
                    continue
                parts.append(piece[pos:s])
                parts.append(mask(piece[s:e]))
                pos = e
            parts.append(piece[pos:])
            piece = "".join(parts)
    if "://" in piece or "www." in piece:
        piece = _BARE_URL.sub(lambda m: MASK * len(m.group()), piece)
    return piece, tags


def mask(piece: str) -> str:
    """Every character of `piece` masked except line breaks (keeps the line structure)."""
    if "\n" not in piece and "\r" not in piece:
        return MASK * len(piece)
    return _NOT_LINE_BREAK.sub(MASK, piece)


def leaves(text: str, markdown: bool) -> list[Leaf]:
    """The blocks of a document: Markdown through tree-sitter, anything else as plain text."""
    return list(markdown_leaves(text)) if markdown else plain_leaves(text)


@dataclass(frozen=True)
class Prose:
    """A whole document's prose in one string (same length as the text), and its prose blocks."""

    masked: str
    blocks: list[tuple[int, int]]


def extract(text: str, markdown: bool) -> Prose:
    """The prose of a document as one masked string: every block masked as the engine sees it."""
    parts: list[str] = []
    blocks: list[tuple[int, int]] = []
    pos = 0
    for leaf in leaves(text, markdown):
        if leaf.kind != PROSE:
            continue
        parts.append(mask(text[pos:leaf.start]))
        if markdown:
            piece, _ = mask_inline(block_text(text, leaf))
        else:
            piece = _mask_comments(text[leaf.start:leaf.end])
        parts.append(piece)
        blocks.append((leaf.start, leaf.end))
        pos = leaf.end
    parts.append(mask(text[pos:]))
    return Prose("".join(parts), blocks)


def _mask_comments(piece: str) -> str:
    """Plain text: suppression comments are not prose; bare URLs are masked too."""
    if "<!--" in piece:
        piece = SUPPRESSION_RE.sub(lambda m: mask(m.group()), piece)
    return mask_inline(piece, markdown=False)[0]


def plain_block(text: str, leaf: Leaf) -> tuple[str, list[tuple[int, int]]]:
    """A plain-text block masked (suppression comments and bare URLs), and its comments."""
    piece = text[leaf.start:leaf.end]
    comments = [m.span() for m in SUPPRESSION_RE.finditer(piece)] if "<!--" in piece else []
    return _mask_comments(piece), comments


__all__ = ["MASK", "SUPPRESSION_RE", "FRONT_MATTER", "HTML", "PROSE", "Leaf", "Prose",
           "block_text", "extract", "leaves", "mask", "mask_inline", "needs_inline", "needs_masking",
           "plain_block"]
