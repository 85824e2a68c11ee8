"""Measuring a child process (wall time, peak memory), summary statistics, and the machine."""

from __future__ import annotations

import datetime
import math
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
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


def run_child(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None,
              timeout: float = 900.0) -> Run:
    """Run `argv` once, its output discarded, and measure that process alone.

    os.wait4 gives the resource use of exactly this child (and any children it waited for),
    unlike RUSAGE_CHILDREN, which keeps the largest peak of every child reaped so far. The wait
    blocks, so the wall time is not rounded up to a polling interval; a timer kills a child
    that runs past `timeout`."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if seconds >= timeout:
        raise TimeoutError(f"{argv[0]} took longer than {timeout:.0f} s")
    return Run(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, proc.returncode,
               stderr)


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
