"""The start-up cache: same results as without it, invalidated by changes, harmless when broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from powerwords import cache
from powerwords.pack import bundled_terms_dir, load_pack


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POWERWORDS_CACHE_DIR", str(folder))
    return folder


def test_regex_from_cache_matches_like_a_fresh_compile(cache_dir: Path, monkeypatch) -> None:
    source = r"(?<![^\W_])(?:context(?:[-_ ]?windows?)?|rag)(?![^\W_])"
    first = cache.compile_regex(source, re.IGNORECASE)
    assert list(cache_dir.glob("regex-*.pickle"))
    # The second compile must come from the stored bytecode, not from re.compile.
    monkeypatch.setattr(re, "compile", lambda *a, **k: pytest.fail("compiled again"))
    second = cache.compile_regex(source, re.IGNORECASE)
    text = "Our Context-Windows and RAG, not contextual ragged text; CONTEXT window."
    assert [m.span() for m in second.finditer(text)] == [m.span() for m in first.finditer(text)]
    assert [m.group() for m in second.finditer(text)] == ["Context-Windows", "RAG", "CONTEXT window"]
    assert second.pattern == source and second.flags == first.flags


def test_damaged_regex_cache_falls_back_to_compiling(cache_dir: Path) -> None:
    source = r"\bhallucinat\w*"
    cache.compile_regex(source)
    for entry in cache_dir.glob("regex-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert cache.compile_regex(source).search("it hallucinated").group() == "hallucinated"


def test_invalid_regex_still_raises(cache_dir: Path) -> None:
    with pytest.raises(re.error):
        cache.compile_regex("(unclosed")


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERWORDS_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    assert cache.compile_regex(r"\btoken\b").search("a token")
    assert load_pack().get("token") is not None


def test_unwritable_cache_costs_only_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("POWERWORDS_CACHE_DIR", str(blocker / "sub"))
    assert load_pack().get("inference") is not None


def test_cached_pack_equals_fresh_pack(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_pack()
    assert list(cache_dir.glob("cards-*.pickle"))
    import powerwords.pack as pack_module
    monkeypatch.setattr(pack_module, "load_card", lambda *a, **k: pytest.fail("parsed again"))
    cached = load_pack()
    assert cached.cards.keys() == fresh.cards.keys()
    for cid, card in fresh.cards.items():
        assert cached.cards[cid] == card


def test_editing_a_card_invalidates_its_folder(cache_dir: Path, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    card = bundled_terms_dir() / "token.yaml"
    shutil.copy(card, team / "token.yaml")
    assert load_pack([team]).get("token").definition == load_pack().get("token").definition
    data = yaml.safe_load((team / "token.yaml").read_text(encoding="utf-8"))
    data["definition"] = "Our team's own definition of a token."
    (team / "token.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_pack([team]).get("token").definition == "Our team's own definition of a token."
    (team / "token.yaml").write_text("id: [broken", encoding="utf-8")
    broken = load_pack([team])
    assert any("token.yaml" in str(p) for p in broken.problems)
