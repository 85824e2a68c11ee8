"""Findings as LSP Diagnostic objects (plain JSON-ready dicts).

The server publishes exactly these dicts and `powerwords check --format json` prints them, so
the two fronts cannot drift apart.
"""

from __future__ import annotations

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
    data: dict[str, Any] = {"term": finding.term, "kind": finding.kind}
    if finding.misuse is not None:
        data["misuse"] = finding.misuse
    data["replacements"] = list(finding.replacements)
    return {
        "range": lsp_range(index, finding.start, finding.end, encoding),
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
