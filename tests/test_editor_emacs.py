"""End to end in Emacs: Eglot (Debian's 1.9) runs this checkout's `powerwords lsp`.

One batch Emacs run, configured by the README's Emacs snippet, runs tests/editors/eglot.el: it
opens tests/editors/notes.md in markdown-mode and goes through a misuse diagnostic (as Flymake
holds it), the hover card, a completion, a quick fix and typing; each test below checks one of
them, so a failure names the feature. Eglot has no pull diagnostics: the server pushes.
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
    require_emacs_libraries,
    run_editor,
    with_server_command,
)
from powerwords.diagnostics import diagnostics

TIMEOUT_SECONDS = 90
CODE = MISUSE_CODE
README_COMMAND = '("powerwords" "lsp")'


@pytest.fixture(scope="module")
def emacs(tmp_path_factory) -> EditorRun:
    exe = require_tool("emacs", INSTALL_HINT)
    require_emacs_libraries(exe, ["eglot", "markdown-mode"])
    workdir = tmp_path_factory.mktemp("emacs")
    command = "(" + " ".join(json.dumps(part) for part in SERVER_COMMAND) + ")"
    config = workdir / "config.el"
    config.write_text(with_server_command(readme_snippet("emacs-eglot"), README_COMMAND, command),
                      encoding="utf-8")
    argv = [exe, "-Q", "--batch", "-l", str(EDITORS_DIR / "eglot.el")]
    return run_editor("Emacs", argv, workdir, TIMEOUT_SECONDS, {"POWERWORDS_CONFIG": str(config)})


def test_starts_the_server(emacs: EditorRun):
    start = emacs.step("start")
    assert (start["major_mode"], start["language_id"]) == ("markdown-mode", "markdown")
    assert start["command"] == SERVER_COMMAND
    assert start["hover"] is True and start["completion"] is True, start
    assert start["code_action"] is True, start


def test_misuse_diagnostic(emacs: EditorRun, engine):
    text = FIXTURE.read_text(encoding="utf-8")
    [expected] = diagnostics(engine.analyse(text).findings, text)
    [seen] = emacs.step("diagnostics")
    assert (seen["code"], seen["source"], seen["type"]) == (CODE, "powerwords", "eglot-warning")
    assert seen["text"] == f"powerwords [{CODE}]: {expected['message']}"
    assert seen["line"] == expected["range"]["start"]["line"]
    assert seen["text_in_range"] == "inference"


def test_hover_card(emacs: EditorRun, pack):
    hover = emacs.step("hover")
    for where in ("first_letter", "last_letter"):
        text = hover[where]
        assert text.splitlines()[:1] == ["### hallucination"], (where, text[:200])
        assert pack.find("hallucination").definition in text, where


def test_completion(emacs: EditorRun):
    completion = emacs.step("completion")
    # The server's range starts at "fine": the editor must replace the whole hyphenated word.
    assert "fine-tuning" in completion["candidates"], completion["candidates"]
    assert completion["line_after"] == "Next we fine-tuning"


def test_quick_fix(emacs: EditorRun):
    check_quick_fix(emacs)


def test_edits_reach_the_server(emacs: EditorRun, engine):
    check_edits_reach_the_server(emacs, engine)


def test_exits_cleanly(emacs: EditorRun):
    check_exits_cleanly(emacs)


def test_server_logged_no_errors(emacs: EditorRun):
    check_server_logged_no_errors(emacs, "server_stderr")
