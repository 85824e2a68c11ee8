"""Refusing rule patterns that can backtrack catastrophically.

Team term packs are untrusted input, and Python's `re` cannot be interrupted: one pattern such
as `(a+)+$` can keep the server busy for hours on a sentence of forty letters. A card whose
pattern has one of the shapes that cause exponential backtracking is refused at load, with the
reason; the matcher in `patterns.py` also runs non-bundled patterns with a time limit, for the
shapes this check cannot see.

The check walks the parse tree of the pattern (the standard library's own parser) and looks,
under every quantifier that repeats many times, for

- a body that can match the empty string (`(a*)*`, `(a?)+`),
- an inner quantifier that nothing required in the body separates from the next repetition
  (`(a+)+`, `(.*)*`, `(\\w+\\s?)+`; but `(\\w+\\s+)+` is fine: a word ends at the space), and
- alternatives that match the same text or the same start (`(a|a)*`, `(a|aa)+`, `(foo|\\w+)+`).

Character sets are compared on a sample alphabet (ASCII and some typical non-ASCII letters
and punctuation), which is enough to tell `\\w` from `\\s` or `,` from `[^,]`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# A quantifier allowing more repetitions than this counts as "many" (`{0,3}` does not).
MANY = 8

_ALPHABET = "".join(chr(i) for i in range(128)) + "éÉßñçøü’‘“”—–…\u00a0\u2028\ue000字😀٣"
_ALL = frozenset(_ALPHABET)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}

_CATEGORIES = {
    _c.CATEGORY_DIGIT: str.isdecimal,
    _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    _c.CATEGORY_SPACE: str.isspace,
    _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}

Node = tuple[Any, Any]


class UnsafePattern(ValueError):
    """A pattern that can backtrack catastrophically; the message says why."""


def check(source: str, flags: int = re.IGNORECASE) -> None:
    """Raise UnsafePattern if `source` (already expanded) has a catastrophic shape.

    Patterns that do not parse are left to `re.compile`, which reports them better."""
    try:
        tree = _parser.parse(source, flags)
    except (re.error, RecursionError, OverflowError):
        return
    problem = _Walker(bool(flags & re.IGNORECASE)).sequence(list(tree))
    if problem:
        raise UnsafePattern(f"pattern can backtrack catastrophically: {problem}")


class _Walker:
    def __init__(self, ignore_case: bool):
        self.ignore_case = ignore_case

    # -- character sets ---------------------------------------------------------------------

    def _chars(self, test) -> frozenset[str]:
        if self.ignore_case:
            return frozenset(ch for ch in _ALPHABET if any(test(v) for v in _variants(ch)))
        return frozenset(ch for ch in _ALPHABET if test(ch))

    def atom(self, op: Any, av: Any) -> frozenset[str] | None:
        """The characters a one-character node matches (None: not a one-character node)."""
        if op == _c.LITERAL:
            return self._chars(lambda ch: ord(ch) == av)
        if op == _c.NOT_LITERAL:
            return self._chars(lambda ch: ord(ch) != av)
        if op == _c.ANY:
            return _ALL
        if op == _c.IN:
            return _in_set(tuple(av), self.ignore_case)
        return None

    def first(self, seq: list[Node]) -> frozenset[str]:
        """Characters that can start a match of `seq`."""
        out: frozenset[str] = frozenset()
        for node in seq:
            out |= self.node_first(node)
            if not self.nullable([node]):
                break
        return out

    def node_first(self, node: Node) -> frozenset[str]:
        op, av = node
        chars = self.atom(op, av)
        if chars is not None:
            return chars
        if op in _REPEATS or op == getattr(_c, "POSSESSIVE_REPEAT", None):
            return self.first(list(av[2])) if av[1] > 0 else frozenset()
        if op == _c.SUBPATTERN:
            return self.first(list(av[-1]))
        if op == getattr(_c, "ATOMIC_GROUP", None):
            return self.first(list(av))
        if op == _c.BRANCH:
            out: frozenset[str] = frozenset()
            for branch in av[1]:
                out |= self.first(list(branch))
            return out
        if op == _c.GROUPREF_EXISTS:
            return self.first(list(av[1])) | (self.first(list(av[2])) if av[2] else frozenset())
        if op == _c.GROUPREF:
            return _ALL
        return frozenset()  # zero-width: anchors, lookarounds

    def chars(self, seq: list[Node]) -> frozenset[str]:
        """Every character that some part of a match of `seq` can be."""
        out: frozenset[str] = frozenset()
        for op, av in seq:
            chars = self.atom(op, av)
            if chars is not None:
                out |= chars
            elif op in _REPEATS or op == getattr(_c, "POSSESSIVE_REPEAT", None):
                out |= self.chars(list(av[2]))
            elif op == _c.SUBPATTERN:
                out |= self.chars(list(av[-1]))
            elif op == getattr(_c, "ATOMIC_GROUP", None):
                out |= self.chars(list(av))
            elif op == _c.BRANCH:
                for branch in av[1]:
                    out |= self.chars(list(branch))
            elif op == _c.GROUPREF_EXISTS:
                out |= self.chars(list(av[1])) | (self.chars(list(av[2])) if av[2] else frozenset())
            elif op == _c.GROUPREF:
                out |= _ALL
        return out

    def nullable(self, seq: list[Node]) -> bool:
        """Whether `seq` can match the empty string."""
        for op, av in seq:
            if op in _ZERO_WIDTH or op == _c.GROUPREF:
                continue
            if op in _REPEATS or op == getattr(_c, "POSSESSIVE_REPEAT", None):
                if av[0] == 0 or self.nullable(list(av[2])):
                    continue
                return False
            if op == _c.SUBPATTERN:
                if self.nullable(list(av[-1])):
                    continue
                return False
            if op == getattr(_c, "ATOMIC_GROUP", None):
                if self.nullable(list(av)):
                    continue
                return False
            if op == _c.BRANCH:
                if any(self.nullable(list(b)) for b in av[1]):
                    continue
                return False
            if op == _c.GROUPREF_EXISTS:
                if self.nullable(list(av[1])) or not av[2] or self.nullable(list(av[2])):
                    continue
                return False
            return False
        return True

    # -- the checks -------------------------------------------------------------------------

    def sequence(self, seq: list[Node]) -> str | None:
        """The first catastrophic shape in `seq` and everything inside it."""
        for op, av in seq:
            problem = self.node(op, av)
            if problem:
                return problem
        return None

    def node(self, op: Any, av: Any) -> str | None:
        if op in _REPEATS:
            low, high, body = av
            body = list(body)
            if high > 1 and (high == _c.MAXREPEAT or high > MANY):
                problem = self.repeat(body)
                if problem:
                    return problem
            return self.sequence(body)
        if op == getattr(_c, "POSSESSIVE_REPEAT", None):
            return self.sequence(list(av[2]))  # never backtracks into its body
        if op == _c.SUBPATTERN:
            return self.sequence(list(av[-1]))
        if op == getattr(_c, "ATOMIC_GROUP", None):
            return self.sequence(list(av))
        if op in (_c.ASSERT, _c.ASSERT_NOT):
            return self.sequence(list(av[1]))
        if op == _c.BRANCH:
            for branch in av[1]:
                problem = self.sequence(list(branch))
                if problem:
                    return problem
        if op == _c.GROUPREF_EXISTS:
            return self.sequence(list(av[1])) or (self.sequence(list(av[2])) if av[2] else None)
        return None

    def repeat(self, body: list[Node]) -> str | None:
        """Problems of a quantifier that repeats `body` many times."""
        body = _flatten(body)
        if self.nullable(body):
            return ("a repeated group can match the empty string (like `(a*)*`); "
                    "make each repetition consume something")
        # At the end of the body, the next repetition follows.
        return self.ambiguous(body, self.first(body))

    def ambiguous(self, seq: list[Node], follow: frozenset[str]) -> str | None:
        """A place in `seq` where the text can be split in more than one way: a quantifier or
        an optional alternative whose next character could also start what follows it
        (`follow`: the characters that can come after `seq`)."""
        after = follow
        for op, av in reversed(seq):
            if op in _REPEATS:
                body = list(av[2])
                starts = self.first(body)
                if av[0] != av[1] and starts & after:
                    return ("a quantifier inside a repeated group can stop or go on at the "
                            "same character (like `(a+)+`, `(\\w+\\s?)+` or `(x+x+)+`), so the "
                            "text splits into repetitions in exponentially many ways; drop a "
                            "quantifier or separate the repetitions (for example with `\\s+`)")
                problem = self.ambiguous(body, starts | after)
                if problem:
                    return problem
            elif op == _c.SUBPATTERN:
                problem = self.ambiguous(list(av[-1]), after)
                if problem:
                    return problem
            elif op == _c.BRANCH:
                branches = [list(b) for b in av[1]]
                problem = self.alternatives(branches, after)
                if problem:
                    return problem
                for branch in branches:
                    problem = self.ambiguous(branch, after)
                    if problem:
                        return problem
            elif op == _c.GROUPREF_EXISTS:
                return "a conditional group inside a repeated group"
            after = self.node_first((op, av)) | (after if self.nullable([(op, av)]) else frozenset())
        return None

    def alternatives(self, branches: list[list[Node]], follow: frozenset[str]) -> str | None:
        """Two alternatives that can match the same start, or an empty one that what follows
        can also start."""
        message = ("alternatives inside a repeated group can match the same text (like "
                   "`(a|a)*`, `(a|aa)+` or `(foo|\\w+)+`); make them differ from their start")
        empty = [b for b in branches if self.nullable(b)]
        if len(empty) > 1:
            return message
        if empty and any(self.first(b) & follow for b in branches if b is not empty[0]):
            return message
        prefixes = [self.prefix(_flatten(b), follow) for b in branches
                    if b is not (empty or [None])[0]]
        for i in range(len(prefixes)):
            for j in range(i + 1, len(prefixes)):
                a, b = prefixes[i], prefixes[j]
                if all(x & y for x, y in zip(a, b)):
                    return message
        return None

    def prefix(self, seq: list[Node], follow: frozenset[str]) -> list[frozenset[str]]:
        """The character sets of the first positions of `seq`, as far as they are fixed; a
        fixed string is followed by what comes after it (`follow`)."""
        out: list[frozenset[str]] = []
        for op, av in seq:
            chars = self.atom(op, av)
            if chars is not None:
                out.append(chars)
                continue
            if op in _REPEATS and av[0] >= 1:
                out.append(self.first(list(av[2])))
            if op not in _ZERO_WIDTH:
                return out
        out.append(follow)
        return out


def _flatten(seq: list[Node]) -> list[Node]:
    """`seq` with groups opened up: `(ab)c` is the sequence a, b, c."""
    out: list[Node] = []
    for op, av in seq:
        if op == _c.SUBPATTERN:
            out.extend(_flatten(list(av[-1])))
        else:
            out.append((op, av))
    return out


def _variants(ch: str) -> tuple[str, ...]:
    """`ch` and its one-character case variants ('ß'.upper() is 'SS', which is not one)."""
    return tuple(v for v in (ch, ch.lower(), ch.upper()) if len(v) == 1)


@lru_cache(maxsize=4096)
def _in_set(items: tuple, ignore_case: bool) -> frozenset[str]:
    """The characters of a `[...]` set (as parsed) over the sample alphabet."""
    negate = any(op == _c.NEGATE for op, _ in items)

    def member(ch: str) -> bool:
        code = ord(ch)
        for op, av in items:
            if op == _c.LITERAL and code == av:
                return True
            if op == _c.RANGE and av[0] <= code <= av[1]:
                return True
            if op == _c.CATEGORY and _CATEGORIES.get(av, lambda c: True)(ch):
                return True
        return False

    def test(ch: str) -> bool:
        hit = any(member(v) for v in _variants(ch)) if ignore_case else member(ch)
        return hit != negate

    return frozenset(ch for ch in _ALPHABET if test(ch))
