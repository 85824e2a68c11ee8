"""Finding the forms of many terms in text with one precompiled regular expression.

Every form of every term goes into one character trie, which becomes one regular expression:
the regex engine walks the trie in C, so the cost does not grow with the number of terms the
way one regex per term would. Between the words of a form any separator is allowed (space,
hyphen, underscore, slash, nothing, or a line break), a plural `s` is added automatically, and
a word written with a capital letter matches only as written (acronyms such as RAG), except
that a matcher built with `loose_acronyms` also finds an all-capitals acronym written in lower
case ("rag", "Rag"), marking the match `loose` so the caller can ask for context first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

from .cache import cached_matcher, compile_regex

T = TypeVar("T")

_WORD_SPLIT = re.compile(r"[^\W_]+")
# Between two words of a form: one separator character (hyphen, underscore, slash, apostrophe...),
# or spaces with at most one line break, after an optional comma.
_GAP = r"(?:[-‐‑_/@.'’]|,?[ \t]*(?:\r\n|\r|\n)?[ \t]*)"
_BEFORE = r"(?<![^\W_])"
_EXACT_RUN = re.compile("1+")  # the characters of a spelling that must match as written
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
    loose: bool = False  # an acronym written in lower case ("rag" for RAG): context decides


def _is_acronym(word: str) -> bool:
    """An all-capitals word of two or more letters, with an optional plural s: RAG, LLMs, F1."""
    core = word[:-1] if word.endswith("s") else word
    return sum(c.isalpha() for c in core) >= 2 and core.isupper()


def _casual(text: str) -> bool:
    """Text in lower case, or with only its first letter capitalised ("rag", "Rag")."""
    return text[1:].islower() and (text[:1].islower() or text[:1].isupper())


class FormMatcher(Generic[T]):
    """Matches many phrases, each mapped to a value, in one regex pass (longest match wins).

    The regex itself is case-insensitive, so that alternatives never hide each other: Python's
    regex alternation takes the first branch that succeeds, not the longest, and a separate
    branch for "LLM" (exact case) and for "llm" would stop "LLM-as-a-judge" at "LLM". Case is
    checked afterwards; when the longest match fails that check, shorter word-prefixes of it
    are tried, longest first.
    """

    def __init__(self, entries: list[tuple[str, T]], plurals: bool = True, loose_acronyms: bool = False):
        """`entries` pairs each phrase with its value; earlier entries win on identical keys.
        With `loose_acronyms`, a spelling whose capitalised words are all acronyms (RAG, ICL,
        "vector DB", not CoT or LoRA) also matches in lower case, as a `loose` match."""
        self.loose_acronyms = loose_acronyms
        # Entries with the same value (by identity) are one group: a spelling is kept once per
        # group. The trie and table depend only on the phrases and groups, so they are cached.
        group_of: dict[int, int] = {}
        groups = [group_of.setdefault(id(value), i) for i, (_, value) in enumerate(entries)]
        phrases = [phrase for phrase, _ in entries]
        body, table = cached_matcher(phrases, groups, plurals,
                                     lambda: _build(phrases, groups, plurals))
        # joined lowercase key -> [(spelling, exact mask, value, form key)], preferred first;
        # the mask marks the characters of words written with a capital ("1"), which must
        # match as written.
        self._lookup: dict[str, list[tuple[str, str, T, str]]] = {
            key: [(spelling, mask, entries[i][1], form) for spelling, mask, i, form in options]
            for key, options in table.items()}
        self._source = _BEFORE + body + _AFTER if body else None
        # The trie is lowercase, so on lowercased text a case-sensitive search finds the same
        # spans about twice as fast as an IGNORECASE one; text whose lowercase changes
        # length (a dotted capital I) goes to the IGNORECASE regex, compiled only then.
        self._lower = compile_regex(self._source) if body else None
        self._folding: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """The case-insensitive regex of all forms (case is checked after it matches)."""
        if self._folding is None and self._source is not None:
            self._folding = compile_regex(self._source, re.IGNORECASE)
        return self._folding

    def _searcher(self, text: str) -> tuple[re.Pattern[str], str] | None:
        """A regex and the text to run it on, with the same offsets as `text`."""
        if self._lower is None:
            return None
        lowered = text.lower()
        if len(lowered) == len(text):
            return self._lower, lowered
        return self.pattern, text  # type: ignore[return-value]

    def _resolve(self, text: str) -> tuple[T, str, bool] | None:
        """The entry that `text` spells, case included: a word of a form written with a
        capital matches only as written (RAG, LLMs, CoT); other words in any case. The last
        item says whether the match is loose: an acronym written in lower case."""
        joined = "".join(words(text))
        options = self._lookup.get(joined.lower(), ())
        for spelling, mask, value, form in options:
            if "1" not in mask or all(
                    want == got if exact == "1" else want == got.lower()
                    for want, got, exact in zip(spelling, joined, mask)):
                return value, form, False
        if self.loose_acronyms and options and _casual(joined):
            for spelling, mask, value, form in options:
                exact = [spelling[m.start():m.end()] for m in _EXACT_RUN.finditer(mask)]
                if exact and all(_is_acronym(w) for w in exact):
                    return value, form, True
        return None

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match[T]]:
        """Every non-overlapping occurrence in `text[start:end]`, left to right."""
        searcher = self._searcher(text)
        if searcher is None:
            return
        regex, haystack = searcher
        end = len(text) if end is None else end
        pos = start
        while pos < end:
            m = regex.search(haystack, pos, end)
            if m is None:
                return
            s, e = m.start(), m.end()
            hit = self._resolve(text[s:e])
            if hit is None:
                # The longest spelling has the wrong case: try shorter word-prefixes.
                ends = [w.end() for w in _WORD_SPLIT.finditer(text, s, e)][:-1]
                for e in reversed(ends):
                    hit = self._resolve(text[s:e])
                    if hit is not None:
                        break
            if hit is None:
                pos = s + 1
                continue
            yield Match(s, e, hit[0], hit[1], hit[2])
            pos = e

    def search(self, text: str) -> bool:
        """Whether `text` may hold an entry (a quick test: case is not checked)."""
        searcher = self._searcher(text)
        return searcher is not None and searcher[0].search(searcher[1]) is not None

    def lookup(self, text: str) -> tuple[T, str] | None:
        """The value and form key of a phrase, if it is one of the entries (case-insensitive)."""
        options = self._lookup.get(joined_key(text))
        return (options[0][2], options[0][3]) if options else None


def _build(phrases: list[str], groups: list[int], plurals: bool
           ) -> tuple[str, dict[str, list[tuple[str, str, int, str]]]]:
    """The trie regex of `phrases` and their lookup table, with entry indices for values."""
    table: dict[str, list[tuple[str, str, int, str]]] = {}
    trie: dict = {}
    split = [(words(phrase), phrase, i) for i, phrase in enumerate(phrases)]
    # Real forms first, then automatic plurals, so a plural never takes a real form's key.
    passes = [[(parts, phrase, i) for parts, phrase, i in split if parts]]
    if plurals:
        passes.append([(parts[:-1] + [p], phrase, i)
                       for parts, phrase, i in split if parts
                       for p in _plurals(parts[-1])])
    for variants in passes:
        for parts, phrase, i in variants:
            key = "".join(w.lower() for w in parts)
            exact = [any(c.isupper() for c in w) for w in parts]
            spelling = "".join(w if x else w.lower() for w, x in zip(parts, exact))
            mask = "".join(("1" if x else "0") * len(w) for w, x in zip(parts, exact))
            options = table.setdefault(key, [])
            if not any(sp == spelling and groups[j] == groups[i] for sp, _, j, _ in options):
                options.append((spelling, mask, i, normalise(phrase)))
            # Every spelling gets its path: "guardrails" and "guard rails" share a key only.
            _insert(trie, [w.lower() for w in parts])
    return _emit(trie), table


def _insert(trie: dict, parts: list[str]) -> None:
    node = trie
    for i, word in enumerate(parts):
        if i:
            node = node.setdefault(("gap",), {})
        for ch in word:
            node = node.setdefault(ch, {})
    node[("end",)] = True


def _unit_regex(unit: str | tuple) -> str:
    """A trie edge as regex: a (lowercase) character, or the separator between words."""
    return _GAP if unit == ("gap",) else re.escape(unit)


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
