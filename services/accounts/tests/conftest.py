"""Fixtures of the accounts tests: an API app over the test's own database that sends its mail to the root
conftest's real SMTP server (`mailbox`; client comes from the root conftest too), helpers to sign up and sign in, and a real OpenID
Connect provider."""
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

from accounts.app import create_app
from accounts.config import SERVICE, AccountsConfig
from accounts.handlers import access, now

# The tests' own OIDC provider, loaded by path: test directories are not packages (pytest's importlib mode).
_spec = importlib.util.spec_from_file_location("oidc_provider",
                                              Path(__file__).parent / "oidc_provider" / "__init__.py")
oidc_provider = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oidc_provider)

PUBLIC_URL = "http://lab.example"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def oidc_providers():
    """The OIDC providers the app is configured with (none; the OIDC tests start one)."""
    return ()


@pytest.fixture
def accounts_config(service_settings, mailbox, oidc_providers):
    # argon2 at its cheapest: its cost is what makes it slow, not what is tested.
    return AccountsConfig(service_settings(SERVICE), public_url=PUBLIC_URL, smtp_host="127.0.0.1",
                          smtp_port=mailbox.port, key_publish_ahead_seconds=0, argon2_time_cost=1,
                          argon2_memory_kib=1024, argon2_parallelism=1, oidc_providers=oidc_providers)


@pytest.fixture
def provider():
    """A real OpenID Connect provider on a free loopback port (tests/oidc_provider)."""
    with oidc_provider.Provider() as started:
        yield started


@pytest.fixture
def person():
    """person(sub, email, verified=True) → someone the provider can sign in (provider.person = ...)."""
    return oidc_provider.Person


@pytest.fixture
def app(accounts_config, recorded_db):
    return create_app(accounts_config, db=recorded_db)


@pytest.fixture
def accounts(app):
    """What the tests look into: the app's store and the collaborators create_app wired (replace one in
    app.extensions to change what the app uses), and the clock."""
    return SimpleNamespace(store=app.extensions["idealab.store"], cfg=app.extensions["accounts.config"],
                           keys=app.extensions["accounts.keys"], hasher=app.extensions["accounts.hasher"],
                           mailer=app.extensions["accounts.mailer"], clock=now)


@pytest.fixture
def sign_up(client):
    """sign_up("ann@example.com") → the new account as the API answered."""
    def make(email: str, password: str = PASSWORD, display_name: str = "Ann") -> dict:
        response = client.post("/api/accounts/users",
                               json={"email": email, "password": password, "display_name": display_name})
        assert response.status_code == 201, response.get_json()
        return response.get_json()
    return make


@pytest.fixture
def sign_in(client):
    """sign_in("ann@example.com") → the token pair."""
    def tokens(email: str, password: str = PASSWORD) -> dict:
        response = client.post("/api/accounts/sessions", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return tokens


@pytest.fixture
def member(sign_up, sign_in):
    """A signed-up member: {"id", "email", "headers"} (headers carry an access token accounts issued)."""
    def make(email: str = "ann@example.com", display_name: str = "Ann") -> dict:
        user = sign_up(email, display_name=display_name)
        tokens = sign_in(email)
        return {**user, **tokens, "headers": {"Authorization": f"Bearer {tokens['access_token']}"}}
    return make


@pytest.fixture
def admin(member, accounts, sign_in):
    """A signed-in admin (made as the first admin is: grant-role), with a token carrying the role."""
    def make(email: str = "root@example.com") -> dict:
        user = member(email, display_name="Root")
        access.grant_role(accounts.store, email, "admin")
        tokens = sign_in(email)
        return {**user, **tokens, "headers": {"Authorization": f"Bearer {tokens['access_token']}"}}
    return make
