"""Every misuse rule carries its own examples: flagged sentences must be flagged with that
misuse's code, clean sentences must not be. Each example runs as its own test."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from powerwords.pack import load_pack

_PACK = load_pack(strict=True)
# Examples a rule is known to get wrong today, listed by code. They run as strict xfails: each
# must keep failing (so the list stays honest) until a better rule fixes it and it is removed.
_KNOWN = yaml.safe_load((Path(__file__).parent / "data" / "known_misses.yaml").read_text()) or {}


def _marks(code: str, sentence: str) -> list:
    if sentence in (_KNOWN.get(code) or []):
        return [pytest.mark.xfail(strict=True, reason="known miss of this rule")]
    return []


_CASES = [
    pytest.param(card.id, misuse.id, sentence, expected,
                 marks=_marks(f"{card.id}/{misuse.id}", sentence),
                 id=f"{card.id}/{misuse.id}/{'flagged' if expected else 'clean'}{i}")
    for card in sorted(_PACK.cards.values(), key=lambda c: c.id)
    for misuse in card.misuses if misuse.rules
    for expected, sentences in ((True, misuse.flagged), (False, misuse.clean))
    for i, sentence in enumerate(sentences)
]


@pytest.mark.parametrize("term, misuse, sentence, expected", _CASES)
def test_example(engine, term, misuse, sentence, expected):
    code = f"{term}/{misuse}"
    found = [f.code for f in engine.analyse(sentence).findings]
    if expected:
        assert code in found, f"not flagged: {sentence!r}"
    else:
        assert code not in found, f"flagged but should not be: {sentence!r}"


def test_every_detectable_misuse_has_examples():
    for card in _PACK.cards.values():
        for misuse in card.misuses:
            if misuse.rules:
                assert len(misuse.flagged) >= 3 and len(misuse.clean) >= 3, f"{card.id}/{misuse.id}"
