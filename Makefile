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
	KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 MONGODB_URI=mongodb://127.0.0.1:27017/ $(PY) -m pytest

# Unit tests only: no server needed.
test-unit:
	bash deploy/servers.sh install-python
	$(PY) -m pytest -m "not integration and not e2e and not browser"
