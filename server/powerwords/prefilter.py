"""A cheap test that rules a regex out before it runs: words any match must contain.

Some rule patterns are long alternations ("any of these sixty phrasings"), and Python's regex
engine tries every alternative at every position of the sentence: tens to hundreds of
microseconds a search, most of them failing. Every match of such a pattern contains at least one
of a few literal strings, which this module reads off the parsed regex (the idea of RE2's
prefilter). A sentence that contains none of them cannot match, and a substring test says so
in a microsecond.

The test is exact, never a guess: `required` only returns strings that every match contains,
and `Prefilter.may_match` says "no" only when none of them is in the lowercased text. The
strings are ASCII, and lowercasing finds every way IGNORECASE could match them except for four
characters (dotless and dotted I, long s, the Kelvin sign), so text holding one of those always
goes to the regex.
"""

from __future__ import annotations

import re
from typing import Any

from .cache import compile_regex

_MIN_SOURCE = 120  # shorter patterns are cheap enough to run directly
_MAX_STRINGS = 64
# The only characters outside ASCII that IGNORECASE matches to an ASCII letter or digit (a test
# checks this against the regex engine).
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def required(source: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    """Lowercase strings of which every match of the regex contains at least one, or None."""
    try:
        from re import _constants as c, _parser  # type: ignore[attr-defined]
        parsed = _parser.parse(source, flags)
    except Exception:  # another Python's internals, or not a regex: no prefilter
        return None
    found = _sequence(list(parsed), c)
    if not found or len(found) > _MAX_STRINGS or min(len(s) for s in found) < 2:
        return None
    return frozenset(found)


def _sequence(items: list[tuple[Any, Any]], c: Any) -> set[str] | None:
    """The best requirement of a sequence: a run of literals, or one item's requirement."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is c.LITERAL and av < 128:
            run += chr(av).lower()
            continue
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the literals on both sides stay adjacent in the match
        if run:
            candidates.append({run})
            run = ""
        found = _item(op, av, c)
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    # The most selective: the longest shortest string, then the fewest strings.
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))


def _item(op: Any, av: Any, c: Any) -> set[str] | None:
    if op is c.SUBPATTERN:
        return _sequence(list(av[-1]), c)
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av), c)
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _sequence(list(branch), c)
            if not found:
                return None  # one branch needs nothing in particular: neither does the whole
            out |= found
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        return _sequence(list(body), c) if low >= 1 else None
    return None


class Prefilter:
    """`may_match(text)`: False only when the regex cannot match `text`."""

    __slots__ = ("_one", "_any")

    def __init__(self, strings: frozenset[str]):
        self._one = next(iter(strings)) if len(strings) == 1 else None
        self._any = None if self._one is not None else compile_regex(
            "|".join(re.escape(s) for s in sorted(strings, key=lambda s: (-len(s), s))), 0, "rule")

    def may_match(self, text: str) -> bool:
        if not text.isascii() and _FOLDS_TO_ASCII.search(text):
            return True
        lowered = text.lower()
        if self._one is not None:
            return self._one in lowered
        return self._any.search(lowered) is not None


def prefilter_strings(source: str) -> frozenset[str] | None:
    """The strings of a prefilter for a long rule pattern (IGNORECASE), or None where one would
    not pay (short patterns are cheap to run) or cannot be had."""
    return required(source) if len(source) >= _MIN_SOURCE else None
