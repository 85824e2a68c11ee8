"""Finding the forms of terms in prose."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st


def test_forms_inflections_and_separators(terms):
    found = terms("Inference, inferences and inferencing. We run-inference\nnightly.")
    assert [t for _, t in found] == ["inference"] * 4


def test_nothing_in_code_or_urls(terms):
    text = "`inference` and [x](https://a.io/inference) and https://b.io/inference\n\n```\ninference\n```\n"
    assert terms(text) == []


def test_word_boundaries(terms):
    assert terms("Inferenced, preinference and inferencex are not terms.") == []


def test_multiword_form_across_a_line_break(terms):
    found = terms("We run\ninference at night.")
    assert found == [("run\ninference", "inference")]


def test_positions_after_emoji(engine):
    from powerwords.diagnostics import diagnostics

    text = "😀😀 During inference the model learns from every customer question.\r\n"
    [d] = diagnostics(engine.analyse(text).findings, text)
    assert d["range"] == {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 21}}


def test_word_boundary_next_to_the_term_placeholder():
    from powerwords.patterns import SENTINEL, compile_pattern

    pattern = compile_pattern(r"\b(travel|estate) \b{term}\b")
    assert pattern.search(f"the travel {SENTINEL} called")
    assert not pattern.search(f"the {SENTINEL} called")


def test_a_word_boundary_after_a_plural_or_a_group_that_ends_with_the_term():
    from powerwords.patterns import SENTINEL, compile_pattern

    assert compile_pattern(r"\b(?:per|one) {term}s?\b").search(f"one {SENTINEL} a day")
    either = compile_pattern(r"\b(?:live|before (?:an? )?{term})\b")
    assert either.search(f"ship it before an {SENTINEL} runs")
    assert either.search("live traffic") and not either.search("lively")


def test_spellings_that_differ_only_by_a_separator(terms):
    found = [t for _, t in terms("Guardrails help. Guard rails help. Guard-rails help.")]
    assert found == ["guardrails"] * 3


def test_longest_match_wins_across_case_sensitive_forms():
    from powerwords.forms import FormMatcher

    matcher = FormMatcher([("LLM", "llm"), ("LLM-as-a-judge", "judge"), ("llm router", "router")])
    text = "An LLM-as-a-judge, an LLM router, an llm-as-a-judge and LLMs."
    found = [(text[m.start:m.end], m.value) for m in matcher.finditer(text)]
    assert found == [("LLM-as-a-judge", "judge"), ("LLM router", "router"), ("LLMs", "llm")]


def test_a_lower_case_acronym_matches_loosely():
    from powerwords.forms import FormMatcher

    strict = FormMatcher([("RAG", "rag"), ("CoT", "cot"), ("vector DB", "vdb")])
    loose = FormMatcher([("RAG", "rag"), ("CoT", "cot"), ("vector DB", "vdb")], loose_acronyms=True)
    text = "RAG, rag, Rag, rAG, cot, vector db"
    assert [(text[m.start:m.end], m.loose) for m in strict.finditer(text)] == [("RAG", False)]
    # only all-capitals acronyms, written all lower case or capitalised, and marked loose
    assert [(text[m.start:m.end], m.loose) for m in loose.finditer(text)] == [
        ("RAG", False), ("rag", True), ("Rag", True), ("vector db", True)]


def test_a_lower_case_acronym_is_the_term_only_among_ai_words(terms):
    assert [t for _, t in terms("tbh rag is just fine tuning lol")] == [
        "retrieval-augmented-generation", "fine-tuning"]
    assert terms("grab a rag and wipe the whiteboard") == []
    assert "retrieval-augmented-generation" not in [
        t for _, t in terms("Wiped the screen with a damp rag after the prompt demo.")]
    assert "retrieval-augmented-generation" not in [
        t for _, t in terms("the rag doll next to the model train")]
    assert [t for _, t in terms("a rag pipeline feeds the chatbot")][:1] == ["retrieval-augmented-generation"]


def test_no_weak_phrase_hint_where_the_sentence_already_has_the_power_word(codes):
    assert "throughput/weak-phrase" in codes("The cluster handles 40 requests per second.")
    assert "throughput/weak-phrase" not in codes(
        "Median latency is 900 ms and throughput is 40 requests per second.")
    # Another sentence's use does not count.
    assert "throughput/weak-phrase" in codes(
        "Throughput matters. The cluster handles 40 requests per second.")


def _spans(matcher, text: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.form) for m in matcher.finditer(text)]


def test_text_whose_lowercase_changes_length_still_matches_at_the_right_offsets():
    from powerwords.forms import FormMatcher

    matcher = FormMatcher([("inference", 1), ("RAG", 2)])
    # "İ".lower() is two characters: the lowercased copy would shift every offset after it.
    text = "İİ INFERENCE with RAG and İnference"
    assert _spans(matcher, text) == [(3, 12, "inference"), (18, 21, "rag")]
    assert matcher.search("İ RAG") and not matcher.search("İ nothing to see")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Inference", "inference", "INFERENCE", "rag", "RAG", "RAGs",
                                 "context", "Context Window", "context-windows", "fine-", "tuned",
                                 "LLM", "llms", "LLM-as-a-judge", " ", "-", "\n", "é", "K", "ß",
                                 "ı", "ſ", "😀", ".", "x"]), max_size=30).map("".join))
def test_the_lowercase_search_finds_what_the_case_insensitive_regex_finds(text):
    # The fast path (a case-sensitive regex on lowercased text) against the reference
    # IGNORECASE regex, with case then checked the same way.
    from powerwords.forms import FormMatcher

    matcher = FormMatcher([("inference", 1), ("RAG", 2), ("context window", 3), ("fine-tuned", 4),
                           ("LLM", 5), ("LLM-as-a-judge", 6)], loose_acronyms=True)
    reference = FormMatcher([("inference", 1), ("RAG", 2), ("context window", 3),
                             ("fine-tuned", 4), ("LLM", 5), ("LLM-as-a-judge", 6)],
                            loose_acronyms=True)
    reference._lower = reference.pattern  # search the original text case-insensitively
    reference._searcher = lambda t: (reference.pattern, t)  # type: ignore[method-assign]
    folded = "ıſ"  # IGNORECASE folds these to i and s; lowercasing does not (no real word has them)
    if any(c in text for c in folded):
        return
    assert _spans(matcher, text) == _spans(reference, text)
