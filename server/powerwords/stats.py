"""Summaries of the pack: one line per card, and coverage figures (`powerwords terms --stats`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .cards import CATEGORIES, LEVELS, Card
from .pack import TermPack


def summary(card: Card) -> dict[str, Any]:
    """A card's identity and labels, for `powerwords terms --format json`."""
    return {
        "id": card.id, "name": card.name, "kind": card.kind, "category": card.category,
        "level": card.level, "definition": card.definition, "forms": card.forms,
        "misuses": [m.id for m in card.misuses if m.rules],
        "weak_phrases": [w.phrase for w in card.weak_phrases],
    }


def pack_stats(pack: TermPack) -> dict[str, Any]:
    """Coverage: terms per category and level, weak phrasings, detectable misuses."""
    cards = list(pack.cards.values())
    by_cat = Counter(c.category for c in cards)
    by_level = Counter(c.level for c in cards)
    return {
        "terms": len(cards),
        "by_category": {cat: by_cat.get(cat, 0) for cat in CATEGORIES},
        "by_level": {lvl: by_level.get(lvl, 0) for lvl in LEVELS},
        "terms_with_weak_phrases": sum(1 for c in cards if c.weak_phrases),
        "weak_phrases": sum(len(c.weak_phrases) for c in cards),
        "misuses": sum(len(c.misuses) for c in cards),
        "detectable_misuses": sum(1 for c in cards for m in c.misuses if m.rules),
        "terms_with_detectable_misuses": sum(1 for c in cards if any(m.rules for m in c.misuses)),
    }


def render(report: dict[str, Any]) -> str:
    """The coverage report as an aligned table."""
    lines = [f"{report['terms']} terms", "", "By category:"]
    lines += [f"  {cat:<26} {n:>4}" for cat, n in report["by_category"].items()]
    lines += ["", "By level:"]
    lines += [f"  {lvl:<26} {n:>4}" for lvl, n in report["by_level"].items()]
    lines += [
        "",
        f"Terms with weak phrasings:  {report['terms_with_weak_phrases']:>4}"
        f"  ({report['weak_phrases']} phrasings)",
        f"Detectable misuses:         {report['detectable_misuses']:>4}"
        f"  (on {report['terms_with_detectable_misuses']} terms; {report['misuses']} misuses in all)",
    ]
    return "\n".join(lines)
