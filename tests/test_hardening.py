"""Untrusted input: YAML tricks in cards, rule patterns that backtrack catastrophically, and odd
documents through the real server."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from cardfactory import card, write_pack
from powerwords import patterns, safety
from powerwords.cards import load_card
from powerwords.engine import Engine
from powerwords.pack import load_pack
from powerwords.yamlsource import YamlSourceError, load_text

# -- YAML ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, field", [
    ("id: x\nforms: !!python/object/apply:os.system [\"echo owned\"]\n", 2, "forms"),
    ("id: x\nratings: !!python/object:collections.OrderedDict {impact: 1}\n", 2, "ratings"),
    ("id: x\nname: !!python/name:os.system\n", 2, "name"),
    ("id: x\nname: !!python/object/new:os.system [ls]\n", 2, "name"),
    ("id: !custom x\n", 1, "id"),
])
def test_python_tags_are_refused_with_file_and_line(text, line, field):
    with pytest.raises(YamlSourceError) as caught:
        load_text(text, "team/x.yaml")
    problem = caught.value.problem
    assert (problem.file, problem.line, problem.field) == ("team/x.yaml", line, field)
    assert str(problem).startswith(f"team/x.yaml:{line}: {field}: unsupported YAML tag")


def test_python_tag_in_a_card_file_is_a_card_problem(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("id: x\nforms: !!python/object/apply:os.system [\"touch owned\"]\n")
    loaded, problems = load_card(path)
    assert loaded is None
    assert [str(p) for p in problems] == [
        f"{path}:2: forms: unsupported YAML tag "
        "'tag:yaml.org,2002:python/object/apply:os.system': plain values only"]
    assert not (tmp_path / "owned").exists()


def test_alias_bomb_and_recursive_alias_are_refused_quickly():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh"))
    start = time.perf_counter()
    with pytest.raises(YamlSourceError, match="more than 100000 values"):
        load_text(bomb, "bomb.yaml")
    with pytest.raises(YamlSourceError, match="nested more than 50 levels"):
        load_text("a: &x [*x]\n", "loop.yaml")
    assert time.perf_counter() - start < 5  # generous: the refusal comes after 100,000 values


@pytest.mark.parametrize("text, message", [
    ("n: !!int zz\n", "n: not a valid int"),
    ("d: 2020-13-45\n", "d: not a valid timestamp"),
])
def test_bad_values_for_standard_tags_are_problems_not_crashes(text, message):
    with pytest.raises(YamlSourceError, match=message):
        load_text(text, "f.yaml")


# -- rule patterns --------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [
    r"(a+)+$", r"(a|a)*$", r"(.*)*x", r"(a*)*b", r"(\w+\s?)+$", r"(?:foo|\w+)+!",
    r"(a|aa)+$", r"(x+x+)+y", r"(\d+)*$", r"(a+){1,100}$", r"((ab)*)+$", r"(?:a|a(?=a))+!",
])
def test_catastrophic_shapes_are_refused(pattern):
    with pytest.raises(safety.UnsafePattern, match="can backtrack catastrophically"):
        safety.check(pattern)


@pytest.mark.parametrize("pattern", [
    r"(\w+\s+)+$", r"(?:\w+,\s*)+x", r"(a|ab)*c", r"(\w|\d)+$", r"[^.]{0,40}x",
    r"\b(?:\w+\W+){0,3}learn", r"(?:(?:the|number\s+of|more|extra)\s+)*runs",
    r"(?:a\s+|an\s+|the\s+)*model", r"(?:always |fully |by nature |by design )*x",
])
def test_ordinary_shapes_pass(pattern):
    safety.check(pattern)


def _team_pack(tmp_path: Path, bad_pattern: str) -> Path:
    rule = {"id": "general", "text": "A general misuse.", "message": "Say it right.",
            "detect": [{"any": [r"{term} \w+ forever"]}],
            "flagged": ["The widget runs forever."], "clean": ["The widget runs."]}
    bad = {**rule, "detect": [{"any": [bad_pattern]}]}
    other = {"id": "other", "text": "Another misuse.", "message": "Say it better."}
    return write_pack(tmp_path / "team", [
        card("team-widget", forms=["widget"], misuses=[rule, other]),
        card("team-gadget", forms=["gadget"], misuses=[bad, other]),
        card("team-gizmo", forms=["gizmo"]),
    ])


def test_team_card_with_a_catastrophic_pattern_is_refused_and_the_pack_works(tmp_path):
    folder = _team_pack(tmp_path, "{term} (a+)+$")
    pack = load_pack([folder])
    [problem] = [p for p in pack.problems if "gadget" in p.file]
    text = str(problem)
    assert text.startswith(f"{folder / 'team-gadget.yaml'}:")
    assert ": misuses[0].detect[0].any[0]: pattern can backtrack catastrophically" in text
    assert problem.line is not None and problem.line > 1
    assert "team-gadget" not in pack.cards
    assert {"team-widget", "team-gizmo", "inference"} <= set(pack.cards)
    analysis = Engine(pack).analyse("The widget runs forever. Then the gadget aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    assert [f.code for f in analysis.findings] == ["team-widget/general"]


def test_a_slow_pattern_times_out_once_and_is_switched_off(caplog):
    # A shape the `regex` matcher cannot defuse; compiled as trusted (no shape check), so
    # only the time limit stands between it and a hung server.
    slow = patterns.compile_pattern(r"(?:a|a(?=a))+!", check=True, where="t.yaml:3: any[0]")
    text = "a" * 60
    start = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="powerwords.patterns"):
        assert slow.search(text) is None
    first = time.perf_counter() - start
    assert slow.timed_out
    assert first < patterns.MATCH_TIMEOUT + 2
    assert "t.yaml:3: any[0]: pattern took over" in caplog.text
    start = time.perf_counter()
    assert slow.search(text) is None  # switched off: no second wait
    assert time.perf_counter() - start < 0.05
    fast = patterns.compile_pattern(r"a+!", check=True)
    assert fast.search("aaa!") is not None


def test_a_bundled_shape_that_hangs_re_is_fast_here(pack):
    """`latency/rate-as-latency` has `(?:\\s*(?:,|and|...)\\s*\\d[\\d,.]*)*`: with `re` a sentence
    of 24 comma-separated numbers took 111 s; the `regex` matcher answers in milliseconds."""
    engine = Engine(pack)
    text = "Our latency 1" + ",1" * 40 + " zz."
    start = time.perf_counter()
    engine.analyse(text)
    assert time.perf_counter() - start < 2
