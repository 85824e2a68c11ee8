"""A term pack: the cards of one or more folders, checked as a whole and ready to match.

The bundled pack ships inside the package (`powerwords/terms` in an installed wheel, the
repository's `terms/` in a source checkout). Extra folders, such as a team's own cards, come
after it; a card there replaces the bundled card with the same id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cache import cached_folder
from .cards import Card, WeakPhrase, load_card
from .forms import FormMatcher, normalise
from .inflect import verb_forms
from .yamlsource import Problem


def bundled_terms_dir() -> Path:
    """Where the bundled cards are: inside the installed package, or the checkout's terms/."""
    here = Path(__file__).resolve().parent
    installed = here / "terms"
    return installed if installed.is_dir() else here.parents[1] / "terms"


@dataclass(frozen=True)
class Weak:
    """A weak phrase together with the card that improves on it."""

    card: Card
    phrase: WeakPhrase


@dataclass
class TermPack:
    """Loaded cards, the problems found while loading them, and the matchers over their forms."""

    cards: dict[str, Card]
    problems: list[Problem] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Card titles by id, for the related-words line of rendered cards.
        self.short_names: dict[str, str] = {c.id: c.short_name for c in self.cards.values()}
        entries: list[tuple[str, Card]] = []
        owner: dict[str, Card] = {}
        for card in self.cards.values():
            for i, form in enumerate(card.forms):
                key = normalise(form)
                other = owner.get(key)
                if other is not None and other is not card:
                    self.problems.append(Problem(
                        card.source, None, f"forms[{i}]",
                        f"'{form}' is already a form of '{other.id}' ({other.source})"))
                    continue
                owner[key] = card
                entries.append((form, card))
        self.terms: FormMatcher[Card] = FormMatcher(entries, loose_acronyms=True)
        weak_entries = [(wp.phrase, Weak(card, wp))
                        for card in self.cards.values() for wp in card.weak_phrases]
        # Then the other verb forms of each ("makes stuff up" -> "hallucinates"): after every
        # phrase as written, so a phrase a card lists itself keeps its own replacement.
        weak_entries += [(phrase, Weak(card, WeakPhrase(phrase, use)))
                         for card in self.cards.values() for wp in card.weak_phrases
                         for phrase, use in verb_forms(wp.phrase, wp.use)]
        self.weak: FormMatcher[Weak] = FormMatcher(weak_entries, plurals=False)

    def get(self, term_id: str) -> Card | None:
        """The card with this id."""
        return self.cards.get(term_id)

    def find(self, word: str) -> Card | None:
        """The card whose id, name or form is `word` (any case or separator)."""
        if word in self.cards:
            return self.cards[word]
        hit = self.terms.lookup(word)
        if hit is not None:
            return hit[0]
        key = normalise(word)
        for card in self.cards.values():
            if key in (normalise(card.id), normalise(card.name), normalise(card.short_name)):
                return card
        return None


def load_pack(extra_dirs: list[Path] | tuple[Path, ...] = (), bundled: bool = True,
              strict: bool = False) -> TermPack:
    """Load the bundled cards and then each extra folder (later ids replace earlier ones).

    Rule patterns of other folders are compiled at load, so a broken one is reported there;
    the bundled pack's are compiled on first use unless `strict` (the test suite and
    `powerwords terms validate` load it strictly)."""
    home = bundled_terms_dir()
    dirs = ([home] if bundled else []) + [Path(d) for d in extra_dirs]
    cards: dict[str, Card] = {}
    problems: list[Problem] = []
    for folder in dirs:
        if not folder.is_dir():
            problems.append(Problem(str(folder), None, None, "term folder does not exist"))
            continue
        team = folder.resolve() != home.resolve()
        loaded, found = _load_folder(folder, check_patterns=strict or team)
        problems.extend(found)
        for card in loaded:
            cards[card.id] = card
    for card in cards.values():
        for i, rid in enumerate(card.related):
            if rid not in cards:
                problems.append(Problem(card.source, card.related_lines[i], f"related[{i}]",
                                        f"no card has the id '{rid}'"))
    return TermPack(cards, problems, dirs)


def _load_folder(folder: Path, check_patterns: bool) -> tuple[list[Card], list[Problem]]:
    """The cards of one folder and the problems met, from the cache while no file changed."""
    files = sorted(folder.glob("*.y*ml"))

    def load() -> tuple[list[Card], list[Problem]]:
        cards: list[Card] = []
        problems: list[Problem] = []
        for path in files:
            card, found = load_card(path, check_patterns=check_patterns)
            problems.extend(found)
            if card is not None:
                cards.append(card)
        return cards, problems

    return cached_folder(folder, files, check_patterns, load)
