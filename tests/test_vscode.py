"""The VS Code extension in vscode-client/: its node unit tests, the TypeScript type check, the
.vsix that `vsce package` builds, and an end-to-end test of that .vsix in a real VS Code
(code-server driven by headless Chromium) against this checkout's language server.

The tools come from `bash .ci/setup.d/vscode.sh`; without them these tests skip locally and fail
under CI (POWERWORDS_E2E=required).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import require_tool
from powerwords import daily
from powerwords.pack import load_pack

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "vscode-client"
E2E = CLIENT / "e2e"
ARTIFACTS = E2E / "artifacts"
HINT = "bash .ci/setup.d/vscode.sh"
LANGUAGES = ["markdown", "plaintext", "prompt", "instructions", "chatagent", "chatmode"]


def npm_bin(folder: Path, name: str) -> str:
    """An executable that npm installed under `folder` (skip, or fail under CI, when missing)."""
    return require_tool(str(folder / "node_modules" / ".bin" / name), HINT)


def run(args: list[str], cwd: Path, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, **kwargs)


def output(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"


def manifest() -> dict:
    return json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def vsix(tmp_path_factory) -> Path:
    """The extension packaged by vsce (its prepublish step bundles it with esbuild)."""
    vsce = npm_bin(CLIENT, "vsce")
    out = tmp_path_factory.mktemp("vsix") / "powerwords.vsix"
    proc = run([vsce, "package", "--no-dependencies", "--allow-missing-repository",
                "--no-rewrite-relative-links", "-o", str(out)], CLIENT, 300)
    assert proc.returncode == 0 and out.is_file(), output(proc)
    return out


def test_node_unit_tests():
    """The client's own logic (server command resolution, settings mapping, ...) under node --test."""
    node = require_tool("node", HINT)
    npm_bin(CLIENT, "esbuild")
    build = run([node, "esbuild.mjs", "--tests"], CLIENT, 120)
    assert build.returncode == 0, output(build)
    tests = sorted(str(p.relative_to(CLIENT)) for p in (CLIENT / "out-test").glob("*.test.js"))
    assert len(tests) >= 6, tests
    proc = run([node, "--test", *tests], CLIENT, 300)
    assert proc.returncode == 0, output(proc)
    passed = re.search(r"^# pass (\d+)$", proc.stdout, re.M)
    failed = re.search(r"^# fail (\d+)$", proc.stdout, re.M)
    assert passed and int(passed.group(1)) >= 25 and failed and failed.group(1) == "0", output(proc)


def test_typescript_type_check():
    tsc = npm_bin(CLIENT, "tsc")
    proc = run([tsc, "--noEmit", "-p", "."], CLIENT, 300)
    assert proc.returncode == 0, output(proc)


def test_vsix_holds_the_bundle_and_manifest_only(vsix):
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        packaged = json.loads(z.read("extension/package.json"))
    assert {"extension/dist/extension.js", "extension/package.json", "extension/readme.md",
            "extension/LICENSE.txt", "extension.vsixmanifest"} <= names
    assert not [n for n in names if "node_modules" in n or n.endswith(".ts") or "/src/" in n]
    assert packaged["main"] == "./dist/extension.js"
    assert packaged["engines"]["vscode"] == "^1.82.0"
    assert packaged["dependencies"]["vscode-languageclient"].startswith("9.")


def test_manifest_contributions_match_the_code():
    """Every contributed command is registered, every setting is read, completions are on."""
    pkg = manifest()
    source = "\n".join(p.read_text(encoding="utf-8") for p in (CLIENT / "src").glob("*.ts"))
    commands = {c["command"] for c in pkg["contributes"]["commands"]}
    registered = set(re.findall(r'registerCommand\("([\w.]+)"', source))
    assert commands == registered
    titles = {c["title"] for c in pkg["contributes"]["commands"]}
    assert {"Explain Term at Cursor", "Term of the Day", "Show Glossary", "Restart Server",
            "Show Server Output"} <= titles
    settings = set(pkg["contributes"]["configuration"]["properties"])
    read = {f"powerwords.{key}" for key in re.findall(r'(?:bool|severity|strings|positiveInteger)\("([\w.]+)"', source)}
    read |= {"powerwords.server.command", "powerwords.trace.server"}
    assert settings == read
    defaults = pkg["contributes"]["configurationDefaults"]
    for lang in LANGUAGES:
        assert defaults[f"[{lang}]"]["editor.quickSuggestions"]["other"] == "on"
        assert f"onLanguage:{lang}" in pkg["activationEvents"]
    assert f"LANGUAGES = {json.dumps(LANGUAGES)}" in source


def test_vscode_end_to_end(vsix, tmp_path):
    """The packaged extension in code-server: hover card, Problems entry, quick fix, completion,
    the card commands, the glossary view, the term of the day, a setting applied without a
    restart, and the one notification of a machine without the server; with screenshots."""
    node = require_tool("node", HINT)
    chromium = require_tool("chromium", HINT)
    npm_bin(E2E, "code-server")
    pack = load_pack()
    day = daily.term_of_the_day(pack, datetime.date.today())
    assert day is not None
    proc = run([node, str(E2E / "run.mjs"), "--vsix", str(vsix), "--server-python", sys.executable,
                "--out", str(ARTIFACTS), "--expect-daily", day.name, "--chromium", chromium],
               CLIENT, 600, env={**os.environ, "TMPDIR": str(tmp_path)})
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, output(proc)
    result = json.loads(lines[-1])
    assert proc.returncode == 0, f"{result.get('error')}\nscreenshots in {ARTIFACTS}\n{output(proc)}"
    checks = result["checks"]
    assert any("latency/rate-as-latency" in row and "Latency is a duration" in row
               for row in checks["problems"])
    assert checks["hover"].startswith("hallucination")
    assert "Replace with 'throughput'" in checks["quickFix"]["offered"]
    assert checks["quickFix"]["fixed"].startswith("Our throughput is 500 requests per second")
    assert "hallucination" in checks["completion"]
    assert checks["explainTerm"].startswith("hallucination")
    # Categories with their term counts, then the opened category's terms.
    for category in {card.category for card in pack.cards.values()}:
        count = sum(card.category == category for card in pack.cards.values())
        assert f"{category}{count}" in checks["glossary"]
    assert "hallucination" in checks["glossary"]
    assert day.name in checks["termOfTheDay"]
    assert not any("power words" in t.lower() for t in checks["noErrorNotifications"])
    assert checks["settingApplied"]["weakHintsBefore"] > 0
    assert checks["settingApplied"]["weakHintsAfter"] == 0
    missing = checks["serverMissing"]
    assert "language server was not found" in missing["notification"]
    assert missing["buttons"] == ["Installation Instructions", "Open Settings"]
    for name in ("problems", "hover", "quick-fix", "completion", "explain-term", "glossary",
                 "setting-applied", "server-missing"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000, name
