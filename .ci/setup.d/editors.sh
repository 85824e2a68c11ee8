#!/usr/bin/env bash
# Editors for the end-to-end LSP tests (tests/test_editor_*.py): Neovim and Emacs with Eglot
# and markdown-mode, all from Debian. Does nothing when they are already installed.
set -euo pipefail

packages=(neovim emacs-nox elpa-eglot elpa-markdown-mode)

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for pkg in "${packages[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "editors: already installed (${packages[*]})"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run rather than failing on its lock.
apt_get=(apt-get -o DPkg::Lock::Timeout=300 -y --no-install-recommends)
# Try the package lists already on the machine first; refresh them only when that fails.
# Some configured sources may be unreachable: a partial refresh is fine if the install works.
if ! "${apt_get[@]}" install "${missing[@]}"; then
    apt-get -o DPkg::Lock::Timeout=300 update || echo "editors: apt-get update reported errors"
    "${apt_get[@]}" install "${missing[@]}"
fi
