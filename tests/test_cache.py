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


def test_a_form_matcher_from_the_cache_finds_the_same_entries(cache_dir: Path, monkeypatch) -> None:
    from powerwords import forms

    a, b = object(), object()
    entries = [("LLM", a), ("large language model", a), ("LLMs", a), ("RAG", b), ("rag doll", b)]
    text = "LLMs and a Large-Language Model; RAG, a rag doll, llm."
    fresh = forms.FormMatcher(entries, loose_acronyms=True)
    # The second build must take the trie and table from the cache, not build them again.
    monkeypatch.setattr(forms, "_build", lambda *a: pytest.fail("built again"))
    again = forms.FormMatcher(entries, loose_acronyms=True)

    def found(matcher):
        return [(m.start, m.end, m.value, m.form, m.loose) for m in matcher.finditer(text)]

    assert found(again) == found(fresh)
    assert [v is a for _, _, v, _, _ in found(again)] == [True, True, False, False, True]
    # The same phrases for other values (from the cache too): the values are its own.
    c, d = object(), object()
    other = forms.FormMatcher([(p, c if v is a else d) for p, v in entries], loose_acronyms=True)
    assert [m.value for m in other.finditer(text)] == [c, c, d, d, c]


def test_prefilter_regexes_have_one_source_whatever_the_set_order(cache_dir: Path) -> None:
    from powerwords.prefilter import Prefilter

    # Same-length strings in any order give one regex, so its cache entry is found again
    # by the next process (sets iterate in a different order in each process).
    first = Prefilter(frozenset(["learns", "adapts", "trains", "update"]))._any
    second = Prefilter(frozenset(["update", "trains", "adapts", "learns"]))._any
    assert first.pattern == second.pattern
