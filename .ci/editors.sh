#!/usr/bin/env bash
# Real-editor tests: Neovim 0.11 (headless, through editors/nvim) and VS Code
# (code-server + the built .vsix, driven by Chromium) against the real
# `dossier lsp --stdio` and the seed articles. Installs what it needs from
# the package registries into $DOSSIER_EDITORS_PREFIX (kept between runs on
# the same machine). Prints `N passed, N failed` last; exits 1 on a failure.
# Artifacts (screenshots, the .vsix, logs): target/editor-e2e/.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
export PREFIX=${DOSSIER_EDITORS_PREFIX:-/tmp/dossier-editors}
OUT=$REPO/target/editor-e2e
mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/nvim-hover.txt   # no stale screenshots from an earlier run
# Keep editor state, logs and config out of ~.
export XDG_STATE_HOME=$PREFIX/xdg-state XDG_CONFIG_HOME=$PREFIX/xdg-config \
  XDG_DATA_HOME=$PREFIX/xdg-data XDG_CACHE_HOME=$PREFIX/xdg-cache
started=$(date +%s)
stamp() { echo "[$(( $(date +%s) - started ))s] $*"; }

stamp "installing editors into $PREFIX"
if ! tests/editors/setup.sh >"$OUT/setup.log" 2>&1; then
  cat "$OUT/setup.log"; echo "editors: setup failed"; echo "0 passed, 1 failed"; exit 1
fi
tail -2 "$OUT/setup.log"

stamp "cargo build --release"
cargo build --release --quiet || { echo "0 passed, 1 failed"; exit 1; }
DOSSIER=$REPO/target/release/dossier

stamp "building the VS Code extension (.vsix)"
if ! DOSSIER_BINARY=$DOSSIER tests/editors/build_vsix.sh "$OUT/dossier.vsix" >"$OUT/vsix.log" 2>&1; then
  cat "$OUT/vsix.log"; echo "editors: .vsix build failed"; echo "0 passed, 1 failed"; exit 1
fi
grep -E "Packaged|bundle-server" "$OUT/vsix.log"
NO_SERVER=1 tests/editors/build_vsix.sh "$OUT/dossier-no-server.vsix" >>"$OUT/vsix.log" 2>&1 || {
  cat "$OUT/vsix.log"; echo "editors: .vsix build failed"; echo "0 passed, 1 failed"; exit 1; }

status=0
stamp "VS Code extension: server look-up and corpus arguments (node --test)"
DOSSIER_EXT_OUT=$PREFIX/vscode-build/out node --test --test-reporter=tap tests/editors/vscode_server.test.js \
  2>&1 | sed -nE 's/^ok [0-9]+ - /ok - vscode-ext: /p; s/^not ok [0-9]+ - /not ok - vscode-ext: /p' >"$OUT/vscode-ext.log"
cat "$OUT/vscode-ext.log"
grep -q '^ok - ' "$OUT/vscode-ext.log" || status=1

stamp "Neovim"
DOSSIER=$DOSSIER timeout 300 "$PREFIX/nvim" --clean --headless -l tests/editors/nvim_test.lua \
  >"$OUT/nvim.log" 2>&1 || status=1
PATH=$(dirname "$DOSSIER"):$PATH timeout 60 "$PREFIX/nvim" --clean --headless \
  -l tests/editors/nvim_enable_only.lua >>"$OUT/nvim.log" 2>&1 || status=1
grep -v '^{' "$OUT/nvim.log"
stamp "Neovim TUI (tmux)"
NVIM=$PREFIX/nvim DOSSIER=$DOSSIER timeout 120 tests/editors/nvim_tui_test.sh "$OUT" \
  >"$OUT/nvim-tui.log" 2>&1 || status=1
cat "$OUT/nvim-tui.log"

stamp "VS Code (code-server)"
CODE_SERVER=$PREFIX/node_modules/.bin/code-server VSIX=$OUT/dossier.vsix \
  NODE_PATH=$PREFIX/node_modules timeout 300 node tests/editors/vscode_e2e.js "$OUT" \
  >"$OUT/vscode.log" 2>&1 || status=1
CODE_SERVER=$PREFIX/node_modules/.bin/code-server VSIX=$OUT/dossier-no-server.vsix \
  NODE_PATH=$PREFIX/node_modules timeout 120 node tests/editors/vscode_no_server.js "$OUT" \
  >>"$OUT/vscode.log" 2>&1 || status=1
grep -v '^{' "$OUT/vscode.log"
ls "$OUT"/*.png 2>/dev/null | sed 's/^/screenshot: /'

stamp "done"
grep -h '^time:' "$OUT/nvim.log" "$OUT/nvim-tui.log" "$OUT/vscode.log" 2>/dev/null
passed=$(cat "$OUT/vscode-ext.log" "$OUT/nvim.log" "$OUT/nvim-tui.log" "$OUT/vscode.log" | grep -c '^ok - ')
failed=$(cat "$OUT/vscode-ext.log" "$OUT/nvim.log" "$OUT/nvim-tui.log" "$OUT/vscode.log" | grep -c '^not ok - ')
# A runner that died before its checks counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
