"""The benchmark suite: one command, one Markdown report.

    python bench/run.py                      # 100 KB, 1 MB, 10 MB; 5 runs; 1,000 hovers/completions
    python bench/run.py --smoke              # 100 KB, 1 run, 100 requests (what CI runs)
    python bench/run.py --sizes 1m --runs 3 --json results.json

It writes the corpus (bench/corpus.py) and cspell's config under --out (bench/out by default),
then measures, each in a fresh child process: `powerwords check` on examples/prompt.md and on
each corpus size, and cspell (the peer, see bench/peerconfig.py) on the same files; then the
language server on the 10,000-line document (see bench/serverbench.py). It prints the machine
and two tables; every cell but the first column is a number. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import corpus
import measure
import peerconfig
import serverbench

import powerwords
from powerwords.pack import load_pack

ROOT = Path(__file__).resolve().parent.parent
SMALL_FILE = ROOT / "examples" / "prompt.md"
MB = 1_000_000
MIB_PER_KIB = 1 / 1024


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def powerwords_argv(explicit: str | None) -> list[str]:
    """The `powerwords` executable: --powerwords, the one beside this Python, or on PATH."""
    if explicit:
        return [explicit]
    beside = Path(sys.executable).parent / "powerwords"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("powerwords")
    if found:
        return [found]
    sys.exit("bench: cannot find the powerwords command; install the project "
             "(pip install -e .) or pass --powerwords PATH")


def timed(label: str, argv: list[str], cwd: Path, runs: int, ok: tuple[int, ...]
          ) -> list[measure.Run]:
    """`runs` measured runs of `argv`; any exit code outside `ok` stops the benchmark."""
    out = []
    for _ in range(runs):
        run = measure.run_child(argv, cwd=cwd)
        if run.returncode not in ok:
            sys.exit(f"bench: {label} failed (exit {run.returncode}): {run.stderr.strip()[:800]}")
        out.append(run)
    return out


def summary(runs: list[measure.Run], size: int) -> dict[str, float]:
    seconds = measure.median([r.seconds for r in runs])
    return {
        "seconds": seconds,
        "mb_per_s": size / MB / seconds,
        "peak_mib": max(r.peak_kib for r in runs) * MIB_PER_KIB,
        "cpu_seconds": measure.median([r.cpu_seconds for r in runs]),
        "runs": len(runs),
        "each_seconds": [r.seconds for r in runs],
        "each_cpu_seconds": [r.cpu_seconds for r in runs],
        "each_peak_mib": [r.peak_kib * MIB_PER_KIB for r in runs],
    }


def check_peer(config: Path, path: Path, vocab: set[str]) -> None:
    """Make sure cspell really reads `path` with our vocabulary (it can silently skip a file)."""
    unknown = peerconfig.unknown_words(config, path)
    if not unknown:
        sys.exit(f"bench: cspell reported no unknown word in {path}: it did not check the file")
    known = sorted({w for w in unknown if w.lower() in vocab})
    if known:
        sys.exit(f"bench: cspell does not know our vocabulary words {known[:10]}: "
                 "its dictionary was not loaded")


def bench_cli(pw: list[str], inputs: dict[str, Path], runs: int, peer: Path | None,
              vocab: set[str], warm_up: bool = True) -> list[dict[str, Any]]:
    """Rows of the command-line table."""
    rows = []
    if warm_up:  # one untimed run of each tool, so neither pays for a cold disk cache
        measure.run_child([*pw, "check", str(SMALL_FILE)])
        if peer is not None:
            measure.run_child(peerconfig.timed_command(peer, SMALL_FILE), cwd=SMALL_FILE.parent)
    for name, path in inputs.items():
        size = path.stat().st_size
        progress(f"bench: check {name} ({size:,} bytes) x {runs}")
        row: dict[str, Any] = {"input": name, "bytes": size}
        # Every input has findings: exit 1. Exit 0 would mean it read nothing worth timing.
        row["powerwords"] = summary(
            timed(f"powerwords check {path}", [*pw, "check", str(path)], path.parent, runs,
                  (1,)), size)
        if peer is not None:
            check_peer(peer, path, vocab)
            row["cspell"] = summary(
                timed(f"cspell {path}", peerconfig.timed_command(peer, path), path.parent, runs,
                      (0,)), size)
        rows.append(row)
    return rows


def bench_server(pw: list[str], doc: Path, runs: int, edits: int, requests: int,
                 logs: Path) -> dict[str, Any]:
    """The language server's measurements over `runs` pairs of sessions: one as an editor sees
    it, one with POWERWORDS_DEBOUNCE=0 for the server's own time on an edit. The two alternate,
    so that other work on the machine weighs on both alike."""
    argv = [*pw, "lsp"]
    sessions, fast = [], []
    for i in range(runs):
        progress(f"bench: server sessions {i + 1}/{runs}")
        sessions.append(serverbench.run_session(
            argv, doc, edits, requests if i == 0 else 0, stderr_path=str(logs / f"lsp-{i}.log")))
        fast.append(serverbench.run_session(
            argv, doc, edits, 0, reopen=False, debounce="0",
            stderr_path=str(logs / f"lsp-{i}-nodebounce.log")))
    first = sessions[0]
    edits_client = [e for s in sessions for e in s.edits]
    return {
        "document_bytes": doc.stat().st_size,
        "document_lines": doc.read_text(encoding="utf-8").count("\n"),
        "diagnostics": first.diagnostics,
        "cold_start_s": [s.cold_start for s in sessions],
        "open_s": [s.open for s in sessions],
        "reopen_s": [s.reopen for s in sessions],
        "edit_client_s": edits_client,
        "edit_server_s": [e for s in fast for e in s.edits],
        "open_cpu_s": [s.open_cpu for s in sessions if s.open_cpu is not None],
        "edit_cpu_s": [e for s in sessions + fast for e in s.edit_cpu],
        "hover_s": first.hovers,
        "hover_hits": first.hover_hits,
        "completion_s": first.completions,
        "completion_items": first.completion_items,
        "peak_mib": max((s.peak_kib or 0) for s in sessions) * MIB_PER_KIB,
    }


def fmt(value: float, digits: int = 2) -> str:
    """A number for a table cell: whole from 100, `digits` decimals from 1, else 3 significant
    digits."""
    if value >= 100:
        return f"{value:,.0f}".replace(",", "")
    if value >= 1 or value == 0:
        return f"{value:.{digits}f}"
    return f"{value:#.3g}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(info: dict[str, str], cli: list[dict[str, Any]], server: dict[str, Any] | None,
           runs: int) -> str:
    """The Markdown report."""
    out = ["## Machine", "", table(["", ""], [[k, v] for k, v in info.items()]), ""]
    peer = any("cspell" in row for row in cli)
    header = ["input", "size (MB)", "powerwords (s)", "powerwords CPU (s)", "powerwords (MB/s)",
              "powerwords peak (MiB)"]
    if peer:
        header += ["cspell (s)", "cspell CPU (s)", "cspell (MB/s)", "cspell peak (MiB)",
                   "time ÷ cspell", "memory ÷ cspell"]
    rows = []
    for row in cli:
        pw = row["powerwords"]
        cells = [row["input"], f"{row['bytes'] / MB:#.3g}", fmt(pw["seconds"]),
                 fmt(pw["cpu_seconds"]), fmt(pw["mb_per_s"]), fmt(pw["peak_mib"], 0)]
        if peer:
            cs = row["cspell"]
            cells += [fmt(cs["seconds"]), fmt(cs["cpu_seconds"]), fmt(cs["mb_per_s"]),
                      fmt(cs["peak_mib"], 0), fmt(pw["seconds"] / cs["seconds"], 1),
                      fmt(pw["peak_mib"] / cs["peak_mib"], 1)]
        rows.append(cells)
    out += [f"## Command line: median of {runs} run(s), whole process", "", table(header, rows), ""]
    if server is not None:
        ms = 1000.0
        s = server
        n_req = len(s["hover_s"])
        rows = [
            ["cold start: spawn to `initialize` answered (ms, median)",
             fmt(measure.median(s["cold_start_s"]) * ms), str(len(s["cold_start_s"]))],
            ["open to first `publishDiagnostics` (ms, median)",
             fmt(measure.median(s["open_s"]) * ms), str(len(s["open_s"]))],
            ["open again, pack already loaded (ms, median)",
             fmt(measure.median(s["reopen_s"]) * ms), str(len(s["reopen_s"]))],
            ["edit to `publishDiagnostics`, client-observed (ms, median)",
             fmt(measure.median(s["edit_client_s"]) * ms), str(len(s["edit_client_s"]))],
            ["edit to `publishDiagnostics`, server time without debounce (ms, median)",
             fmt(measure.median(s["edit_server_s"]) * ms), str(len(s["edit_server_s"]))],
        ]
        if s["open_cpu_s"] and s["edit_cpu_s"]:
            rows += [
                ["open, server CPU time (ms, median)",
                 fmt(measure.median(s["open_cpu_s"]) * ms), str(len(s["open_cpu_s"]))],
                ["edit, server CPU time (ms, median)",
                 fmt(measure.median(s["edit_cpu_s"]) * ms), str(len(s["edit_cpu_s"]))],
            ]
        rows += [
            [f"hover p50 (ms; {s['hover_hits']} of {n_req} on a term)",
             fmt(measure.percentile(s["hover_s"], 50) * ms), str(n_req)],
            ["hover p99 (ms)", fmt(measure.percentile(s["hover_s"], 99) * ms), str(n_req)],
            ["completion p50 (ms)", fmt(measure.percentile(s["completion_s"], 50) * ms),
             str(len(s["completion_s"]))],
            ["completion p99 (ms)", fmt(measure.percentile(s["completion_s"], 99) * ms),
             str(len(s["completion_s"]))],
            ["server peak memory, VmHWM (MiB)", fmt(s["peak_mib"], 0), str(len(s["open_s"]))],
        ]
        out += [f"## Language server: {s['document_lines']:,}-line document "
                f"({s['document_bytes'] / MB:.2f} MB, {s['diagnostics']} diagnostics)", "",
                table(["measure", "value", "samples"], rows), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true",
                        help="quick check that the suite works: 100k, 1 run, 100 requests, 1 edit")
    parser.add_argument("--sizes", nargs="+", choices=list(corpus.SIZES),
                        help="corpus sizes (default: all; --smoke: 100k)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5; --smoke 1)")
    parser.add_argument("--requests", type=int,
                        help="hover and completion requests each (default 1000; --smoke 100)")
    parser.add_argument("--edits", type=int, help="edits per server session (default 5; --smoke 1)")
    parser.add_argument("--no-peer", action="store_true", help="leave cspell out")
    parser.add_argument("--no-server", action="store_true", help="leave the language server out")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="where the corpus, cspell's config and server logs go")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--powerwords", help="the powerwords executable to measure")
    args = parser.parse_args(argv)
    sizes = args.sizes or (["100k"] if args.smoke else list(corpus.SIZES))
    runs = args.runs or (1 if args.smoke else 5)
    requests = args.requests if args.requests is not None else (100 if args.smoke else 1000)
    edits = args.edits or (1 if args.smoke else 5)
    if runs < 1 or edits < 1 or requests < 1:
        parser.error("--runs, --edits and --requests must be at least 1")

    pw = powerwords_argv(args.powerwords)
    folder = args.out / "corpus"
    progress(f"bench: writing the corpus to {folder}")
    paths = corpus.write_all(folder, {name: corpus.SIZES[name] for name in sizes})
    inputs = {SMALL_FILE.name: SMALL_FILE}
    inputs.update({paths[name].name: paths[name] for name in sizes})

    extra = {}
    peer_config = None
    pack = load_pack()
    vocab = set(peerconfig.vocabulary(pack))
    if not args.no_peer:
        if peerconfig.installed():
            peer_config = peerconfig.write_config(pack, args.out / "peer")
            extra["Node"] = peerconfig.node_version()
            extra["cspell"] = peerconfig.version()
        else:
            progress(f"bench: cspell is not installed ({peerconfig.SETUP_HINT}); "
                     "measuring without the peer")
    extra["powerwords"] = powerwords.__version__

    extra["commit"] = measure.git_commit(ROOT)
    extra["load average at start"] = measure.load_average()
    cli = bench_cli(pw, inputs, runs, peer_config, vocab, warm_up=not args.smoke)
    server = None
    if not args.no_server:
        logs = args.out / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        try:
            server = bench_server(pw, paths["10k-lines"], runs, edits, requests, logs)
        except serverbench.ServerError as exc:
            sys.exit(f"bench: the language server failed: {exc} (its stderr is in {logs})")
    info = measure.machine(extra)
    text = report(info, cli, server, runs)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "runs": runs, "cli": cli,
                                         "server": server}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
