"""Card loading: broken cards are reported with file, line and field; the rest still load."""

from __future__ import annotations

from pathlib import Path

from cardfactory import card, write_pack
from powerwords.cli import main
from powerwords.pack import load_pack


def _pack(tmp_path: Path, cards):
    write_pack(tmp_path, cards)
    return load_pack([tmp_path], bundled=False)


def test_valid_cards_load(tmp_path):
    pack = _pack(tmp_path, [card("alpha-term"), card("beta-term"), card("gamma-term")])
    assert not pack.problems
    assert sorted(pack.cards) == ["alpha-term", "beta-term", "gamma-term"]


def test_bad_yaml_names_file_and_line(tmp_path):
    write_pack(tmp_path, [card("alpha-term"), card("beta-term")])
    (tmp_path / "broken.yaml").write_text("id: broken\nname: [unclosed\n", encoding="utf-8")
    pack = load_pack([tmp_path], bundled=False)
    assert sorted(pack.cards) == ["alpha-term", "beta-term"]
    [problem] = [p for p in pack.problems if "broken.yaml" in p.file]
    assert problem.line is not None and "invalid YAML" in problem.message


def test_missing_field_bad_rating_unknown_related_and_bad_rule(tmp_path):
    cards = [
        card("alpha-term", definition=None),
        card("beta-term", ratings={"impact": 7, "universality": 3, "depth": 3}),
        card("gamma-term", related=["alpha-term", "beta-term", "no-such-term"]),
        card("delta-term", misuses=[{"id": "bad", "text": "x", "message": "y",
                                     "detect": [{"any": ["(unclosed"]}],
                                     "flagged": ["a"], "clean": ["b"]},
                                    {"id": "other", "text": "z", "message": "w"}]),
        card("epsilon-term"),
    ]
    pack = _pack(tmp_path, cards)
    by_file = {Path(p.file).stem: p for p in pack.problems}
    assert "missing required field 'definition'" in by_file["alpha-term"].message
    assert by_file["beta-term"].field == "ratings.impact"
    assert by_file["beta-term"].line == 8
    assert by_file["gamma-term"].field == "related[2]"
    assert "no-such-term" in by_file["gamma-term"].message
    assert by_file["delta-term"].field == "misuses[0].detect[0].any[0]"
    assert "does not compile" in by_file["delta-term"].message
    # Cards with problems are not loaded; the others are.
    assert "epsilon-term" in pack.cards and "gamma-term" in pack.cards
    assert "alpha-term" not in pack.cards and "beta-term" not in pack.cards


def test_duplicate_forms_are_reported(tmp_path):
    pack = _pack(tmp_path, [card("alpha-term", forms=["shared word"]),
                            card("beta-term", forms=["shared word", "beta term"]),
                            card("gamma-term")])
    assert any("already a form of 'alpha-term'" in p.message for p in pack.problems)


def test_validate_command(tmp_path, capsys):
    write_pack(tmp_path, [card("alpha-term"), card("beta-term"), card("gamma-term")])
    assert main(["terms", "validate", str(tmp_path)]) == 0
    (tmp_path / "beta-term.yaml").write_text(
        (tmp_path / "beta-term.yaml").read_text().replace("depth: 3", "depth: 9"))
    assert main(["terms", "validate", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "beta-term.yaml:" in out and "ratings.depth" in out


def test_bundled_pack_validates():
    pack = load_pack(strict=True)
    assert pack.problems == []
    assert len(pack.cards) >= 39


def test_every_misuse_needs_a_teaching_message(tmp_path):
    pack = _pack(tmp_path, [card("alpha-term", misuses=[{"id": "bare", "text": "x"},
                                                        {"id": "other", "text": "y", "message": "z"}]),
                            card("beta-term"), card("gamma-term")])
    [problem] = [p for p in pack.problems if "alpha-term" in p.file]
    assert problem.field == "misuses[0]" and "message" in problem.message
