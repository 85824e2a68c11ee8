"""Verb forms of weak phrases: "make stuff up" also finds "makes", "made" and "making stuff up".

A card lists a weak phrasing once, in its base form, with its stronger wording ("make stuff up"
-> "hallucinate"). People write it in every tense, so when both the phrase and its replacement
start with a verb this module knows, the pack also matches the phrase's other forms and offers
the replacement in the same form ("the model made stuff up" -> "hallucinated"). Only verbs in
the table below are inflected: a phrase that starts with any other word is matched as written.
"""

from __future__ import annotations

# Base verb -> (past, past participle), for the irregular ones.
_IRREGULAR: dict[str, tuple[str, str]] = {
    "break": ("broke", "broken"), "feed": ("fed", "fed"), "get": ("got", "got"),
    "give": ("gave", "given"), "hit": ("hit", "hit"), "jailbreak": ("jailbroke", "jailbroken"),
    "keep": ("kept", "kept"),
    "make": ("made", "made"), "put": ("put", "put"), "run": ("ran", "run"),
    "say": ("said", "said"), "see": ("saw", "seen"), "show": ("showed", "shown"),
    "shrink": ("shrank", "shrunk"), "split": ("split", "split"), "stick": ("stuck", "stuck"),
    "teach": ("taught", "taught"), "think": ("thought", "thought"), "write": ("wrote", "written"),
}
# Regular verbs that double their last consonant: "cap" -> "capped", "capping".
_DOUBLING = {"cap", "plug", "stop", "skip", "drop", "chat", "tag", "plan", "pin", "ship"}
# Verbs that weak phrases and their replacements start with. A word outside this table is
# never inflected, so a phrase starting with a noun ("answer length limit") stays as written.
VERBS = frozenset(_IRREGULAR) | _DOUBLING | {
    "add", "ask", "bypass", "call", "check", "chunk", "cite", "connect", "customise", "customize",
    "describe", "distill", "dump", "evaluate", "exfiltrate", "explain", "explore", "fine-tune",
    "force", "hallucinate", "hook", "invent", "leak", "limit", "look", "paste",
    "pick", "pipe", "quantize", "rate-limit", "red-team", "remember", "rerank", "search",
    "serve", "smuggle", "sneak", "sort", "start", "stay", "stream", "stuff", "test", "train",
    "trick", "try", "use",
}


def third_person(verb: str) -> str:
    """"make" -> "makes", "try" -> "tries", "search" -> "searches"."""
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "i", "o", "u"):
        return verb[:-1] + "ies"
    return verb + "s"


def past(verb: str) -> str:
    """"make" -> "made", "train" -> "trained", "try" -> "tried", "cap" -> "capped"."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb][0]
    if verb in _DOUBLING:
        return verb + verb[-1] + "ed"
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "i", "o", "u"):
        return verb[:-1] + "ied"
    return verb + "ed"


def participle(verb: str) -> str:
    """"give" -> "given", "make" -> "made", "train" -> "trained"."""
    return _IRREGULAR[verb][1] if verb in _IRREGULAR else past(verb)


def gerund(verb: str) -> str:
    """"make" -> "making", "run" -> "running", "see" -> "seeing", "try" -> "trying"."""
    if verb in _DOUBLING or verb in ("run", "get", "put", "hit", "split"):
        return verb + verb[-1] + "ing"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    return verb + "ing"


_FORMS = (third_person, past, participle, gerund)


def verb_forms(phrase: str, use: str) -> list[tuple[str, str]]:
    """The other forms of a weak phrase and its replacement, as (phrase, use) pairs: none
    unless both start with a verb of the table (in lower case, as written in cards)."""
    verb, _, rest = phrase.partition(" ")
    use_verb, _, use_rest = use.partition(" ")
    if verb not in VERBS or use_verb not in VERBS or not rest:
        return []
    out: list[tuple[str, str]] = []
    for form in _FORMS:
        pair = (f"{form(verb)} {rest}", f"{form(use_verb)} {use_rest}".rstrip())
        if pair not in out and pair[0] != phrase:
            out.append(pair)
    return out
