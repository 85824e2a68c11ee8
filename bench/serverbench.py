"""The language server's timings, seen from a client over stdio.

One session: spawn `powerwords lsp`, time `initialize` (cold start), open the 10,000-line
document and time it to its first publishDiagnostics (the server loads the term pack on the
first document, so this includes that), make one-character edits (incremental didChange,
alternately typing and deleting a letter) and time each to the publishDiagnostics of the new
version, hover and complete at random positions (fixed seed), close the document and open it
again (the analysis without loading the pack), and read the server's peak memory (VmHWM)
before shutting it down.

A session with POWERWORDS_DEBOUNCE=0 times the same edits without the server's debounce delay:
the server's own work on an edit, plus the pipe round trip.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from lspclient import LspClient, ServerError

__all__ = ["Session", "ServerError", "run_session"]

SEED = 5


@dataclass
class Session:
    """What one server session measured (seconds, and KiB for memory)."""

    cold_start: float = 0.0
    open: float = 0.0
    reopen: float = 0.0
    edits: list[float] = field(default_factory=list)
    open_cpu: float | None = None  # server CPU time for the open, when /proc tells it
    edit_cpu: list[float] = field(default_factory=list)
    hovers: list[float] = field(default_factory=list)
    hover_hits: int = 0
    completions: list[float] = field(default_factory=list)
    completion_items: int = 0
    peak_kib: int | None = None
    diagnostics: int = 0


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units (LSP's default position unit)."""
    return len(text.encode("utf-16-le")) // 2


def edit_point(lines: list[str]) -> tuple[int, int]:
    """Where to type: the end of the first word of a prose line near the middle of the document."""
    middle = len(lines) // 2
    for i in list(range(middle, len(lines))) + list(range(middle)):
        line = lines[i]
        if line[:1].isupper() and line.endswith(".") and " " in line:
            return i, utf16_len(line[:line.index(" ")])
    return 0, 0


def random_positions(lines: list[str], count: int, seed: int) -> list[tuple[int, int]]:
    """`count` (line, UTF-16 character) positions drawn uniformly over lines, then columns."""
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        line = rnd.randrange(len(lines))
        out.append((line, rnd.randint(0, utf16_len(lines[line]))))
    return out


def run_session(argv: list[str], doc: Path, edits: int, requests: int, reopen: bool = True,
                debounce: str | None = None, stderr_path: str | None = None) -> Session:
    """One server session over `doc`: `edits` edits, `requests` hovers and as many completions
    (0 for none), then, if `reopen`, close the document and open it again."""
    env = dict(os.environ)
    env.pop("POWERWORDS_DEBOUNCE", None)
    if debounce is not None:
        env["POWERWORDS_DEBOUNCE"] = debounce
    text = doc.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = doc.resolve().as_uri()
    out = Session()
    with LspClient(argv, env=env, stderr_path=stderr_path) as client:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": doc.parent.resolve().as_uri(),
            "capabilities": {"textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {"completionItem": {"documentationFormat": ["markdown"]}},
                "publishDiagnostics": {"versionSupport": True}}},
        })
        out.cold_start = time.perf_counter() - client.started
        client.notify("initialized", {})

        cpu = client.cpu_seconds()
        sent = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        at, params = client.wait_for("textDocument/publishDiagnostics",
                                     lambda p: p["uri"] == uri)
        out.open = at - sent
        out.open_cpu = _cpu_since(client, cpu)
        out.diagnostics = len(params["diagnostics"])

        line, col = edit_point(lines)
        version = 1
        for i in range(edits):
            version += 1
            if i % 2 == 0:  # type a letter
                change = {"range": {"start": {"line": line, "character": col},
                                    "end": {"line": line, "character": col}}, "text": "s"}
            else:  # delete it again
                change = {"range": {"start": {"line": line, "character": col},
                                    "end": {"line": line, "character": col + 1}}, "text": ""}
            cpu = client.cpu_seconds()
            sent = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            at, _ = client.wait_for("textDocument/publishDiagnostics",
                                    lambda p, v=version: p["uri"] == uri and p.get("version") == v)
            out.edits.append(at - sent)
            used = _cpu_since(client, cpu)
            if used is not None:
                out.edit_cpu.append(used)
        if edits % 2:  # leave the text as it was opened, so positions below stay right
            version += 1
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [{
                    "range": {"start": {"line": line, "character": col},
                              "end": {"line": line, "character": col + 1}}, "text": ""}]})
            client.wait_for("textDocument/publishDiagnostics",
                            lambda p, v=version: p["uri"] == uri and p.get("version") == v)

        for ln, ch in random_positions(lines, requests, SEED):
            sent = time.perf_counter()
            result = client.request("textDocument/hover", {
                "textDocument": {"uri": uri}, "position": {"line": ln, "character": ch}})
            out.hovers.append(time.perf_counter() - sent)
            out.hover_hits += result is not None
        for ln, ch in random_positions(lines, requests, SEED + 1):
            sent = time.perf_counter()
            result = client.request("textDocument/completion", {
                "textDocument": {"uri": uri}, "position": {"line": ln, "character": ch}})
            out.completions.append(time.perf_counter() - sent)
            items = result.get("items", []) if isinstance(result, dict) else result or []
            out.completion_items += len(items)
        if reopen:
            out.reopen = reopen_time(client, uri, text)
        out.peak_kib = client.peak_memory_kib()
    return out


def _cpu_since(client: LspClient, before: float | None) -> float | None:
    now = client.cpu_seconds()
    return None if now is None or before is None else now - before


def reopen_time(client: LspClient, uri: str, text: str) -> float:
    """Close the document and open it again: the pack is loaded by now, so this times the
    analysis alone."""
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    client.wait_for("textDocument/publishDiagnostics",
                    lambda p: p["uri"] == uri and not p["diagnostics"])
    sent = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
    at, _ = client.wait_for("textDocument/publishDiagnostics",
                            lambda p: p["uri"] == uri and bool(p["diagnostics"]))
    return at - sent
