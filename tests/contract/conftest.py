"""Fixtures of the contract tests: each service's real app, over the test's own database on the real server."""
import pytest

from accounts.app import create_app as accounts_app
from accounts.config import AccountsConfig
from idealab import auth
from ideas.app import create_app as ideas_app
from notifications.app import create_app as notifications_app
from roadmap.app import create_app as roadmap_app
from votes.app import create_app as votes_app
from votes.config import VotesConfig


def accounts(settings, db):
    """The accounts app with cheap password hashing, no mail server (its mails fail quietly, by design), and
    trusting the tests' signer like every other service, so the contract runs signed in there too."""
    cfg = AccountsConfig(settings("accounts"), smtp_port=9, key_publish_ahead_seconds=0, argon2_time_cost=1,
                         argon2_memory_kib=8 * 1024, argon2_parallelism=1)
    app = accounts_app(cfg, db=db)
    app.extensions["idealab.verifier"] = auth.Verifier(auth.KeySet(cfg.settings.jwks_url), cfg.settings.jwt_issuer)
    return app


# One builder per service: settings(service) → its settings over the test's database. A new service joins here.
SERVICES = {
    "accounts": accounts,
    "ideas": lambda settings, db: ideas_app(settings("ideas"), db=db),
    "votes": lambda settings, db: votes_app(VotesConfig(settings("votes"), threshold=3), db=db),
    "roadmap": lambda settings, db: roadmap_app(settings("roadmap"), db=db),
    "notifications": lambda settings, db: notifications_app(settings("notifications"), db=db),
}


@pytest.fixture
def service_db(mongo_db):
    """service_db(name) → a database of that service's own, as deployed: the votes service's `ideas` (the ideas open to
    votes) is not the ideas service's. Dropped with the test's database."""
    made = {}

    def db(name: str):
        if name not in made:
            made[name] = mongo_db.client[f"{mongo_db.name}_{name}"]
        return made[name]
    yield db
    for database in made.values():
        mongo_db.client.drop_database(database.name)


@pytest.fixture(params=sorted(SERVICES))
def service_app(request, service_settings, service_db):
    """(name, app) of each service in turn."""
    return request.param, SERVICES[request.param](service_settings, service_db(request.param))


@pytest.fixture
def service_apps(service_settings, service_db):
    """Every service's app, by name."""
    return {name: build(service_settings, service_db(name)) for name, build in SERVICES.items()}
