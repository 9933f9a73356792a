#!/usr/bin/env bash
# Installs and runs the real servers Idea Lab needs on a machine without Docker:
#   Apache Kafka (KRaft, one combined broker/controller) on 127.0.0.1:9092, from Maven Central jars;
#   the document engine on 127.0.0.1:27017: FerretDB v2 (MongoDB wire protocol), built from the Go module proxy, over
#   PostgreSQL 15 from Debian (a cluster of ours on :5433) with Microsoft's DocumentDB extension, built from the
#   sources in ../shared/third_party/ (deploy/engine/);
#   nginx from Debian for the gateway; a Python virtualenv with every service installed.
# Everything downloaded or written lives under .cache/ (git-ignored), so a second run reuses it.
#
# usage: deploy/servers.sh install | install-python | install-unit | start | stop | status
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${IDEALAB_CACHE:-$ROOT/.cache}
VENV=$CACHE/venv
RUN=$CACHE/run
LOGS=$CACHE/logs
KAFKA_LIBS=$CACHE/kafka/libs
KAFKA_DATA=$CACHE/data/kafka
FERRETDB_BIN=$CACHE/bin/ferretdb
ENGINE_DATA=$CACHE/data/engine
FERRETDB_PORT=${IDEALAB_FERRETDB_PORT:-27017}
POSTGRESQL_PORT=${IDEALAB_POSTGRESQL_PORT:-5433}
# DocumentDB's release sources: in no registry, kept beside the project (CI gets a copy of shared/ beside its clone).
THIRD_PARTY=${IDEALAB_THIRD_PARTY:-$ROOT/../shared/third_party}
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

log() { printf '[servers] %s\n' "$*" >&2; }

# Reinstall only when the inputs change: a stamp holds the hash of the files a step reads.
stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$CACHE/stamps"; printf '%s' "$2" >"$CACHE/stamps/$1"; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

install_python() {
  local h
  h=$(hash_of "$ROOT"/requirements-dev.txt "$ROOT"/libs/idealab/pyproject.toml "$ROOT"/libs/idealab/testing/pyproject.toml \
    "$ROOT"/services/*/pyproject.toml)
  if stamp_ok python "$h" && [ -x "$VENV/bin/python" ]; then return; fi
  log "installing Python packages into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  mkdir -p "$LOGS"
  # The tests' helpers (libs/idealab/testing) are installed here, for the tests and benchmarks, never in an image.
  local editables=(-e "$ROOT/libs/idealab" -e "$ROOT/libs/idealab/testing")
  for svc in "$ROOT"/services/*/; do editables+=(-e "$svc"); done
  "$VENV/bin/pip" install -q --upgrade pip >"$LOGS/pip.log" 2>&1 &&
    "$VENV/bin/pip" install -q -r "$ROOT/requirements-dev.txt" "${editables[@]}" >>"$LOGS/pip.log" 2>&1 ||
    { tail -n 40 "$LOGS/pip.log" >&2; exit 1; }
  stamp_set python "$h"
}

install_kafka() {
  local h
  h=$(hash_of "$ROOT/deploy/kafka/pom.xml")
  if stamp_ok kafka "$h" && [ -d "$KAFKA_LIBS" ]; then return; fi
  log "fetching Apache Kafka jars from Maven Central"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$LOGS"
  mvn -B -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_LIBS" >"$LOGS/mvn.log" 2>&1 || { tail -n 40 "$LOGS/mvn.log" >&2; exit 1; }
  stamp_set kafka "$h"
}

install_ferretdb() {
  local h
  h=$(hash_of "$ROOT"/deploy/ferretdb/go.mod "$ROOT"/deploy/ferretdb/go.sum "$ROOT"/deploy/ferretdb/main.go)
  if stamp_ok ferretdb "$h" && [ -x "$FERRETDB_BIN" ]; then return; fi
  log "building FerretDB v2 from the Go module proxy (a minute or two the first time)"
  (cd "$ROOT/deploy/ferretdb" && go build -o "$FERRETDB_BIN" .)
  stamp_set ferretdb "$h"
}

# Validates docker-compose.yml where the Docker Compose plugin is absent (tests/test_compose.py).
install_compose_check() {
  local h
  h=$(hash_of "$ROOT"/deploy/compose-check/go.mod "$ROOT"/deploy/compose-check/go.sum "$ROOT"/deploy/compose-check/main.go)
  if stamp_ok compose-check "$h" && [ -x "$CACHE/bin/compose-check" ]; then return; fi
  log "building compose-check (compose-go) from the Go module proxy"
  (cd "$ROOT/deploy/compose-check" && go build -o "$CACHE/bin/compose-check" .)
  stamp_set compose-check "$h"
}

apt_install() {
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; fi
}

# wrk, the HTTP load tool, measures the gateway's ceiling in the benchmarks and their smoke runs in `make test`.
install_nginx() {
  if { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && command -v wrk >/dev/null 2>&1 \
    && [ -f /usr/lib/nginx/modules/ngx_nchan_module.so ]; then return; fi
  log "installing nginx, its nchan module (the live pages' streams) and wrk from Debian"
  apt_install nginx-light libnginx-mod-nchan wrk
}

# PostgreSQL 15 with its headers at the same version (apt would otherwise upgrade the server under a running
# cluster), Debian's PostGIS and RUM that DocumentDB requires, and what its build needs; then DocumentDB itself.
install_engine() {
  [ -d "$THIRD_PARTY" ] || { log "DocumentDB's sources are not at $THIRD_PARTY (set IDEALAB_THIRD_PARTY)"; exit 1; }
  local h
  h=$(hash_of "$ROOT"/deploy/engine/build.sh "$THIRD_PARTY"/*.tar.gz)
  if stamp_ok engine "$h" && [ -f "$($PG_CONFIG --sharedir 2>/dev/null)/extension/documentdb.control" ]; then return; fi
  log "installing PostgreSQL 15 and DocumentDB's build packages from Debian"
  apt_install --no-install-recommends build-essential pkg-config cmake postgresql-15 postgresql-server-dev-15 \
    libpq-dev postgresql-15-rum postgresql-15-postgis-3 libpcre2-dev libicu-dev libkrb5-dev libintelrdfpmath-dev
  log "building DocumentDB, pg_cron, pgvector and libbson from $THIRD_PARTY (two minutes the first time)"
  mkdir -p "$LOGS"
  bash "$ROOT/deploy/engine/build.sh" "$THIRD_PARTY" "$CACHE/engine" >"$LOGS/engine-build.log" 2>&1 ||
    { tail -n 40 "$LOGS/engine-build.log" >&2; exit 1; }
  stamp_set engine "$h"
}

engine() { FERRETDB_BIN=$FERRETDB_BIN bash "$ROOT/deploy/engine/cluster.sh" "$@"; }

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start_kafka() {
  if running kafka; then return; fi
  mkdir -p "$KAFKA_DATA" "$LOGS" "$RUN"
  local props=$CACHE/kafka/server.properties
  { cat "$ROOT/deploy/kafka/server.properties"; echo "log.dirs=$KAFKA_DATA"; } >"$props"
  local java=(java -Xms256m -Xmx1g -XX:+UseG1GC -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties"
              -cp "$KAFKA_LIBS/*")
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    log "formatting Kafka storage"
    "${java[@]}" kafka.tools.StorageTool format --standalone -t "$("${java[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$props" >>"$LOGS/kafka.log" 2>&1
  fi
  log "starting Kafka on 127.0.0.1:9092"
  nohup "${java[@]}" kafka.Kafka "$props" >>"$LOGS/kafka.log" 2>&1 &
  echo $! >"$RUN/kafka.pid"
}

stop_one() {
  running "$1" || { rm -f "$RUN/$1.pid"; return 0; }
  local pid; pid=$(cat "$RUN/$1.pid")
  log "stopping $1 (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$RUN/$1.pid"
}

# The web lab's npm packages and Debian's Chromium for the browser tests (deploy/web.sh).
install_web() { bash "$ROOT/deploy/web.sh" install; }

install_all() {
  install_python; install_kafka; install_ferretdb; install_engine; install_compose_check; install_nginx; install_web
}

case "${1:-}" in
  install) install_all ;;
  install-python) install_python ;;
  install-unit) install_python; install_compose_check ;;
  start)
    install_all
    start_kafka
    log "starting the document engine: PostgreSQL with DocumentDB on 127.0.0.1:$POSTGRESQL_PORT, FerretDB v2 on 127.0.0.1:$FERRETDB_PORT"
    engine start "$ENGINE_DATA" "$POSTGRESQL_PORT" "$FERRETDB_PORT"
    "$VENV/bin/python" "$ROOT/deploy/wait_ready.py" --kafka 127.0.0.1:9092 --mongodb "mongodb://127.0.0.1:$FERRETDB_PORT/" \
      || { log "servers did not become ready; see $LOGS"; tail -n 30 "$LOGS"/kafka.log "$ENGINE_DATA"/*.log >&2; exit 1; }
    log "ready: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGODB_URI=mongodb://127.0.0.1:$FERRETDB_PORT/" ;;
  stop) stop_one kafka; [ ! -d "$ENGINE_DATA" ] || engine stop "$ENGINE_DATA" ;;
  status)
    if running kafka; then echo "kafka: running"; else echo "kafka: stopped"; fi
    if [ -d "$ENGINE_DATA" ] && engine status "$ENGINE_DATA"; then echo "engine: running"; else echo "engine: stopped"; fi ;;
  *) echo "usage: $0 install|install-python|install-unit|start|stop|status" >&2; exit 2 ;;
esac
