"""How much text a misuse rule reads: sentences, questions with their answers, clauses."""

from __future__ import annotations

import pytest

from powerwords import sentences


def _joined(text: str, needle: str) -> str:
    spans = sentences.split(text)
    index = next(i for i, (s, e) in enumerate(spans) if needle in text[s:e])
    start, end = sentences.with_answer(text, spans, index)
    return text[start:end]


@pytest.mark.parametrize("text, needle, expected", [
    # a question reads on into its answer, and an answer reads back to its question
    ("Is it fast? Yes, very. Next topic.", "fast", "Is it fast? Yes, very."),
    ("Is it fast? Yes, very. Next topic.", "very", "Is it fast? Yes, very."),
    ("Q: Is it fast?\nA: Yes, very.", "fast", "Q: Is it fast?\nA: Yes, very."),
    ("What is it? A cache.", "cache", "What is it? A cache."),
    # a negative answer, or another question, is not joined
    ("Is it fast? No, it is slow.", "fast", "Is it fast?"),
    ("Is it fast?\nA: Not really.", "really", "\nA: Not really."),
    ("Is it fast? Only at night.", "fast", "Is it fast?"),
    ("Is it fast? Is it cheap?", "fast", "Is it fast?"),
    # a sentence that carries on with "it"/"they" as subject is read with the one before
    ("Our agent is simple. It makes one call. Done.", "simple", "Our agent is simple. It makes one call."),
    ("Our agent is simple. It's one call.", "simple", "Our agent is simple. It's one call."),
    # other statements stay alone
    ("Our agent is simple. Its cost is low.", "simple", "Our agent is simple."),
    ("It is fast. Then it is cheap.", "cheap", " Then it is cheap."),
])
def test_question_and_answer_are_read_together(text, needle, expected):
    assert _joined(text, needle) == expected


def test_a_claim_split_across_question_and_answer_is_flagged(codes):
    assert "agi/todays-chatbot" not in codes("Is ChatGPT AGI?")
    assert "agi/todays-chatbot" in codes("Is ChatGPT AGI? Yes, it passes the bar exam.")
    assert "agi/todays-chatbot" not in codes("Is ChatGPT AGI? No, it fails at simple planning.")
    assert "latency/rate-as-latency" in codes("What's the latency? About 30 requests a second.")
    assert "latency/rate-as-latency" not in codes("What's the latency? About 300 ms.")
    assert "agent/single-call" in codes("Our agent is simple. It makes one API call and uses no tools.")


@pytest.mark.parametrize("text, reading", [
    ("What's the X? About 30 a second.", "the X is About 30 a second."),
    ("Q: What is a X?\nA: It's the message you type.", "a X is the message you type."),
    ("FAQ: What is a X? A: A word.", "a X is A word."),
    ("FAQ: Is the model X? Yes — the same prompt gives the same answer.",
     "the model is X, the same prompt gives the same answer."),
    ("Is ChatGPT X? Yes, it passes exams.", "ChatGPT is X, it passes exams."),
    ("Is ChatGPT X? Effectively yes, it passes exams.", "ChatGPT is X, it passes exams."),
    ("Is ChatGPT X? Pretty much yes: it passes exams.", "ChatGPT is X, it passes exams."),
    ("FAQ: Is ChatGPT X? Yes, it passes exams.", "ChatGPT is X, it passes exams."),
    ("Does the model learn during X? Yes, every request.", "the model learn during X, every request."),
    ("How does X work? We retrain it.", "X: We retrain it."),
    ("Why X? Because it retrains it.", "X: it retrains it."),
    ("Which X gives right answers? Zero.", "X Zero gives right answers"),
    ("Where are the weights? In the X.", "the weights are In the X."),
])
def test_declarative_readings_of_a_question_and_answer(text, reading):
    assert reading in sentences.declaratives(text, "X")


@pytest.mark.parametrize("text", [
    "Is ChatGPT X? It passes exams.",  # a yes/no question needs a yes to become a claim
    "What is the Y? About 30.",  # the occurrence must survive the rewrite
    "No question here about X.",
])
def test_no_declarative_reading(text):
    assert sentences.declaratives(text, "X") == []


def test_instead_of_after_the_term_does_not_negate_it():
    from powerwords.patterns import SENTINEL
    from powerwords.rules import _negated

    assert not _negated(f"{SENTINEL} zero makes it tell the truth instead of guessing")
    assert _negated(f"use retrieval instead of {SENTINEL} for fresh facts")
    assert _negated(f"{SENTINEL} does not make it tell the truth")


def test_a_purpose_clause_is_apart_for_negation_only():
    from powerwords.patterns import NEGATION_BREAK, SENTINEL, clause_around

    text = f"lower the {SENTINEL} so it doesn't drift"
    assert clause_around(text, text.index(SENTINEL)) == text
    assert clause_around(text, text.index(SENTINEL), NEGATION_BREAK) == f"lower the {SENTINEL}"


@pytest.mark.parametrize("text, reading", [
    ("| X | one word |", "X: one word"),
    ("| X | 0 | makes it correct |", "X: 0, makes it correct"),
    ("X | one word", "X: one word"),
    (r"| X | a \| b |", r"X: a \| b"),
    ("a|b is not a row", None),
    ("| X |", None),
    ("| X | a |\n| Y | b |", None),
])
def test_a_table_row_reads_as_label_and_claim(text, reading):
    assert sentences.table_row(text) == reading


@pytest.mark.parametrize("text, reading", [
    ("X: where the model learns.", "X is where the model learns."),
    ("- Slide 3 — X: the phase where it learns", "Slide 3 — X is the phase where it learns"),
    ("X and Y: how it learns", None),  # a label naming two things defines neither
    ("X: only after prompt iteration plateaus", None),  # a condition, not a definition
    ("A long label that goes on and on about X: y", None),
    ("Note: X learns", None),  # the occurrence is not in the label
])
def test_a_short_label_before_a_colon_reads_as_a_definition(text, reading):
    assert sentences.label_reading(text, "X") == reading


def test_a_table_row_is_one_claim(codes):
    table = "| term | meaning |\n|---|---|\n| token | one word of the text |\n"
    assert "token/equals-word" in codes(table)
    assert "token/equals-word" not in codes(table.replace("one word of", "a piece of a word in"))


@pytest.mark.parametrize("text", [
    "Calling one chat completion an agent sets the wrong expectations.",
    "Saying RAG retrains the model is wrong; it only adds context.",
    "Treating temperature 0 as a cure for hallucinations is a mistake.",
    "Use CoT for hard problems, but don't treat it as a faithful trace of the reasoning.",
])
def test_a_judged_account_of_the_misuse_is_not_the_misuse(codes, text):
    assert [c for c in codes(text) if "/" in c and not c.endswith("weak-phrase")] == []


def test_an_account_of_the_misuse_needs_the_judgement():
    from powerwords.patterns import DENIAL

    assert DENIAL.search("Saying tokens are words overestimates the budget.")
    assert not DENIAL.search("Calling the model at temperature 0 makes answers accurate.")


def test_tag_question_reads_as_its_statement():
    from powerwords.patterns import SENTINEL as S
    from powerwords.sentences import tag_statement
    assert tag_statement(f"The {S} learns from chats, right?", S) == f"The {S} learns from chats."
    assert tag_statement(f"The {S} learns from chats, isn't it?", S) == f"The {S} learns from chats."
    assert tag_statement(f"Does the {S} learn from chats, yes or no?", S) is None  # a real question
    assert tag_statement(f"The {S} learns from chats.", S) is None  # no tag
    assert tag_statement("Something else entirely, right?", S) is None  # not about the term


def test_patterns_with_numbered_backreferences_keep_their_groups_when_combined():
    """`\\1` names a group by position: joined into one regex after another pattern's groups, it
    would name the wrong one, so such patterns are searched on their own."""
    from powerwords.patterns import compile_pattern
    from powerwords.rules import _any

    patterns = (compile_pattern(r"(a)b\1"), compile_pattern(r"(\d)x\1"))
    assert _any(patterns, "7x7")
    assert not _any(patterns, "7x8")
    assert _any(patterns, "aba")


@pytest.mark.parametrize("text, reading", [
    ("Since X also trains the model, should we hold out more?", "X also trains the model."),
    ("Q: Now that X is cached, why is it slow?", "X is cached."),
    ("Why not fine-tune X on the news?", "fine-tune X on the news."),
    ("Why don't we set X to 0?", "set X to 0."),
    ("Why run a training job when X already teaches it?", "X already teaches it."),
    ("How come it still fails even though X is 0?", "X is 0."),
    ("How do I fine-tune X for summaries?", "I fine-tune X for summaries."),
    ("How often should we retrain X on the news?", "we retrain X on the news."),
])
def test_a_question_states_or_proposes_part_of_itself(text, reading):
    assert sentences.presupposed(text, "X") == [reading]


@pytest.mark.parametrize("text", [
    "Since when does X train the model?",  # no clause before the question
    "Since the model is frozen, why does X seem to improve?",  # the occurrence is in the question
    "Does X train the model?",
    "Why does X fail when the cache is cold?",  # the occurrence is in the question, not the clause
    "How do I know whether X trains the model?",  # asks how to find out
    "How do you train X without pasting data into the chat?",  # the rest denies
    "How do I keep the key somewhere other than the X?",
])
def test_no_presupposed_reading(text):
    assert sentences.presupposed(text, "X") == []


def test_a_presupposing_question_is_flagged(codes):
    assert "inference/confused-with-training" in codes(
        "Since running inference on the test split also trains the model, is the score still fair?")
    assert "inference/confused-with-training" not in codes(
        "Does running inference on the test split also train the model?")
    assert "fine-tuning/for-fresh-facts" in codes(
        "Why not fine-tune it every morning on the news so it knows the headlines?")
    assert "fine-tuning/for-fresh-facts" not in codes(
        "Why not fine-tune it every morning on the news? Because it would always lag behind.")


def test_a_leading_concession_is_apart_for_negation(codes):
    assert "inference/confused-with-training" in codes(
        "Although the vendor doesn't say so, inference on our tickets teaches the model our jargon.")
    assert "inference/confused-with-training" not in codes(
        "Although the vendor says so, inference on our tickets doesn't teach the model anything.")
    assert "inference/confused-with-training" not in codes(
        "Although inference doesn't teach the model anything, answers improve after each retraining.")


def test_an_elliptical_negative_answer_does_not_negate_the_claim_after_it(codes):
    assert "temperature/zero-guarantees-determinism" in codes(
        "Q: Do I need to cache answers? A: You don't, at temperature 0 it returns identical text every time.")
    assert "temperature/zero-guarantees-determinism" not in codes(
        "Q: Do I need to cache answers? A: Yes, at temperature 0 it doesn't return identical text every time.")


def test_dont_forget_to_asks_for_what_follows(codes):
    assert "training/confused-with-prompting" in codes(
        "Don't forget to train the bot by pasting the brief into the chat.")
    assert "training/confused-with-prompting" not in codes(
        "Don't train the bot by pasting the brief into the chat.")


@pytest.mark.parametrize("text, item", [
    ("temperature, top-p (nucleus sampling), top-k sampling, max tokens, X, determinism",
     " X"),
    ("Topics: reward model, direct preference optimization (DPO), X, LoRA", " X"),
    ("training, reinforcement learning from human\nfeedback (RLHF), reward model, X, LoRA", " X"),
])
def test_a_list_of_names_is_read_item_by_item(text, item):
    assert sentences.list_item(text, "X") == item


@pytest.mark.parametrize("text", [
    "temperature 0, top-p 1, X 42, identical output guaranteed",  # settings, not names
    "- X: supports EN, DE, FR, JA",  # the lead-in is what the list says
    "The X takes the article, sends one prompt, and returns the summary; it has no tools.",
    "We use X, and it learns from every chat, and it updates itself nightly, so no retraining.",
    "X, RAG and embeddings",  # too short to be a list
])
def test_not_a_list_of_names(text):
    assert sentences.list_item(text, "X") is None


def test_terms_listed_side_by_side_commit_no_misuse(codes):
    text = ("## Training\ntraining, pre-training, fine-tuning, reinforcement learning from human\n"
            "feedback (RLHF), reward model, direct preference optimization (DPO), LoRA,\n"
            "stop sequence, seed, determinism, LLM-as-a-judge, A/B test, regression test\n")
    assert [c for c in codes(text) if not c.endswith("weak-phrase")] == []


@pytest.mark.parametrize("text", [
    "True or false: RAG retrains the model on your documents.",
    "**True or false: a model with more parameters is always more accurate.**\n   False.",
    "3. Myth or fact: RAG retrains the model on your documents.",
    "T/F: more parameters always make a model more accurate. Answer: false.",
])
def test_a_quiz_item_asks_like_a_question(codes, text):
    # A quiz item puts the statement up for judgement; it does not claim it.
    assert [c for c in codes(text) if "/" in c and not c.endswith("weak-phrase")] == []


def test_a_quiz_item_answered_true_is_the_claim(codes):
    # Only an answer in the same sentence is seen (a bold item runs on into it); an answer
    # split off as its own sentence is not read, as with a question that has no answer.
    assert "retrieval-augmented-generation/changes-weights" in codes(
        "**True or false: RAG retrains the model on your documents.** True.")
    assert "retrieval-augmented-generation/changes-weights" in codes(
        "RAG retrains the model on your documents.")
    assert sentences.quiz_item("True or false: the answer is correct here.")
    assert not sentences.quiz_item("It is true or false depending on the data.")


def _rejected(text: str, needle: str) -> bool:
    """Whether `needle`, in a table whose header is the first line of `text`, is in a column
    that header rejects."""
    at = text.index(needle)
    lo, hi = sentences.line_at(text, at)
    return sentences.rejected_column(text.splitlines()[0], text[lo:hi], at - lo)


_MYTHS = ("| {head} | Reality |\n|------|---------|\n"
          "| RAG retrains the model on our wiki. | RAG adds wiki pages to the prompt. |\n"
          "| The bot learns from chats. | {reality} |\n")


@pytest.mark.parametrize("head", ["Myth", "Common misconception", "**Don't say**", "❌ Wrong"])
def test_a_cell_under_a_myth_header_quotes_the_claim_it_corrects(codes, head):
    text = _MYTHS.format(head=head, reality="Its weights are fixed.")
    assert "retrieval-augmented-generation/changes-weights" not in codes(text)
    assert _rejected(text, "RAG retrains")
    assert not _rejected(text, "RAG adds")


def test_other_headers_and_other_columns_are_still_read(codes):
    assert "retrieval-augmented-generation/changes-weights" in codes(
        _MYTHS.format(head="Fact", reality="Its weights are fixed."))
    # The reality column is the document's own claim.
    assert "retrieval-augmented-generation/changes-weights" in codes(
        _MYTHS.format(head="Myth", reality="RAG retrains the model every night."))


def test_a_myth_header_is_read_on_the_current_text_after_edits(engine):
    from powerwords.document import Document

    text = _MYTHS.format(head="Myth", reality="Its weights are fixed.")
    doc = Document(engine, text)
    at = text.index("Myth")
    doc.edit(at, at + len("Myth"), "Fact")
    edited = text.replace("Myth", "Fact", 1)
    assert [f.code for f in doc.analyse().findings] == [f.code for f in engine.analyse(edited).findings]
    assert "retrieval-augmented-generation/changes-weights" in [f.code for f in doc.analyse().findings]


def test_a_generic_header_word_rejects_only_as_the_whole_header():
    row = "| RAG retrains the model on our wiki. | 0.8 |\n"
    for head, rejected in (("❌ Before", True), ("Wrong wording", True),
                           ("Before fine-tuning", False), ("Bad answers we saw", False)):
        text = f"| {head} | Score |\n|---|---|\n{row}"
        assert _rejected(text, "RAG") is rejected, head


_SECTION = '# {heading}\n\n1. **"An agent is just a chatbot with a new name."**\n   {after}\n'


def test_a_quoted_claim_under_a_misconceptions_heading_is_the_claim_corrected(codes):
    text = _SECTION.format(heading="Five misconceptions we hear", after="It plans and calls tools.")
    assert "agent/single-call" not in codes(text)
    at = text.index("agent")
    lo, hi = sentences.line_at(text, at)
    assert sentences.quoted_claim(text[lo:hi], at - lo)
    assert sentences.correcting_heading(text.splitlines()[0])


@pytest.mark.parametrize("heading, after", [
    ("What our customers say", "Ask us for a demo."),  # a heading that corrects nothing
    ("Common myths", "Also, our agent is just a chatbot with a new name."),  # outside the quote
])
def test_other_headings_and_unquoted_text_are_still_read(codes, heading, after):
    text = _SECTION.format(heading=heading, after=after)
    assert "agent/single-call" in codes(text)


def test_the_section_heading_is_the_grammar_s_not_a_hash_line_in_code(codes):
    # A "# Common myths" line inside a fenced code block heads no section.
    text = ('# What our customers say\n\n```md\n# Common myths\n```\n\n'
            '1. **"An agent is just a chatbot with a new name."**\n')
    assert "agent/single-call" in codes(text)
