"""End to end in Neovim: its built-in LSP client (0.7 API) runs this checkout's `powerwords lsp`.

One headless Neovim run (tests/editors/neovim.lua) opens tests/editors/notes.md and goes through
a misuse diagnostic, the hover card, a completion and a quick fix; each test below checks one of
them, so a failure names the feature. Neovim has no pull diagnostics: the server pushes.
"""

from __future__ import annotations

import pytest
from conftest import require_tool
from editors.harness import (EDITORS_DIR, FIXTURE, INSTALL_HINT, EditorRun, edited_text,
                             run_editor)

from powerwords.diagnostics import diagnostics

TIMEOUT_SECONDS = 90
CODE = "inference/confused-with-training"


@pytest.fixture(scope="module")
def nvim(tmp_path_factory) -> EditorRun:
    exe = require_tool("nvim", INSTALL_HINT)
    script = EDITORS_DIR / "neovim.lua"
    # --clean: no user config or plugins, but Neovim's own runtime (filetype detection) loads.
    return run_editor("Neovim", [exe, "--headless", "--clean", "-c", f"luafile {script}"],
                      tmp_path_factory.mktemp("nvim"), TIMEOUT_SECONDS)


def test_starts_the_server(nvim: EditorRun):
    start = nvim.step("start")
    assert start["filetype"] == "markdown"
    assert start["offset_encoding"] == "utf-16"
    assert start["hover"] and start["completion"] and start["code_action"], start


def test_misuse_diagnostic(nvim: EditorRun, engine):
    text = FIXTURE.read_text(encoding="utf-8")
    [expected] = diagnostics(engine.analyse(text).findings, text)
    [seen] = nvim.step("diagnostics")
    assert (seen["code"], seen["source"], seen["severity"]) == (CODE, "powerwords", 2)
    assert seen["message"] == expected["message"]
    # Neovim keeps byte columns; the line is ASCII, so they equal the server's UTF-16 ones.
    r = expected["range"]
    assert (seen["lnum"], seen["col"], seen["end_lnum"], seen["end_col"]) == (
        r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"])


def test_hover_card(nvim: EditorRun, pack):
    hover = nvim.step("hover")
    for where in ("first_letter", "last_letter"):
        lines = hover[where]
        assert lines[0] == "### hallucination", (where, lines[:3])
        assert f"**{pack.find('hallucination').definition}**" in lines, where


def test_completion(nvim: EditorRun):
    completion = nvim.step("completion")
    assert "hallucination" in completion["words"], completion["words"]
    assert completion["line_after"] == "Models can hallucination"


def test_quick_fix(nvim: EditorRun):
    action = nvim.step("code_action")
    assert action["titles"] == ["Replace with 'training'", f"Disable {CODE} for this line",
                                f"Disable {CODE} in this file"]
    assert action["line_after"] == "During training the model learns from every customer question."


def test_edits_reach_the_server(nvim: EditorRun, engine):
    """After the completion, the quick fix and a typed line, the editor shows what the engine
    finds in the editor's own text: the fixed misuse is gone, the typed one is there."""
    typing = nvim.step("typing")
    assert typing["text"] == edited_text()
    expected = [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
                for d in diagnostics(engine.analyse(typing["text"]).findings, typing["text"])]
    seen = [(d["code"], d["lnum"], d["col"]) for d in typing["diagnostics"]]
    assert sorted(seen) == sorted(expected)
    assert "latency/rate-as-latency" in [code for code, _, _ in seen]
    assert CODE not in [code for code, _, _ in seen]


def test_exits_cleanly(nvim: EditorRun):
    assert "error" not in nvim.result, nvim.describe()
    assert not nvim.timed_out and nvim.returncode == 0, nvim.describe()
    assert nvim.leftovers == [], f"still running after Neovim quit: {nvim.leftovers}"
