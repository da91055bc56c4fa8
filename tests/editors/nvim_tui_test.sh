#!/usr/bin/env bash
# Real Neovim screen (TUI in tmux) with editors/nvim and the real server:
# open the draft, wait for Dossier's diagnostics on screen, press K on a
# seed person, read the hover card off the screen.
# Usage: NVIM=…/nvim DOSSIER=target/release/dossier tests/editors/nvim_tui_test.sh [out-dir]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
NVIM=${NVIM:-nvim}; DOSSIER=$(realpath "${DOSSIER:-$REPO/target/release/dossier}")
OUT=${1:-$REPO/target/editor-e2e}; mkdir -p "$OUT"
WS=$(mktemp -d); mkdir -p "$WS/.git"; cp "$HERE/fixtures/draft.md" "$WS/draft.md"
cat >"$WS/init.lua" <<LUA
vim.opt.runtimepath:prepend('$REPO/editors/nvim')
vim.cmd('filetype on')
vim.o.swapfile = false
vim.diagnostic.config({ virtual_text = { format = function(d) return d.code .. ': ' .. d.message end } })
require('dossier').setup({ server_path = '$DOSSIER',
  settings = { corpus = { '$REPO/seeds' }, includeDefaultCorpus = false } })
LUA
S=dossier-nvim-$$
cd "$WS"
now() { date +%s%3N; }
t0=$(now)
tmux new-session -d -s "$S" -x 160 -y 40 "$NVIM --clean -u $WS/init.lua $WS/draft.md"
trap 'tmux kill-session -t "$S" 2>/dev/null || true; rm -rf "$WS"' EXIT
wait_for() { for _ in $(seq 1 300); do tmux capture-pane -p -t "$S" | grep -q -- "$1" && return 0; sleep 0.05; done; return 1; }
fail=0
if wait_for 'misquote: '; then
  echo "time: nvim TUI open -> first diagnostics on screen: $(( $(now) - t0 )) ms"
  echo "ok - nvim-tui: diagnostics with codes on screen"
else
  echo "not ok - nvim-tui: diagnostics with codes on screen"; fail=1
fi
# Line 5 starts with the name; "5G" then "w" lands on "Spicer"; K = hover.
tmux send-keys -t "$S" 5G w K
if wait_for 'White House Press Secretary'; then
  echo "ok - nvim-tui: K on a seed person shows the card"
else
  echo "not ok - nvim-tui: K on a seed person shows the card"; fail=1
fi
tmux capture-pane -p -t "$S" >"$OUT/nvim-hover.txt"
echo "screen: $OUT/nvim-hover.txt"
tmux send-keys -t "$S" Escape ':qa!' Enter
exit $fail
