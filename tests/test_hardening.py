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
from lsprotocol import types
from pytest_lsp import LanguageClient

from cardfactory import card, write_pack
from powerwords import patterns
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


def test_team_card_with_a_catastrophic_pattern_cannot_hang_the_engine(tmp_path, caplog):
    """A pattern that backtracks catastrophically under `re` loads, costs at most the time
    limit once, is switched off with its card, line and field in the log, and the rest of the
    pack works."""
    folder = _team_pack(tmp_path, r"{term} (\w+\s?)+!")
    pack = load_pack([folder])
    assert not [p for p in pack.problems if "team" in p.file]
    assert {"team-widget", "team-gadget", "team-gizmo", "inference"} <= set(pack.cards)
    text = "The widget runs forever. Then the gadget " + "ab " * 40 + "zz"
    start = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="powerwords.patterns"):
        analysis = Engine(pack).analyse(text)
    assert time.perf_counter() - start < patterns.MATCH_TIMEOUT * 4 + 2
    assert [f.code for f in analysis.findings] == ["team-widget/general"]
    if "switched off" in caplog.text:  # the regex matcher may also defuse it outright
        assert f"{folder / 'team-gadget.yaml'}:" in caplog.text
        assert "misuses[0].detect[0].any[0]" in caplog.text


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


# -- odd documents through the real server --------------------------------------------------

MISUSE = "During inference the model learns from every customer question."
CODE = "inference/confused-with-training"


def _odd_documents() -> dict[str, str]:
    """Name -> text of documents no editor should ever send, but some will."""
    filler = "plain words without any power in them at all, "
    one_line = (filler * 10_000 + MISUSE + " " + filler * 10_000 + MISUSE)[:1_000_000]
    one_line = one_line[: one_line.rindex(".") + 1]
    noise = "".join(chr(c) for c in range(1, 256) if c not in (10, 13))
    return {
        "one-mb-line.md": one_line,
        "binary.md": noise + " " + MISUSE + " " + noise[::-1] + "\n" + MISUSE + "\n",
        "nul.md": "\x00\x00" + MISUSE + "\x00 infer\x00ence \x00\n\x00" + MISUSE + "\x00",
        "line-ends.md": ("one\r\n\r\n" + MISUSE + "\r" + "\r" + MISUSE + "\n\n" + MISUSE
                         + "\r\n\u2028\x0c\x0b\x1c\x85 " + MISUSE + "\r\n"),
        "emoji.md": "😀👩‍👩‍👧‍👦🇳🇱" * 2000 + "\n" + "🙂" * 50,
        "emoji-and-words.md": "🙂" * 30 + " " + MISUSE + " 🇳🇱 " + MISUSE,
    }


def _check_ranges(text: str, diags: list[dict]) -> None:
    """Every range lies inside the document, by LSP's own line rules and UTF-16 columns."""
    from powerwords.positions import LineIndex

    index = LineIndex(text)
    for d in diags:
        r = d["range"]
        for end in ("start", "end"):
            line, col = r[end]["line"], r[end]["character"]
            assert 0 <= line < len(index.starts)
            content = text[index.starts[line]:index.line_end(line)]
            assert 0 <= col <= len(content.encode("utf-16-le")) // 2
        assert (r["start"]["line"], r["start"]["character"]) <= (r["end"]["line"], r["end"]["character"])


# The server fixture of test_server.py: the real `powerwords lsp`, initialised.
from test_server import client  # noqa: E402,F401


async def test_odd_documents_match_the_cli(client: LanguageClient, tmp_path):
    docs = _odd_documents()
    paths = {}
    for name, text in docs.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8", newline="")
    proc = subprocess.run([sys.executable, "-m", "powerwords", "check", "--format", "json",
                           *map(str, paths.values())], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    expected = {Path(entry["path"]).name: entry["diagnostics"] for entry in json.loads(proc.stdout)}
    for name, text in docs.items():
        uri = paths[name].as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                                 text=text)))
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        published = [client.protocol._converter.unstructure(d) for d in client.diagnostics[uri]]
        assert published == expected.get(name, []), name
        _check_ranges(text, published)
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=3)))
        assert hover is None or hover.contents.value.startswith("###")
    # The sanity of the expectations themselves: the misuses are found where they are.
    assert [d["code"] for d in expected["line-ends.md"]].count(CODE) == 4
    assert [d["range"]["start"]["line"] for d in expected["line-ends.md"] if d["code"] == CODE] \
        == [2, 4, 6, 7]  # \r\n, \r, \n and CRLF are line ends; U+2028, \f, \v, \x1c, \x85 are not
    last = [d for d in expected["one-mb-line.md"] if d["code"] == CODE][-1]
    assert last["range"]["start"]["line"] == 0 and last["range"]["start"]["character"] > 900_000
    assert expected["emoji.md"] == []
    emoji = [d for d in expected["emoji-and-words.md"] if d["code"] == CODE]
    assert emoji[0]["range"]["start"]["character"] == 30 * 2 + 1 + len("During ")


async def test_edits_after_characters_that_are_not_line_ends(client: LanguageClient, tmp_path):
    """Form feed, U+2028 and friends are not LSP line ends: an edit on the next line must land
    on the line the client means (pygls alone counts them as line ends)."""
    from powerwords.diagnostics import diagnostics
    from powerwords.pack import load_pack as load

    text = ("Intro\u2028still one line\x0c and \x85 more\n"
            "During inference the model learns from every customer question.\r\nTail")
    uri = (tmp_path / "ff.md").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                             text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.range.start.line for d in client.diagnostics[uri] if d.code == CODE] == [1]
    # Replace "inference" on line 1 with "training".
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=1, character=7),
                              end=types.Position(line=1, character=16)), text="training")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    after = text.replace("During inference", "During training")
    expected = diagnostics(Engine(load()).analyse(after).findings, after)
    published = [client.protocol._converter.unstructure(d) for d in client.diagnostics[uri]]
    assert published == expected
    assert CODE not in [d["code"] for d in published]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=1, character=10)))
    assert hover.contents.value.startswith("### training")
