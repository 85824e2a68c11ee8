"""What applies to a file: its `.powerwords.yaml`, the term pack that config asks for, and an
engine over that pack. Shared by the CLI and the language server, with caches so that many files
under one config share one loaded pack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Config, ConfigError, find_config, load_config
from .engine import Engine
from .pack import TermPack, load_pack
from .yamlsource import Problem


@dataclass
class Setup:
    """The engine and settings for one file, and any problems met while loading them."""

    engine: Engine
    config: Config
    problems: list[Problem] = field(default_factory=list)
    config_error: bool = False


class Project:
    """Loads configs and packs on demand and keeps them for the next file."""

    def __init__(self, overrides: Config | None = None, config_file: Path | None = None):
        """`overrides` come from the client; `config_file` replaces the walk up for a config."""
        self.overrides = overrides or Config()
        self.config_file = config_file
        self._configs: dict[Path, tuple[Config | None, list[Problem]]] = {}
        self._packs: dict[tuple[Path, ...], TermPack] = {}
        self._engines: dict[int, Engine] = {}

    def pack(self, term_dirs: tuple[Path, ...] = ()) -> TermPack:
        """The bundled pack plus `term_dirs`, loaded once."""
        if term_dirs not in self._packs:
            self._packs[term_dirs] = load_pack(term_dirs)
        return self._packs[term_dirs]

    def _config(self, path: Path) -> tuple[Config | None, list[Problem]]:
        if path not in self._configs:
            try:
                self._configs[path] = (load_config(path), [])
            except ConfigError as exc:
                self._configs[path] = (None, exc.problems)
        return self._configs[path]

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
            config_error = bool(found)
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
