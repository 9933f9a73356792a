# The two commands a newcomer needs: `make up` runs the whole lab, `make test` runs every test.
# Both install what is missing (Python packages, Kafka, FerretDB, nginx) under .cache/ first.
PY := .cache/venv/bin/python

.PHONY: up down servers stop-servers test test-unit

servers:
	bash deploy/servers.sh start

up: servers
	bash deploy/web.sh build
	$(PY) deploy/lab.py up

down:
	-$(PY) deploy/lab.py down
	bash deploy/servers.sh stop

stop-servers:
	bash deploy/servers.sh stop

# Servers stay up after the tests so a rerun starts in seconds; `make down` stops them.
test: servers
	bash deploy/web.sh build
	bash deploy/web.sh test
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGODB_URI=mongodb://127.0.0.1:27017/ $(PY) -m pytest -n 4 --dist loadgroup --no-loadscope-reorder

# Unit tests only: no server needed (compose-check is built for the docker-compose.yml checks).
test-unit:
	bash deploy/servers.sh install-unit
	$(PY) -m pytest -m "not integration and not e2e and not browser and not faults"

# Benchmarks (bench/README.md): each starts what it needs in a namespace of its own, prints its figures and appends
# them to bench/results/<name>.json. The lab's web build is not needed: they call the APIs.
.PHONY: bench bench-install bench-baselines bench-votes bench-freshness bench-fan-out bench-read bench-live
BENCH := KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGODB_URI=mongodb://127.0.0.1:27017/ $(PY) -m

bench-install: servers
	bash bench/install.sh

bench-baselines: bench-install
	$(BENCH) bench.baselines

bench-votes: bench-install
	$(BENCH) bench.vote_intake

bench-freshness: bench-install
	$(BENCH) bench.tally_freshness

bench-fan-out: bench-install
	$(BENCH) bench.fan_out

bench-read: bench-install
	$(BENCH) bench.read_path

bench-live: bench-install
	$(BENCH) bench.live_streams

bench: bench-baselines bench-votes bench-freshness bench-fan-out bench-read bench-live
