"""Verb forms of weak phrases: the inflection table and what the pack does with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cardfactory import card, write_pack

from powerwords.engine import Engine
from powerwords.inflect import gerund, participle, past, third_person, verb_forms
from powerwords.pack import load_pack


@pytest.mark.parametrize("verb, forms", [
    ("make", ("makes", "made", "made", "making")),
    ("try", ("tries", "tried", "tried", "trying")),
    ("search", ("searches", "searched", "searched", "searching")),
    ("give", ("gives", "gave", "given", "giving")),
    ("run", ("runs", "ran", "run", "running")),
    ("plug", ("plugs", "plugged", "plugged", "plugging")),
    ("fine-tune", ("fine-tunes", "fine-tuned", "fine-tuned", "fine-tuning")),
    ("see", ("sees", "saw", "seen", "seeing")),
    ("jailbreak", ("jailbreaks", "jailbroke", "jailbroken", "jailbreaking")),
])
def test_verb_forms(verb: str, forms: tuple[str, str, str, str]) -> None:
    assert (third_person(verb), past(verb), participle(verb), gerund(verb)) == forms


def test_only_phrases_that_start_with_a_known_verb_are_inflected() -> None:
    assert ("makes stuff up", "hallucinates") in verb_forms("make stuff up", "hallucinate")
    assert verb_forms("answer length limit", "max tokens") == []  # starts with a noun here
    assert verb_forms("make stuff up", "hallucination") == []  # the replacement is no verb


def _weak(engine: Engine, text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[f.start:f.end], f.replacements)
            for f in engine.analyse(text).findings if f.kind == "weak-phrase"]


def test_the_bundled_pack_finds_every_form_with_a_matching_replacement(engine: Engine) -> None:
    text = ("- the model makes stuff up\n- yesterday it made stuff up again\n"
            "- it keeps making stuff up\n- never make stuff up\n")
    assert _weak(engine, text) == [("makes stuff up", ("hallucinates",)),
                                   ("made stuff up", ("hallucinated",)),
                                   ("making stuff up", ("hallucinating",)),
                                   ("make stuff up", ("hallucinate",))]


def test_a_form_the_card_lists_itself_keeps_its_own_replacement(tmp_path: Path) -> None:
    # A team's card that replaces the bundled one.
    write_pack(tmp_path, [card("hallucination", related=["grounding", "temperature", "token"],
                               weak_phrases=[
        {"phrase": "make stuff up", "use": "hallucinate"},
        {"phrase": "made stuff up", "use": "confabulated"}])])
    pack = load_pack([tmp_path])
    assert not pack.problems
    found = _weak(Engine(pack), "It made stuff up and makes stuff up.")
    assert found == [("made stuff up", ("confabulated",)), ("makes stuff up", ("hallucinates",))]


def test_completion_offers_the_replacement_in_the_phrase_form(engine: Engine) -> None:
    from powerwords.completion import Completer

    [first, *_] = Completer(engine.pack).suggest("the model keeps making stuff up")
    assert (first.label, first.weak) == ("hallucinating", True)
