"""Fixtures of the votes tests: an API app over the test's own database, and its store (client and tokens come from the root conftest)."""
import threading

import pytest

from votes.app import create_app
from votes.config import SERVICE, VotesConfig

THRESHOLD = 3


@pytest.fixture
def app(service_settings, recorded_db):
    return create_app(VotesConfig(service_settings(SERVICE), THRESHOLD), db=recorded_db)


@pytest.fixture
def staff(bearer):
    """The product team's headers (campaigns and contests are theirs to set up)."""
    return bearer("pat", roles=("product_team",))


@pytest.fixture
def set_up_by_staff(client, staff):
    """set_up_by_staff("contests", body) → the id of the campaign or contest the product team set up."""
    def set_up(what: str, body: dict) -> str:
        response = client.post(f"/api/votes/{what}", json=body, headers=staff)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]
    return set_up


@pytest.fixture
def threshold(app):
    """Votes an idea needs before it goes to review, as the app is configured."""
    return app.config["VOTE_THRESHOLD"]


@pytest.fixture
def together():
    """together(*calls) → what each call returned, every call in a thread of its own, let go at the same instant (two
    clocks at one closing instant)."""
    def run(*calls) -> list:
        start, returned = threading.Barrier(len(calls)), []

        def one(call):
            start.wait()
            returned.append(call())
        threads = [threading.Thread(target=one, args=(call,)) for call in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return returned
    return run
