"""The benchmark suite still runs: `bench/run.py --smoke` prints its tables, every cell a number.

Nothing here is about speed (performance is measured by bench/run.py, never in tests); this
only keeps the instrument from rotting. The peer, cspell, is required like any end-to-end tool.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from conftest import require_tool

from powerwords.server import DEFAULT_DEBOUNCE_SECONDS, debounce_seconds

ROOT = Path(__file__).resolve().parent.parent
HINT = "bash .ci/setup.d/bench.sh"


def tables(markdown: str) -> dict[str, list[list[str]]]:
    """Each '## heading' of the report with the rows of the table under it (header first)."""
    out: dict[str, list[list[str]]] = {}
    heading = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            heading = line[3:]
            out[heading] = []
        elif line.startswith("|") and heading is not None and not line.startswith("|---"):
            out[heading].append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return out


def number(cell: str) -> float:
    value = float(cell)  # raises on anything but a plain number
    assert math.isfinite(value), cell
    return value


def test_smoke_run_prints_every_table_with_numbers(tmp_path: Path) -> None:
    require_tool("node", HINT)
    require_tool(str(ROOT / "bench" / "peer" / "node_modules" / ".bin" / "cspell"), HINT)
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(tmp_path),
         "--json", str(tmp_path / "results.json")],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    found = tables(result.stdout)
    by_start = {next(h for h in found if h.startswith(start)): start
                for start in ("Machine", "Command line", "Language server")}
    assert len(by_start) == 3, list(found)

    machine = dict(found[next(h for h in found if h.startswith("Machine"))][1:])
    for key in ("CPU", "cores", "RAM", "Python", "date", "cspell"):
        assert machine.get(key), key

    cli = found[next(h for h in found if h.startswith("Command line"))]
    header, rows = cli[0], cli[1:]
    assert "cspell (s)" in header and "time ÷ cspell" in header
    assert [row[0] for row in rows] == ["prompt.md", "corpus-100k.md"]
    for row in rows:
        assert len(row) == len(header)
        assert all(number(cell) > 0 for cell in row[1:]), row

    server = found[next(h for h in found if h.startswith("Language server"))]
    names = [row[0] for row in server[1:]]
    expected = ["cold start", "open to", "open again", "edit to `publishDiagnostics`, client",
                "edit to `publishDiagnostics`, server", "hover p50", "hover p99",
                "completion p50", "completion p99", "server peak memory"]
    if sys.platform == "linux":  # read from /proc
        expected += ["open, server CPU", "edit, server CPU"]
    for start in expected:
        assert any(name.startswith(start) for name in names), start
    for row in server[1:]:
        assert len(row) == 3 and number(row[1]) > 0 and number(row[2]) >= 1, row

    saved = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert len(saved["server"]["hover_s"]) == 100
    assert saved["server"]["diagnostics"] > 0


def test_debounce_comes_from_the_environment_or_defaults() -> None:
    assert debounce_seconds(None) == DEFAULT_DEBOUNCE_SECONDS
    assert debounce_seconds("0") == 0.0
    assert debounce_seconds(" 0.5 ") == 0.5
    for bad in ("", "soon", "-1", "nan", "inf", "11"):
        assert debounce_seconds(bad) == DEFAULT_DEBOUNCE_SECONDS, bad
