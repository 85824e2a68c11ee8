"""A document's block structure: which stretches are prose, HTML, code or front matter.

Markdown blocks come from tree-sitter-markdown's block grammar (never from hand-written Markdown
parsing). The parser reads the text as UTF-16, so that its offsets (two bytes a code unit) are
Python string offsets wherever the text has no character outside the Basic Multilingual Plane;
`Units` converts where it has some (emoji).

Three ways to get the leaves (the blocks Power Words cares about):

- `markdown_leaves`, for a one-off check: the text is parsed in chunks of about half a megabyte,
  each chunk starting where a top-level block starts, so memory stays bounded for any size (the
  tree of 10 MB of Markdown alone takes about 450 MB).
- `part_leaves` and `join_parts`, for a large file on several cores: each part is parsed as
  above from a line start of its own, and neighbouring parts join where both found a top-level
  block starting at the same place.
- `MarkdownTree`, for an open document: the tree is kept, edits are applied to it, the parser
  re-reads only what changed, and the leaves are collected only where something changed.

Plain-text files have no tree: `plain_leaves` splits them at blank lines and list markers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, NamedTuple

import tree_sitter
import tree_sitter_markdown

PROSE, HTML, FRONT_MATTER = "prose", "html", "front-matter"
# What a prose leaf is in its document, where that matters to the rules: a table's header row,
# a table's other rows, an ATX heading ("# ..."); "" for anything else.
TABLE_HEADER, TABLE_ROW, HEADING = "table-header", "table-row", "heading"
_ROLES = {"pipe_table_header": TABLE_HEADER, "pipe_table_row": TABLE_ROW}

# Block nodes that hold prose directly, that hold HTML, and that are never read. A table row is
# one block, not one per cell: a row makes one claim ("| token | one word |"), which the rules
# read as "token: one word" (see sentences.table_row).
_PROSE_NODES = {"inline", "pipe_table_header", "pipe_table_row"}
_HTML_NODES = {"html_block"}
_SKIPPED_NODES = {"fenced_code_block", "indented_code_block"}
_FRONT_MATTER_NODES = {"minus_metadata", "plus_metadata"}
# Containers whose children are top-level blocks (a section groups a heading with what follows).
_TOP_CONTAINERS = {"document", "section"}

CHUNK = 1 << 19  # characters parsed at a time by `markdown_leaves`

# Plain text: a blank line ends a paragraph; a list marker starts a new block.
_PLAIN_BREAK = re.compile(r"(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))+|(?:\r\n|\r|\n)(?=[ \t]*(?:[-*+•]|\d+[.)]|#+)[ \t])")
_FRONT_MATTER = re.compile(r"\A---[ \t]*(?:\r\n|\r|\n).*?(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|\Z)", re.S)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Leaf(NamedTuple):
    """A block: `kind` is PROSE, HTML or FRONT_MATTER; offsets are string offsets.

    `spaces` are the block markers inside a prose block (the `> ` of a quote's later lines, a
    list item's indentation), which read as white space. A named tuple: a large document has
    a hundred thousand of them, made and sent between processes cheaply."""

    start: int
    end: int
    kind: str
    spaces: tuple[tuple[int, int], ...] = ()
    role: str = ""  # TABLE_HEADER, TABLE_ROW, HEADING or ""


@lru_cache(maxsize=None)
def block_language() -> tree_sitter.Language:
    """tree-sitter-markdown's block grammar."""
    return tree_sitter.Language(tree_sitter_markdown.language())


class Units:
    """Converts between UTF-16 code units (tree-sitter's offsets here) and string offsets."""

    def __init__(self, text: str):
        # String offsets of the characters that take two code units.
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral_units = [c + i for i, c in enumerate(self._astral)]

    def char(self, unit: int) -> int:
        """The string offset of a code-unit offset."""
        return unit - bisect.bisect_left(self._astral_units, unit) if self._astral else unit

    def unit(self, char: int) -> int:
        """The code-unit offset of a string offset."""
        return char + bisect.bisect_left(self._astral, char) if self._astral else char


def encode(text: str) -> bytes:
    """The text as the parser reads it."""
    return text.encode("utf-16-le", "surrogatepass")


def _walk(node: tree_sitter.Node, lo: int, hi: int, out: list[tuple[str, int, int, tuple, str]]) -> None:
    """Collect the leaves under `node` that overlap code units [lo, hi) (in node offsets)."""
    stack = [node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind in _PROSE_NODES:
            spaces = tuple((c.start_byte >> 1, c.end_byte >> 1) for c in node.children
                           if c.type == "block_continuation")
            role = _ROLES.get(kind) or (
                HEADING if node.parent is not None and node.parent.type == "atx_heading" else "")
            out.append((PROSE, node.start_byte >> 1, node.end_byte >> 1, spaces, role))
        elif kind in _HTML_NODES:
            out.append((HTML, node.start_byte >> 1, node.end_byte >> 1, (), ""))
        elif kind in _FRONT_MATTER_NODES:
            out.append((FRONT_MATTER, node.start_byte >> 1, node.end_byte >> 1, (), ""))
        elif kind not in _SKIPPED_NODES:
            for child in reversed(node.children):
                if child.start_byte >> 1 <= hi and child.end_byte >> 1 >= lo:
                    stack.append(child)


def _to_leaves(raw: list[tuple[str, int, int, tuple, str]], units: Units, base: int) -> list[Leaf]:
    """Leaves from (kind, start, end, spaces, role) in code units of a piece starting at string
    `base`."""
    c = units.char
    return [Leaf(base + c(s), base + c(e), kind,
                 tuple((base + c(a), base + c(b)) for a, b in spaces), role)
            for kind, s, e, spaces, role in sorted(raw, key=lambda r: r[1])]


def _top_level_starts(root: tree_sitter.Node) -> list[int]:
    """Where each top-level block starts (code units), descending through sections only."""
    starts: list[int] = []
    stack = [root]
    while stack:
        node = stack.pop()
        for child in reversed(node.children):
            if child.type in _TOP_CONTAINERS:
                stack.append(child)
        for child in node.children:
            if child.type not in _TOP_CONTAINERS:
                starts.append(child.start_byte >> 1)
    return sorted(starts)


def markdown_leaves(text: str, chunk: int = CHUNK) -> Iterator[Leaf]:
    """The leaves of a Markdown document, parsed a chunk at a time (memory stays bounded).

    Each chunk ends at a line end; the last top-level block of a chunk may be cut short, so the
    next chunk starts again where that block starts. Blocks before it are complete: a later
    block had begun. A chunk that holds a single top-level block is doubled until it ends."""
    return _stretch_leaves(text, 0, len(text), chunk, None)


def _stretch_leaves(text: str, pos: int, limit: int, chunk: int,
                    tops: list[list[int]] | None) -> Iterator[Leaf]:
    """The leaves of `text[pos:limit]` (`limit` a line end), parsed a chunk at a time as in
    `markdown_leaves`; `tops`, when given, gets each chunk's top-level block starts."""
    parser = tree_sitter.Parser(block_language())
    size = max(chunk, _front_matter_reach(text)) if pos == 0 else chunk
    while pos < limit:
        end = limit if pos + size >= limit else _line_end(text, pos + size)
        piece = text[pos:end]
        tree = parser.parse(encode(piece), encoding="utf16le")
        raw: list[tuple[str, int, int, tuple, str]] = []
        units = Units(piece)
        if end == limit:
            if tops is not None:
                tops.append([pos + units.char(s) for s in _top_level_starts(tree.root_node)])
            _walk(tree.root_node, 0, len(piece) * 2, raw)
            yield from _to_leaves(raw, units, pos)
            return
        found = _top_level_starts(tree.root_node)
        if tops is not None:
            tops.append([pos + units.char(s) for s in found])
        starts = [s for s in found if s > 0]
        # A chunk must not start at `---` or `+++`: the parser would read front matter there.
        while starts and _opens_front_matter(piece, units.char(starts[-1])):
            starts.pop()
        if not starts:
            size *= 2
            continue
        resume = starts[-1]
        _walk(tree.root_node, 0, resume, raw)
        del tree
        yield from _to_leaves([r for r in raw if r[1] < resume], units, pos)
        pos += units.char(resume)
        size = chunk


def _opens_front_matter(text: str, at: int) -> bool:
    """Whether a parse starting at `at` would read front matter there."""
    return text[at:at + 3] in ("---", "+++")


# Parsing one document on several cores. Each part is parsed from a line start of its own and
# on past the next part's start by OVERLAP; where the two parses agree that a top-level block
# starts, the first part's blocks end and the second's begin. Every parse agrees on the blocks
# that follow such a start (the same reasoning as restarting a chunk at one), and where no
# start is agreed on, the caller parses the document in one go.
OVERLAP = 1 << 16


@dataclass
class Part:
    """What parsing one stretch of a document found (see `part_leaves`)."""

    start: int
    leaves: list[Leaf]
    head: list[int]  # top-level block starts in the first chunk parsed (string offsets)
    tail: list[int]  # and in all chunks, the last of which reaches into the next part


def part_starts(text: str, parts: int) -> list[int]:
    """Where each of about `parts` equal stretches of `text` starts: line starts, never at a
    line a parse would read as front matter."""
    starts = [0]
    for i in range(1, parts):
        at = _line_end(text, len(text) * i // parts)
        while at < len(text) and _opens_front_matter(text, at):
            at = _line_end(text, at + 1)
        if starts[-1] < at < len(text):
            starts.append(at)
    return starts


def part_leaves(text: str, start: int, stop: int, chunk: int = CHUNK) -> Part:
    """Parse `text` from `start` to OVERLAP past `stop` (the next part's start)."""
    limit = len(text) if stop + OVERLAP >= len(text) else _line_end(text, stop + OVERLAP)
    tops: list[list[int]] = []
    leaves = list(_stretch_leaves(text, start, limit, chunk, tops))
    # Every chunk's starts are sound up to its resume point, the last start it found.
    return Part(start, leaves, tops[0] if tops else [], sorted({x for found in tops for x in found}))


def join_parts(text: str, parts: list[Part]) -> list[Leaf] | None:
    """The document's leaves from its parsed parts, or None where two neighbouring parses
    agree on no top-level block start after the later one's own start."""
    bounds = [0]
    for before, after in zip(parts, parts[1:]):
        agreed = sorted(x for x in set(before.tail) & set(after.head)
                        if x >= after.start and x > bounds[-1] and not _opens_front_matter(text, x))
        if not agreed:
            return None
        bounds.append(agreed[0])
    bounds.append(len(text) + 1)
    return [leaf for part, lo, hi in zip(parts, bounds, bounds[1:])
            for leaf in part.leaves if lo <= leaf.start < hi]


def _front_matter_reach(text: str) -> int:
    """How far the first chunk must reach to hold any front matter whole.

    Front matter is the one block whose kind depends on text after the next block's start: a
    leading `---` is front matter only if a closing `---` line follows. The parser decides
    whether it is; this only makes sure that the first chunk shows it the closing line."""
    marker = text[:3]
    if marker not in ("---", "+++"):
        return 0
    closing = re.compile(r"(?:\r\n|\r|\n)" + re.escape(marker) + r"[ \t]*(?:\r\n|\r|\n|\Z)")
    m = closing.search(text, 3)
    return _line_end(text, m.end()) if m else 0


def _line_end(text: str, at: int) -> int:
    """The end of the line that contains `at` (after its line break)."""
    for brk in ("\n", "\r"):
        i = text.find(brk, at)
        if i >= 0:
            return i + 1
    return len(text)


def plain_leaves(text: str) -> list[Leaf]:
    """The blocks of a plain-text or prompt file: paragraphs and list items (front matter too)."""
    leaves: list[Leaf] = []
    start = 0
    fm = _FRONT_MATTER.match(text)
    if fm:
        leaves.append(Leaf(0, fm.end(), FRONT_MATTER))
        start = fm.end()
    for m in _PLAIN_BREAK.finditer(text, start):
        if m.start() > start:
            leaves.append(Leaf(start, m.start(), PROSE))
        start = m.end()
    if start < len(text):
        leaves.append(Leaf(start, len(text), PROSE))
    return leaves


def _point(text: str, offset: int) -> tuple[int, int]:
    """tree-sitter's (row, column) of a string offset: rows end at LF, columns in bytes."""
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return row, 2 * len(text[line_start:offset]) + 2 * len(_ASTRAL.findall(text, line_start, offset))


class MarkdownTree:
    """The block tree of an open document, kept up to date edit by edit.

    `edit` tells the old tree about each change as it happens; `reparse` then lets the parser
    reuse everything the edits did not touch, and reports where the structure changed."""

    def __init__(self, text: str):
        self.parser = tree_sitter.Parser(block_language())
        self.text = text
        self.units = Units(text)
        self.tree = self.parser.parse(encode(text), encoding="utf16le")
        self._edited = False

    def leaves(self, ranges: list[tuple[int, int]] | None = None) -> list[Leaf]:
        """The leaves that overlap (or touch) any of the string `ranges`; all when None."""
        whole = [(0, len(self.text))] if ranges is None else ranges
        raw: list[tuple[str, int, int, tuple, str]] = []
        for lo, hi in whole:
            _walk(self.tree.root_node, self.units.unit(lo), self.units.unit(hi), raw)
        unique = sorted(set(raw), key=lambda r: r[1])
        return _to_leaves(unique, self.units, 0)

    def edit(self, start: int, end: int, new_text: str) -> None:
        """Replace self.text[start:end] by `new_text` (string offsets), in the tree too."""
        old = self.text
        start_u, end_u = self.units.unit(start), self.units.unit(end)
        self.text = old[:start] + new_text + old[end:]
        if self.units._astral or _ASTRAL.search(new_text):
            self.units = Units(self.text)
        new_end = start + len(new_text)
        self.tree.edit(
            start_byte=2 * start_u, old_end_byte=2 * end_u,
            new_end_byte=2 * start_u + len(encode(new_text)),
            start_point=_point(old, start), old_end_point=_point(old, end),
            new_end_point=_point(self.text, new_end))
        self._edited = True

    def reparse(self) -> list[tuple[int, int]]:
        """Parse the edited text, reusing the old tree; the string ranges whose structure
        changed (the edited ranges themselves are the caller's to track)."""
        if not self._edited:
            return []
        old = self.tree
        self.tree = self.parser.parse(encode(self.text), old, encoding="utf16le")
        self._edited = False
        return [(self.units.char(r.start_byte >> 1), self.units.char(r.end_byte >> 1))
                for r in old.changed_ranges(self.tree)]
