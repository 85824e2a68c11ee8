"""Shared fixtures: the bundled pack, an engine over it, and a helper to analyse text."""

from __future__ import annotations

import pytest

from powerwords.engine import Engine
from powerwords.pack import TermPack, load_pack


@pytest.fixture(scope="session")
def pack() -> TermPack:
    return load_pack()


@pytest.fixture(scope="session")
def engine(pack: TermPack) -> Engine:
    return Engine(pack)


@pytest.fixture
def codes(engine: Engine):
    """codes(text) -> the finding codes the engine reports for a Markdown text."""
    def run(text: str, markdown: bool = True) -> list[str]:
        return [f.code for f in engine.analyse(text, markdown).findings]
    return run


@pytest.fixture
def terms(engine: Engine):
    """terms(text) -> [(matched text, term id)] for every power word found."""
    def run(text: str, markdown: bool = True) -> list[tuple[str, str]]:
        return [(text[o.start:o.end], o.card.id) for o in engine.analyse(text, markdown).occurrences]
    return run
