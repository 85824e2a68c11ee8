"""Findings as LSP Diagnostic objects (plain JSON-ready dicts).

The server publishes exactly these dicts and `powerwords check --format json` prints them, so
the two fronts cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from .engine import Finding
from .positions import UTF16, LineIndex

SOURCE = "powerwords"
SEVERITY_NUMBERS = {"error": 1, "warning": 2, "information": 3, "hint": 4}


def lsp_range(index: LineIndex, start: int, end: int, encoding: str = UTF16) -> dict[str, Any]:
    """An LSP Range for the offsets [start, end)."""
    sl, sc = index.position(start, encoding)
    el, ec = index.position(end, encoding)
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


def to_lsp(finding: Finding, index: LineIndex, encoding: str = UTF16) -> dict[str, Any]:
    """The LSP Diagnostic for one finding."""
    return {"range": lsp_range(index, finding.start, finding.end, encoding), **_fixed(finding)}


def _fixed(finding: Finding) -> dict[str, Any]:
    """Everything of a finding's Diagnostic but its range (which moves with edits)."""
    data: dict[str, Any] = {"term": finding.term, "kind": finding.kind}
    if finding.misuse is not None:
        data["misuse"] = finding.misuse
    data["replacements"] = list(finding.replacements)
    return {
        "severity": SEVERITY_NUMBERS[finding.severity],
        "code": finding.code,
        "source": SOURCE,
        "message": finding.message,
        "data": data,
    }


def diagnostics(findings: list[Finding], text: str, encoding: str = UTF16,
                index: LineIndex | None = None) -> list[dict[str, Any]]:
    """All findings of a document as LSP Diagnostics (`index`: the text's, if at hand)."""
    index = index or LineIndex(text)
    return [to_lsp(f, index, encoding) for f in findings]


class DiagnosticsJson:
    """A document's diagnostics as JSON text, for a server that publishes them after every edit.

    The same Diagnostics as `to_lsp`, serialised: the part of a finding that does not move
    (message, code, data) is serialised once and shared by every finding with the same part;
    only the ranges are written afresh."""

    def __init__(self) -> None:
        # The fixed part depends on these fields only; many findings share one.
        self._fixed: dict[tuple, str] = {}

    def render(self, findings: list[Finding], index: LineIndex, encoding: str = UTF16) -> str:
        """The JSON array of the Diagnostics of `findings`."""
        known = self._fixed
        if len(known) > 50_000:  # a bound for a server that runs for weeks
            known.clear()
        parts = []
        for f in findings:
            key = (f.term, f.kind, f.misuse, f.message, f.replacements, f.severity)
            fixed = known.get(key)
            if fixed is None:
                fixed = known[key] = json.dumps(_fixed(f))[1:]  # without its opening brace
            sl, sc = index.position(f.start, encoding)
            el, ec = index.position(f.end, encoding)
            parts.append(f'{{"range":{{"start":{{"line":{sl},"character":{sc}}},'
                         f'"end":{{"line":{el},"character":{ec}}}}},{fixed}')
        return "[" + ",".join(parts) + "]"
