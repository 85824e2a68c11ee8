"""The engine: from a document's text to its power words and findings.

Plain Python with no LSP types. The language server and the CLI both call `Engine.analyse`
and turn its findings into diagnostics with the same function (`diagnostics.to_lsp`), so the
two always agree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from . import sentences, watchdog
from .cards import Card
from .config import Config
from .pack import TermPack, Weak
from .prose import (MASK, SUPPRESSION_RE, block_text, leaves, mask_inline, needs_masking,
                    plain_block)
from .rules import is_loose_sense, is_sense, misuses_in, with_sentinel
from .structure import FRONT_MATTER, HEADING, HTML, PROSE, TABLE_HEADER, TABLE_ROW, Leaf

_ID_SPLIT = re.compile(r"[\s,]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_WINDOW = 400  # characters on each side of an occurrence in a run-on sentence
_PARAGRAPH_WINDOW = 3000  # characters on each side that sense guards search for context
# How many lines below its table's header, or its section's heading, a corrected claim may be
# read as one: longer tables and sections are rare.
_TABLE_REACH = 401
_SECTION_REACH = 300


@dataclass(frozen=True)
class Occurrence:
    """A power word (or weak phrase) found in prose: offsets into the document's text."""

    start: int
    end: int
    card: Card
    form: str
    weak: Weak | None = None


@dataclass(frozen=True)
class Finding:
    """Something to tell the writer: a misuse of a term, or a weak phrasing with a stronger word."""

    start: int
    end: int
    term: str
    kind: str  # "misuse" or "weak-phrase"
    misuse: str | None
    message: str
    replacements: tuple[str, ...]
    severity: str

    @property
    def code(self) -> str:
        """`<term>/<misuse>` or `<term>/weak-phrase`."""
        return f"{self.term}/{self.misuse or 'weak-phrase'}"


@dataclass
class Block:
    """What one block of a document holds, in offsets relative to the block's start, so that
    the block can move when text before it is edited without being read again."""

    start: int
    end: int
    kind: str  # structure.PROSE, HTML or FRONT_MATTER
    role: str = ""  # structure.TABLE_HEADER, TABLE_ROW, HEADING or ""
    masked: str = ""  # a prose block's text as the rules read it (see prose.py)
    occurrences: list[Occurrence] = field(default_factory=list)
    weak: list[Occurrence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # severity decided per document
    comments: list[tuple[int, int]] = field(default_factory=list)  # HTML that may suppress
    # The findings rated and filtered for a config (offsets still relative), and those placed
    # in the document at `start`: kept while the config and the block's place stay, so an edit
    # elsewhere rebuilds neither.
    rated: tuple[Config | None, list[Finding]] = (None, [])
    placed: tuple[int, list[Finding]] = (-1, [])

    def findings_for(self, config: Config) -> list[Finding]:
        """The block's findings for `config`, in document offsets."""
        rated_for, rated = self.rated
        if rated_for is not config:
            rated = [replace(f, severity=config.severity_of(f.code, f.term, f.kind))
                     for f in self.findings if not config.is_disabled(f.code, f.term, f.kind)]
            self.rated = (config, rated)
            self.placed = (-1, [])
        start, placed = self.placed
        if start != self.start:
            s = self.start
            placed = [Finding(f.start + s, f.end + s, f.term, f.kind, f.misuse, f.message,
                              f.replacements, f.severity) for f in rated]
            self.placed = (s, placed)
        return placed


class Analysis:
    """Everything the engine found in one version of a document."""

    def __init__(self, text: str, blocks: list[Block], findings: list[Finding]):
        self.text = text
        self.blocks = blocks
        self.findings = findings
        self._block_starts = [b.start for b in blocks]
        self._occurrences: list[Occurrence] | None = None

    @property
    def occurrences(self) -> list[Occurrence]:
        """Every power word found, in document offsets."""
        if self._occurrences is None:
            self._occurrences = [_moved(o, b.start) for b in self.blocks for o in b.occurrences]
        return self._occurrences

    @property
    def weak(self) -> list[Occurrence]:
        """Every weak phrasing found, in document offsets."""
        return [_moved(o, b.start) for b in self.blocks for o in b.weak]

    def block_at(self, offset: int) -> Block | None:
        """The block that contains `offset` (or ends right at it)."""
        i = bisect.bisect_right(self._block_starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset <= self.blocks[i].end:
            return self.blocks[i]
        return None

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The power word under `offset` (or ending right at it)."""
        block = self.block_at(offset)
        if block is None or not block.occurrences:
            return None
        rel = offset - block.start
        i = bisect.bisect_right([o.start for o in block.occurrences], rel) - 1
        if i < 0:
            return None
        occ = block.occurrences[i]
        return _moved(occ, block.start) if occ.start <= rel <= occ.end else None

    def in_prose(self, offset: int) -> bool:
        """Whether the character at `offset` is prose (not code, a URL, HTML...)."""
        block = self.block_at(offset)
        if block is None or block.kind != PROSE or offset >= block.end:
            return False
        return block.masked[offset - block.start] != MASK

    @property
    def front_matter_end(self) -> int:
        """Where YAML front matter ends (0 without one)."""
        if self.blocks and self.blocks[0].kind == FRONT_MATTER:
            return self.blocks[0].end
        return 0


def _moved(occ: Occurrence, by: int) -> Occurrence:
    return Occurrence(occ.start + by, occ.end + by, occ.card, occ.form, occ.weak)


class Engine:
    """Finds power words, misuses and weak phrasings with one term pack."""

    def __init__(self, pack: TermPack):
        self.pack = pack

    def analyse(self, text: str, markdown: bool = True, config: Config | None = None) -> Analysis:
        """Read a whole document: its blocks, the terms in them, and the findings to report."""
        with watchdog.limits():
            blocks = [self.read_block(text, leaf, markdown) for leaf in leaves(text, markdown)]
        return self.finish(text, blocks, config or Config())

    def read_block(self, text: str, leaf: Leaf, markdown: bool) -> Block:
        """The analysis of one block of `text`."""
        block = Block(leaf.start, leaf.end, leaf.kind, leaf.role)
        if leaf.kind == HTML:
            block.comments.append((0, leaf.end - leaf.start))
        if leaf.kind != PROSE:
            return block
        if not markdown:
            block.masked, block.comments = plain_block(text, leaf)
        else:
            piece = block_text(text, leaf)
            # Masking only ever removes text, so it is needed only where there is something to
            # mask (inline markup, a URL) and a candidate word to protect, or a comment to read.
            if "<!--" in piece or (needs_masking(piece) and (
                    self.pack.terms.search(piece) or self.pack.weak.search(piece))):
                piece, block.comments = mask_inline(piece)
            block.masked = piece
        self._read_prose(block)
        block.findings.sort(key=_finding_order)
        return block

    def _read_prose(self, block: Block) -> None:
        masked = block.masked
        spans: list[tuple[int, int]] | None = None
        for match in self.pack.terms.finditer(masked):
            card = match.value
            occ = Occurrence(match.start, match.end, card, match.form)
            if card.sense is None and not match.loose and not any(m.rules for m in card.misuses):
                block.occurrences.append(occ)
                continue
            if spans is None:
                spans = sentences.split(masked)
            start, end = _sentence(masked, spans, match.start)
            marked = with_sentinel(masked, start, end, match.start, match.end)
            # An acronym in lower case ("rag") needs AI words around it: "a wet rag" is no RAG.
            if match.loose and not is_loose_sense(marked, masked[match.start:match.end]):
                continue
            if card.sense is not None:
                # The paragraph around the occurrence, bounded so a huge one stays cheap.
                lo = max(0, match.start - _PARAGRAPH_WINDOW)
                hi = min(len(masked), match.end + _PARAGRAPH_WINDOW)
                if not is_sense(card.sense, with_sentinel(masked, lo, hi, match.start, match.end),
                                marked):
                    continue
            block.occurrences.append(occ)
            for misuse in misuses_in(card, match.form, marked):
                block.findings.append(Finding(
                    occ.start, occ.end, card.id, "misuse", misuse.id, misuse.message,
                    misuse.replacements_for(occ.form), ""))
        starts = [o.start for o in block.occurrences]
        for match in self.pack.weak.finditer(masked):
            if _covered(block.occurrences, starts, match.start, match.end):
                continue
            weak = match.value
            # "Throughput is 40 requests per second" already has the stronger word: no hint.
            if any(o.card is weak.card for o in block.occurrences):
                if spans is None:
                    spans = sentences.split(masked)
                lo, hi = _sentence(masked, spans, match.start)
                if any(o.card is weak.card and lo <= o.start < hi for o in block.occurrences):
                    continue
            block.weak.append(Occurrence(match.start, match.end, weak.card, match.form, weak))
            block.findings.append(Finding(
                match.start, match.end, weak.card.id, "weak-phrase", None,
                f"Stronger vocabulary: \"{weak.phrase.use}\" "
                f"({weak.card.short_name}: {_lower_first(weak.card.definition)})",
                (weak.phrase.use,), ""))

    def finish(self, text: str, blocks: list[Block], config: Config) -> Analysis:
        """The document's analysis from its blocks: findings placed, rated and filtered.

        Misuses in claims the document quotes to correct them are dropped here, since what
        marks them is a block of its own: a table cell under a "Myth" or "Don't say" column
        header, or a quotation opening its line under a heading such as "## Misconceptions we
        hear"."""
        findings: list[Finding] = []
        if config.enable:
            table = section = None  # the header row of the current table, the current heading
            for b in blocks:
                role = b.role
                if role == TABLE_HEADER:
                    table = b
                elif role != TABLE_ROW:
                    table = None
                    if role == HEADING:
                        section = b
                if b.findings:
                    found = b.findings_for(config)
                    header = table if role == TABLE_ROW else None
                    if header is not None or section is not None:
                        found = [f for f in found if f.kind != "misuse"
                                 or not _corrected(text, f.start, header, section)]
                    findings.extend(found)
            comments = [(s + b.start, e + b.start) for b in blocks for s, e in b.comments]
            if findings and comments:
                findings = Suppressions(text, comments).apply(findings)
            # Already in order: blocks are sorted and disjoint, and each block's findings sorted.
        return Analysis(text, blocks, findings)


def _corrected(text: str, pos: int, header: Block | None, heading: Block | None) -> bool:
    """Whether offset `pos` is in a claim quoted to be corrected (see Engine.finish): under
    `header`, its table's header row, or in a quotation under `heading`, its section's."""
    lo, hi = sentences.line_at(text, pos)
    if (header is not None and text.count("\n", header.start, pos) <= _TABLE_REACH
            and sentences.rejected_column(text[header.start:header.end], text[lo:hi], pos - lo)):
        return True
    if (heading is None or not sentences.quoted_claim(text[lo:hi], pos - lo)
            or text.count("\n", heading.start, pos) > _SECTION_REACH):
        return False
    return sentences.correcting_heading(text[slice(*sentences.line_at(text, heading.start))])


def _finding_order(f: Finding) -> tuple[int, int, str]:
    return f.start, f.end, f.code


def _sentence(masked: str, spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence of a block around `offset` (with its answer, when it is a question); a
    run-on "sentence" (a long list with no full stops) is cut to a window, so rule work stays
    bounded however long the text runs on."""
    i = bisect.bisect_right(spans, (offset, len(masked) + 1)) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        start, end = sentences.with_answer(masked, spans, i)
        if end - start > 2 * _SENTENCE_WINDOW:
            start = max(start, offset - _SENTENCE_WINDOW)
            end = min(end, offset + _SENTENCE_WINDOW)
        return start, end
    return 0, len(masked)


def _covered(occurrences: list[Occurrence], starts: list[int], start: int, end: int) -> bool:
    """Whether a term occurrence overlaps the phrase and reaches outside it."""
    # Occurrences do not overlap each other, so only the one starting before the phrase
    # and those starting inside it can overlap it.
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    while i < len(occurrences) and occurrences[i].start < end:
        occ = occurrences[i]
        if occ.end > start and (occ.start < start or occ.end > end):
            return True
        i += 1
    return False


def _lower_first(text: str) -> str:
    """'Running a model...' -> 'running a model...' (acronyms such as 'LLM' stay as they are)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _matches(ids: frozenset[str], finding: Finding) -> bool:
    return not ids or finding.term in ids or finding.code in ids or finding.kind in ids


class Suppressions:
    """`powerwords-disable-next-line`, `powerwords-disable` and `powerwords-enable` comments."""

    def __init__(self, text: str, comments: list[tuple[int, int]]):
        self.next_line: list[tuple[int, int, frozenset[str]]] = []  # (line start, end, ids)
        self.events: list[tuple[int, str, frozenset[str]]] = []
        for start, end in comments:
            for m in SUPPRESSION_RE.finditer(text, start, end):
                ids = frozenset(x for x in _ID_SPLIT.split(m.group(2).strip()) if x)
                action = m.group(1).lower()
                if action == "disable-next-line":
                    breaks = _LINE_BREAK.finditer(text, m.end())
                    first = next(breaks, None)
                    if first is None:
                        continue
                    second = next(breaks, None)
                    self.next_line.append(
                        (first.end(), len(text) if second is None else second.start(), ids))
                else:
                    self.events.append((m.start(), action, ids))
        self.events.sort(key=lambda e: e[0])

    def _region_off(self, finding: Finding) -> bool:
        all_off = False
        off: set[str] = set()
        back_on: set[str] = set()
        for pos, action, ids in self.events:
            if pos > finding.start:
                break
            if action == "disable":
                if ids:
                    off |= ids
                    back_on -= ids
                else:
                    all_off, off, back_on = True, set(), set()
            elif ids:
                off -= ids
                back_on |= ids
            else:
                all_off, off, back_on = False, set(), set()
        if _matches(frozenset(back_on), finding) and back_on:
            return False
        return all_off or (bool(off) and _matches(frozenset(off), finding))

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings that no comment switches off."""
        kept = []
        for f in findings:
            if any(s <= f.start < e and _matches(ids, f) for s, e, ids in self.next_line):
                continue
            if self.events and self._region_off(f):
                continue
            kept.append(f)
        return kept
