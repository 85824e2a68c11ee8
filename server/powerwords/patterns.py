"""The small pattern language of misuse rules and sense guards.

Rule patterns are Python regular expressions with a few placeholders (documented in
terms/README.md). This module owns the placeholder table and the word lists that decide whether
a clause is negated or a sentence corrects a misconception: data, kept in one place.
"""

from __future__ import annotations

import logging
import re

from . import watchdog
from .cache import cached_prefilter, compile_regex
from .prefilter import Prefilter

log = logging.getLogger(__name__)

FLAGS = re.IGNORECASE
# The longest one rule pattern may search one text (seconds): see watchdog.py.
MATCH_TIMEOUT = watchdog.LIMIT

# Stands in for the occurrence of the term inside the sentence a rule looks at. A private-use
# character, so it can never collide with real text.
SENTINEL = "\ue000"

_NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    "thirty|forty|fifty|sixty|hundred|thousand|million|billion|half|a few|several|dozens?"
)

# Words and the gaps between them, for "Y within five words after X". Every character is in a
# word or in a gap, decided by itself and its neighbours, so a text splits one way only. A
# pattern with two ways to split the same characters, such as `\W+(?:[\w'-]+\W+){0,8}?` (is a
# hyphen in the word or in the gap?), tries every split before it gives up: minutes on a long run
# of "aa-aa-aa-..." or "-----" (and the watchdog switches it off). A word holds letters or digits
# and the hyphens and apostrophes in or around it ("fine-tuned", "model's", "'quoted'"); a
# hyphen or quote standing alone is gap, as are dots and commas ("12.5" is two words).
_PUNCT = "’'‘-"


def _word(punct: str) -> str:
    return rf"(?:[{punct}]*\w[\w{punct}]*)"


def _gap(punct: str) -> str:
    return rf"(?:(?:[^\w{punct}]|(?<![\w{punct}])[{punct}]+(?![\w{punct}]))+)"


def _words(n: int, punct: str = _PUNCT) -> str:
    """`{words:N}`, between X and Y: a gap, up to N words each followed by a gap, then Y. The
    first word may go on from X ("-shot" after "few"), and Y may start after a hyphen or quote
    ("updates" in "auto-updates", "teaches" in "'teaches'", "weights" in "stores-weights")."""
    if n < 1:
        raise ValueError("{words:N} needs N of at least 1")
    word, gap = _word(punct), _gap(punct)
    return (rf"(?:(?:[{punct}]*{gap}|(?=[{punct}])){word}(?:{gap}{word}){{0,{n - 1}}}?)??"
            rf"(?:{gap}[{punct}]*|(?<=[{punct}])|[{punct}]+)")


# `{tokens:N}` reads numbers and abbreviations as one word: dots, commas, percent signs and
# brackets join a word as hyphens do ("12.5%", "1,000", "(PPL)", "i.e."); apostrophes do not.
_TOKEN_PUNCT = ".,%()-"

# A number written in digits, to its end: "1,000" is one number, never "1" then ",000", so a
# list of numbers ("1, 2 and 3") splits one way only.
_DIGITS = r"(?:\d+(?:[.,]\d+)*(?![.,]?\d))"

MACROS: dict[str, str] = {
    "term": SENTINEL,
    "num": rf"(?:~|≈|about |around |roughly )?(?:(?<!\d){_DIGITS}\s?[kKmMbB]?\b|\.\d+|(?:{_NUMBER_WORDS})\b)",
    "be": r"(?:is|are|was|were|be|been|being|'s|’s|'re|’re)",
    "word": _word(_PUNCT),
    "gap": _gap(_PUNCT),
    "digits": _DIGITS,
}

_TERM_BOUNDARY = re.compile(r"(?:\\b)?\{term\}(?:\\b)?")
# A `\b` a little after `{term}`: past an optional plural (`{term}s?\b`) or closing a group
# whose last alternative is the term (`(?:live|{term})\b`). The sentinel is not a word
# character, so there the boundary must also hold right after it.
_BOUNDARY_AFTER_TERM = re.compile(r"(\{term\}(?:s\?)?\)*)\\b")
_MACRO_RE = re.compile(r"\{(" + "|".join(MACROS) + r")\}|\{(words|tokens):(\d{1,2})\}")

# Words that negate the clause they stand in ("does not", "never", "isn't"); "don't forget to X"
# and "never fail to X" ask for X.
NEGATION = re.compile(
    r"\b(?:not|never|cannot|nor|neither|nothing|hardly|no\s+(?:one|amount|setting|value)|"
    r"\w+n['’]t|rather\s+than|instead\s+of)\b(?!\s+(?:forget|hesitate|fail)\s+to\b)",
    re.IGNORECASE,
)
# Of those, the ones that reject only what follows them: "A instead of B" still asserts A.
REJECTS_WHAT_FOLLOWS = re.compile(r"(?:rather\s+than|instead\s+of)$", re.IGNORECASE)

# Phrases that mark a whole sentence as correcting or discussing a misconception.
DENIAL = re.compile(
    r"\b(?:myths?|misconceptions?|misnomer|misleading|fallacy|mistaken(?:ly)?|wrongly|"
    r"incorrectly|falsely|contrary\s+to|confus(?:e|es|ed|ing)\s+\S+(?:\s+\S+)?\s+with|"
    r"not\s+the\s+same\s+(?:as|thing)|common\s+(?:mistake|error|misuse|confusion)|"
    r"a\s+mistake\s+to|people\s+(?:often\s+|sometimes\s+)?(?:think|assume|believe|say)|"
    r"(?:don['’]t|do\s+not|never)\s+(?:call|say|write|treat|describe|present|sell|think\s+of|assume|"
    r"expect|rely\s+on|count\s+on|mistake|confuse)|"
    r"avoid\s+(?:calling|saying|writing|treating|describing|presenting))\b"
    # A sentence whose subject is the act of saying something, judged: "Calling a single call an
    # agent oversells it", "Saying RAG retrains the model is wrong", "Treating X as Y is a mistake".
    r"|^[\W\d]*(?:calling|saying|treating|describing|labell?ing|claiming|assuming|believing|"
    r"thinking\s+(?:of|that)|presenting|framing|referring\s+to|equating|conflating|mixing\s+up|"
    r"promising|marketing|selling)\b(?=[\s\S]*\b(?:(?:is|are|was|were|['’]s)\s+(?:\w+\s+)?"
    r"(?:wrong|incorrect|inaccurate|false|untrue|misleading|a\s+mistake|an\s+error|a\s+stretch|"
    r"sloppy|confusing|nonsense|overstat\w+|overselling|a\s+category\s+error|bad\s+practice|"
    r"dangerous|risky)|oversells?|overstates?|overestimates?|exaggerates?|muddies|muddles|misleads?|confuses|blurs|"
    r"leads?\s+to\s+(?:confus\w+|bugs|errors|mistakes|surprises|wrong)|sets?\s+(?:the\s+)?wrong\s+"
    r"expectations|gets?\s+(?:it|this|that)\s+wrong)\b)",
    re.IGNORECASE,
)

# An acronym written in lower case ("rag", "icl") is the term only in a sentence with other AI
# words in it ("rag basically fine-tunes the llm"), and not where it reads as the everyday word
# it spells ("a wet rag", "rag doll"). The occurrence itself is the sentinel, so it never counts.
LOOSE_CONTEXT = re.compile(
    r"\b(?:ai|llms?|gpt[-\w.]*|chatgpt|claude|gemini|copilot|openai|anthropic|hugging\s*face|"
    r"models?|prompts?|prompting|embed(?:ding|dings|ded)?|vectors?|retriev\w*|fine[-\s]?tun\w*|"
    r"(?:re|pre-?)?train(?:s|ed|ing)?|chat\s?bots?|bots?|assistants?|tokens?|inference|weights|"
    r"hallucinat\w*|context\s+windows?|agents?|agentic|chunks?|chunking|knowledge\s+base|"
    r"semantic\s+search|neural|transformers?|machine\s+learning|nlp|few[-\s]shot|zero[-\s]shot|"
    r"in[-\s]context|rag|icl|rlhf)\b",
    re.IGNORECASE,
)
LOOSE_EVERYDAY = re.compile(
    r"\b(?:a|old|wet|damp|dirty|clean|oily|greasy|dish|cotton|paper|cleaning|soaked|torn|glad|"
    r"lose\s+(?:my|his|her|your|their|the|our))\s+" + SENTINEL + r"(?!\s*(?:pipelines?|systems?|"
    r"setups?|stacks?|apps?|bots?|chatbots?|approach\w*|architectures?|services?|index\w*|layers?|"
    r"demos?|prototypes?|workflows?|tools?|solutions?|projects?|quer(?:y|ies)|evals?|evaluations?|"
    r"retriev\w*|search|examples?|prompts?)\b)|" + SENTINEL + r"\s*(?:dolls?|rugs?|trade|week|mags?|"
    r"and[-\s]bone|to\s+riches)\b",
    re.IGNORECASE,
)

# Where a sentence splits into clauses for negation: semicolons, dashes, and contrast words.
CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+[—–]\s+|\s+-{1,2}\s+|,?\s+(?:but|although|though|whereas|while|yet|"
    r"however|unless|except)\b,?\s*|,\s+(?:so|and\s+so|which|because)\b\s*",
    re.IGNORECASE,
)
# For negation, a purpose clause is apart too, comma or not: in "lower the temperature so it
# doesn't drift" the "doesn't" belongs to the purpose, not to the claim.
# A leading concessive clause is apart too: in "Although the docs don't say so, inference trains
# the model" the "don't" concedes, and the main clause after the comma asserts.
NEGATION_BREAK = re.compile(
    CLAUSE_BREAK.pattern + r"|\s+so\s+that\s+|\s+so\s+(?=(?:it|they|we|you|he|she|users?|people|"
    r"the\s+(?:model|bot|answers?|output))\b)"
    r"|^\W*(?:although|though|even\s+though|even\s+if|while|whereas|despite|in\s+spite\s+of)\b"
    r"[^,;]{1,150},\s*"
    # An elliptical answer ("A: You don't, at temperature 0 it ...") denies the question, not the
    # claim after its comma.
    r"|(?:^|(?<=[?:]))\s*(?:a(?:nswer)?\s*[:.)]\s*)?(?:you|we|it|they|I|he|she)\s+(?:don['’]t|doesn['’]t|"
    r"do\s+not|does\s+not|won['’]t|can['’]t|isn['’]t|aren['’]t|shouldn['’]t|needn['’]t)\s*,\s*",
    re.IGNORECASE,
)


def expand(pattern: str) -> str:
    """Replace the `{name}` placeholders of a rule pattern by their regular expressions.

    The occurrence is a word for the rule's author, so a `\\b` written next to `{term}` is
    dropped: the sentinel is not a word character, and the boundary would never match.
    """
    pattern = _TERM_BOUNDARY.sub("{term}", pattern)
    pattern = _BOUNDARY_AFTER_TERM.sub(lambda m: m.group(1) + rf"(?:\b|(?<={SENTINEL}))", pattern)
    return _MACRO_RE.sub(_expand_one, pattern)


def _expand_one(m: re.Match[str]) -> str:
    if m.group(1):
        return MACROS[m.group(1)]
    return _words(int(m.group(3)), _PUNCT if m.group(2) == "words" else _TOKEN_PUNCT)


class Pattern:
    """A rule pattern, compiled on first use: a pack has about a thousand patterns, and a
    document usually needs a handful, so compiling them all would dominate start-up. The
    compiled form is cached (cache.py), and a long pattern gets a prefilter (prefilter.py)
    that skips searches that cannot match.

    Every search runs under the watchdog's time limit: a pattern that backtracks past
    MATCH_TIMEOUT on some text is switched off for the rest of the run and logged with its
    card, line and field (`where`). One bad rule, bundled or a team's, costs at most that once;
    it never hangs a check or the server."""

    __slots__ = ("source", "_compiled", "_filter", "where", "timed_out")

    def __init__(self, source: str, compiled: re.Pattern[str] | None = None,
                 where: str | None = None):
        self.source = source
        self._compiled = compiled
        self._filter: Prefilter | None | bool = False  # False: not built yet
        self.where = where
        self.timed_out = False

    def search(self, text: str) -> re.Match[str] | None:
        """Like `re.Pattern.search` (case-insensitive); None once the pattern has timed out."""
        if self.timed_out:
            return None
        if self._filter is False:
            strings = cached_prefilter(self.source)
            self._filter = Prefilter(strings) if strings else None
            if self._compiled is None:
                self._compiled = compile_regex(self.source, FLAGS, "rule")
        if self._filter is not None and not self._filter.may_match(text):  # type: ignore[union-attr]
            return None
        if not watchdog.armed():  # a search outside an analysis: limit it on its own
            with watchdog.limits():
                return self.search(text)
        try:
            watchdog.start(self)
            return self._compiled.search(text)  # type: ignore[union-attr]
        except watchdog.TimeLimit:
            self.timed_out = True
            log.warning("%s: pattern took over %.2f s on a %d-character text and is switched "
                        "off: %s", self.where or "rule pattern", MATCH_TIMEOUT, len(text),
                        self.source)
            return None
        finally:
            watchdog.stop()

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __reduce__(self) -> tuple:
        # Pickled (in the card cache) without the compiled regex: it recompiles on first use.
        return Pattern, (self.source, None, self.where)


# A numbered backreference (`\1`): it names a group by position, and joining patterns moves
# every group after the first pattern's, so such a pattern is searched on its own.
_BACKREF = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]")


def any_of(patterns: tuple[Pattern, ...]) -> Pattern | None:
    """One pattern that matches where any of `patterns` does (None for fewer than two, or when
    they cannot share one regex, such as two groups of the same name or a numbered
    backreference)."""
    if len(patterns) < 2:
        return patterns[0] if patterns else None
    if any(_BACKREF.search(p.source) for p in patterns):
        return None
    combined = Pattern("|".join(f"(?:{p.source})" for p in patterns),
                       where=" | ".join(p.where or "?" for p in patterns))
    try:
        combined.search("")
    except re.error:
        return None
    return combined


def compile_pattern(pattern: str, check: bool = True, where: str | None = None) -> Pattern:
    """A rule pattern with its placeholders expanded. With `check`, compile it now and raise
    ValueError with the reason if it is not a valid regular expression; without, compile it
    when first used (for the bundled pack, whose patterns the test suite compiles). `where`
    names the card, line and field, for the log if the pattern ever hits the time limit."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError("a pattern must be a non-empty string")
    source = expand(pattern)
    if not check:
        return Pattern(source, where=where)
    try:
        compiled = re.compile(source, FLAGS)
    except (re.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"pattern does not compile: {exc}") from None
    return Pattern(source, compiled, where)


def clause_around(text: str, index: int, breaks: re.Pattern[str] = CLAUSE_BREAK) -> str:
    """The clause of `text` that contains position `index` (clauses end where `breaks` match)."""
    start = 0
    for m in breaks.finditer(text):
        if m.start() >= index:
            return text[start:m.start()]
        if m.end() > index:  # the break itself contains the index: keep the whole text
            return text[start:]
        start = m.end()
    return text[start:]
