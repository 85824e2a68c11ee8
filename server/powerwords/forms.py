"""Finding the forms of many terms in text with one precompiled regular expression.

Every form of every term goes into one character trie, which becomes one regular expression:
the regex engine walks the trie in C, so the cost does not grow with the number of terms the
way one regex per term would. Between the words of a form any separator is allowed (space,
hyphen, underscore, slash, nothing, or a line break), a plural `s` is added automatically, and
a word written with a capital letter matches only as written (acronyms such as RAG).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

T = TypeVar("T")

_WORD_SPLIT = re.compile(r"[^\W_]+")
# Between two words of a form: one separator character (hyphen, underscore, slash, apostrophe...),
# or spaces with at most one line break, after an optional comma.
_GAP = r"(?:[-‐‑_/@.'’]|,?[ \t]*(?:\r\n|\r|\n)?[ \t]*)"
_BEFORE = r"(?<![^\W_])"
_AFTER = r"(?![^\W_])"


def words(text: str) -> list[str]:
    """The letter-and-digit runs of `text`: `"fine-tuning"` -> `["fine", "tuning"]`."""
    return _WORD_SPLIT.findall(text)


def normalise(text: str) -> str:
    """The key of a form or of matched text: lowercase words joined by one space."""
    return " ".join(w.lower() for w in words(text))


def joined_key(text: str) -> str:
    """Matched text with every separator removed, lowercased: the lookup key of a match."""
    return "".join(w.lower() for w in words(text))


def _plurals(word: str) -> list[str]:
    """Plural spellings added automatically for the last word of a form."""
    if not word or not word[-1].isalpha():
        return []
    if word.isupper():  # acronyms: LLM -> LLMs
        return [word + "s"]
    lower = word.lower()
    if lower.endswith("ch"):  # churches, but epochs
        return [word + "es", word + "s"]
    if lower.endswith(("s", "x", "z", "sh")):
        return [word + "es"]
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return [word + "s", word[:-1] + "ies"]
    return [word + "s"]


@dataclass(frozen=True)
class Match(Generic[T]):
    """One occurrence: text offsets, the entry it matched and the form key it matched as."""

    start: int
    end: int
    value: T
    form: str


class FormMatcher(Generic[T]):
    """Matches many phrases, each mapped to a value, in one regex pass (longest match wins)."""

    def __init__(self, entries: list[tuple[str, T]], plurals: bool = True):
        """`entries` pairs each phrase with its value; earlier entries win on identical keys."""
        self._lookup: dict[str, tuple[T, str]] = {}
        trie: dict = {}
        split = [(words(phrase), phrase, value) for phrase, value in entries]
        # Real forms first, then automatic plurals, so a plural never takes a real form's key.
        passes = [[(parts, phrase, value) for parts, phrase, value in split if parts]]
        if plurals:
            passes.append([(parts[:-1] + [p], phrase, value)
                           for parts, phrase, value in split if parts
                           for p in _plurals(parts[-1])])
        for variants in passes:
            for parts, phrase, value in variants:
                key = "".join(w.lower() for w in parts)
                self._lookup.setdefault(key, (value, normalise(phrase)))
                # Every spelling gets its path: "guardrails" and "guard rails" share a key only.
                _insert(trie, parts)
        body = _emit(trie)
        self.pattern = re.compile(_BEFORE + body + _AFTER, re.IGNORECASE) if body else None

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match[T]]:
        """Every non-overlapping occurrence in `text[start:end]`, left to right."""
        if self.pattern is None:
            return
        end = len(text) if end is None else end
        for m in self.pattern.finditer(text, start, end):
            hit = self._lookup.get(joined_key(m.group()))
            if hit is not None:
                yield Match(m.start(), m.end(), hit[0], hit[1])

    def lookup(self, text: str) -> tuple[T, str] | None:
        """The value and form key of a phrase, if it is one of the entries."""
        return self._lookup.get(joined_key(text))


def _insert(trie: dict, parts: list[str]) -> None:
    node = trie
    for i, word in enumerate(parts):
        if i:
            node = node.setdefault(("gap",), {})
        exact = any(c.isupper() for c in word)
        for ch in word:
            unit = ("cs", ch) if exact else ("ci", ch.lower())
            node = node.setdefault(unit, {})
    node[("end",)] = True


def _unit_regex(unit: tuple) -> str:
    if unit[0] == "gap":
        return _GAP
    ch = re.escape(unit[1])
    return f"(?-i:{ch})" if unit[0] == "cs" else ch


def _emit(node: dict) -> str:
    """The regex for a trie node: alternatives for its children, optional when it ends a form."""
    alts = []
    for unit in sorted((u for u in node if u != ("end",)), key=repr):
        alts.append(_unit_regex(unit) + _emit(node[unit]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ("end",) in node:
        body = "(?:" + body + ")?"
    return body
