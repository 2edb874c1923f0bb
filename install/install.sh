#!/usr/bin/env sh
# Installs a built `openclaw` binary (from `deno task compile`, or a release download) into
# ~/.local/bin (or PREFIX/bin), and with --service also installs and starts the gateway service.
# Usage: install/install.sh [--service] [path/to/openclaw]
set -eu
service=0
if [ "${1:-}" = "--service" ]; then
  service=1
  shift
fi
src=${1:-dist/openclaw}
prefix=${PREFIX:-$HOME/.local}
if [ ! -x "$src" ]; then
  echo "install.sh: $src is not an executable; build it with 'deno task compile' or pass its path" >&2
  exit 1
fi
mkdir -p "$prefix/bin"
tmp="$prefix/bin/.openclaw.$$"
cp "$src" "$tmp"
chmod 0755 "$tmp"
mv -f "$tmp" "$prefix/bin/openclaw"
echo "installed $prefix/bin/openclaw ($("$prefix/bin/openclaw" --version))"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it to your shell profile" ;;
esac
if [ "$service" = 1 ]; then
  # setup is idempotent: it creates what is missing and leaves a valid config alone.
  "$prefix/bin/openclaw" setup
  "$prefix/bin/openclaw" gateway install
fi
