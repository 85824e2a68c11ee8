"""Measuring a child process (wall time, peak memory), summary statistics, and the machine."""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One run of a command in a fresh child process."""

    seconds: float  # wall time from spawn to exit
    peak_kib: int  # the child's peak resident set (ru_maxrss), KiB
    cpu_seconds: float  # user + system time of the child
    returncode: int
    stderr: str


# Runs one command and prints its wall time and resource use as JSON. Started fresh for every
# measurement, so that the measured command is forked from this small interpreter (a few MB)
# rather than from the benchmark, which holds the corpus and the pack: Linux carries the
# resident set a process had before exec into its ru_maxrss, so a child of a large process
# would report at least that process's size.
_LAUNCHER = r"""
import json, os, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
with open(spec["stderr"], "wb") as err:
    start = time.perf_counter()
    proc = subprocess.Popen(spec["argv"], cwd=spec["cwd"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=err)
    timer = threading.Timer(spec["timeout"], proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
print(json.dumps({"seconds": seconds, "code": os.waitstatus_to_exitcode(status),
                  "maxrss": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def run_child(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
              timeout: float = 900.0) -> Run:
    """Run `argv` once in a fresh process, its output discarded, and measure that process.

    The wall time runs from spawn to exit; the peak resident set and the CPU time come from
    os.wait4 on exactly that process (RUSAGE_CHILDREN would keep the largest peak of every
    child so far). A small launcher process does the spawning and the waiting: see _LAUNCHER."""
    with tempfile.NamedTemporaryFile(suffix=".stderr") as err:
        spec = {"argv": argv, "cwd": str(cwd) if cwd else None, "stderr": err.name,
                "timeout": timeout}
        out = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(spec)],
                             env=env, capture_output=True, text=True, timeout=timeout + 60)
        if out.returncode != 0:
            raise RuntimeError(f"cannot run {argv[0]}: {out.stderr.strip()[-800:]}")
        result = json.loads(out.stdout)
        stderr = Path(err.name).read_text(encoding="utf-8", errors="replace")
    if result["seconds"] >= timeout:
        raise TimeoutError(f"{argv[0]} took longer than {timeout:.0f} s")
    return Run(result["seconds"], result["maxrss"], result["cpu"], result["code"], stderr)


def median(values: list[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else math.nan


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), linear between the nearest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return math.nan


def machine(extra: dict[str, str] | None = None) -> dict[str, str]:
    """What the benchmark ran on, for the report."""
    cores = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    info = {
        "CPU": _cpu_model(),
        "cores": f"{usable} usable of {cores}" if usable != cores else str(cores),
        "RAM": f"{_ram_gib():.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }
    info.update(extra or {})
    return info


def git_commit(folder: Path) -> str:
    """The checked-out commit of `folder`, with '+changes' when the tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=folder,
                              capture_output=True, text=True, timeout=30)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=folder, capture_output=True, text=True, timeout=30)
    except OSError:
        return "?"
    if head.returncode != 0:
        return "?"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews timings."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
