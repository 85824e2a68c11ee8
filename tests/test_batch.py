"""Checking on several processes gives exactly the findings of checking in one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from powerwords import batch, structure
from powerwords.batch import FileCheck, check_files
from powerwords.project import Project

from test_incremental import BASE


def _files(tmp_path: Path) -> list[FileCheck]:
    project = Project()
    (tmp_path / "big.md").write_text(BASE * 40, encoding="utf-8")
    for i in range(7):
        (tmp_path / f"small{i}.md").write_text(BASE[i * 20:] + "RAG fine-tunes the model.\n",
                                               encoding="utf-8")
    (tmp_path / "notes.txt").write_text("Never make stuff up.\n\n- temperature 0 fixes it\n",
                                        encoding="utf-8")
    paths = sorted(tmp_path.iterdir())
    return [FileCheck(str(p), p, project.setup(p), p.suffix == ".md", size=p.stat().st_size)
            for p in paths]


def _seen(files) -> list:
    return [(f.display, f.error, f.diagnostics, [(x.start, x.code, x.severity) for x in f.findings])
            for f in files]


def test_parallel_check_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _seen(check_files(_files(tmp_path), workers=1))
    # Small parts, so that the big file is split across tasks and small files are batched.
    monkeypatch.setattr(batch, "PART", 2000)
    monkeypatch.setattr(batch, "_MIN_PARALLEL", 0)
    # ... and the big file parsed in two parts that overlap a little, then joined.
    monkeypatch.setattr(structure, "OVERLAP", 3000)
    joins = []
    monkeypatch.setattr(batch, "join_parts", lambda *a: joins.append(structure.join_parts(*a)) or joins[-1])
    parallel = _seen(check_files(_files(tmp_path), workers=2))
    assert parallel == serial
    assert len(joins) == 1 and joins[0] is not None
    assert sum(len(d) for _, _, d, _ in serial) > 100


def test_jobs_option(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(BASE, encoding="utf-8")
    outs = [subprocess.run([sys.executable, "-m", "powerwords", "check", "-j", j, str(tmp_path)],
                           capture_output=True, text=True) for j in ("1", "2")]
    assert outs[0].stdout == outs[1].stdout and outs[0].returncode == 1
    bad = subprocess.run([sys.executable, "-m", "powerwords", "check", "-j", "0", str(tmp_path)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--jobs" in bad.stderr
