"""Fixtures of the contract tests: each service's real app, over the test's own database on the real server."""
import pytest

from ideas.app import create_app as ideas_app
from notifications.app import create_app as notifications_app
from roadmap.app import create_app as roadmap_app
from votes.app import create_app as votes_app
from votes.config import VotesConfig

# One builder per service: settings(service) → its settings over the test's database. A new service joins here.
SERVICES = {
    "ideas": lambda settings, db: ideas_app(settings("ideas"), db=db),
    "votes": lambda settings, db: votes_app(VotesConfig(settings("votes"), threshold=3), db=db),
    "roadmap": lambda settings, db: roadmap_app(settings("roadmap"), db=db),
    "notifications": lambda settings, db: notifications_app(settings("notifications"), db=db),
}


@pytest.fixture(params=sorted(SERVICES))
def service_app(request, service_settings, mongo_db):
    """(name, app) of each service in turn."""
    return request.param, SERVICES[request.param](service_settings, mongo_db)
