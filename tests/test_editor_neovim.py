"""End to end in Neovim: its built-in LSP client (0.7 API) runs this checkout's `powerwords lsp`.

One headless Neovim run, configured by the README's Neovim 0.7 snippet, runs
tests/editors/neovim.lua: it opens tests/editors/notes.md and goes through a misuse diagnostic,
the hover card, a completion, a quick fix and typing; each test below checks one of them, so a
failure names the feature. Neovim has no pull diagnostics: the server pushes.
"""

from __future__ import annotations

import json

import pytest
from conftest import require_tool
from editors.harness import (
    EDITORS_DIR,
    FIXTURE,
    INSTALL_HINT,
    MISUSE_CODE,
    SERVER_COMMAND,
    EditorRun,
    check_edits_reach_the_server,
    check_exits_cleanly,
    check_quick_fix,
    check_server_logged_no_errors,
    readme_snippet,
    run_editor,
    with_server_command,
)
from powerwords.diagnostics import diagnostics

TIMEOUT_SECONDS = 90
CODE = MISUSE_CODE
README_COMMAND = "{ 'powerwords', 'lsp' }"
NEWER_SNIPPETS = ["neovim-0.11", "neovim-0.8"]


@pytest.fixture(scope="module")
def nvim(tmp_path_factory) -> EditorRun:
    exe = require_tool("nvim", INSTALL_HINT)
    workdir = tmp_path_factory.mktemp("nvim")
    command = "{ " + ", ".join(json.dumps(part) for part in SERVER_COMMAND) + " }"
    init = workdir / "init.lua"
    init.write_text(with_server_command(readme_snippet("neovim-0.7"), README_COMMAND, command),
                    encoding="utf-8")
    newer = []
    for name in NEWER_SNIPPETS:
        path = workdir / f"{name}.lua"
        path.write_text(readme_snippet(name), encoding="utf-8")
        newer.append(str(path))
    # --clean: no user config, plugins or shada; -u: the README snippet is the whole init file.
    argv = [exe, "--headless", "--clean", "-u", str(init),
            "-c", f"luafile {EDITORS_DIR / 'neovim.lua'}"]
    return run_editor("Neovim", argv, workdir, TIMEOUT_SECONDS,
                      {"POWERWORDS_COMPILE_ONLY": json.dumps(newer)})


def test_readme_snippets_for_newer_neovims_compile(nvim: EditorRun):
    """Debian 12 has only Neovim 0.7: the 0.8 and 0.11 snippets are compiled, not run."""
    assert len(nvim.step("compile_only")) == len(NEWER_SNIPPETS)


def test_starts_the_server(nvim: EditorRun):
    start = nvim.step("start")
    assert start["client_name"] == "powerwords"
    assert start["filetype"] == "markdown"
    assert start["omnifunc"] == "v:lua.vim.lsp.omnifunc"
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
    # The server's range starts at "fine": the editor must replace the whole hyphenated word.
    assert "fine-tuning" in completion["words"], completion["words"]
    assert completion["line_after"] == "Next we fine-tuning"


def test_quick_fix(nvim: EditorRun):
    check_quick_fix(nvim)


def test_edits_reach_the_server(nvim: EditorRun, engine):
    check_edits_reach_the_server(nvim, engine)


def test_exits_cleanly(nvim: EditorRun):
    check_exits_cleanly(nvim)


def test_server_logged_no_errors(nvim: EditorRun):
    check_server_logged_no_errors(nvim, "lsp_log")
