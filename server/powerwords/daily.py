"""The term of the day: one card a day, cycling through the whole pack without repeats."""

from __future__ import annotations

import datetime
import random

from .cards import Card
from .pack import TermPack

_EPOCH = datetime.date(2026, 1, 1)


def term_of_the_day(pack: TermPack, day: datetime.date) -> Card | None:
    """The card for `day`. Each cycle of len(pack) days shows every card once, in an order
    shuffled by the cycle's number, so the sequence is fixed by the date alone."""
    ids = sorted(pack.cards)
    if not ids:
        return None
    n = (day - _EPOCH).days
    cycle, index = divmod(n, len(ids))
    order = ids[:]
    random.Random(cycle).shuffle(order)
    return pack.cards[order[index]]
