"""The rule prefilter never rules out a text its regex matches."""

from __future__ import annotations

import random
import re

from hypothesis import given, strategies as st

from powerwords.patterns import FLAGS, SENTINEL
from powerwords.prefilter import _FOLDS_TO_ASCII, Prefilter, required


def test_the_fold_table_matches_the_regex_engine() -> None:
    """Every non-ASCII character that IGNORECASE matches to an ASCII word character is listed."""
    listed = {ch for ch in map(chr, range(128, 0x110000)) if _FOLDS_TO_ASCII.match(ch)}
    word = re.compile("[a-z0-9_]", FLAGS)
    assert {chr(c) for c in range(128, 0x110000) if word.match(chr(c))} == listed


def test_requirements_read_off_a_regex() -> None:
    assert required(r"\b(?:proves?|proof\s+of)\s+whyever\b") == {"whyever"}  # the longest
    assert required(r"(?:fine[- ]?tun\w+|retrain\w*)") == {"fine", "retrain"}  # one per branch
    assert required(r"\b(?:a|b)") is None  # one-letter strings rule nothing out
    assert required(r"(?:optional)?\w+") is None
    assert required(r"(?-i:TOKEN)s?\b") == {"token"}


def test_prefilter_never_rules_out_a_match(pack) -> None:
    sentences = [s for card in pack.cards.values() for m in card.misuses
                 for s in m.flagged + m.clean]
    rnd = random.Random(5)
    sample = rnd.sample(sentences, 150)
    # Rules read sentences with the occurrence replaced by the sentinel, and odd characters.
    sample += [s.replace(" ", f" {SENTINEL} ", 1) for s in sample[:50]]
    sample += ["ſtop the inference", "the KELVIN ſcale", "İnference"]
    checked = 0
    for card in pack.cards.values():
        patterns = [p for m in card.misuses for r in m.rules for p in r.all + r.any + r.none]
        patterns += list(card.sense.requires + card.sense.excludes) if card.sense else []
        for pattern in patterns:
            strings = required(pattern.source)
            if not strings:
                continue
            rx, pre = re.compile(pattern.source, FLAGS), Prefilter(strings)
            for text in sample:
                if rx.search(text):
                    assert pre.may_match(text), (card.id, pattern.source[:80], text)
                    checked += 1
    assert checked > 100  # the sample does exercise matching patterns


@given(st.text(alphabet="abkisſıİK \n-", max_size=30))
def test_prefilter_on_folding_characters(text) -> None:
    source = r"\b(?:kiss|skis?)\b"
    assert not re.search(source, text, re.IGNORECASE) or Prefilter(required(source)).may_match(text)
