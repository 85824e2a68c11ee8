"""Completions: prefix and fuzzy matches, and replacing a weak phrase the cursor ends."""

from __future__ import annotations

from powerwords.completion import MAX_ITEMS, Completer


def test_prefix_and_fuzzy(pack):
    completer = Completer(pack)
    assert "inference" in [s.label for s in completer.suggest("We pay for infer")]
    assert "inference" in [s.label for s in completer.suggest("We pay for infrence")]
    assert completer.suggest("qz") == []  # no power word starts with it
    assert len(completer.suggest("pr")) <= MAX_ITEMS


def test_weak_phrase_at_cursor(pack):
    completer = Completer(pack)
    line = "Then we keep running the model"
    [weak] = [s for s in completer.suggest(line) if s.weak]
    assert (weak.start, weak.end) == (line.index("running"), len(line))
    assert weak.card.id == "inference"
    assert not [s for s in completer.suggest(line + " twice") if s.weak]


def test_prefix_and_misspelling_offer_hallucination(pack):
    completer = Completer(pack)
    assert "hallucination" in [s.label for s in completer.suggest("Models can hallu")][:5]
    assert "hallucination" in [s.label for s in completer.suggest("watch for halucination")][:5]


def test_weak_phrase_replaced_by_the_power_word(pack):
    completer = Completer(pack)
    line = "Never make stuff up"
    [weak] = [s for s in completer.suggest(line) if s.weak]
    assert weak.card.id == "hallucination" and line[weak.start:weak.end] == "make stuff up"
    assert weak.text.startswith("hallucinat")


def test_first_letter_already_offers_power_words(pack):
    # Editors such as VS Code ask at a word's first letter and ask again only if that answer
    # had items, so a one-letter prefix must not come back empty.
    completer = Completer(pack)
    labels = [s.label for s in completer.suggest("Models can h")]
    assert labels and len(labels) <= MAX_ITEMS
    assert all(label.lower().startswith("h") for label in labels)
