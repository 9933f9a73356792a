"""The web lab in a real browser: Debian's Chromium, driven by Playwright, against the
whole lab started as tests/e2e starts it (every Procfile process and the gateway, on ports and a namespace of their
own). Here identity is the accounts service's own: people sign up through the lab, the services trust its JWKS."""
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from idealab_testing import mails_in_log, unique, wait_for

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
THRESHOLD = 3
PASSWORD = "correct horse battery staple 42"



def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


e2e = _module("e2e_conftest", ROOT / "tests" / "e2e" / "conftest.py")
# The accounts tests' OpenID Connect provider: a real one (Authlib), signing in whoever the test says is there.
oidc = _module("oidc_provider", ROOT / "services" / "accounts" / "tests" / "oidc_provider" / "__init__.py")
lab = e2e.lab


@pytest.fixture(scope="package")
def identity_provider():
    """The lab's one configured identity provider, "My Bank"."""
    with oidc.Provider() as provider:
        yield provider


@pytest.fixture(scope="package")
def lab_env(servers, identity_provider):
    if not (ROOT / "web" / "dist" / "index.html").exists():
        subprocess.run(["bash", str(ROOT / "deploy" / "web.sh"), "build"], check=True)
    ports = lab.free_ports()
    identity_provider.redirect_uri = f"http://127.0.0.1:{ports['GATEWAY_PORT']}/api/accounts/oidc/bank/callback"
    return lab.environment({
        "OIDC_PROVIDERS": "bank", "OIDC_BANK_DISPLAY_NAME": "My Bank", "OIDC_BANK_ISSUER": identity_provider.issuer,
        "OIDC_BANK_CLIENT_ID": identity_provider.client_id,
        "OIDC_BANK_CLIENT_SECRET": identity_provider.client_secret,
        "IDEALAB_NAMESPACE": unique("web"), "VOTE_THRESHOLD": str(THRESHOLD),
        "JWKS_URL": f"http://127.0.0.1:{ports['ACCOUNTS_PORT']}/api/accounts/.well-known/jwks.json",
        "PUBLIC_URL": f"http://127.0.0.1:{ports['GATEWAY_PORT']}",
        "SIGNIN_RATE": "600r/m", "SIGNIN_BURST": "100",  # everyone signs in from 127.0.0.1
        "SIGN_UPS_PER_CLIENT": "100000", "SIGN_UPS_PER_EMAIL_DOMAIN": "100000",  # and signs up from it
        # Cheap password hashing, as in tests/contract: the default cost takes seconds per sign-in on a loaded box.
        "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "8192", "ARGON2_PARALLELISM": "1",
        "KAFKA_BOOTSTRAP_SERVERS": servers.kafka, "MONGODB_URI": servers.mongodb, "GUNICORN_WORKERS": "1", **ports,
    })


@pytest.fixture(scope="package")
def lab_log(lab_env):
    """The lab's log, a file of this run's own: the mails its mail sink prints are read back from there."""
    return ROOT / ".cache" / "logs" / f"browser-lab-{lab_env['IDEALAB_NAMESPACE']}.log"


@pytest.fixture(scope="package")
def running_lab(lab_env, lab_log):
    with e2e.lab_running(lab_env, lab_log) as process:
        yield process  # the log stays in .cache/logs, to read when a test failed


@pytest.fixture(scope="package")
def gateway(running_lab, lab_env):
    return lab.gateway_url(lab_env)


@pytest.fixture
def mail_link(lab_log):
    """mail_link(address, "verify") → the path and fragment of the newest link to that page of the web lab mailed
    to `address` (waits for the mail)."""
    def newest_link(address: str, page: str) -> str:
        def newest():
            for message in reversed(mails_in_log(lab_log, address)):
                text = message.get_body(("plain",)).get_content()  # beside an HTML part, in notifications' mails
                match = re.search(rf"https?://[^/\s]+(/{page}#token=[\w-]+)", text)
                if match:
                    return match.group(1)
            return None
        return eventually(newest, f"a mail to {address} linking to /{page}")
    return newest_link


# --- Debian's Chromium, driven by Playwright -------------------------------------------------------------------------
# Fixtures of our own rather than pytest-playwright's: theirs keep one Playwright running until the whole test session
# ends, and a later test that starts its own (sync_playwright) would then fail. These stop with this package.

@pytest.fixture(scope="package")
def chromium(running_lab):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `bash deploy/web.sh install` (or set CHROMIUM)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium, gateway, identity_provider):
    """new_context(**options) → a fresh browser profile (no storage, no cache) on the lab; English on a desktop
    screen unless the options say otherwise (locale="fr-FR", viewport=...).

    Every page must load nothing from elsewhere (a bank's privacy bar: no third-party script, font or tracker; the
    identity provider's own pages aside) and break no rule of the gateway's Content-Security-Policy."""
    defaults = {"base_url": gateway, "locale": "en-GB", "viewport": {"width": 1280, "height": 800}}
    contexts, elsewhere, refused = [], [], []
    ours = (gateway, identity_provider.issuer, "data:", "blob:")

    def make(**options):
        context = chromium.new_context(**{**defaults, **options})
        # The lab and the browser share two cores: Playwright's 5 s defaults are too short for it.
        expect.set_options(timeout=15_000)
        context.set_default_timeout(30_000)
        context.on("request", lambda r: r.url.startswith(ours) or elsewhere.append(r.url))
        context.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
        contexts.append(context)
        return context
    yield make
    for context in contexts:
        context.close()
    assert not elsewhere, f"requests to other sites: {elsewhere}"
    assert not refused, f"Content-Security-Policy violations: {refused}"


@pytest.fixture
def page(new_context):
    return new_context().new_page()


# --- people ----------------------------------------------------------------------------------------------------------

class Person:
    """Someone with an account made through the accounts API, and its tokens for calling the lab directly."""

    def __init__(self, gateway: str, name: str):
        self.gateway = gateway
        self.name = name
        self.email = f"{unique(name.lower())}@example.com"
        self.http = requests.Session()
        made = self.http.post(f"{gateway}/api/accounts/users", timeout=10,
                              json={"email": self.email, "password": PASSWORD, "display_name": name})
        assert made.status_code == 201, made.text
        self.user_id = made.json()["id"]

    def sign_in(self) -> "Person":
        tokens = self.http.post(f"{self.gateway}/api/accounts/sessions", timeout=10,
                                json={"email": self.email, "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
        self.http.headers["Authorization"] = f"Bearer {tokens.json()['access_token']}"
        return self

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.gateway + path, timeout=10, **kwargs)


@pytest.fixture
def person(gateway):
    """person("Bea") → an account (not signed in yet: roles granted before sign-in land in the tokens)."""
    return lambda name: Person(gateway, name)


@pytest.fixture
def grant_role(lab_env):
    """grant_role(person, "product_team"), with the operators' command, on the lab's accounts database."""
    def grant(who: Person, role: str) -> None:
        done = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", who.email, role], env=lab_env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    return grant


def sign_in_through_page(page, who: Person) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    try:
        page.get_by_role("button", name="Sign out").wait_for(timeout=20_000)
    except Exception:
        raise AssertionError(f"{who.email} could not sign in: {page.locator('main').inner_text()}") from None


@pytest.fixture
def signed_in(new_context, person, grant_role):
    """signed_in("Pat", roles=("product_team",)) → (page, person): a new browser where a new account has signed in
    through the sign-in page."""
    def open_page(name: str, roles=(), **context_args):
        who = person(name)
        for role in roles:
            grant_role(who, role)
        page = new_context(**context_args).new_page()
        sign_in_through_page(page, who)
        return page, who
    return open_page


# --- what the tests look at ------------------------------------------------------------------------------------------

@pytest.fixture(scope="package")
def axe():
    return Axe()


@pytest.fixture
def accessible(axe):
    """accessible(page, "ideas list"): axe-core finds no serious or critical violation on the page as it is now."""
    def check(page, what: str) -> None:
        violations = axe.run(page).response["violations"]
        grave = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                 for v in violations if v["impact"] in ("serious", "critical")]
        assert not grave, f"{what}: " + "; ".join(grave)
    return check


@pytest.fixture
def team_at_the_new_form(signed_in, accessible):
    """team_at_the_new_form("contest") → a product team member ("Tess") who opened the form for a new contest (or
    campaign), checked axe-clean and kept as a screenshot; signed in, to call the lab directly."""
    def open_form(what: str) -> Person:
        page, team = signed_in("Tess", roles=("product_team",))
        page.goto(f"/{what}s/new")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"New {what}")
        accessible(page, f"new {what}")
        screenshot(page, f"{what}-new")
        return team
    return open_form


def screenshot(page, name: str) -> None:
    """Kept for a person to look at: test-artifacts/screenshots/<name>.png (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png", full_page=True)


def eventually(check, what: str, timeout: float = 60):
    # Generous: the whole lab and the browser share two cores, and an event may wait on a consumer group rebalance.
    return wait_for(check, timeout=timeout, interval=0.3, what=what)
