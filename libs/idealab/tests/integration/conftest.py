"""Fixtures of the library's integration tests: a real Publisher and consumer loops running in threads (the test's
own topics and `kafka_state` come from the root conftest)."""
import threading

import pytest

from idealab import events, kafka


@pytest.fixture
def publisher(servers, namespace, topics):
    publisher = kafka.Publisher(servers.kafka, namespace, timeout_seconds=10)
    yield publisher
    publisher.close()


class RunningLoop:
    """A ConsumerLoop running in a thread until stop(); what escaped from it (a crash) is kept in `crash`."""

    def __init__(self, loop: kafka.ConsumerLoop):
        self.loop = loop
        self.stopping = threading.Event()
        self.crash: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name=loop.group, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.loop.run(self.stopping)
        except BaseException as exc:  # noqa: BLE001 - a crash is what some tests provoke; they look at it
            self.crash = exc

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the consumer loop did not stop"


@pytest.fixture
def start_loop(servers, namespace, publisher):
    """start_loop(handlers, topics=["ideas.events"], group="g"): a consumer loop in the test's namespace, running;
    stopped at the end of the test. Poison events go through the test's publisher to `<namespace><group>.dlq`."""
    running = []

    def start(handlers: dict, topics=(events.IDEAS_TOPIC,), group: str = "g",
              retry_seconds: float = 0.05) -> RunningLoop:
        loop = kafka.ConsumerLoop(servers.kafka, group, list(topics), handlers, publisher, namespace,
                                  retry_seconds=retry_seconds)
        running.append(RunningLoop(loop))
        return running[-1]

    yield start
    for loop in running:
        loop.stop()
