"""Suggestions while typing: power words for a prefix (exact or fuzzy), and the stronger word
for a weak phrasing that the cursor has just finished."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .cards import Card
from .pack import TermPack

MAX_ITEMS = 20
_PREFIX = re.compile(r"[^\W_][\w'’-]*$")
_FUZZY_CUTOFF = 75


@dataclass(frozen=True)
class Suggestion:
    """Replace text[start:end] of the line with `text`; `weak` says it replaces a weak phrase."""

    label: str
    card: Card
    start: int
    end: int
    text: str
    weak: bool = False
    rank: int = 0


class Completer:
    """Ranks the pack's names and forms against what the user is typing."""

    def __init__(self, pack: TermPack):
        self.pack = pack
        seen: dict[str, Card] = {}
        for card in pack.cards.values():
            for label in [card.short_name, *card.forms]:
                seen.setdefault(label, card)
        self.labels = list(seen)
        self.cards = [seen[label] for label in self.labels]
        self._lower = [label.lower() for label in self.labels]
        self._by_lower = {low: i for i, low in reversed(list(enumerate(self._lower)))}
        self._by_label = {label: i for i, label in enumerate(self.labels)}

    def suggest(self, before: str) -> list[Suggestion]:
        """Suggestions for a cursor placed after `before` (the line's text up to the cursor)."""
        out = self._weak(before)
        m = _PREFIX.search(before[-60:])
        # From the first letter: VS Code asks once when a word starts and asks again as it grows
        # only if that first answer had items (an empty "incomplete" list is not asked again).
        if m is not None:
            word = m.group()
            start = len(before) - len(word)
            out += self._words(word, start, len(before))
        return out[:MAX_ITEMS]

    def _weak(self, before: str) -> list[Suggestion]:
        tail_start = max(0, len(before) - 120)
        out = []
        for match in self.pack.weak.finditer(before, tail_start):
            if match.end == len(before):
                weak = match.value
                out.append(Suggestion(weak.phrase.use, weak.card, match.start, match.end,
                                      weak.phrase.use, weak=True))
        return out

    def _words(self, word: str, start: int, end: int) -> list[Suggestion]:
        key = word.lower()
        ranked: dict[str, tuple[int, float]] = {}
        for i, label in enumerate(self._lower):
            if label.startswith(key) and label != key:
                # Names before other forms, then shorter labels first.
                is_name = self.labels[i] == self.cards[i].short_name
                ranked[self.labels[i]] = (0 if is_name else 1, len(label))
        if len(key) >= 4:
            for label, score, _ in process.extract(key, self._lower, scorer=fuzz.ratio,
                                                   limit=MAX_ITEMS, score_cutoff=_FUZZY_CUTOFF):
                original = self.labels[self._by_lower[label]]
                ranked.setdefault(original, (2, 100 - score))
        out = []
        seen_cards: dict[str, int] = {}
        for rank, label in enumerate(sorted(ranked, key=lambda lb: (ranked[lb], lb))):
            card = self.cards[self._by_label[label]]
            # At most three labels per card, so one term cannot crowd the list.
            if seen_cards.get(card.id, 0) >= 3:
                continue
            seen_cards[card.id] = seen_cards.get(card.id, 0) + 1
            out.append(Suggestion(label, card, start, end, label, rank=rank))
        return out
