#!/usr/bin/env bash
# The VS Code extension (vscode-client/): its build and test tools, and what its end-to-end test
# needs: code-server (VS Code in the browser) and playwright-core, pinned in
# vscode-client/e2e/package-lock.json, driving Debian's Chromium. Idempotent: each npm tree is
# installed again only when its lockfile changed since the last install.
#
# Offline facts this relies on (the machines reach the npm and Debian registries only):
# - code-server's @vscode/ripgrep downloads rg from GitHub at install time unless its download
#   cache already holds the archive, so Debian's rg is put there under the expected name.
# - Native modules (node-pty, kerberos, argon2) build against Debian's Node headers
#   (npm_config_nodedir=/usr); kerberos needs libkrb5-dev; node-pty runs `npx node-gyp`.
# - code-server 4.100.3 is the last release that runs on Node 20.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLIENT=$PWD/vscode-client
E2E=$CLIENT/e2e

# code-server's pinned @vscode/ripgrep and the ripgrep build its postinstall fetches.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_BUILD=v13.0.0-10

missing=()
for pkg in chromium ripgrep libkrb5-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in node npm rg chromium; do
    command -v "$tool" >/dev/null || { echo "vscode.sh: $tool is missing" >&2; exit 1; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
    echo "vscode.sh: code-server 4.100.3 needs Node 20 (found $(node --version))" >&2
    exit 1
fi

# npm ci in $1 unless node_modules was installed from this very lockfile.
npm_ci() {
    local dir=$1 stamp want
    stamp=$dir/node_modules/.installed-from-lock
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        echo "$dir: node_modules up to date"
        return
    fi
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
}

npm_ci "$CLIENT"

# code-server writes into the XDG folders and TMPDIR even while installing: keep it in a scratch
# folder, which also holds the ripgrep download cache.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) echo "vscode.sh: no ripgrep target for $(uname -m)" >&2; exit 1 ;;
esac
rg_cache=$scratch/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION
mkdir -p "$rg_cache"
cp "$(command -v rg)" "$scratch/rg"
tar -czf "$rg_cache/ripgrep-$RIPGREP_BUILD-$rg_target.tar.gz" -C "$scratch" rg

(
    export TMPDIR=$scratch XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data
    export npm_config_nodedir=/usr npm_config_unsafe_perm=true npm_config_yes=true
    npm_ci "$E2E"
)

# The install scripts must have produced a working code-server with its native modules.
vscode_modules=$E2E/node_modules/code-server/lib/vscode/node_modules
for built in "@vscode/ripgrep/bin/rg" "node-pty/build/Release/pty.node" "kerberos/build/Release/kerberos.node"; do
    [ -e "$vscode_modules/$built" ] || {
        echo "vscode.sh: code-server is incomplete ($built missing); remove $E2E/node_modules and rerun" >&2
        exit 1
    }
done
XDG_CONFIG_HOME=$scratch/config XDG_DATA_HOME=$scratch/data TMPDIR=$scratch \
    "$E2E/node_modules/.bin/code-server" --version | tail -1
