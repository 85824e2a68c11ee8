"""Checking files on every core: many files side by side, and a large file in parts.

The work splits cleanly: files are independent, and so are the blocks of one file once its
structure is known (`Engine.read_block` reads one block with nothing else). The parent reads
the large files and loads each file's config and term pack; workers forked from it inherit all
of that without copying it over a pipe. They first parse the large Markdown files in parts (see
structure.part_leaves), then read the blocks, and send back only findings. Where
the operating system cannot fork (Windows, and macOS by default), everything runs in this
process, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import watchdog
from .diagnostics import diagnostics
from .engine import Block, Finding
from .project import Setup
from .prose import leaves
from .structure import Leaf, Part, join_parts, part_leaves, part_starts

PART = 256 * 1024  # characters of text per task: small enough to share out, big enough to pay
_MIN_PARALLEL = 512 * 1024  # below this much text in all, forking costs more than it saves


@dataclass
class FileCheck:
    """One file to check, and (once checked) what was found in it."""

    display: str
    path: Path | None
    setup: Setup
    markdown: bool
    text: str | None = None  # read by the parent (stdin, large files) or by whoever checks it
    size: int = 0
    error: str | None = None  # the file could not be read
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)


# What forked workers inherit: the files to check and their parsed blocks.
_FILES: list[FileCheck] = []
_LEAVES: dict[int, list[Leaf]] = {}


def workers_wanted(requested: int | None) -> int:
    """How many processes to use: as asked, else one per core (1 where fork is unavailable)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


def check_files(files: list[FileCheck], workers: int) -> Iterator[FileCheck]:
    """Check every file and yield it, in order, with its findings and diagnostics."""
    total = sum(f.size for f in files)
    if workers < 2 or total < _MIN_PARALLEL:
        for f in files:
            _check_whole(f)
            yield f
        return
    global _FILES, _LEAVES
    _FILES, _LEAVES = files, {}
    tasks: list[tuple[str, Any]] = []
    small: list[int] = []
    small_size = 0
    large: list[int] = []
    for i, f in enumerate(files):
        if f.size <= PART:
            small.append(i)
            small_size += f.size
            if small_size >= PART:
                tasks.append(("files", small))
                small, small_size = [], 0
            continue
        _read(f)
        if f.error is None:
            large.append(i)
    if small:
        tasks.append(("files", small))
    _LEAVES = _parse_large(files, large, workers)
    for i, found in _LEAVES.items():
        for lo, hi in _parts(found):
            tasks.append(("blocks", (i, lo, hi)))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_run, kind, arg) for kind, arg in tasks]
        blocks: dict[int, list[Block]] = {i: [] for i in _LEAVES}
        for (kind, arg), future in zip(tasks, futures):
            result = future.result()
            if kind == "files":
                for i, (error, found, diags) in zip(arg, result):
                    files[i].error, files[i].findings, files[i].diagnostics = error, found, diags
            else:
                blocks[arg[0]].extend(result)
    for i, found in blocks.items():
        f = files[i]
        analysis = f.setup.engine.finish(f.text or "", found, f.setup.config)
        f.findings = analysis.findings
        f.diagnostics = diagnostics(f.findings, f.text or "")
    _FILES, _LEAVES = [], {}
    yield from files


def _parse_large(files: list[FileCheck], indices: list[int], workers: int) -> dict[int, list[Leaf]]:
    """The blocks of each large file. A large Markdown file is parsed in parts, one per core
    (structure.part_leaves), and the parts joined; where they cannot be (see
    structure.join_parts), it is parsed here in one go."""
    found: dict[int, list[Leaf]] = {}
    jobs: list[tuple[int, int, int]] = []
    for i in indices:
        f = files[i]
        text = f.text or ""
        starts = part_starts(text, workers) if f.markdown and len(text) >= 2 * PART else [0]
        if len(starts) > 1:
            jobs += [(i, a, b) for a, b in zip(starts, starts[1:] + [len(text)])]
        else:
            found[i] = leaves(text, f.markdown)
    if not jobs:
        return found
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parsed = list(pool.map(_run, ["part"] * len(jobs), jobs))
    by_file: dict[int, list[Part]] = {}
    for (i, _a, _b), part in zip(jobs, parsed):
        by_file.setdefault(i, []).append(part)
    for i, parts in by_file.items():
        text = files[i].text or ""
        joined = join_parts(text, parts)
        found[i] = joined if joined is not None else leaves(text, True)
    return dict(sorted(found.items()))


def _parts(found: list[Leaf]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive blocks of about PART characters."""
    lo = 0
    while lo < len(found):
        hi, start = lo, found[lo].start
        while hi < len(found) and found[hi].start - start < PART:
            hi += 1
        yield lo, hi
        lo = hi


def _read(f: FileCheck) -> None:
    if f.text is not None or f.path is None:
        return
    try:
        f.text = f.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        f.error = f"cannot read: {exc}"


def _check_whole(f: FileCheck) -> None:
    _read(f)
    if f.error is not None:
        return
    text = f.text or ""
    f.findings = f.setup.engine.analyse(text, f.markdown, f.setup.config).findings
    f.diagnostics = diagnostics(f.findings, text)


def _run(kind: str, arg: Any) -> Any:
    """A worker's task (module-level, so that the pool can name it)."""
    with watchdog.limits():
        return _task(kind, arg)


def _task(kind: str, arg: Any) -> Any:
    if kind == "files":
        out = []
        for i in arg:
            f = _FILES[i]
            _check_whole(f)
            out.append((f.error, f.findings, f.diagnostics))
            f.text = None  # a worker keeps nothing it read
        return out
    if kind == "part":
        i, start, stop = arg
        return part_leaves(_FILES[i].text or "", start, stop)
    i, lo, hi = arg
    f = _FILES[i]
    engine, text = f.setup.engine, f.text or ""
    light = []
    for leaf in _LEAVES[i][lo:hi]:
        block = engine.read_block(text, leaf, f.markdown)
        # Only what `Engine.finish` needs travels back.
        light.append(Block(block.start, block.end, block.kind, block.role, findings=block.findings,
                           comments=block.comments))
    return light
