"""No bundled rule pattern backtracks on hostile text.

A pattern with two ways to split the same characters (a hyphen that is both part of a word and
a separator, a comma that is both a thousands separator and a list separator) tries every split
before it gives up: fine on a sentence, minutes on a line of dashes. The watchdog (watchdog.py)
cuts such a search off, but the rule is then lost for the session, so the bundled pack must
never need it. Every rule and sense pattern runs here over texts that have made such patterns
run away, each text also followed by the words the pattern's prefilter looks for (so that the
regex really runs, and has a reason to look far). How fast the patterns are is measured in
bench/; this only asserts that none comes near the watchdog's limit, plus one generous budget
for the whole run that catches a shape slow enough to matter without running away.
"""

from __future__ import annotations

import time

from powerwords import watchdog
from powerwords.cache import cached_prefilter
from powerwords.pack import TermPack, load_pack
from powerwords.patterns import SENTINEL, Pattern

S = SENTINEL

# Texts that made bundled patterns backtrack for seconds to minutes (before they were
# rewritten), and a few more shapes of the same kind.
HOSTILE = [
    # Runs of characters that are both word and separator (hyphens, apostrophes, dots).
    f"{S}" + "-" * 500,
    f"{S} " + "-" * 500 + " zz",
    f"{S} " + "aa-" * 200,
    f"{S} " + "1-" * 300 + "1",
    f"{S} " + "'" * 400 + "s",
    f"{S} " + "a’" * 300,
    f"{S}'s " + "o'" * 300 + "!",
    f"{S}: " + "1.1." * 200,
    f"{S} " + "a." * 400,
    f"{S} " + "..." * 200 + " zz",
    # Numbers: a comma is a thousands separator or a list separator.
    f"Our {S} 1" + ",1" * 30 + " zz.",
    f"Our {S} was 1" + ",1" * 60 + " ms.",
    f"{S} " + "1, " * 60 + "zz",
    f"{S} " + "1,000," * 80 + " ms",
    f"{S} " + "1 and 2 and " * 60,
    f"{S} of " + "1 to 2, " * 80 + "per",
    f"{S} " + "1.5, " * 100 + "s",
    f"{S} " + "12.5% " * 150,
    # Many short words, spaces and punctuation.
    f"{S} " + "a " * 300,
    f"{S} " + "word, " * 150 + "!",
    "the " * 300 + S,
    f"{S} " + "the " * 300,
    f"{S} is " + "very " * 200 + "?",
    f"{S} " + "- " * 300,
    f"{S} " + " , ." * 200,
    f"{S} " + " ;: " * 200 + "so",
    f"{S} " + "(a) " * 200,
    f"{S} " + "(" * 200 + "a" + ")" * 200,
    f"{S} " + "[(" * 150 + "x" + ")]" * 150,
    f"{S} " + '"a" ' * 200,
    f"{S} " + "a / " * 200,
    # Long single tokens.
    f"{S} " + "x" * 2000,
    f"{S}" + "x" * 2000,
    f"{S} " + "1" * 2000,
    "x" * 2000 + f" {S}",
]


def bundled_patterns(pack: TermPack) -> dict[str, Pattern]:
    """Every rule (all/any/none) and sense (requires/excludes) pattern of `pack`, by source."""
    found: dict[str, Pattern] = {}
    for card in pack.cards.values():
        groups = [group for misuse in card.misuses for rule in misuse.rules
                  for group in (rule.all, rule.any, rule.none)]
        if card.sense is not None:
            groups += [card.sense.requires, card.sense.excludes]
        for group in groups:
            for pattern in group:
                found.setdefault(pattern.source, pattern)
    return found


def texts_for(pattern: Pattern) -> list[str]:
    """The hostile texts, each also followed by the words the pattern's prefilter needs."""
    needs = " ".join(sorted(cached_prefilter(pattern.source) or ()))
    return HOSTILE + [f"{text} {needs}" for text in HOSTILE] if needs else HOSTILE


def test_no_bundled_pattern_backtracks_on_hostile_text() -> None:
    pack = load_pack()  # a pack of its own: a pattern switched off here stays off only here
    patterns = bundled_patterns(pack)
    assert len(patterns) > 1000  # the whole pack, not an empty loop
    runaway: list[str] = []
    started = time.monotonic()
    with watchdog.limits():
        for pattern in patterns.values():
            for text in texts_for(pattern):
                pattern.search(text)
                if pattern.timed_out:
                    runaway.append(f"{pattern.where}: on {text[:40]!r}...")
                    break
    elapsed = time.monotonic() - started
    assert not runaway, "patterns that backtrack on hostile text:\n" + "\n".join(runaway)
    # Thousands of patterns over dozens of texts: a few seconds on a slow machine. A budget of
    # a hundred watchdog limits is far above that and far below what one runaway shape costs.
    assert elapsed < 100 * watchdog.LIMIT, f"hostile texts took {elapsed:.1f} s in all"


def test_words_macro_counts_words_as_a_reader_does() -> None:
    """`{words:N}`, the safe spelling of "within N words", keeps the reading the patterns it
    replaced had: hyphenated words and contractions are one word, a lone dash or quote is none."""
    from powerwords.patterns import compile_pattern

    within3 = compile_pattern(r"{term}{words:3}retrain\w*")
    assert within3.search(f"{S} quietly retrains")
    assert within3.search(f"{S}'s fine-tuned copy retrains")  # three words
    assert not within3.search(f"{S} a b c d retrains")  # four words
    assert within3.search(f"{S} - which then retrains")  # a lone dash is no word
    assert within3.search(f"{S} then 'retrains' it")  # quoted
    assert within3.search(f"{S} then auto-retrains it")  # inside a hyphenated word
    assert not within3.search(f"{S}retrains")  # a gap is needed
    assert not compile_pattern(r"{term}{words:1}so\b").search(f"{S} also")  # no word inside a word
    after = compile_pattern(r"\bfew\b{words:2}{term}")
    assert after.search(f"few-shot prompts {S}") and after.search(f"a few, {S}")
    digits = compile_pattern(r"{term} (?:{digits}(?:, | and ))*{digits} ms")
    assert digits.search(f"{S} 1,000, 20 and 3.5 ms") and not digits.search(f"{S} 1,000, 20 and s")
