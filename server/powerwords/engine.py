"""The engine: from a document's text to its power words and findings.

Plain Python with no LSP types. The language server and the CLI both call `Engine.analyse`
and turn its findings into diagnostics with the same function (`diagnostics.to_lsp`), so the
two always agree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from . import sentences
from .cards import Card, Misuse
from .config import Config
from .pack import TermPack, Weak
from .prose import SUPPRESSION_RE, Prose, extract
from .rules import is_sense, misuses_in, with_sentinel

_ID_SPLIT = re.compile(r"[\s,]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SENTENCE_WINDOW = 400  # characters on each side of an occurrence in a run-on sentence
_PARAGRAPH_WINDOW = 3000  # characters on each side that sense guards search for context


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
class Analysis:
    """Everything the engine found in one version of a document."""

    text: str
    prose: Prose
    occurrences: list[Occurrence] = field(default_factory=list)
    weak: list[Occurrence] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)  # occurrence starts, sorted

    def occurrence_at(self, offset: int) -> Occurrence | None:
        """The power word under `offset` (or ending right at it)."""
        if len(self._starts) != len(self.occurrences):  # built by hand, not by analyse()
            self._starts = [o.start for o in self.occurrences]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        occ = self.occurrences[i]
        return occ if occ.start <= offset <= occ.end else None


class Engine:
    """Finds power words, misuses and weak phrasings with one term pack."""

    def __init__(self, pack: TermPack):
        self.pack = pack

    def analyse(self, text: str, markdown: bool = True, config: Config | None = None) -> Analysis:
        """Read a document: its prose, the terms in it, and the findings to report."""
        config = config or Config()
        prose = extract(text, markdown)
        analysis = Analysis(text, prose)
        masked = prose.masked
        cache: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for match in self.pack.terms.finditer(masked):
            block = prose.block_at(match.start)
            if block is None:
                continue
            card = match.value
            needs_sentence = card.sense is not None or any(m.rules for m in card.misuses)
            occ = Occurrence(match.start, match.end, card, match.form)
            if not needs_sentence:
                analysis.occurrences.append(occ)
                continue
            sentence = self._sentence(masked, block, match.start, cache)
            marked = with_sentinel(masked, sentence[0], sentence[1], match.start, match.end)
            if card.sense is not None:
                # The paragraph around the occurrence, bounded so a huge one stays cheap.
                lo = max(block[0], match.start - _PARAGRAPH_WINDOW)
                hi = min(block[1], match.end + _PARAGRAPH_WINDOW)
                block_text = with_sentinel(masked, lo, hi, match.start, match.end)
                if not is_sense(card.sense, block_text, marked):
                    continue
            analysis.occurrences.append(occ)
            for misuse in misuses_in(card, match.form, marked):
                analysis.findings.append(self._misuse_finding(occ, misuse, config))
        analysis._starts = [occ.start for occ in analysis.occurrences]
        for match in self.pack.weak.finditer(masked):
            if prose.block_at(match.start) is None or self._covered(
                    analysis.occurrences, analysis._starts, match.start, match.end):
                continue
            weak = match.value
            analysis.weak.append(Occurrence(match.start, match.end, weak.card, match.form, weak))
            analysis.findings.append(Finding(
                match.start, match.end, weak.card.id, "weak-phrase", None,
                f"Stronger vocabulary: \"{weak.phrase.use}\" "
                f"({weak.card.short_name}: {_lower_first(weak.card.definition)})",
                (weak.phrase.use,),
                config.severity_of(f"{weak.card.id}/weak-phrase", weak.card.id, "weak-phrase"),
            ))
        analysis.findings = self._filter(text, prose, analysis.findings, config)
        return analysis

    @staticmethod
    def _sentence(masked: str, block: tuple[int, int], offset: int,
                  cache: dict[tuple[int, int], list[tuple[int, int]]]) -> tuple[int, int]:
        spans = cache.get(block)
        if spans is None:
            spans = cache[block] = sentences.split(masked, block[0], block[1])
        for i, (start, end) in enumerate(spans):
            if start <= offset < end:
                start, end = sentences.with_answer(masked, spans, i)
                # A run-on "sentence" (a long list with no full stops) is cut to a window around
                # the occurrence, so rule work stays bounded however long the text runs on.
                if end - start > 2 * _SENTENCE_WINDOW:
                    start = max(start, offset - _SENTENCE_WINDOW)
                    end = min(end, offset + _SENTENCE_WINDOW)
                return start, end
        return block

    @staticmethod
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

    @staticmethod
    def _misuse_finding(occ: Occurrence, misuse: Misuse, config: Config) -> Finding:
        code = f"{occ.card.id}/{misuse.id}"
        return Finding(occ.start, occ.end, occ.card.id, "misuse", misuse.id, misuse.message,
                       misuse.replacements_for(occ.form),
                       config.severity_of(code, occ.card.id, "misuse"))

    @staticmethod
    def _filter(text: str, prose: Prose, findings: list[Finding], config: Config) -> list[Finding]:
        """Drop findings switched off by the configuration or by suppression comments."""
        if not config.enable:
            return []
        findings = [f for f in findings if not config.is_disabled(f.code, f.term, f.kind)]
        if findings and prose.comments:
            findings = Suppressions(text, prose).apply(findings)
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return findings


def _lower_first(text: str) -> str:
    """'Running a model...' -> 'running a model...' (acronyms such as 'LLM' stay as they are)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _matches(ids: frozenset[str], finding: Finding) -> bool:
    return not ids or finding.term in ids or finding.code in ids or finding.kind in ids


class Suppressions:
    """`powerwords-disable-next-line`, `powerwords-disable` and `powerwords-enable` comments."""

    def __init__(self, text: str, prose: Prose):
        self.next_line: list[tuple[int, int, frozenset[str]]] = []  # (line start, end, ids)
        self.events: list[tuple[int, str, frozenset[str]]] = []
        for start, end in prose.comments:
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
