#!/usr/bin/env bash
# Installs the reference OpenClaw 2026.9.6 (a compatibility client in tests, never shipped) under $1
# (default /tmp/peer): Node 24 from the npm package `node`, then `openclaw` without its install scripts.
# tests/support/peer.ts finds it there. About 650 MB from the npm registry; skipped when present.
set -euo pipefail
PEER=${1:-/tmp/peer}
VERSION=2026.9.6
mkdir -p "$PEER/node24" "$PEER/oc"
[[ -x $PEER/node24/node_modules/.bin/node ]] || (cd "$PEER/node24" && npm install --silent --no-audit --no-fund node@24 >/dev/null)
[[ -f $PEER/oc/node_modules/openclaw/package.json ]] ||
  (cd "$PEER/oc" && npm install --silent --no-audit --no-fund --ignore-scripts "openclaw@$VERSION" >/dev/null)
installed=$(sed -nE 's/^  "version": "([^"]+)".*/\1/p' "$PEER/oc/node_modules/openclaw/package.json")
[[ $installed == "$VERSION" ]] || { echo "reference at $PEER is openclaw $installed, want $VERSION: remove $PEER/oc" >&2; exit 1; }
echo "reference openclaw $installed on node $("$PEER/node24/node_modules/.bin/node" --version) at $PEER"
