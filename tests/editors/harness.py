"""Run a real editor headless against this checkout's `powerwords lsp` and collect what it saw.

The editor is configured with the README's snippet for it (the server command swapped for this
checkout's). The editor script (neovim.lua, eglot.el) opens a copy of notes.md, exercises the
server through the editor's own LSP client and writes what it saw, step by step, as JSON.
`run_editor` starts the editor with a hard timeout in its own process group, and afterwards
finds every process that inherited the run's marker variable (the server above all): anything
still running once the editor has quit is killed and reported, so a test run never leaves a
server behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import e2e_required

EDITORS_DIR = Path(__file__).resolve().parent
README = EDITORS_DIR.parents[1] / "README.md"
FIXTURE = EDITORS_DIR / "notes.md"
SERVER_COMMAND = [sys.executable, "-m", "powerwords", "lsp"]
INSTALL_HINT = "bash .ci/setup.d/editors.sh"
# What the scripts type at the end of the document, after the completion and the quick fix.
TYPED_LINE = "Our latency is 500 requests per second."
MARKER = "POWERWORDS_EDITOR_RUN"
GRACE_SECONDS = 5.0


@dataclass
class EditorRun:
    """What one headless editor run produced."""

    name: str
    result: dict[str, Any]
    output: str
    returncode: int | None
    timed_out: bool
    seconds: float
    leftovers: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The editor's exit and output, for failure messages."""
        status = "timed out" if self.timed_out else f"exit code {self.returncode}"
        return f"{self.name} ({status}, {self.seconds:.1f} s); output:\n{self.output[-3000:]}"

    def step(self, name: str) -> Any:
        """What step `name` of the editor script saw; fail naming the step if it failed."""
        if name not in self.result:
            problem = self.result.get("error") or (
                "the editor was killed at the hard timeout first" if self.timed_out
                else "the script never reached it")
            pytest.fail(f"{self.name}: step '{name}' did not run: {problem}\n{self.describe()}",
                        pytrace=False)
        value = self.result[name]
        if isinstance(value, dict) and "error" in value:
            pytest.fail(f"{self.name}: step '{name}' failed: {value['error']}\n{self.describe()}",
                        pytrace=False)
        return value


def require_emacs_libraries(emacs: str, libraries: list[str]) -> None:
    """Skip the test when `emacs` cannot load `libraries` (or fail under CI), like require_tool.

    Looks where the test's Emacs looks: Debian's elpa folder via package-initialize.
    """
    probe = ("(progn (require 'package)"
             " (add-to-list 'package-directory-list \"/usr/share/emacs/site-lisp/elpa\")"
             " (package-initialize)"
             " (dolist (lib command-line-args-left)"
             "   (unless (locate-library lib) (princ (format \"%s \" lib))))"
             " (setq command-line-args-left nil))")
    proc = subprocess.run([emacs, "-Q", "--batch", "--eval", probe, *libraries],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    missing = proc.stdout.split()
    if proc.returncode == 0 and not missing:
        return
    message = (f"Emacs cannot load {', '.join(missing) or ' '.join(libraries)}"
               f" ({INSTALL_HINT}){': ' + proc.stderr.strip() if proc.returncode else ''}")
    if e2e_required():
        pytest.fail(message + "; POWERWORDS_E2E=required", pytrace=False)
    pytest.skip(message)


def readme_snippet(name: str) -> str:
    """The fenced code block that follows `<!-- snippet: NAME ... -->` in the README."""
    pattern = re.compile(r"<!-- snippet: " + re.escape(name) + r"[ >][^\n]*\n```[\w-]*\n(.*?)^```",
                         re.S | re.M)
    match = pattern.search(README.read_text(encoding="utf-8"))
    assert match, f"README.md has no code block marked <!-- snippet: {name} -->"
    return match.group(1)


def with_server_command(snippet: str, written: str, command: str) -> str:
    """`snippet` with the server command as the README writes it replaced by `command`."""
    assert snippet.count(written) == 1, f"the snippet should name the server once as {written}"
    return snippet.replace(written, command)


def edited_text() -> str:
    """notes.md as the scripts leave it: completed, quick-fixed, and a line typed at the end."""
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in (("Next we fine-tu\n", "Next we fine-tuning\n"),
                     ("During inference", "During training")):
        assert old in text, f"{FIXTURE} no longer holds {old!r}"
        text = text.replace(old, new)
    return text + "\n" + TYPED_LINE + "\n"


def _processes_with(marker: str) -> dict[int, str]:
    """pid -> command line of every process whose environment holds `marker`."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            if marker.encode() not in environ.split(b"\0"):
                continue
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone already, or not ours to read
            continue
        found[int(entry.name)] = cmdline.strip()
    return found


def _reap(marker: str) -> list[str]:
    """Wait a little for processes carrying `marker` to exit; kill and return the stragglers."""
    deadline = time.monotonic() + GRACE_SECONDS
    left = _processes_with(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _processes_with(marker)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return sorted(left.values())


def run_editor(name: str, argv: list[str], workdir: Path, timeout: float,
               extra_env: dict[str, str] | None = None) -> EditorRun:
    """Run `argv` (an editor with its script) on a copy of notes.md in `workdir`.

    The script finds the document, the result path and `extra_env` in the environment.
    HOME and the XDG folders point into `workdir`, so no user configuration or state is read or
    written.
    """
    doc = workdir / "notes.md"
    shutil.copyfile(FIXTURE, doc)
    result_path = workdir / "result.json"
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    marker = f"{MARKER}={uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update({
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "POWERWORDS_DOC": str(doc),
        "POWERWORDS_RESULT": str(result_path),
        "POWERWORDS_TYPED_LINE": TYPED_LINE,
        **(extra_env or {}),
    })
    key, value = marker.split("=", 1)
    env[key] = value
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
    finally:
        if proc.poll() is None:  # interrupted (e.g. Ctrl-C): never leave the editor behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        leftovers = _reap(marker)
    seconds = time.monotonic() - started
    result: dict[str, Any] = {}
    if result_path.exists():
        try:
            result = json.loads(result_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            result = {"error": f"unreadable result file: {exc}"}
    else:
        result = {"error": "the editor wrote no result file"}
    return EditorRun(name, result, output.decode(errors="replace"), proc.returncode,
                     timed_out, seconds, leftovers)


# -- checks both editors make the same way -----------------------------------------------------

MISUSE_CODE = "inference/confused-with-training"


def check_quick_fix(run: EditorRun) -> None:
    """The quick fixes offered on the misuse, and the replacement applied to the buffer."""
    action = run.step("code_action")
    assert action["titles"] == ["Replace with 'training'", f"Disable {MISUSE_CODE} for this line",
                                f"Disable {MISUSE_CODE} in this file"]
    assert action["line_after"] == "During training the model learns from every customer question."


def check_edits_reach_the_server(run: EditorRun, engine: Any) -> None:
    """After the completion, the quick fix and a typed line, the editor shows what the engine
    finds in the editor's own text: the fixed misuse is gone, the typed one is there."""
    from powerwords.diagnostics import diagnostics

    typing = run.step("typing")
    assert typing["text"] == edited_text()
    expected = [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
                for d in diagnostics(engine.analyse(typing["text"]).findings, typing["text"])]
    seen = [(d["code"], d["lnum"], d["col"]) for d in typing["diagnostics"]]
    assert sorted(seen) == sorted(expected)
    assert "latency/rate-as-latency" in [code for code, _, _ in seen]
    assert MISUSE_CODE not in [code for code, _, _ in seen]


def check_exits_cleanly(run: EditorRun) -> None:
    """The script finished, the editor exited 0, and no process it started is left."""
    assert "error" not in run.result, run.describe()
    assert not run.timed_out and run.returncode == 0, run.describe()
    assert run.leftovers == [], f"still running after {run.name} quit: {run.leftovers}"


def check_server_logged_no_errors(run: EditorRun, log_key: str) -> None:
    """What the server wrote to stderr, as the editor kept it under `log_key`: no exception,
    no error."""
    log = run.result.get(log_key, "")
    assert "Traceback" not in log and "ERROR:" not in log, log[-3000:]
