#!/usr/bin/env bash
# Installs and runs the real servers Idea Lab needs on a machine without Docker:
#   Apache Kafka (KRaft, one combined broker/controller) on 127.0.0.1:9092, from Maven Central jars;
#   FerretDB v1 (MongoDB wire protocol) on 127.0.0.1:27017, built from the Go module proxy, storing its data in
#   PostgreSQL from Debian (a cluster of ours on :5433) or, with IDEALAB_FERRETDB_BACKEND=sqlite, in SQLite files;
#   nginx from Debian for the gateway; a Python virtualenv with every service installed.
# Everything downloaded or written lives under .cache/ (git-ignored), so a second run reuses it.
#
# usage: deploy/servers.sh install | install-python | start | stop | status
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${IDEALAB_CACHE:-$ROOT/.cache}
VENV=$CACHE/venv
RUN=$CACHE/run
LOGS=$CACHE/logs
KAFKA_LIBS=$CACHE/kafka/libs
KAFKA_DATA=$CACHE/data/kafka
FERRETDB_BIN=$CACHE/bin/ferretdb
FERRETDB_DATA=$CACHE/data/ferretdb
FERRETDB_PORT=${IDEALAB_FERRETDB_PORT:-27017}
# PostgreSQL by default: 2-4x the vote intake of SQLite at 2-9x lower p99, and lookups by a field from an index
# rather than reading the whole collection (bench/README.md, deploy/README.md). When it was not asked for by name
# and cannot start here, SQLite is used instead, and said so.
FERRETDB_BACKEND=${IDEALAB_FERRETDB_BACKEND:-postgresql}
FERRETDB_BACKEND_CHOSEN=${IDEALAB_FERRETDB_BACKEND:+yes}
POSTGRESQL_DATA=$CACHE/data/postgresql
POSTGRESQL_PORT=${IDEALAB_POSTGRESQL_PORT:-5433}
case "$FERRETDB_BACKEND" in postgresql | sqlite) ;; *)
  echo "IDEALAB_FERRETDB_BACKEND must be postgresql or sqlite, not '$FERRETDB_BACKEND'" >&2; exit 2 ;; esac

log() { printf '[servers] %s\n' "$*" >&2; }

# Reinstall only when the inputs change: a stamp holds the hash of the files a step reads.
stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$CACHE/stamps"; printf '%s' "$2" >"$CACHE/stamps/$1"; }
hash_of() { cat "$@" | sha256sum | cut -c1-16; }

install_python() {
  local h
  h=$(hash_of "$ROOT"/requirements-dev.txt "$ROOT"/libs/idealab/pyproject.toml "$ROOT"/services/*/pyproject.toml)
  if stamp_ok python "$h" && [ -x "$VENV/bin/python" ]; then return; fi
  log "installing Python packages into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  mkdir -p "$LOGS"
  local editables=(-e "$ROOT/libs/idealab")
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
  log "building FerretDB from the Go module proxy (a minute or two the first time)"
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

install_nginx() {
  if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then return; fi
  log "installing nginx from Debian"
  apt_install nginx-light
}

# Debian keeps PostgreSQL's server programs off the PATH, under its major version.
postgresql_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_postgresql() {
  if [ "$FERRETDB_BACKEND" != postgresql ] || [ -x "$(postgresql_bin)/pg_ctl" ]; then return; fi
  log "installing PostgreSQL from Debian"
  apt_install --no-install-recommends postgresql
}

# PostgreSQL refuses to run as root: root runs it as the `postgres` user that Debian's package created.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

postgresql_running() { as_postgres "$(postgresql_bin)/pg_ctl" status -D "$POSTGRESQL_DATA" >/dev/null 2>&1; }

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

# A cluster of our own under .cache/ (its socket in its data directory, its own port: a system PostgreSQL on 5432
# does not matter), trusting local connections, with the `ferretdb` database FerretDB keeps everything in.
start_postgresql() {
  if [ "$FERRETDB_BACKEND" != postgresql ] || postgresql_running; then return; fi
  if [ -n "$FERRETDB_BACKEND_CHOSEN" ]; then start_postgresql_cluster; return; fi
  # A subshell: its `exit` on a failure comes back here as a status.
  if ! (start_postgresql_cluster); then
    log "WARNING: PostgreSQL did not start (see $LOGS/postgresql.log): FerretDB stores in SQLite this time"
    FERRETDB_BACKEND=sqlite
  fi
}

start_postgresql_cluster() {
  local bin; bin=$(postgresql_bin)
  mkdir -p "$POSTGRESQL_DATA" "$LOGS"
  touch "$LOGS/postgresql.log"
  if [ "$(id -u)" = 0 ]; then chown postgres "$POSTGRESQL_DATA" "$LOGS/postgresql.log"; fi
  as_postgres test -w "$POSTGRESQL_DATA" || { log "the postgres user cannot reach $POSTGRESQL_DATA (a folder above \
it is closed to others): allow it (chmod o+x) or use IDEALAB_FERRETDB_BACKEND=sqlite"; exit 1; }
  if [ ! -f "$POSTGRESQL_DATA/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $POSTGRESQL_DATA"
    as_postgres "$bin/initdb" -D "$POSTGRESQL_DATA" -A trust -U postgres >>"$LOGS/postgresql.log" 2>&1 ||
      { tail -n 20 "$LOGS/postgresql.log" >&2; exit 1; }
  fi
  log "starting PostgreSQL on 127.0.0.1:$POSTGRESQL_PORT"
  as_postgres "$bin/pg_ctl" start -w -D "$POSTGRESQL_DATA" -l "$LOGS/postgresql.log" \
    -o "-p $POSTGRESQL_PORT -k '$POSTGRESQL_DATA' -c listen_addresses=127.0.0.1" >/dev/null ||
    { tail -n 20 "$LOGS/postgresql.log" >&2; exit 1; }
  local psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$POSTGRESQL_PORT" -U postgres)
  if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE ferretdb"
  fi
}

stop_postgresql() {
  [ -x "$(postgresql_bin)/pg_ctl" ] && postgresql_running || return 0
  log "stopping PostgreSQL"
  as_postgres "$(postgresql_bin)/pg_ctl" stop -w -m fast -D "$POSTGRESQL_DATA" >/dev/null
}

start_ferretdb() {
  if running ferretdb; then return; fi
  mkdir -p "$FERRETDB_DATA" "$LOGS" "$RUN"
  local storage=(-sqlite-dir "$FERRETDB_DATA")
  if [ "$FERRETDB_BACKEND" = postgresql ]; then
    storage=(-postgresql-url "postgres://postgres@127.0.0.1:$POSTGRESQL_PORT/ferretdb")
  fi
  log "starting FerretDB ($FERRETDB_BACKEND) on 127.0.0.1:$FERRETDB_PORT"
  nohup "$FERRETDB_BIN" -listen "127.0.0.1:$FERRETDB_PORT" "${storage[@]}" >>"$LOGS/ferretdb.log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
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
  install_python; install_kafka; install_ferretdb; install_postgresql; install_compose_check; install_nginx; install_web
}

case "${1:-}" in
  install) install_all ;;
  install-python) install_python ;;
  start)
    install_all
    start_kafka; start_postgresql; start_ferretdb
    "$VENV/bin/python" "$ROOT/deploy/wait_ready.py" --kafka 127.0.0.1:9092 --mongodb "mongodb://127.0.0.1:$FERRETDB_PORT/" \
      || { log "servers did not become ready; see $LOGS"; tail -n 30 "$LOGS"/kafka.log "$LOGS"/ferretdb.log >&2; exit 1; }
    log "ready: KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGODB_URI=mongodb://127.0.0.1:$FERRETDB_PORT/" ;;
  stop) stop_one kafka; stop_one ferretdb; stop_postgresql ;;
  status)
    for s in kafka ferretdb; do if running $s; then echo "$s: running"; else echo "$s: stopped"; fi; done
    if [ -x "$(postgresql_bin)/pg_ctl" ] && postgresql_running; then echo "postgresql: running"
    else echo "postgresql: stopped"; fi ;;
  *) echo "usage: $0 install|install-python|start|stop|status" >&2; exit 2 ;;
esac
