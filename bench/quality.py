"""Detection quality on unseen text: precision and recall per misuse.

By default it reads the held-out set (tests/heldout/), written independently of the rules and
never used to tune them: this script only measures. `--dev` reads the development set
(tests/data/dev_misuses.yaml) instead, which rule authors may tune on; `--dev2` reads the second
development set (tests/data/dev2_misuses.yaml); `--set PATH` reads any file in the same format.
Run: python bench/quality.py [--dev | --dev2 | --set PATH] [--details]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

from powerwords.engine import Engine
from powerwords.pack import load_pack

HERE = Path(__file__).resolve().parent.parent / "tests" / "heldout"
DEV = HERE.parent / "data" / "dev_misuses.yaml"
DEV2 = HERE.parent / "data" / "dev2_misuses.yaml"


def evaluate(details: bool = False, dev: bool = False, source: Path | None = None) -> dict[str, float]:
    """Print per-code and overall figures; return the overall ones.

    `source` is a development set to read (misuses only); `dev` picks the first one; with
    neither, the held-out set (misuses and weak phrasings) is measured.
    """
    engine = Engine(load_pack())
    if source is None:
        source = DEV if dev else HERE / "misuses.yaml"
    else:
        dev = True
    items = yaml.safe_load(source.read_text(encoding="utf-8"))
    tp, fp, fn = Counter(), Counter(), Counter()
    labelled = {code for item in items for code in item.get("expect") or []}
    other = 0  # findings of misuses the set does not label (rules beyond the core ones)
    for item in items:
        expected = set(item.get("expect") or [])
        found = {f.code for f in engine.analyse(item["text"]).findings if f.kind == "misuse"}
        other += len(found - labelled)
        found &= labelled
        for code in found & expected:
            tp[code] += 1
        for code in found - expected:
            fp[code] += 1
            if details:
                print(f"FP {code}: {item['text']}")
        for code in expected - found:
            fn[code] += 1
            if details:
                print(f"FN {code}: {item['text']}")
    codes = sorted(set(tp) | set(fp) | set(fn))
    print(f"{'code':<52} {'tp':>4} {'fp':>4} {'fn':>4}")
    for code in codes:
        print(f"{code:<52} {tp[code]:>4} {fp[code]:>4} {fn[code]:>4}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = t / (t + f) if t + f else 0.0
    recall = t / (t + n) if t + n else 0.0
    if dev:
        print(f"\nmisuses: {len(items)} sentences, precision {precision:.3f}, recall {recall:.3f}")
        return {"precision": precision, "recall": recall}
    weak_items = yaml.safe_load((HERE / "weak.yaml").read_text(encoding="utf-8"))
    wtp = wfp = wfn = 0
    for item in weak_items:
        want = item.get("expect_weak")
        got = {f.term for f in engine.analyse(item["text"]).findings if f.kind == "weak-phrase"}
        wtp += int(want in got)
        wfn += int(want is not None and want not in got)
        wfp += len(got - {want})
    wp = wtp / (wtp + wfp) if wtp + wfp else 0.0
    wr = wtp / (wtp + wfn) if wtp + wfn else 0.0
    print(f"\nmisuses: {len(items)} sentences, precision {precision:.3f}, recall {recall:.3f}"
          f" (labelled codes); {other} findings of other misuses, precision counting them"
          f" as false: {t / (t + f + other) if t + f + other else 0.0:.3f}")
    print(f"weak phrasings: {len(weak_items)} sentences, precision {wp:.3f}, recall {wr:.3f}")
    return {"precision": precision, "recall": recall, "other_findings": other,
            "weak_precision": wp, "weak_recall": wr}


def main(argv: list[str]) -> int:
    """Parse the few flags by hand so that anything unknown stops before measuring."""
    args = list(argv)
    source: Path | None = None
    if "--set" in args:
        at = args.index("--set")
        if at + 1 >= len(args) or args[at + 1].startswith("-"):
            print("--set needs a path to a misuse set\n" + __doc__)
            return 2
        source = Path(args[at + 1])
        del args[at:at + 2]
        if not source.is_file():
            print(f"--set: no such file: {source}")
            return 2
    if "--dev2" in args:
        source = DEV2
    unknown = [a for a in args if a not in ("--dev", "--dev2", "--details")]
    sets = sum(("--dev" in args, "--dev2" in args, source is not None and "--dev2" not in args))
    if unknown or sets > 1:  # never run the held-out measurement by accident (e.g. on --help)
        print(__doc__)
        return 0 if unknown in (["--help"], ["-h"]) else 2
    evaluate("--details" in args, "--dev" in args, source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
