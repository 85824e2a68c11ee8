"""Open documents: kept up to date edit by edit, and re-read only where the edits landed.

`Document` holds a document's blocks (see engine.Block) and its Markdown tree. After edits,
blocks the edits did not touch keep their analysis, moved by the length inserted or removed
before them; the tree is edited and re-parsed incrementally, and only blocks that were edited,
or whose structure changed, are read again. Its analysis always equals `Engine.analyse` of the
whole current text (a property test checks exactly that).

`PartialDocument` is for files too large to read whole while someone types: it reads only the
paragraphs around each edit, parsed on their own, and says so (see the language server).
"""

from __future__ import annotations

import bisect

from . import watchdog
from .config import Config
from .edits import EditMap
from .engine import Analysis, Block, Engine
from .structure import MarkdownTree, markdown_leaves, plain_leaves


class Document:
    """An open document, kept up to date by edits and re-read only where they landed."""

    def __init__(self, engine: Engine, text: str, markdown: bool = True):
        self.engine = engine
        self.text = text
        self.markdown = markdown
        self.tree = MarkdownTree(text) if markdown else None
        found = self.tree.leaves() if self.tree is not None else plain_leaves(text)
        with watchdog.limits():
            self.blocks = [engine.read_block(text, leaf, markdown) for leaf in found]
        self.edits = EditMap()

    def edit(self, start: int, end: int, new_text: str) -> None:
        """Replace text[start:end] (string offsets) by `new_text`."""
        self.text = _spliced(self.text, start, end, new_text)
        if self.tree is not None:
            self.tree.edit(start, end, new_text)
        self.edits.add(start, end, len(new_text))

    def analyse(self, config: Config | None = None) -> Analysis:
        """The analysis of the current text."""
        if self.edits:
            with watchdog.limits():
                self._update()
        return self.engine.finish(self.text, self.blocks, config or Config())

    def _update(self) -> None:
        touched = self.edits.touched()
        kept = _untouched(self.blocks, self.edits)
        self.edits = EditMap()
        if self.tree is not None:
            dirty = _union(touched + self.tree.reparse())
            kept = _without(kept, dirty)
            fresh = self.tree.leaves(dirty)
            # The tree has the last word: a kept block overlapping a fresh leaf goes.
            kept = _without(kept, [(leaf.start, leaf.end) for leaf in fresh], touching=False)
        else:
            old = {(b.start, b.end): b for b in kept}
            fresh = []
            kept = []
            for leaf in plain_leaves(self.text):
                block = old.get((leaf.start, leaf.end))
                if block is not None and (block.kind, block.role) == (leaf.kind, leaf.role):
                    kept.append(block)
                else:
                    fresh.append(leaf)
        if fresh:
            read = [self.engine.read_block(self.text, leaf, self.markdown) for leaf in fresh]
            # Two sorted runs: the sort merges them in one pass, however many blocks are new.
            kept = sorted(kept + read, key=_block_start)
        self.blocks = kept


def _spliced(text: str, start: int, end: int, new_text: str) -> str:
    """`text` with text[start:end] replaced by `new_text` (string offsets)."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"edit range {start}..{end} is outside the text (0..{len(text)})")
    return text[:start] + new_text + text[end:]


def _untouched(blocks: list[Block], edits: EditMap) -> list[Block]:
    """The blocks no edit touched, moved to where the edits put them."""
    lo, hi, shift = edits.span()
    # Blocks wholly before the first edit stay; blocks wholly after the last one move by the
    # total length change; only the few in between need the edit map.
    a = bisect.bisect_left([b.end for b in blocks], lo)
    z = bisect.bisect_right([b.start for b in blocks], hi)
    kept = blocks[:a]
    for block in blocks[a:z]:
        moved = edits.moved(block.start, block.end)
        if moved is not None:
            block.start += moved
            block.end += moved
            kept.append(block)
    if shift:
        for block in blocks[z:]:
            block.start += shift
            block.end += shift
    kept.extend(blocks[z:])
    return kept


def _block_start(block: Block) -> int:
    return block.start


def _without(blocks: list[Block], ranges: list[tuple[int, int]], touching: bool = True) -> list[Block]:
    """`blocks` (sorted, disjoint) less those overlapping any of `ranges` (or touching one)."""
    if not ranges or not blocks:
        return blocks
    ends = [b.end for b in blocks]
    drop: set[int] = set()
    for lo, hi in ranges:
        i = bisect.bisect_left(ends, lo) if touching else bisect.bisect_right(ends, lo)
        while i < len(blocks) and (blocks[i].start <= hi if touching else blocks[i].start < hi):
            drop.add(i)
            i += 1
    return [b for i, b in enumerate(blocks) if i not in drop] if drop else blocks


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


_REGION_REACH = 4000  # characters searched on each side of an edit for a paragraph break
_FIRST_REGION = 64_000  # characters read when a large document opens: the top, on screen first
_PARAGRAPH_BREAK = ("\n\n", "\r\n\r\n", "\r\r")


class PartialDocument:
    """A document too large to read whole on every keystroke: only its top (on open) and the
    paragraphs around each edit are read, each region parsed on its own.

    Findings elsewhere are not reported, and a region parsed on its own cannot know about a
    code fence opened above it; the language server tells the user so once."""

    def __init__(self, engine: Engine, text: str, markdown: bool = True):
        self.engine = engine
        self.text = text
        self.markdown = markdown
        self.edits = EditMap()
        self.blocks: list[Block] = []
        with watchdog.limits():
            self._read_region(0, min(len(text), _FIRST_REGION))

    def edit(self, start: int, end: int, new_text: str) -> None:
        """Replace text[start:end] (string offsets) by `new_text`."""
        self.text = _spliced(self.text, start, end, new_text)
        self.edits.add(start, end, len(new_text))

    def analyse(self, config: Config | None = None) -> Analysis:
        """The analysis of the regions read so far, in the current text."""
        if self.edits:
            self.blocks = _untouched(self.blocks, self.edits)
            touched, self.edits = self.edits.touched(), EditMap()
            with watchdog.limits():
                for start, end in touched:
                    self._read_region(start, end)
        return self.engine.finish(self.text, self.blocks, config or Config())

    def _read_region(self, start: int, end: int) -> None:
        """Read the paragraphs around text[start:end] afresh."""
        text = self.text
        lo = max(max(text.rfind(b, max(0, start - _REGION_REACH), start) for b in _PARAGRAPH_BREAK), 0)
        his = [i for i in (text.find(b, end, end + _REGION_REACH) for b in _PARAGRAPH_BREAK) if i >= 0]
        hi = min(his) if his else min(len(text), end + _REGION_REACH)
        if lo > 0 and hi - lo < 2:
            return
        piece = text[lo:hi]
        leaves = markdown_leaves(piece) if self.markdown else plain_leaves(piece)
        fresh = [self.engine.read_block(piece, leaf, self.markdown) for leaf in leaves]
        for block in fresh:
            block.start += lo
            block.end += lo
        others = [b for b in self.blocks if b.end < lo or b.start > hi]
        self.blocks = sorted(others + fresh, key=_block_start)


def open_document(engine: Engine, text: str, markdown: bool, limit: int) -> Document | PartialDocument:
    """A Document, or a PartialDocument when the text has more than `limit` characters."""
    return PartialDocument(engine, text, markdown) if len(text) > limit else Document(engine, text, markdown)
