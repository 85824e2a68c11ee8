"""Which parts of a document are prose: the text Power Words reads.

Markdown structure comes from tree-sitter-markdown (the block grammar, then the inline grammar
over the inline ranges), never from hand-written Markdown parsing. Code (fenced, indented,
inline), HTML, autolinks, link destinations and labels, and YAML front matter are not prose;
link text, emphasis, headings, list items and table cells are. Plain-text and prompt files are
prose throughout.

The result keeps the document's offsets: `masked` has the same length as the text, with every
non-prose character replaced by MASK (line breaks kept), and `blocks` lists the prose blocks
(paragraphs, headings, list items, table cells) in which sentences live.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_markdown

MASK = "\x00"

_INLINE_BATCH = 2000  # prose ranges parsed by the inline grammar at a time
# Inline nodes whose text is not prose.
_INLINE_SKIP = {
    "code_span", "html_tag", "uri_autolink", "email_autolink", "link_destination",
    "link_label", "link_title", "latex_block",
}
# Block nodes that hold prose directly.
_PROSE_BLOCKS = {"inline", "pipe_table_cell"}
# Bare web addresses in prose (GFM's extended autolinks, which the inline grammar leaves as text).
_BARE_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>()\[\]`\x00]*[^\s<>()\[\]`.,;:!?'\"\x00]")
# A comment that switches rules off or on.
SUPPRESSION_RE = re.compile(
    r"<!--\s*powerwords-(disable-next-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE
)
# Plain text: a blank line ends a paragraph; a list marker starts a new block.
_PLAIN_BREAK = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))+|(?:\r\n|\r|\n)(?=[ \t]*(?:[-*+•]|\d+[.)]|#+)[ \t])")
_FRONT_MATTER = re.compile(r"\A---[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|\Z)", re.S)


@dataclass(frozen=True)
class Prose:
    """A document's prose: the masked text, the prose blocks, and the suppression comments."""

    masked: str
    blocks: list[tuple[int, int]]
    comments: list[tuple[int, int]]

    def block_at(self, offset: int) -> tuple[int, int] | None:
        """The block that contains `offset`, if any."""
        i = bisect.bisect_right(self.blocks, (offset, float("inf"))) - 1
        if i >= 0 and self.blocks[i][0] <= offset < self.blocks[i][1]:
            return self.blocks[i]
        return None


@lru_cache(maxsize=None)
def _languages() -> tuple[tree_sitter.Language, tree_sitter.Language]:
    return (tree_sitter.Language(tree_sitter_markdown.language()),
            tree_sitter.Language(tree_sitter_markdown.inline_language()))


class _Offsets:
    """Converts UTF-8 byte offsets (tree-sitter's) to character offsets (Python's)."""

    def __init__(self, text: str):
        self.ascii = text.isascii()
        if self.ascii:
            return
        # For each non-ASCII character: its byte offset and the extra bytes up to and including it.
        self._bytes: list[int] = []
        self._extra: list[int] = []
        extra = 0
        for i, ch in enumerate(text):
            if ch > "\x7f":
                n = len(ch.encode("utf-8", "surrogatepass")) - 1
                self._bytes.append(i + extra)
                extra += n
                self._extra.append(extra)

    def char(self, byte: int) -> int:
        if self.ascii:
            return byte
        i = bisect.bisect_left(self._bytes, byte) - 1
        return byte - (self._extra[i] if i >= 0 else 0)


def _markdown(text: str) -> Prose:
    block_lang, inline_lang = _languages()
    source = text.encode("utf-8", "surrogatepass")
    tree = tree_sitter.Parser(block_lang).parse(source)
    conv = _Offsets(text)
    blocks: list[tuple[int, int]] = []
    inline_ranges: list[tree_sitter.Range] = []
    spaces: list[tuple[int, int]] = []  # block markers inside prose: read as white space
    comments: list[tuple[int, int]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in _PROSE_BLOCKS:
            blocks.append((node.start_byte, node.end_byte))
            inline_ranges.append(node.range)
            for child in node.children:
                if child.type == "block_continuation":
                    spaces.append((child.start_byte, child.end_byte))
            continue
        if kind == "html_block":
            comments.append((node.start_byte, node.end_byte))
            continue
        if kind in ("fenced_code_block", "indented_code_block", "minus_metadata", "plus_metadata"):
            continue
        stack.extend(reversed(node.children))
    skips: list[tuple[int, int]] = []
    if inline_ranges:
        # The inline grammar runs over the prose ranges in batches: one tree over a huge
        # document would hold every inline node at once (hundreds of MB for 10 MB of text).
        del tree
        parser = tree_sitter.Parser(inline_lang)
        for i in range(0, len(inline_ranges), _INLINE_BATCH):
            parser.included_ranges = inline_ranges[i:i + _INLINE_BATCH]
            stack = [parser.parse(source).root_node]
            while stack:
                node = stack.pop()
                if node.type in _INLINE_SKIP:
                    skips.append((node.start_byte, node.end_byte))
                    if node.type == "html_tag":
                        comments.append((node.start_byte, node.end_byte))
                    continue
                stack.extend(node.children)
    return _assemble(text,
                     sorted((conv.char(s), conv.char(e)) for s, e in blocks),
                     [(conv.char(s), conv.char(e)) for s, e in skips],
                     [(conv.char(s), conv.char(e)) for s, e in spaces],
                     sorted((conv.char(s), conv.char(e)) for s, e in comments))


def _assemble(text: str, blocks: list[tuple[int, int]], skips: list[tuple[int, int]],
              spaces: list[tuple[int, int]], comments: list[tuple[int, int]]) -> Prose:
    """Build the masked text: prose kept, skipped spans masked, block markers blanked."""
    parts: list[str] = []
    pos = 0
    for start, end in blocks:
        if start > pos:
            parts.append(_mask(text[pos:start]))
        parts.append(text[start:end])
        pos = max(pos, end)
    if pos < len(text):
        parts.append(_mask(text[pos:]))
    masked = "".join(parts)
    edits = [(s, e, True) for s, e in skips] + [(s, e, False) for s, e in spaces]
    if edits:
        buf = list(masked) if len(edits) > 64 else None
        for s, e, hide in edits:
            piece = _mask(masked[s:e]) if hide else " " * (e - s)
            if buf is not None:
                buf[s:e] = piece
            else:
                masked = masked[:s] + piece + masked[e:]
        if buf is not None:
            masked = "".join(buf)
    masked = _BARE_URL.sub(lambda m: MASK * len(m.group()), masked)
    return Prose(masked, blocks, comments)


def _mask(piece: str) -> str:
    """Mask every character of `piece` except line breaks (keeps the line structure)."""
    if "\n" not in piece and "\r" not in piece:
        return MASK * len(piece)
    return re.sub(r"[^\r\n]", MASK, piece)


def _plain(text: str) -> Prose:
    start = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        start = fm.end()
    blocks: list[tuple[int, int]] = []
    for m in _PLAIN_BREAK.finditer(text, start):
        if m.start() > start:
            blocks.append((start, m.start()))
        start = m.end()
    if start < len(text):
        blocks.append((start, len(text)))
    comments = [(m.start(), m.end()) for m in SUPPRESSION_RE.finditer(text)]
    prose = _assemble(text, blocks, comments, [], comments)
    return prose


def extract(text: str, markdown: bool) -> Prose:
    """The prose of a document: Markdown through tree-sitter, anything else as plain text."""
    return _markdown(text) if markdown else _plain(text)
