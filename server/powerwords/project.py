"""What applies to a file: its `.powerwords.yaml`, the term pack that config asks for, and an
engine over that pack. Shared by the CLI and the language server, with caches so that many files
under one config share one loaded pack."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .cards import Card
from .config import CONFIG_NAME, Config, ConfigError, find_config, load_config
from .engine import Engine
from .pack import TermPack, bundled_terms_dir, load_pack
from .yamlsource import Problem

KEPT = "(keeping the last good version)"


@dataclass
class Setup:
    """The engine and settings for one file, and any problems met while loading them."""

    engine: Engine
    config: Config
    problems: list[Problem] = field(default_factory=list)
    config_error: bool = False


class Project:
    """Loads configs and packs on demand and keeps them for the next file."""

    def __init__(self, overrides: Config | None = None, config_file: Path | None = None,
                 on_pack: Callable[[], None] | None = None):
        """`overrides` come from the client; `config_file` replaces the walk up for a config;
        `on_pack` is called after a pack is loaded (the server watches its folders)."""
        self.overrides = overrides or Config()
        self.config_file = config_file
        self.on_pack = on_pack
        self._configs: dict[Path, tuple[Config | None, list[Problem]]] = {}
        self._packs: dict[tuple[Path, ...], TermPack] = {}
        self._engines: dict[int, Engine] = {}
        # After a reload: the versions that loaded, kept while an edit breaks them.
        self._good_configs: dict[Path, Config] = {}
        self._good_cards: dict[str, Card] = {}

    def pack(self, term_dirs: tuple[Path, ...] = ()) -> TermPack:
        """The bundled pack plus `term_dirs`, loaded once."""
        if term_dirs not in self._packs:
            pack = load_pack(term_dirs)
            if self._good_cards:
                pack = self._keep_good_cards(pack)
            self._packs[term_dirs] = pack
            if self.on_pack is not None:
                self.on_pack()
        return self._packs[term_dirs]

    def _keep_good_cards(self, pack: TermPack) -> TermPack:
        """`pack` with the last good version of each card whose file is now broken."""
        loaded = {card.source for card in pack.cards.values()}
        cards = dict(pack.cards)
        problems = []
        for problem in pack.problems:
            good = self._good_cards.get(problem.file)
            if good is not None and problem.file not in loaded and Path(problem.file).is_file() \
                    and good.id not in cards:
                cards[good.id] = good
                problem = replace(problem, message=f"{problem.message} {KEPT}")
            problems.append(problem)
        if len(cards) == len(pack.cards):
            return pack
        # Relations to a kept card hold again.
        problems = [p for p in problems
                    if not (p.field or "").startswith("related[") or
                    not any(f"'{cid}'" in p.message for cid in cards)]
        return TermPack(cards, problems, pack.sources)

    def _config(self, path: Path) -> tuple[Config | None, list[Problem]]:
        if path not in self._configs:
            try:
                self._configs[path] = (load_config(path), [])
            except ConfigError as exc:
                good = self._good_configs.get(path)
                problems = exc.problems
                if good is not None:
                    problems = [replace(p, message=f"{p.message} {KEPT}") for p in problems]
                self._configs[path] = (good, problems)
        return self._configs[path]

    def watched_dirs(self) -> set[Path]:
        """The extra term folders of the loaded packs (the bundled folder is not watched)."""
        home = bundled_terms_dir().resolve()
        return {d.resolve() for key in self._packs for d in key if d.resolve() != home}

    def reload(self, changed: list[Path]) -> bool:
        """Forget the configs and packs that `changed` files feed (a `.powerwords.yaml`, or a
        card in a pack's folder); the versions that loaded stay in reserve, used while the
        new ones are broken. True if anything was forgotten."""
        forgot = False
        for path in changed:
            if path.name == CONFIG_NAME:
                # A config that appears or goes away changes which file the walk up finds;
                # that walk is not cached, so only a known config is forgotten.
                for known in [k for k in self._configs if _same(k, path)]:
                    config, _ = self._configs.pop(known)
                    if config is not None:
                        self._good_configs[known] = config
                    forgot = True
        folders = {p.parent.resolve() for p in changed
                   if p.name != CONFIG_NAME and p.suffix in (".yaml", ".yml")}
        for key in list(self._packs):
            sources = {d.resolve() for d in [bundled_terms_dir(), *key]}
            if not sources & folders:
                continue
            pack = self._packs.pop(key)
            self._engines.pop(id(pack), None)
            for card in pack.cards.values():
                self._good_cards[card.source] = card
            forgot = True
        return forgot

    def setup(self, file: Path | None) -> Setup:
        """Engine and settings for `file` (None: a document with no path, such as stdin)."""
        problems: list[Problem] = []
        config = Config()
        config_error = False
        config_path = self.config_file or (find_config(file) if file is not None else None)
        if config_path is not None:
            loaded, found = self._config(config_path)
            if loaded is not None:
                config = loaded
            problems += found
            config_error = bool(found) and loaded is None  # else: the last good version
        config = config.merged(self.overrides)
        pack = self.pack(config.term_dirs)
        problems += pack.problems
        id_problems = config.check_ids(pack.cards)
        if id_problems:
            problems += id_problems
            config_error = True
        engine = self._engines.get(id(pack))
        if engine is None:
            engine = self._engines[id(pack)] = Engine(pack)
        return Setup(engine, config, problems, config_error)

    def forget(self) -> None:
        """Drop every cached config and pack (after a config or card changed on disk)."""
        self._configs.clear()
        self._packs.clear()
        self._engines.clear()


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (one may be relative or through a link)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
