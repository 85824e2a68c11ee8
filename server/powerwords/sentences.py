"""Splitting a prose block into sentences, the unit misuse rules look at."""

from __future__ import annotations

import re

# A sentence ends after . ! or ? (and any closing quotes or brackets) followed by white space,
# unless the word before the stop is a common abbreviation or an initial.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "cf", "approx", "mr", "mrs", "ms", "dr", "prof", "fig", "no",
    "eq", "sec", "incl", "esp", "ca", "viz", "ch", "vol", "al", "inc", "ltd", "jr", "sr", "st",
    "resp", "min", "max",
}
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# A line that ends with a colon, or a blank line, also ends a sentence.
_HARD_BREAK = re.compile(r":[ \t]*(?:\r\n|\r|\n)|(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


def split(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]` as (start, end) offsets into `text`."""
    end = len(text) if end is None else end
    cuts: list[int] = []
    for m in _END.finditer(text, start, end):
        if text[m.start()] == ".":
            before = _WORD_BEFORE.search(text, start, m.start())
            word = before.group(1).lower() if before else ""
            if word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            if m.end() - m.start() == 1 and m.end() < end and text[m.end()].isspace():
                nxt = text[m.end():m.end() + 3].lstrip()
                if nxt[:1].islower():  # "approx. three" or a wrapped line: no new sentence
                    continue
        cuts.append(m.end())
    for m in _HARD_BREAK.finditer(text, start, end):
        cuts.append(m.start() + 1)
    out: list[tuple[int, int]] = []
    pos = start
    for cut in sorted(set(cuts)):
        if cut > pos:
            out.append((pos, cut))
            pos = cut
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if text[s:e].strip()]


def containing(text: str, start: int, end: int, offset: int) -> tuple[int, int]:
    """The sentence of `text[start:end]` that contains `offset`."""
    for s, e in split(text, start, end):
        if s <= offset < e:
            return s, e
    return start, end
