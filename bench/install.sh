#!/usr/bin/env bash
# What the benchmarks need beyond the lab: wrk (Debian) for the gateway baseline, and Kafka's perf tools (Maven
# Central) for the bus baseline. Idempotent; everything but wrk lands under .cache/bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${IDEALAB_CACHE:-$ROOT/.cache}/bench/kafka-tools
if ! command -v wrk >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq && $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk
fi
if [ ! -d "$TOOLS" ]; then
  mvn -B -q -f "$ROOT/bench/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$TOOLS"
fi
