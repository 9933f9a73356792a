#!/usr/bin/env bash
# Renders the gateway's configuration for this machine and runs nginx in the foreground (a Procfile process).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PREFIX=${IDEALAB_CACHE:-$ROOT/.cache}/gateway/${IDEALAB_NAMESPACE:-default}
export LISTEN=127.0.0.1:${GATEWAY_PORT:-8080} LIVE_PUBLISH=127.0.0.1:${LIVE_PORT:-8090}
export WEB_ROOT=${WEB_ROOT:-$ROOT/web/dist}
export DOCS_ROOT=${DOCS_ROOT:-$ROOT/deploy/gateway/docs}
export IDEAS=127.0.0.1:${IDEAS_PORT:-8001} VOTES=127.0.0.1:${VOTES_PORT:-8002} ROADMAP=127.0.0.1:${ROADMAP_PORT:-8003}
export NOTIFICATIONS=127.0.0.1:${NOTIFICATIONS_PORT:-8004} ACCOUNTS=127.0.0.1:${ACCOUNTS_PORT:-8005}
sh "$ROOT/deploy/gateway/render.sh"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)  # Debian puts it in /usr/sbin, not always on PATH
exec "$NGINX" -p "$PREFIX" -c "$PREFIX/nginx.conf" -g 'daemon off;'
