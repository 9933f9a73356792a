#!/bin/sh
# Renders the gateway's nginx.conf (and the snippets it includes) into PREFIX, from the environment:
#   PREFIX, LISTEN, WEB_ROOT, DOCS_ROOT, MIME_TYPES, IDEAS, VOTES, ROADMAP, NOTIFICATIONS, ACCOUNTS (host:port each),
#   CORS_ORIGINS (space-separated origins allowed to call the API from a browser; none by default),
#   LIVE_PUBLISH (host:port of the live streams' publisher, for the notifications worker), NCHAN_MODULE (the nchan
#   module's file; Debian's by default),
#   SIGNIN_RATE (per client address, default 10r/m), SIGNIN_BURST (5), WRITE_RATE (per token, 5r/s), WRITE_BURST (20),
#   LAB_BRAND_FILE (the bank's brand, idealab.brand: served as /config.json, the files beside it under /brand/).
# Shared by deploy/gateway/run.sh (`make up`, tests) and the gateway container's entrypoint (POSIX sh for alpine).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$PREFIX"
entries=""
for origin in ${CORS_ORIGINS:-}; do
  case "$origin" in
    http://*|https://*) entries="$entries\"$origin\" \$http_origin; " ;;
    *) echo "render.sh: CORS_ORIGINS entries must be http(s) origins, not '$origin'" >&2; exit 2 ;;
  esac
done
if [ -n "${LAB_BRAND_FILE:-}" ]; then
  BRAND_DIR=$(cd "$(dirname "$LAB_BRAND_FILE")" && pwd)
  BRAND_FILE=$BRAND_DIR/$(basename "$LAB_BRAND_FILE")
else  # the lab's own look: an empty configuration
  BRAND_DIR=$PREFIX/brand
  BRAND_FILE=$BRAND_DIR/config.json
  mkdir -p "$BRAND_DIR"
  echo '{}' >"$BRAND_FILE"
fi
sed -e "s|@PREFIX@|$PREFIX|g" \
    -e "s|@BRAND_FILE@|$BRAND_FILE|g" \
    -e "s|@BRAND_DIR@|$BRAND_DIR|g" \
    -e "s|@MIME_TYPES@|${MIME_TYPES:-/etc/nginx/mime.types}|g" \
    -e "s|@LISTEN@|$LISTEN|g" \
    -e "s|@WEB_ROOT@|$WEB_ROOT|g" \
    -e "s|@DOCS_ROOT@|$DOCS_ROOT|g" \
    -e "s|@IDEAS@|$IDEAS|g" \
    -e "s|@VOTES@|$VOTES|g" \
    -e "s|@ROADMAP@|$ROADMAP|g" \
    -e "s|@NOTIFICATIONS@|$NOTIFICATIONS|g" \
    -e "s|@ACCOUNTS@|$ACCOUNTS|g" \
    -e "s|@LIVE_PUBLISH@|$LIVE_PUBLISH|g" \
    -e "s|@NCHAN_MODULE@|${NCHAN_MODULE:-/usr/lib/nginx/modules/ngx_nchan_module.so}|g" \
    -e "s|@CORS_ORIGIN_ENTRIES@|$entries|g" \
    -e "s|@SIGNIN_RATE@|${SIGNIN_RATE:-10r/m}|g" \
    -e "s|@SIGNIN_BURST@|${SIGNIN_BURST:-5}|g" \
    -e "s|@WRITE_RATE@|${WRITE_RATE:-5r/s}|g" \
    -e "s|@WRITE_BURST@|${WRITE_BURST:-20}|g" \
    "$HERE/nginx.conf.template" >"$PREFIX/nginx.conf"
cp "$HERE/headers.conf" "$HERE/cors.conf" "$HERE/errors.conf" "$HERE/problems.conf" "$HERE/problem.conf" \
  "$HERE/anonymous-cache.conf" "$PREFIX/"
