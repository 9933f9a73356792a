#!/usr/bin/env bash
# One PostgreSQL 15 cluster with DocumentDB, and FerretDB v2 in front of it: the lab's document engine. Used by
# deploy/servers.sh for the shared servers, and by the fault tests and benchmarks for engines of their own.
#
#   cluster.sh start DIR PG_PORT MONGO_PORT   # creates the cluster in DIR if needed, starts both, waits for both
#   cluster.sh stop DIR                       # stops FerretDB, then PostgreSQL
#   cluster.sh kill DIR                       # as a crash would: SIGKILL to FerretDB, PostgreSQL's immediate stop
#   cluster.sh status DIR                     # exit 0 when both run
#
# DIR holds `postgresql/` (the cluster, its socket too), `ferretdb/` (FerretDB's state), `*.log` and `*.pid`.
# FERRETDB_BIN names the FerretDB binary (deploy/ferretdb, built by deploy/servers.sh).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
FERRETDB_BIN=${FERRETDB_BIN:?FERRETDB_BIN must name the FerretDB v2 binary}

# PostgreSQL refuses to run as root: root runs it as the `postgres` user that Debian's package created.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_running() { as_postgres "$PG_BIN/pg_ctl" status -D "$1/postgresql" >/dev/null 2>&1; }
ferretdb_running() { [ -f "$1/ferretdb.pid" ] && kill -0 "$(cat "$1/ferretdb.pid")" 2>/dev/null; }

init_cluster() {
  local dir=$1
  mkdir -p "$dir/postgresql"
  touch "$dir/postgresql.log"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir/postgresql" "$dir/postgresql.log"; fi
  as_postgres test -w "$dir/postgresql" || {
    echo "the postgres user cannot reach $dir (a folder above it is closed to others: chmod o+x it)" >&2; exit 1; }
  [ -f "$dir/postgresql/PG_VERSION" ] && return
  as_postgres "$PG_BIN/initdb" -D "$dir/postgresql" -A trust -U postgres >>"$dir/postgresql.log" 2>&1 ||
    { tail -n 20 "$dir/postgresql.log" >&2; exit 1; }
  # DocumentDB's settings (../shared/third_party/README.md); pg_cron runs DocumentDB's jobs in `postgres`.
  as_postgres tee -a "$dir/postgresql/postgresql.conf" >/dev/null <<'EOF'
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
documentdb.enableBackgroundWorker = true
documentdb.enableBackgroundWorkerJobs = true
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = 1GB
EOF
}

start() {
  local dir=$1 pg_port=$2 mongo_port=$3
  init_cluster "$dir"
  if ! pg_running "$dir"; then
    as_postgres "$PG_BIN/pg_ctl" start -w -t 60 -D "$dir/postgresql" -l "$dir/postgresql.log" \
      -o "-p $pg_port -k '$dir/postgresql'" >/dev/null || { tail -n 20 "$dir/postgresql.log" >&2; exit 1; }
  fi
  "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
    -c "CREATE EXTENSION IF NOT EXISTS documentdb CASCADE" >>"$dir/postgresql.log" 2>&1 ||
    { tail -n 20 "$dir/postgresql.log" >&2; exit 1; }
  if ! ferretdb_running "$dir"; then
    nohup "$FERRETDB_BIN" -listen "127.0.0.1:$mongo_port" -state-dir "$dir/ferretdb" \
      -postgresql-url "postgres://postgres@127.0.0.1:$pg_port/postgres" >>"$dir/ferretdb.log" 2>&1 &
    echo $! >"$dir/ferretdb.pid"
  fi
}

stop() {
  local dir=$1
  if ferretdb_running "$dir"; then
    local pid; pid=$(cat "$dir/ferretdb.pid")
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/ferretdb.pid"
  if [ -f "$dir/postgresql/PG_VERSION" ] && pg_running "$dir"; then
    as_postgres "$PG_BIN/pg_ctl" stop -w -m fast -D "$dir/postgresql" >/dev/null
  fi
}

# PostgreSQL's immediate mode is its crash stop: no checkpoint, recovery from the WAL at the next start.
crash() {
  local dir=$1
  if ferretdb_running "$dir"; then kill -9 "$(cat "$dir/ferretdb.pid")"; fi
  rm -f "$dir/ferretdb.pid"
  if pg_running "$dir"; then as_postgres "$PG_BIN/pg_ctl" stop -w -m immediate -D "$dir/postgresql" >/dev/null; fi
}

case "${1:-}" in
  start) start "$2" "$3" "$4" ;;
  stop) stop "$2" ;;
  kill) crash "$2" ;;
  status) pg_running "$2" && ferretdb_running "$2" ;;
  *) echo "usage: $0 start DIR PG_PORT MONGO_PORT | stop DIR | kill DIR | status DIR" >&2; exit 2 ;;
esac
