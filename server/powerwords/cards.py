"""Term cards: the data model, and turning one YAML file into a checked Card.

The format is documented in terms/README.md. Every check here reports a Problem with the
file, line and field; a card with any problem is not loaded, so one broken file never takes
the rest of the pack down with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .patterns import Pattern, compile_pattern
from .yamlsource import PathKey, Problem, SourceMap, YamlSourceError, load_file

KINDS = ("concept", "technique", "operator", "parameter", "metric", "artifact", "system", "risk")
CATEGORIES = (
    "Prompt Craft",
    "Sampling and Generation",
    "Models and Architecture",
    "Training and Adaptation",
    "Inference and Deployment",
    "Retrieval and Knowledge",
    "Agents and Tools",
    "Evaluation and Quality",
    "Safety and Security",
)
LEVELS = ("beginner", "intermediate", "advanced")
RATINGS = ("impact", "universality", "depth")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Text fields every card carries, with the longest each may be (characters).
TEXT_FIELDS: dict[str, int] = {
    "name": 80,
    "pronunciation": 60,
    "definition": 159,
    "explanation": 2000,
    "when_to_use": 400,
    "prompt_to_try": 500,
    "why_it_matters": 400,
    "memory_trick": 400,
}
LIST_BOUNDS: dict[str, tuple[int, int]] = {
    "example_prompts": (3, 4),
    "related": (3, 6),
}
MISUSES_MAX = 4
KNOWN_FIELDS = set(TEXT_FIELDS) | set(LIST_BOUNDS) | {
    "id", "kind", "category", "level", "ratings", "misuses", "forms", "weak_phrases",
    "replace_with", "sense",
}
RULE_KEYS = {"all", "any", "none", "forms", "scope", "negation", "questions"}
MISUSE_KEYS = {"id", "text", "message", "replacements", "detect", "flagged", "clean"}


@dataclass(frozen=True)
class Rule:
    """One detection rule of a misuse: all its conditions must hold for an occurrence."""

    all: tuple[Pattern, ...] = ()
    any: tuple[Pattern, ...] = ()
    none: tuple[Pattern, ...] = ()
    forms: frozenset[str] | None = None
    scope: str = "sentence"
    negation: str = "clause"
    questions: str = "skip"


@dataclass(frozen=True)
class Misuse:
    """A common misuse of a term; detectable when it has rules."""

    id: str
    text: str
    message: str
    replacements: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]
    flagged: tuple[str, ...]
    clean: tuple[str, ...]

    def replacements_for(self, form: str) -> tuple[str, ...]:
        """Quick-fix words for an occurrence written as `form` (a normalised form key)."""
        return self.replacements.get(form) or self.replacements.get("default", ())


@dataclass(frozen=True)
class WeakPhrase:
    """A vaguer phrasing and the word that should replace it."""

    phrase: str
    use: str


@dataclass(frozen=True)
class Sense:
    """Guards that tell the AI sense of an everyday word from its other senses."""

    requires: tuple[Pattern, ...] = ()
    excludes: tuple[Pattern, ...] = ()


@dataclass
class Card:
    """One term of the pack, as loaded from `terms/<id>.yaml`."""

    id: str
    name: str
    pronunciation: str
    kind: str
    category: str
    level: str
    ratings: dict[str, int]
    definition: str
    explanation: str
    when_to_use: str
    prompt_to_try: str
    why_it_matters: str
    memory_trick: str
    example_prompts: list[str]
    misuses: list[Misuse]
    related: list[str]
    forms: list[str]
    weak_phrases: list[WeakPhrase]
    sense: Sense | None
    source: str
    related_lines: list[int | None] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """The name without its parenthesis: 'retrieval-augmented generation'."""
        return self.name.split(" (")[0]

    def misuse(self, misuse_id: str) -> Misuse | None:
        """The misuse with this id, if the card has it."""
        return next((m for m in self.misuses if m.id == misuse_id), None)


class _Checker:
    """Collects problems while reading one card."""

    def __init__(self, sm: SourceMap, check_patterns: bool = True):
        self.sm = sm
        self.check_patterns = check_patterns
        self.problems: list[Problem] = []

    def fail(self, path: PathKey, message: str) -> None:
        self.problems.append(self.sm.problem(path, message))

    def text(self, data: dict, key: str, path: PathKey, required: bool = True,
             limit: int | None = None) -> str:
        value = data.get(key)
        if value is None:
            if required and key in data:
                self.fail(path + (key,), "must not be empty")
            elif required:
                self.fail(path, f"missing required field '{key}'")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(path + (key,), "must be a non-empty string")
            return ""
        value = value.strip()
        if limit is not None and len(value) > limit:
            self.fail(path + (key,), f"is {len(value)} characters; at most {limit} allowed")
        return value

    def strings(self, data: dict, key: str, path: PathKey, required: bool = True,
                bounds: tuple[int, int] | None = None) -> list[str]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(path, f"missing required field '{key}'")
            return []
        if not isinstance(value, list):
            self.fail(path + (key,), "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.fail(path + (key, i), "must be a non-empty string")
                continue
            out.append(item.strip())
        if bounds and not bounds[0] <= len(value) <= bounds[1]:
            self.fail(path + (key,), f"has {len(value)} items; {bounds[0]} to {bounds[1]} expected")
        return out

    def choice(self, data: dict, key: str, choices: tuple[str, ...], path: PathKey,
               default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            self.fail(path, f"missing required field '{key}'")
            return ""
        if value not in choices:
            self.fail(path + (key,), f"must be one of {', '.join(choices)} (got {value!r})")
        return str(value)

    def patterns(self, data: dict, key: str, path: PathKey) -> tuple[Pattern, ...]:
        out = []
        for i, raw in enumerate(self.strings(data, key, path, required=False)):
            where = str(self.sm.problem(path + (key, i), "")).rstrip(": ")
            try:
                out.append(compile_pattern(raw, self.check_patterns, where))
            except ValueError as exc:
                self.fail(path + (key, i), str(exc))
        return tuple(out)


def _rules(ck: _Checker, value: Any, path: PathKey, form_keys: set[str]) -> tuple[Rule, ...]:
    from .forms import normalise  # local: forms imports cards' sibling modules only

    if not isinstance(value, list) or not value:
        ck.fail(path, "must be a non-empty list of rules")
        return ()
    rules = []
    for i, raw in enumerate(value):
        rpath = path + (i,)
        if not isinstance(raw, dict):
            ck.fail(rpath, "a rule must be a mapping")
            continue
        for key in raw:
            if key not in RULE_KEYS:
                ck.fail(rpath + (key,), f"unknown rule key (known: {', '.join(sorted(RULE_KEYS))})")
        if not raw.get("all") and not raw.get("any"):
            ck.fail(rpath, "a rule needs 'all' or 'any' patterns")
        forms = None
        if "forms" in raw:
            names = ck.strings(raw, "forms", rpath)
            forms = frozenset(normalise(f) for f in names)
            for j, name in enumerate(names):
                if normalise(name) not in form_keys:
                    ck.fail(rpath + ("forms", j), f"'{name}' is not one of the card's forms")
        rules.append(Rule(
            all=ck.patterns(raw, "all", rpath),
            any=ck.patterns(raw, "any", rpath),
            none=ck.patterns(raw, "none", rpath),
            forms=forms,
            scope=ck.choice(raw, "scope", ("sentence", "clause"), rpath, "sentence"),
            # YAML reads a bare `off` as false: take it as the word the author meant.
            negation=ck.choice({**raw, "negation": "off"} if raw.get("negation") is False else raw,
                               "negation", ("clause", "sentence", "off"), rpath, "clause"),
            questions=ck.choice(raw, "questions", ("skip", "flag"), rpath, "skip"),
        ))
    return tuple(rules)


def _replacements(ck: _Checker, raw: dict, path: PathKey) -> dict[str, tuple[str, ...]]:
    """A misuse's quick-fix words: a list, or a mapping from form (or `default`) to a list."""
    from .forms import normalise

    value = raw.get("replacements")
    if value is None:
        return {}
    if isinstance(value, list):
        return {"default": tuple(ck.strings(raw, "replacements", path))}
    path = path + ("replacements",)
    if isinstance(value, dict):
        out = {}
        for key in value:
            items = ck.strings(value, key, path)
            out["default" if key == "default" else normalise(str(key))] = tuple(items)
        return out
    ck.fail(path, "must be a list of words or a mapping from form to words")
    return {}


def _misuses(ck: _Checker, data: dict, form_keys: set[str]) -> list[Misuse]:
    value = data.get("misuses")
    if value is None:
        ck.fail((), "missing required field 'misuses'")
        return []
    if not isinstance(value, list):
        ck.fail(("misuses",), "must be a list")
        return []
    if len(value) > MISUSES_MAX:
        ck.fail(("misuses",), f"has {len(value)} items; at most {MISUSES_MAX} expected")
    out: list[Misuse] = []
    seen: set[str] = set()
    for i, raw in enumerate(value):
        path: PathKey = ("misuses", i)
        if not isinstance(raw, dict):
            ck.fail(path, "a misuse must be a mapping")
            continue
        for key in raw:
            if key not in MISUSE_KEYS:
                ck.fail(path + (key,), f"unknown field (known: {', '.join(sorted(MISUSE_KEYS))})")
        mid = ck.text(raw, "id", path)
        if mid and not ID_RE.match(mid):
            ck.fail(path + ("id",), "must be lowercase words joined by hyphens")
        if mid in seen:
            ck.fail(path + ("id",), f"duplicate misuse id '{mid}'")
        seen.add(mid)
        rules = _rules(ck, raw["detect"], path + ("detect",), form_keys) if "detect" in raw else ()
        message = ck.text(raw, "message", path, limit=300)
        flagged = ck.strings(raw, "flagged", path, required=False)
        clean = ck.strings(raw, "clean", path, required=False)
        if rules and (len(flagged) < 1 or len(clean) < 1):
            ck.fail(path, "a misuse with 'detect' needs 'flagged' and 'clean' example sentences")
        out.append(Misuse(
            id=mid,
            text=ck.text(raw, "text", path, limit=400),
            message=message,
            replacements=_replacements(ck, raw, path),
            rules=rules,
            flagged=tuple(flagged),
            clean=tuple(clean),
        ))
    return out


def _weak_phrases(ck: _Checker, data: dict, default_use: str) -> list[WeakPhrase]:
    value = data.get("weak_phrases")
    if value is None:
        return []
    if not isinstance(value, list):
        ck.fail(("weak_phrases",), "must be a list")
        return []
    out = []
    for i, raw in enumerate(value):
        path: PathKey = ("weak_phrases", i)
        if isinstance(raw, str) and raw.strip():
            out.append(WeakPhrase(raw.strip(), default_use))
        elif isinstance(raw, dict):
            phrase = ck.text(raw, "phrase", path)
            use = ck.text(raw, "use", path)
            extra = set(raw) - {"phrase", "use"}
            if extra:
                ck.fail(path, f"unknown keys {sorted(extra)} (known: phrase, use)")
            if phrase and use:
                out.append(WeakPhrase(phrase, use))
        else:
            ck.fail(path, "must be a phrase or a mapping with 'phrase' and 'use'")
    return out


def _sense(ck: _Checker, data: dict) -> Sense | None:
    value = data.get("sense")
    if value is None:
        return None
    if not isinstance(value, dict):
        ck.fail(("sense",), "must be a mapping with 'requires' and/or 'excludes'")
        return None
    extra = set(value) - {"requires", "excludes"}
    if extra:
        ck.fail(("sense",), f"unknown keys {sorted(extra)} (known: requires, excludes)")
    return Sense(ck.patterns(value, "requires", ("sense",)),
                 ck.patterns(value, "excludes", ("sense",)))


def parse_card(sm: SourceMap, expected_id: str,
               check_patterns: bool = True) -> tuple[Card | None, list[Problem]]:
    """Check one card's YAML; return the Card (None if it has problems) and the problems.
    `check_patterns=False` defers compiling rule patterns to their first use."""
    from .forms import normalise

    ck = _Checker(sm, check_patterns)
    data = sm.data
    if not isinstance(data, dict):
        ck.fail((), "a card must be a YAML mapping of fields")
        return None, ck.problems
    for key in data:
        if key not in KNOWN_FIELDS:
            ck.fail((key,), "unknown field (see terms/README.md)")
    cid = ck.text(data, "id", ())
    if cid and cid != expected_id:
        ck.fail(("id",), f"is '{cid}' but the file name says '{expected_id}'")
    if cid and not ID_RE.match(cid):
        ck.fail(("id",), "must be lowercase words joined by hyphens")
    texts = {key: ck.text(data, key, (), limit=limit) for key, limit in TEXT_FIELDS.items()}
    if "\n" in texts["definition"]:
        ck.fail(("definition",), "must be one line")
    ratings: dict[str, int] = {}
    raw_ratings = data.get("ratings")
    if not isinstance(raw_ratings, dict):
        ck.fail(("ratings",) if "ratings" in data else (),
                "ratings must be a mapping of impact, universality and depth"
                if "ratings" in data else "missing required field 'ratings'")
    else:
        for key in RATINGS:
            value = raw_ratings.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                where = ("ratings", key) if key in raw_ratings else ("ratings",)
                ck.fail(where, f"{key} must be a whole number from 1 to 5 (got {value!r})")
            else:
                ratings[key] = value
        for key in set(raw_ratings) - set(RATINGS):
            ck.fail(("ratings", key), "unknown rating (known: impact, universality, depth)")
    forms = ck.strings(data, "forms", ())
    if "forms" in data and not forms:
        ck.fail(("forms",), "needs at least one form")
    form_keys = {normalise(f) for f in forms}
    for i, form in enumerate(forms):
        if not normalise(form):
            ck.fail(("forms", i), "has no letters or digits")
    lists = {key: ck.strings(data, key, (), bounds=bounds) for key, bounds in LIST_BOUNDS.items()}
    related = lists["related"]
    for i, rid in enumerate(related):
        if rid == cid:
            ck.fail(("related", i), "a card cannot be related to itself")
    misuses = _misuses(ck, data, form_keys)
    replace_with = ck.text(data, "replace_with", (), required=False) or texts["name"].split(" (")[0]
    weak = _weak_phrases(ck, data, replace_with)
    sense = _sense(ck, data)
    card = Card(
        id=cid,
        kind=ck.choice(data, "kind", KINDS, ()),
        category=ck.choice(data, "category", CATEGORIES, ()),
        level=ck.choice(data, "level", LEVELS, ()),
        ratings=ratings,
        example_prompts=lists["example_prompts"],
        misuses=misuses,
        related=related,
        forms=forms,
        weak_phrases=weak,
        sense=sense,
        source=sm.file,
        related_lines=[sm.line(("related", i)) for i in range(len(related))],
        **texts,
    )
    return (None if ck.problems else card), ck.problems


def load_card(path: Path, check_patterns: bool = True) -> tuple[Card | None, list[Problem]]:
    """Load and check one card file."""
    try:
        sm = load_file(path)
    except YamlSourceError as exc:
        return None, [exc.problem]
    return parse_card(sm, path.stem, check_patterns)
