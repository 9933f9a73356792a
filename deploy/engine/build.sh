#!/usr/bin/env bash
# Builds the PostgreSQL extensions that make PostgreSQL 15 a MongoDB-compatible engine under FerretDB v2:
# Microsoft's DocumentDB (FerretDB's fork, 0.107-0) and what it needs that Debian 12 lacks or ships too old
# (libbson >= 1.28, linked statically; pg_cron 1.6; pgvector). None of them is in a package registry: their release
# sources are kept unchanged in ../shared/third_party/ (upstream tags in its README). Debian's PostGIS and RUM
# packages are used as they are.
#
# `make install` writes into PostgreSQL's own lib and extension folders, so this runs as root (or with sudo).
# The build happens under .cache/engine/; deploy/servers.sh calls it only when the sources or this script change
# or when the installed extension is missing.
#
# usage: deploy/engine/build.sh SOURCES_DIR BUILD_DIR
set -euo pipefail

SOURCES=$1
BUILD=$2
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
JOBS=$(nproc)

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

rm -rf "$BUILD"
mkdir -p "$BUILD/src" "$BUILD/prefix/lib/pkgconfig"
for archive in libbson-1.28.0 pg_cron-1.6.3 pgvector-0.8.0 documentdb-3f80da90; do
  tar -xzf "$SOURCES/$archive.tar.gz" -C "$BUILD/src"
done
export PKG_CONFIG_PATH="$BUILD/prefix/lib/pkgconfig:$BUILD/prefix/lib64/pkgconfig"

# DocumentDB looks for Intel's decimal maths library through pkg-config as `intelmathlib`; Debian's
# libintelrdfpmath-dev ships the library without a .pc file.
cat >"$BUILD/prefix/lib/pkgconfig/intelmathlib.pc" <<'EOF'
Name: intelmathlib
Description: Intel(R) Decimal Floating-Point Math Library (Debian's libintelrdfpmath-dev)
Version: 2.0
Libs: -L/usr/lib/x86_64-linux-gnu -lbidgcc000
Cflags: -I/usr/include
EOF

echo "[engine] libbson 1.28.0 (static, private prefix)"
cmake -S "$BUILD/src/mongo-c-driver-1.28.0" -B "$BUILD/libbson" -DCMAKE_INSTALL_PREFIX="$BUILD/prefix" \
  -DCMAKE_BUILD_TYPE=Release -DENABLE_MONGOC=OFF -DENABLE_STATIC=ON -DENABLE_TESTS=OFF -DENABLE_EXAMPLES=OFF \
  -DENABLE_ICU=OFF -DCMAKE_C_FLAGS=-fPIC >/dev/null
cmake --build "$BUILD/libbson" -j "$JOBS" >/dev/null
cmake --install "$BUILD/libbson" >/dev/null

# PGXS builds: each installs into PostgreSQL's folders.
pgxs() {
  echo "[engine] $1"
  make -C "$BUILD/src/$1" -j "$JOBS" PG_CONFIG="$PG_CONFIG" >/dev/null
  sudo_if_needed env PKG_CONFIG_PATH="$PKG_CONFIG_PATH" make -C "$BUILD/src/$1" install PG_CONFIG="$PG_CONFIG" >/dev/null
}
pgxs pg_cron-1.6.3
pgxs pgvector-0.8.0
pgxs documentdb-3f80da90/pg_documentdb_core
pgxs documentdb-3f80da90/pg_documentdb
echo "[engine] installed into $("$PG_CONFIG" --pkglibdir)"
