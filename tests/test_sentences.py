"""Sentence splitting: where sentences end, and that the work stays linear in the text."""

from __future__ import annotations

import pytest

from powerwords import sentences


def _texts(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in sentences.split(text)]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "Use a small model, e.g. a 7B one. J. Smith agreed. It works!"
    assert _texts(text) == ["Use a small model, e.g. a 7B one.", "J. Smith agreed.", "It works!"]


def test_a_long_word_before_a_full_stop_still_ends_the_sentence() -> None:
    long_word = "x" * 60 + "e.g"
    assert _texts(f"See {long_word}. Next one.") == [f"See {long_word}.", "Next one."]


class _CountingSearch:
    """Stands in for a compiled regex and adds up how many characters each search may scan."""

    def __init__(self, real):
        self.real = real
        self.scanned = 0

    def search(self, text, pos=0, endpos=None):
        endpos = len(text) if endpos is None else endpos
        self.scanned += max(0, endpos - pos)
        return self.real.search(text, pos, endpos)


def test_splitting_a_huge_paragraph_scans_each_character_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # One paragraph of 8,000 sentences: looking back for the word before each full stop from
    # the paragraph's start made splitting quadratic (a 200 KB paragraph took half a minute).
    text = "The model hallucinates facts. We use RAG daily. " * 4000
    counter = _CountingSearch(sentences._WORD_BEFORE)
    monkeypatch.setattr(sentences, "_WORD_BEFORE", counter)
    spans = sentences.split(text)
    assert len(spans) == 8000
    assert counter.scanned <= 50 * len(spans)


def test_a_unit_after_a_number_ends_the_sentence_but_the_title_does_not() -> None:
    # "ms" is also the title "Ms.": after a number it is milliseconds, and the stop ends the
    # sentence, so a rule does not read the next sentence's words as part of this one.
    text = "TTFT stays under 800 ms. With 6 replicas we reach 54,000 tok/s. Ms. Lee agreed."
    assert _texts(text) == ["TTFT stays under 800 ms.", "With 6 replicas we reach 54,000 tok/s.",
                            "Ms. Lee agreed."]
    assert _texts("The job took 5 min. Then it stopped.") == ["The job took 5 min.",
                                                             "Then it stopped."]
    assert _texts("Keep min. 3 runs per setting.") == ["Keep min. 3 runs per setting."]


def test_emphasis_closing_after_the_stop_at_a_line_end_ends_the_sentence() -> None:
    text = '**"With RAG the model memorises our documents."**\n   RAG looks them up. Next.'
    assert _texts(text) == ['**"With RAG the model memorises our documents."**',
                            "RAG looks them up.", "Next."]
    # Mid-line, the emphasis runs on into what follows, as before.
    assert len(_texts("**Bold claim.** More text here.")) == 1
