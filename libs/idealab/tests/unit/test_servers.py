"""How the tests find their servers: the environment first, testcontainers where Docker answers, else a clear stop."""
import pytest

import idealab_testing as testing


def test_addresses_from_the_environment_are_used_as_they_are(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:27018/")
    monkeypatch.setattr(testing, "_docker_answers", lambda: pytest.fail("Docker must not be asked"))
    servers = testing.Servers().start()
    assert (servers.kafka, servers.mongodb) == ("127.0.0.1:19092", "mongodb://127.0.0.1:27018/")


def test_without_addresses_or_docker_the_tests_stop_saying_how_to_start_servers(monkeypatch):
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setattr(testing.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="make test"):
        testing.Servers().start()
