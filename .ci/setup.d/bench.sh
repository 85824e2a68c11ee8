#!/usr/bin/env bash
# The benchmark's peer: cspell, pinned by bench/peer/package-lock.json, for bench/run.py and
# tests/test_bench_smoke.py. Needs Node 20.18+ and npm (the machine image has them); installs
# only when node_modules is missing or holds another cspell than the lockfile pins.
set -euo pipefail
cd "$(dirname "$0")/../../bench/peer"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "bench.sh: node and npm are needed for cspell (Node 20.18 or later)" >&2
    exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
              process.exit(a > 20 || (a === 20 && b >= 18) ? 0 : 1)'; then
    echo "bench.sh: cspell 9 needs Node 20.18 or later, not $(node --version)" >&2
    exit 1
fi

pinned=$(node -p 'require("./package-lock.json").packages["node_modules/cspell"].version')
installed=$(node -p 'try { require("./node_modules/cspell/package.json").version } catch { "" }')
if [ "$installed" != "$pinned" ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
echo "cspell $(node node_modules/cspell/bin.mjs --version)"
