"""Realistic documents that use AI vocabulary correctly draw no misuse warning.

`tests/data/clean_docs/` holds AGENTS.md rules, prompt files, design docs, eval reports, FAQs,
glossaries, notes and everyday uses of ambiguous words ("recall", "weights", "token"), written
to be correct. A misuse warning on any of their sentences is a false positive; weak-phrase
hints are allowed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from powerwords.engine import Engine
from powerwords.pack import load_pack

DOCS = Path(__file__).parent / "data" / "clean_docs"
DOC_PATHS = sorted(DOCS.glob("*.md"))


@pytest.fixture(scope="module")
def pack_engine() -> Engine:
    return Engine(load_pack())


def test_the_clean_documents_are_there() -> None:
    # The parametrised test below would pass vacuously on an empty folder.
    assert len(DOC_PATHS) >= 30


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.name)
def test_a_correct_document_draws_no_misuse_warning(pack_engine: Engine, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    misuses = [f for f in pack_engine.analyse(text).findings if f.kind == "misuse"]
    found = [f"line {text.count(chr(10), 0, f.start) + 1}: {f.code}: {text[f.start:f.end]!r}"
             for f in misuses]
    assert found == []


def test_the_check_would_see_a_misuse_in_a_document(pack_engine: Engine) -> None:
    # The same check reports a misuse when one is written into a clean document.
    text = DOC_PATHS[0].read_text(encoding="utf-8") + "\nRAG retrains the model on our documents.\n"
    assert "retrieval-augmented-generation/changes-weights" in [
        f.code for f in pack_engine.analyse(text).findings if f.kind == "misuse"]
