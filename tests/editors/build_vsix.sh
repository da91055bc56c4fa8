#!/usr/bin/env bash
# Builds editors/vscode into a .vsix the way a user would (`npm ci`,
# `npm run package`), in a scratch copy so node_modules stays out of the
# source tree; node_modules is kept in $PREFIX between runs.
# Usage: PREFIX=/tmp/dossier-editors DOSSIER_BINARY=target/release/dossier \
#        [NO_SERVER=1] tests/editors/build_vsix.sh <out.vsix>
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=${PREFIX:-/tmp/dossier-editors}
OUT=$(realpath -m "${1:-$REPO/target/editor-e2e/dossier.vsix}")
BUILD=$PREFIX/vscode-build
export DOSSIER_BINARY=$(realpath -m "${DOSSIER_BINARY:-$REPO/target/release/dossier}")
mkdir -p "$BUILD" "$(dirname "$OUT")"
# Fresh sources every time, cached dependencies when the lock file is unchanged.
find "$BUILD" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
(cd "$REPO/editors/vscode" && tar cf - --exclude=node_modules --exclude=out --exclude=server --exclude='*.vsix' .) | (cd "$BUILD" && tar xf -)
cd "$BUILD"
if ! cmp -s package-lock.json "$PREFIX/vscode-build.lock-used" 2>/dev/null || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$PREFIX/vscode-build.lock-used"
fi
# NO_SERVER=1: a package without the bundled binary (tests the "not found" message).
script=package; [ -n "${NO_SERVER:-}" ] && script=package:no-server
npm run --silent "$script" >"$PREFIX/vscode-package.log" 2>&1 || { cat "$PREFIX/vscode-package.log"; exit 1; }
grep -E "bundle-server|Packaged" "$PREFIX/vscode-package.log" || true
cp dossier.vsix "$OUT"
