"""The gateway as the public sees it: security headers, CORS for configured origins only, private metrics, and rate
limits that trigger through the real nginx (bounded loops on loopback only)."""
import subprocess

import pytest
import requests

from idealab.testing import assert_problem, free_port, unique, wait_for

pytestmark = pytest.mark.e2e

ALLOWED_ORIGIN = "https://lab.example-bank.test"


@pytest.fixture(scope="module")
def strict_gateway(lab_env, running_lab, gateway_script):
    """A second gateway in front of the same services with the default (production) limits, which the shared lab
    raises so that tests signing many people in from one address are not slowed down."""
    env = {**lab_env, "GATEWAY_PORT": str(free_port()), "IDEALAB_NAMESPACE": unique("gw"), "CORS_ORIGINS": ALLOWED_ORIGIN}
    for name in ("SIGNIN_RATE", "SIGNIN_BURST", "WRITE_RATE", "WRITE_BURST"):
        env.pop(name, None)
    process = subprocess.Popen(["bash", str(gateway_script)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"

    def answers():
        assert process.poll() is None, process.stderr.read().decode()
        try:
            return requests.get(f"{url}/api/ideas/healthz", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False
    wait_for(answers, what="the strict gateway")  # the default minute: 15 s was too short on a loaded box
    yield url
    process.terminate()
    process.wait(timeout=10)


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
