#!/usr/bin/env bash
# The web lab (web/): installs its toolchain from the npm registry and builds it into web/dist, which the gateway
# serves at /. Also installs Debian's Chromium, which the browser tests drive (a browser cannot be downloaded here).
# npm's cache lives under .cache/ like everything else installed; a step is redone only when its inputs change.
#
# usage: deploy/web.sh install | build | test
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${IDEALAB_CACHE:-$ROOT/.cache}
WEB=$ROOT/web
export npm_config_cache=$CACHE/npm npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

log() { printf '[web] %s\n' "$*" >&2; }
stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$CACHE/stamps"; printf '%s' "$2" >"$CACHE/stamps/$1"; }

install_packages() {
  local h
  h=$(cat "$WEB/package.json" "$WEB/package-lock.json" | sha256sum | cut -c1-16)
  if stamp_ok web-packages "$h" && [ -d "$WEB/node_modules" ]; then return; fi
  log "installing the web lab's packages (npm ci)"
  mkdir -p "$CACHE/logs"
  (cd "$WEB" && npm ci --no-progress >"$CACHE/logs/npm.log" 2>&1) || { tail -n 40 "$CACHE/logs/npm.log" >&2; exit 1; }
  stamp_set web-packages "$h"
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  log "installing Chromium from Debian (for the browser tests)"
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

build() {
  install_packages
  local h
  h=$(cd "$WEB" && find index.html package-lock.json tsconfig.json vite.config.ts src -type f -print0 | sort -z |
      xargs -0 cat | sha256sum | cut -c1-16)
  if stamp_ok web-build "$h" && [ -f "$WEB/dist/index.html" ]; then return; fi
  log "building the web lab into web/dist"
  (cd "$WEB" && npm run --silent build) || exit 1
  stamp_set web-build "$h"
}

case "${1:-}" in
  install) install_packages; install_chromium ;;
  build) build ;;
  test) install_packages; (cd "$WEB" && npx vitest run) ;;
  *) echo "usage: $0 install|build|test" >&2; exit 2 ;;
esac
