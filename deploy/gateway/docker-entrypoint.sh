#!/bin/sh
# The gateway container's entrypoint (docker-compose.yml, official nginx image): renders the same configuration as
# deploy/gateway/run.sh, with the services' compose names as upstreams, and runs nginx in the foreground.
# GATEWAY_PREFIX exists for tests/test_compose.py; compose leaves it unset.
set -eu
export PREFIX=${GATEWAY_PREFIX:-/tmp/nginx}
export LISTEN=0.0.0.0:8080 LIVE_PUBLISH=0.0.0.0:8090 WEB_ROOT=/srv/web DOCS_ROOT=/etc/idealab/gateway/docs
export IDEAS=ideas:8000 VOTES=votes:8000 ROADMAP=roadmap:8000 NOTIFICATIONS=notifications:8000 ACCOUNTS=accounts:8000
sh "$(dirname "$0")/render.sh"
exec nginx -p "$PREFIX" -c "$PREFIX/nginx.conf" -g 'daemon off;'
