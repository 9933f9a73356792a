"""The gateway as the public sees it: security headers, CORS for configured origins only, private metrics, and rate
limits that trigger through the real nginx (bounded loops on loopback only), and the gateway's own errors as
problem+json like the services' (issue 11)."""
import http.client
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from idealab_testing import assert_problem, gateway_of_its_own, unique

pytestmark = pytest.mark.e2e

ALLOWED_ORIGIN = "https://lab.example-bank.test"


@pytest.fixture(scope="module")
def strict_gateway(lab_env, running_lab, gateway_script):
    """A second gateway in front of the same services with the default (production) limits, which the shared lab
    raises so that tests signing many people in from one address are not slowed down."""
    env = {**lab_env, "CORS_ORIGINS": ALLOWED_ORIGIN}
    for name in ("SIGNIN_RATE", "SIGNIN_BURST", "WRITE_RATE", "WRITE_BURST"):
        env.pop(name, None)
    with gateway_of_its_own(gateway_script, env, what="the strict gateway") as url:
        yield url


def assert_hardened(response) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] and headers["X-Request-Id"]
    assert "Server" not in headers or headers["Server"] == "nginx"  # no version number
    # Plain HTTP on loopback: HSTS would be meaningless, and is not sent.
    assert "Strict-Transport-Security" not in headers


def test_every_kind_of_answer_carries_the_security_headers(strict_gateway, signer):
    token = {"Authorization": f"Bearer {signer.token('ann')}"}
    answers = [
        requests.get(f"{strict_gateway}/api/ideas", timeout=5),                       # a service's answer
        requests.get(f"{strict_gateway}/api/nothing", timeout=5),                     # the gateway's own 404
        requests.post(f"{strict_gateway}/api/ideas", data=b"x" * (2 * 1024 * 1024),   # the gateway's own 413
                      headers={**token, "Content-Type": "application/json"}, timeout=5),
        requests.get(f"{strict_gateway}/api/docs/", timeout=5),
    ]
    for response in answers:
        assert_hardened(response)


def test_metrics_are_not_reachable_through_the_gateway(strict_gateway):
    for service in ("ideas", "votes", "roadmap", "notifications", "accounts"):
        assert_problem(requests.get(f"{strict_gateway}/api/{service}/metrics", timeout=5), 404)


def test_a_configured_origin_may_call_the_api_from_a_browser(strict_gateway):
    preflight = requests.options(f"{strict_gateway}/api/votes/ideas/x", timeout=5, headers={
        "Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]

    response = requests.get(f"{strict_gateway}/api/ideas", headers={"Origin": ALLOWED_ORIGIN}, timeout=5)
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]


def test_any_other_origin_gets_no_cors_permission(strict_gateway):
    for origin in ("https://evil.example", ALLOWED_ORIGIN + ".evil.example", "null"):
        preflight = requests.options(f"{strict_gateway}/api/ideas", timeout=5,
                                     headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
        assert "Access-Control-Allow-Origin" not in preflight.headers
        response = requests.get(f"{strict_gateway}/api/ideas", headers={"Origin": origin}, timeout=5)
        assert "Access-Control-Allow-Origin" not in response.headers


def test_repeated_sign_in_attempts_from_one_address_are_slowed_down_with_a_429(strict_gateway):
    statuses = []
    for attempt in range(12):  # the default allows a burst of 5 beyond the first
        response = requests.post(f"{strict_gateway}/api/accounts/sessions", timeout=5,
                                 json={"email": "victim@example.com", "password": f"guess-{attempt}"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert 429 not in statuses[:6], statuses
    body = assert_problem(response, 429)
    assert "sign-in" in body["detail"]
    assert int(response.headers["Retry-After"]) >= 1
    assert_hardened(response)


def test_staff_actions_are_limited_per_token_not_by_the_sign_in_limit(strict_gateway, gateway, lab_env):
    """Issue 11: the sign-in limit (10 a minute per address) also covered the admin routes under /users/…, so a
    moderator was held to ~10 actions a minute. Staff actions are writes limited per token (burst 20), reads not at
    all, and sign-in from the same address stays limited."""
    email, password = f"{unique('staff')}@example.com", "correct horse battery staple 42"
    made = requests.post(f"{gateway}/api/accounts/users", timeout=10,
                         json={"email": email, "password": password, "display_name": "Staff"})
    assert made.status_code == 201, made.text
    granted = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", email, "admin"], env=lab_env,
                             capture_output=True, text=True, timeout=60)
    assert granted.returncode == 0, granted.stderr
    tokens = requests.post(f"{gateway}/api/accounts/sessions", json={"email": email, "password": password},
                           timeout=10).json()
    admin = moderator = {"Authorization": f"Bearer {tokens['access_token']}"}
    statuses = [requests.post(f"{strict_gateway}/api/accounts/users/{unique('nobody-')}/ban", headers=moderator,
                              json={"reason": "spam"}, timeout=5).status_code for _ in range(15)]
    assert statuses == [404] * 15, statuses  # past the sign-in limit's 6, each reached the service
    for _ in range(10):
        assert requests.get(f"{strict_gateway}/api/accounts/users", params={"email": "a@example.com"},
                            headers=admin, timeout=5).status_code == 200
    assert requests.put(f"{strict_gateway}/api/accounts/users/{unique('nobody-')}/roles", headers=admin,
                        json={"roles": ["member"]}, timeout=5).status_code == 404

    for _ in range(40):  # the write limit per token still holds a runaway script
        response = requests.post(f"{strict_gateway}/api/accounts/users/{unique('nobody-')}/ban", headers=moderator,
                                 json={"reason": "spam"}, timeout=5)
        if response.status_code == 429:
            break
    assert_problem(response, 429)
    assert response.headers["Retry-After"] == "1"

    statuses = []
    for attempt in range(12):
        statuses.append(requests.post(f"{strict_gateway}/api/accounts/sessions", timeout=5, json={
            "email": "staff-victim@example.com", "password": f"guess-{attempt}"}).status_code)
    assert 429 in statuses, statuses


def test_a_flood_of_writes_with_one_token_is_slowed_down_and_others_are_not(strict_gateway, signer):
    flooder = {"Authorization": f"Bearer {signer.token(unique('flooder-'))}"}
    bystander = {"Authorization": f"Bearer {signer.token(unique('bystander-'))}"}
    statuses = []
    for _ in range(40):  # the default allows a burst of 20 beyond the rate
        response = requests.post(f"{strict_gateway}/api/votes/ideas/no-such-idea", headers=flooder, timeout=5)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429 and 429 not in statuses[:20], statuses
    assert_problem(response, 429)
    assert response.headers["Retry-After"] == "1"

    assert requests.post(f"{strict_gateway}/api/votes/ideas/no-such-idea", headers=bystander,
                         timeout=5).status_code == 404
    assert requests.get(f"{strict_gateway}/api/ideas", headers=flooder, timeout=5).status_code == 200


def test_one_token_spelt_many_ways_shares_one_write_allowance(strict_gateway, signer):
    """Issue 9, finding 5: nginx keyed the limit on the raw header while the services strip the spaces around the
    token (and take a signature with "==" after it): 40 spellings of one token made 40 writes. Any spelling but the
    canonical one is now refused at the gateway, and the limit is keyed by what the signature covers."""
    token = signer.token(unique("padder-"))
    spellings = [f"Bearer {' ' * n}{token}{' ' * (n % 3)}" for n in range(20)] + [
        f"Bearer {token}{'=' * (n % 3)}" for n in range(20)]
    statuses = [requests.post(f"{strict_gateway}/api/votes/ideas/no-such-idea", timeout=5,
                              headers={"Authorization": spelling}).status_code for spelling in spellings]
    reached = statuses.count(404)  # the votes service answered: the write was let through
    assert reached <= 21, statuses  # the burst of 20 beyond the first, whatever the spelling
    assert set(statuses) <= {401, 404, 429}, statuses
    odd = requests.post(f"{strict_gateway}/api/votes/ideas/no-such-idea", timeout=5,
                        headers={"Authorization": f"Bearer  {token}"})
    body = assert_problem(odd, 401)
    assert "Bearer" in body["detail"] and odd.headers["WWW-Authenticate"].startswith("Bearer")


class Answer:
    """What http.client got back, shaped like a `requests` response for assert_problem and assert_hardened."""

    def __init__(self, response: http.client.HTTPResponse):
        self.status_code, self.headers = response.status, response.headers
        self.text = response.read().decode("utf-8", "replace")


def send(gateway: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
    """One request exactly as written (requests would tidy the path, and refuses some methods and lines)."""
    address = urlsplit(gateway)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


@pytest.mark.parametrize("method, path, body, headers, status", [
    ("TRACE", "/api/ideas", None, {}, 405),
    ("POST", "/", b"{}", {"Content-Type": "application/json"}, 405),      # a page of the lab is not writable
    ("GET", "/api/ideas/a%00b", None, {}, 400),
    ("GET", "/api/ideas/" + "a" * 6_000, None, {}, 414),                   # was gunicorn's HTML 400
    ("GET", "/api/ideas/" + "a" * 9_000, None, {}, 414),                   # was nginx's HTML 414
    ("GET", "/api/ideas", None, {"X-Padding": "a" * 9_000}, 400),          # was nginx's HTML 400
    ("POST", "/api/accounts/users", b"x" * 1_100_000, {"Content-Type": "application/json"}, 413),
    ("POST", "/api/accounts/sessions", b"x" * 1_100_000, {"Content-Type": "application/json"}, 413),
    ("POST", "/api/accounts/spaces", b"x" * 1_100_000, {"Content-Type": "application/json"}, 413),
    ("GET", "/assets/no-such-file.js", None, {}, 404),
], ids=["trace", "post-page", "nul-in-path", "line-6k", "line-9k", "header-9k", "413-users", "413-sessions",
        "413-spaces", "missing-asset"])
def test_the_gateways_own_errors_are_problems_with_the_security_headers(gateway, method, path, body, headers,
                                                                          status):
    answer = send(gateway, method, path, body, headers)
    assert_problem(answer, status)
    assert_hardened(answer)


def test_the_longest_request_line_the_gateway_lets_through_reaches_the_service(gateway):
    """nginx refuses request lines over 4 KB before gunicorn (4,094 bytes) refuses them with HTML of its own."""
    path = "/api/ideas/"
    path += "a" * (4094 - len(f"GET {path} HTTP/1.1"))
    answer = send(gateway, "GET", path)
    assert "request_id" in assert_problem(answer, 404)  # the ideas service's own answer


def test_many_headers_reach_the_service_rather_than_gunicorns_html(gateway):
    """gunicorn refused more than 100 headers with an HTML 431; nginx bounds the headers' size instead."""
    answer = send(gateway, "GET", "/api/ideas?limit=1", headers={f"X-Header-{n}": "v" for n in range(150)})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("path", ["/api/ideas//comments", "/api//ideas/x", "/api/votes//ideas/x", "//api/ideas"])
def test_a_path_with_a_double_slash_is_answered_here_never_redirected_off_the_gateway(gateway, path):
    """werkzeug answered 308 to the merged path, with an absolute Location built from the Host nginx passes on: no
    port, so off the gateway. A path with an empty segment names nothing of ours: the service says so."""
    answer = send(gateway, "GET", path)
    assert "Location" not in answer.headers, answer.headers["Location"]
    if answer.status_code != 200:  # "//api/ideas" reaches gunicorn as the path /api/ideas
        assert_problem(answer, 404)


def test_the_gateways_own_redirects_stay_on_the_gateway(gateway):
    answer = send(gateway, "GET", "/api/docs")
    assert answer.status_code == 301
    assert urljoin(gateway + "/api/docs", answer.headers["Location"]) == gateway + "/api/docs/"


def _ideas_requests_served(lab_env, path: str) -> float:
    """How many GETs of `path`'s route the ideas service itself answered (its metrics, read past the gateway)."""
    metrics = requests.get(f"http://127.0.0.1:{lab_env['IDEAS_PORT']}/api/ideas/metrics", timeout=5).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
               if line.startswith("idealab_http_requests_total{") and 'method="GET"' in line and f'route="{path}"' in line)


def test_a_crowd_of_anonymous_readers_of_one_idea_is_answered_by_the_gateway_for_a_second(gateway, member, lab_env):
    author = member()
    idea = author.post("/api/ideas", json={"title": "Round up to savings", "description": "Each payment.",
                                           "category": "savings"}).json()["id"]
    before = _ideas_requests_served(lab_env, "/api/ideas/<idea_id>")

    answers = [requests.get(f"{gateway}/api/ideas/{idea}", timeout=5) for _ in range(30)]

    assert {a.status_code for a in answers} == {200} and len({a.text for a in answers}) == 1
    assert _ideas_requests_served(lab_env, "/api/ideas/<idea_id>") - before < 10  # one or two a second, not 30


def test_a_signed_in_answer_is_never_kept_for_anyone_else(gateway, member):
    panel = unique("panel-")[:-1]
    insider = member(spaces=(panel,))
    idea = insider.post("/api/ideas", json={"title": "Panel only rate", "description": "For the panel.",
                                            "category": "savings", "space": panel}).json()["id"]

    assert insider.get(f"/api/ideas/{idea}").status_code == 200  # the panel member reads it first
    assert_problem(requests.get(f"{gateway}/api/ideas/{idea}", timeout=5), 404)  # anonymous, right after
    assert_problem(member().get(f"/api/ideas/{idea}"), 404)  # someone else signed in


def test_health_checks_always_reach_the_service(gateway, lab_env):
    before = _ideas_requests_served(lab_env, "/api/ideas/healthz")

    assert all(requests.get(f"{gateway}/api/ideas/healthz", timeout=5).status_code == 200 for _ in range(5))

    assert _ideas_requests_served(lab_env, "/api/ideas/healthz") - before == 5
