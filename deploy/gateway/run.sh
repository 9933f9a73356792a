#!/usr/bin/env bash
# Renders the gateway's nginx.conf from the template and runs nginx in the foreground (a Procfile process).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=${IDEALAB_CACHE:-$ROOT/.cache}/gateway/${IDEALAB_NAMESPACE:-default}
mkdir -p "$PREFIX"
sed -e "s|@PREFIX@|$PREFIX|g" \
    -e "s|@MIME_TYPES@|/etc/nginx/mime.types|g" \
    -e "s|@LISTEN@|127.0.0.1:${GATEWAY_PORT:-8080}|g" \
    -e "s|@WEB_ROOT@|$ROOT/web|g" \
    -e "s|@IDEAS@|127.0.0.1:${IDEAS_PORT:-8001}|g" \
    -e "s|@VOTES@|127.0.0.1:${VOTES_PORT:-8002}|g" \
    -e "s|@ROADMAP@|127.0.0.1:${ROADMAP_PORT:-8003}|g" \
    -e "s|@NOTIFICATIONS@|127.0.0.1:${NOTIFICATIONS_PORT:-8004}|g" \
    "$ROOT/deploy/gateway/nginx.conf.template" >"$PREFIX/nginx.conf"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)  # Debian puts it in /usr/sbin, not always on PATH
exec "$NGINX" -p "$PREFIX" -c "$PREFIX/nginx.conf" -g 'daemon off;'
