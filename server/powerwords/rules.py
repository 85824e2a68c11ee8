"""Deciding whether an occurrence of a term is the AI sense, and whether it commits a misuse."""

from __future__ import annotations

from .cards import Card, Misuse, Rule, Sense
from .patterns import (DENIAL, LOOSE_CONTEXT, LOOSE_EVERYDAY, NEGATION, NEGATION_BREAK, REJECTS_WHAT_FOLLOWS, SENTINEL, Pattern,
                       any_of, clause_around)
from .prose import MASK
from .sentences import (declaratives, is_question, label_reading, list_item, presupposed, quiz_item,
                        table_row, tag_statement)

# One regex per list of alternatives ("any of these"), built on first use: one search instead
# of one per pattern. Keyed by the identity of the card's tuple, which lives as long as the card.
_COMBINED: dict[int, tuple[tuple[Pattern, ...], Pattern | None]] = {}


def _any(patterns: tuple[Pattern, ...], text: str) -> bool:
    """Whether any of `patterns` matches `text`."""
    entry = _COMBINED.get(id(patterns))
    if entry is None or entry[0] is not patterns:
        entry = _COMBINED[id(patterns)] = (patterns, any_of(patterns))
    combined = entry[1]
    if combined is not None:
        return combined.search(text) is not None
    return any(p.search(text) for p in patterns)


def with_sentinel(text: str, start: int, end: int, occ_start: int, occ_end: int) -> str:
    """`text[start:end]` with the occurrence replaced by the sentinel, masks read as spaces."""
    out = text[start:occ_start] + SENTINEL + text[occ_end:end]
    return out.replace(MASK, " ") if MASK in out else out


def is_sense(sense: Sense | None, block: str, sentence: str) -> bool:
    """Whether the occurrence (the sentinel in both texts) is the AI sense of an everyday word."""
    if sense is None:
        return True
    if sense.excludes and _any(sense.excludes, sentence):
        return False
    return not sense.requires or _any(sense.requires, block)


def is_loose_sense(sentence: str, matched: str) -> bool:
    """Whether an acronym written in lower case (`matched`, the sentinel in `sentence`: "rag"
    for RAG) is the AI term: other AI words are in the sentence, and a one-word match does not
    read as the everyday word it spells ("a wet rag"; "a rag pipeline" is the term)."""
    if LOOSE_CONTEXT.search(sentence) is None:
        return False
    return len(matched.split()) > 1 or LOOSE_EVERYDAY.search(sentence) is None


def _rule_holds(rule: Rule, form: str, sentence: str) -> bool:
    if rule.forms is not None and form not in rule.forms:
        return False
    if rule.questions == "skip" and sentence.rstrip(" \t\r\n\"'”’)*_").endswith("?"):
        return False
    scope = sentence if rule.scope == "sentence" else clause_around(sentence, sentence.index(SENTINEL))
    if not all(p.search(scope) for p in rule.all):
        return False
    if rule.any and not _any(rule.any, scope):
        return False
    if rule.none and _any(rule.none, scope):
        return False
    if rule.negation == "off":
        return True
    if DENIAL.search(sentence):
        return False
    where = (sentence if rule.negation == "sentence"
             else clause_around(sentence, sentence.index(SENTINEL), NEGATION_BREAK))
    return not _negated(where)


def _negated(text: str) -> bool:
    """Whether a negation cue in `text` touches the occurrence (the sentinel in `text`)."""
    at = text.find(SENTINEL)
    for m in NEGATION.finditer(text):
        if at >= 0 and m.start() > at and REJECTS_WHAT_FOLLOWS.search(m.group(0)):
            continue  # "the term ... instead of X": X is rejected, the term's claim stands
        return True
    return False


def misuses_in(card: Card, form: str, sentence: str) -> list[Misuse]:
    """The card's misuses whose rules hold for the occurrence marked in `sentence`.

    A question joined with its answer is also read as the statement the pair makes, since
    rules are written for statements; a table row is read as "first cell: the others", and a
    short label before a colon ("Inference: where the model learns") also as "X is Y"; a
    statement with a tag question ("X, right?") as the statement; a question also as what it
    states, proposes or takes for granted on the way ("Since X, ...?", "Why not X?", "Why Y
    when X?", "How do I X?").
    """
    readings = [table_row(sentence) or list_item(sentence, SENTINEL) or sentence]
    if "?" in sentence and not is_question(sentence, 0, len(sentence)):
        readings += declaratives(sentence, SENTINEL)
    elif (tagged := tag_statement(sentence, SENTINEL)) is not None:
        readings.append(tagged)
    elif "?" in sentence:
        readings += presupposed(sentence, SENTINEL)
    if ":" in readings[0] and (label := label_reading(readings[0], SENTINEL)) is not None:
        readings.append(label)
    asked = quiz_item(sentence)  # "True or false: X." asks about X, like a question
    return [m for m in card.misuses
            if any(_rule_holds(r, form, text) for r in m.rules if not (asked and r.questions == "skip")
                   for text in readings)]

