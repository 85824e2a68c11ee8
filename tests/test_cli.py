"""The command line: formats, exit codes, and clear errors for broken input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cardfactory import card, write_pack
from powerwords.cli import main

MISUSE = "During inference the model learns from every customer question.\n"


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "powerwords", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=60)


def test_text_format_and_exit_codes(tmp_path):
    doc = tmp_path / "prompt.md"
    doc.write_text("# Notes\n\n" + MISUSE, encoding="utf-8")
    proc = run("check", str(doc))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{doc}:3:8: warning inference/confused-with-training ")
    clean = tmp_path / "clean.md"
    clean.write_text("Nothing to see here.\n", encoding="utf-8")
    assert run("check", str(clean)).returncode == 0


def test_json_format_is_lsp_diagnostics(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("😀 " + MISUSE, encoding="utf-8")
    proc = run("check", "--format", "json", str(doc))
    assert proc.returncode == 1
    [entry] = json.loads(proc.stdout)
    assert entry["path"] == str(doc)
    [d] = entry["diagnostics"]
    assert d["code"] == "inference/confused-with-training"
    assert d["severity"] == 2 and d["source"] == "powerwords"
    assert d["range"]["start"] == {"line": 0, "character": 10}  # the emoji is 2 UTF-16 units
    assert d["data"] == {"term": "inference", "kind": "misuse", "misuse": "confused-with-training",
                         "replacements": ["training"]}


def test_stdin_and_directories(tmp_path):
    assert run("check", "-", stdin=MISUSE).returncode == 1
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.md").write_text(MISUSE, encoding="utf-8")
    (tmp_path / "docs" / "y.prompt").write_text(MISUSE, encoding="utf-8")
    (tmp_path / "docs" / "z.py").write_text(MISUSE, encoding="utf-8")
    proc = run("check", "--format", "json", str(tmp_path / "docs"))
    paths = [Path(e["path"]).name for e in json.loads(proc.stdout)]
    assert paths == ["x.md", "y.prompt"]


def test_usage_and_missing_files():
    proc = run("check", "/no/such/file.md")
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def project(folder: Path, config: str, text: str = MISUSE) -> Path:
    """A folder with a .powerwords.yaml and one document in it; returns the document."""
    (folder / ".powerwords.yaml").write_text(config, encoding="utf-8")
    doc = folder / "a.md"
    doc.write_text(text, encoding="utf-8")
    return doc


def test_broken_config_exits_2_with_file_line_key(tmp_path):
    doc = project(tmp_path, "disable: [inference]\nseverity:\n  misuse: loud\n")
    proc = run("check", str(doc))
    assert proc.returncode == 2
    assert ".powerwords.yaml:3: severity.misuse: must be one of" in proc.stderr
    (tmp_path / ".powerwords.yaml").write_text("disable: [no-such-term]\n")
    proc = run("check", str(doc))
    assert proc.returncode == 2 and "unknown term 'no-such-term'" in proc.stderr


def test_config_disables_and_adds_team_cards(tmp_path):
    doc = project(tmp_path, "disable: [inference]\n", MISUSE + "\nOur widgetry ships. It is great.\n")
    assert run("check", str(doc)).returncode == 0
    write_pack(tmp_path / "team", [card("widgetry", related=["inference", "inference", "inference"],
                                        weak_phrases=["great"])])
    (tmp_path / ".powerwords.yaml").write_text("term_dirs: [team]\n")
    proc = run("check", "--format", "json", str(doc))
    codes = [d["code"] for d in json.loads(proc.stdout)[0]["diagnostics"]]
    assert "widgetry/weak-phrase" in codes and "inference/confused-with-training" in codes


def test_broken_team_card_is_reported_and_the_rest_works(tmp_path):
    write_pack(tmp_path / "team", [card("widgetry", related=["inference"] * 3,
                                        ratings={"impact": 7, "universality": 1, "depth": 1})])
    doc = project(tmp_path, "term_dirs: [team]\n")
    proc = run("check", str(doc))
    assert proc.returncode == 2
    assert "widgetry.yaml:8: ratings.impact" in proc.stderr
    assert "inference/confused-with-training" in proc.stdout


def test_explain(capsys):
    assert main(["explain", "inferencing"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("inference  /IN-fur-ens/")
    assert "COMMON MISUSES" in out
    assert main(["explain", "infrence"]) == 1
    assert "Did you mean: inference" in capsys.readouterr().err


def test_terms_listing(capsys):
    assert main(["terms", "--format", "json"]) == 0
    ids = [t["id"] for t in json.loads(capsys.readouterr().out)]
    assert "inference" in ids
    assert main(["terms", "--stats"]) == 0
    assert "Detectable misuses" in capsys.readouterr().out
