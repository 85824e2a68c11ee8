"""The bundled pack as a whole: complete, within bounds, consistent."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from powerwords.daily import term_of_the_day
from powerwords.forms import normalise

CATALOG = yaml.safe_load((Path(__file__).parent / "data" / "catalog.yaml").read_text())
CORE = yaml.safe_load((Path(__file__).parent / "data" / "core.yaml").read_text())


def test_every_catalogue_term_has_a_card_in_its_category(pack):
    for category, terms in CATALOG.items():
        for term_id, name in terms.items():
            card = pack.get(term_id)
            assert card is not None, f"missing card {term_id}"
            assert card.name == name and card.category == category, term_id


def test_core_terms_carry_the_spec(pack):
    for term in CORE:
        card = pack.get(term["id"])
        assert card is not None, term["id"]
        keys = {normalise(f) for f in card.forms}
        assert {normalise(f) for f in term["forms"]} <= keys, term["id"]
        phrases = {normalise(w.phrase) for w in card.weak_phrases}
        assert {normalise(w) for w in term["weak"]} <= phrases, term["id"]
        for misuse_id in term["misuses"]:
            misuse = card.misuse(misuse_id)
            assert misuse is not None and misuse.rules, f"{term['id']}/{misuse_id} not detectable"


def test_card_fields_within_bounds(pack):
    for card in pack.cards.values():
        assert len(card.definition) < 160 and "\n" not in card.definition, card.id
        paragraphs = [p for p in card.explanation.split("\n\n") if p.strip()]
        assert 2 <= len(paragraphs) <= 3, card.id
        assert 3 <= len(card.example_prompts) <= 4, card.id
        assert 2 <= len(card.misuses) <= 4, card.id
        assert 3 <= len(card.related) <= 6, card.id
        assert card.id not in card.related and set(card.related) <= set(pack.cards), card.id
        assert all(1 <= card.ratings[k] <= 5 for k in ("impact", "universality", "depth"))
        assert card.pronunciation.startswith("/") and card.pronunciation.endswith("/"), card.id


def test_no_form_belongs_to_two_cards(pack):
    owner: dict[str, str] = {}
    for card in pack.cards.values():
        for form in card.forms:
            key = normalise(form)
            assert owner.setdefault(key, card.id) == card.id, f"{form!r}: {owner[key]} and {card.id}"


def test_pack_coverage_targets(pack):
    """80+ terms with weak phrasings; 30+ detectable misuses beyond the 44 core ones."""
    assert sum(1 for c in pack.cards.values() if c.weak_phrases) >= 80
    core = {(t["id"], m) for t in CORE for m in t["misuses"]}
    extra = [(c.id, m.id) for c in pack.cards.values() for m in c.misuses
             if m.rules and (c.id, m.id) not in core]
    assert len(extra) >= 30


def test_term_of_the_day_is_stable_and_cycles_without_repeats(pack):
    start = datetime.date(2026, 11, 27)
    assert term_of_the_day(pack, start) is term_of_the_day(pack, start)
    # Any run of len(pack) days inside one cycle shows distinct cards; a whole cycle shows all.
    epoch = datetime.date(2026, 1, 1)
    cycle = [term_of_the_day(pack, epoch + datetime.timedelta(days=i)).id
             for i in range(len(pack.cards))]
    assert sorted(cycle) == sorted(pack.cards)


@pytest.mark.parametrize("word, term", [
    ("context window", "context-window"), ("context windows", "context-window"),
    ("RAG", "retrieval-augmented-generation"), ("hallucinated", "hallucination"),
    ("fine-tuned", "fine-tuning"), ("LLMs", "large-language-model"),
])
def test_forms_resolve(pack, word, term):
    assert pack.find(word).id == term
