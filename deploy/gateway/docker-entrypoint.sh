#!/bin/sh
# The gateway container's entrypoint (docker-compose.yml, official nginx image): renders nginx.conf from the same
# template as deploy/gateway/run.sh, with the services' compose names as upstreams, and runs nginx in the foreground.
# GATEWAY_TEMPLATE and GATEWAY_PREFIX exist for tests/test_compose.py; compose leaves them unset.
set -eu
TEMPLATE=${GATEWAY_TEMPLATE:-/etc/idealab/gateway/nginx.conf.template}
PREFIX=${GATEWAY_PREFIX:-/tmp/nginx}
mkdir -p "$PREFIX"
sed -e "s|@PREFIX@|$PREFIX|g" \
    -e "s|@MIME_TYPES@|/etc/nginx/mime.types|g" \
    -e "s|@LISTEN@|0.0.0.0:8080|g" \
    -e "s|@WEB_ROOT@|/srv/web|g" \
    -e "s|@IDEAS@|ideas:8000|g" \
    -e "s|@VOTES@|votes:8000|g" \
    -e "s|@ROADMAP@|roadmap:8000|g" \
    -e "s|@NOTIFICATIONS@|notifications:8000|g" \
    "$TEMPLATE" >"$PREFIX/nginx.conf"
exec nginx -p "$PREFIX" -c "$PREFIX/nginx.conf" -g 'daemon off;'
