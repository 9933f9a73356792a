"""The authorization matrix: for every route of every service (read from the Flask URL maps, so a new route cannot
be forgotten) and every role plus anonymous, the status the route answers.

Requests carry an empty JSON body and ids that do not exist: a 401 or 403 means the route refused the caller; any
other status (404 for the missing idea, 422 for the empty body...) means the caller got past authorization."""
import importlib

import pytest

from idealab import auth

pytestmark = pytest.mark.integration

SERVICES = ("ideas", "votes", "roadmap", "notifications", "accounts")
CALLERS = ("anonymous", "member", "product_team", "moderator", "admin", "adviser")


def everyone(status: int) -> dict:
    return dict.fromkeys(CALLERS, status)


def signed_in(status: int, anonymous: int = 401) -> dict:
    return {**everyone(status), "anonymous": anonymous}


def only(allowed: dict, refused: int = 403) -> dict:
    """`allowed`: role → status for the roles let through; every other signed-in caller gets `refused`."""
    return {**signed_in(refused), **allowed}


# Health, metrics (kept private by the gateway, not by the service) and the API description.
PUBLIC_HEALTH = {"GET /healthz": everyone(200), "GET /readyz": everyone(200), "GET /metrics": everyone(200),
                 "GET /openapi.json": everyone(200)}

ANSWERERS = only({"product_team": 422, "adviser": 422, "admin": 422})
HELPFUL_MARKERS = only(dict.fromkeys(("product_team", "adviser", "moderator", "admin"), 404))

MATRIX = {
    "ideas": {
        **PUBLIC_HEALTH,
        "POST ": only({"member": 422, "product_team": 422}),
        "GET ": everyone(200),
        "GET /<idea_id>": everyone(404),
        "GET /me/data": signed_in(200),
        "POST /images": only({"member": 422, "product_team": 422}),
        # Served to anyone who has its (unguessable) id, like a link to it.
        "GET /images/<image_id>": everyone(404),
        "PUT /images/<image_id>/kept": only({"product_team": 404, "admin": 404}),  # staff keep a campaign's image
        # Contest entries' clips, served like images; a contest's entries are read by whoever may see the contest.
        "POST /videos": only({"member": 422, "product_team": 422}),
        "GET /videos/<video_id>": everyone(404),
        "GET /contests/<contest_id>/entries": everyone(404),
        "GET /pages/<idea_id>": everyone(200),  # an idea's page with its share preview: the lab's for a missing one
        "POST /<idea_id>/comments": only({"member": 422, "product_team": 422}),
        "GET /<idea_id>/comments": everyone(404),
        # Members and the product team cannot hide content; there is no route that deletes any.
        "POST /<idea_id>/hide": only({"moderator": 422, "admin": 422}),
        "POST /<idea_id>/restore": only({"moderator": 422, "admin": 422}),
        "POST /<idea_id>/comments/<comment_id>/hide": only({"moderator": 422, "admin": 422}),
        "POST /<idea_id>/comments/<comment_id>/restore": only({"moderator": 422, "admin": 422}),
        "GET /similar": everyone(422),
        # Authors set tags when submitting; staff edit them and merge duplicates.
        "PUT /<idea_id>/tags": only({"product_team": 422, "moderator": 422, "admin": 422}),
        "POST /<idea_id>/merge": only({"product_team": 422, "moderator": 422, "admin": 422}),
        "GET /<idea_id>/follow": signed_in(404),
        "PUT /<idea_id>/follow": signed_in(404),
        "DELETE /<idea_id>/follow": signed_in(404),
        # Members ask; the bank's answerers (product team, advisers, admins) answer, pin the team's answer and reply
        # privately; moderators keep the lab civil, they do not speak for the bank.
        "POST /questions": only({"member": 422, "product_team": 422}),
        "GET /questions": everyone(200),
        "GET /questions/<question_id>": everyone(404),
        "GET /questions/<question_id>/answers": everyone(404),
        "POST /questions/<question_id>/answers": ANSWERERS,
        "PUT /questions/<question_id>/team-answer": ANSWERERS,
        "POST /questions/<question_id>/private-replies": ANSWERERS,
        "GET /<idea_id>/answers": everyone(404),
        "POST /<idea_id>/answers": ANSWERERS,
        "PUT /<idea_id>/team-answer": ANSWERERS,
        "POST /<idea_id>/private-replies": ANSWERERS,
        "POST /<idea_id>/comments/<comment_id>/private-replies": ANSWERERS,
        # A private thread is its member's and the answerers' only: anyone else is told it does not exist (404).
        "GET /private-threads": signed_in(200),
        "POST /private-threads": only({"member": 422}),
        "GET /private-threads/<thread_id>": signed_in(404),
        "POST /private-threads/<thread_id>/messages": signed_in(422),
        # Members flag (with a listed reason); moderators read the queue, uphold or dismiss, and see the ban proposals.
        "POST /<idea_id>/flags": only({"member": 422}),
        "POST /<idea_id>/comments/<comment_id>/flags": only({"member": 422}),
        "POST /questions/<question_id>/flags": only({"member": 422}),
        "GET /me/flag-right": signed_in(200),
        "GET /moderation/reports": only({"moderator": 200, "admin": 200}),
        "POST /moderation/reports/<report_id>/uphold": only({"moderator": 422, "admin": 422}),
        "POST /moderation/reports/<report_id>/dismiss": only({"moderator": 404, "admin": 404}),
        "GET /moderation/ban-proposals": only({"moderator": 200, "admin": 200}),
        "POST /questions/<question_id>/hide": only({"moderator": 422, "admin": 422}),
        "POST /questions/<question_id>/restore": only({"moderator": 422, "admin": 422}),
        # The response-time promise: the queue is the answerers'; the product team and admins set a space's targets;
        # targets and figures are read by whoever may see the space.
        "GET /promise/queue": only({"product_team": 200, "adviser": 200, "admin": 200}),
        "POST /promise/queue/<kind>/<item_id>/claim": only({"product_team": 404, "adviser": 404, "admin": 404}),
        "POST /promise/queue/<kind>/<item_id>/hand-over": only({"product_team": 404, "adviser": 404, "admin": 404}),
        "GET /promise/targets": everyone(200),
        "PUT /promise/targets": only({"product_team": 422, "admin": 422}),
        "GET /promise/figures": everyone(422),
        # Points: boards (a space's: its members and staff), levels and profiles are read by anyone; staff (the
        # answerers and moderators) mark a comment helpful.
        "GET /leaderboard": everyone(200),
        "GET /levels": everyone(200),
        "GET /members/<member_id>": everyone(404),
        "GET /members": everyone(422),  # names with levels: `ids` is required
        "PUT /<idea_id>/comments/<comment_id>/helpful": HELPFUL_MARKERS,
        "DELETE /<idea_id>/comments/<comment_id>/helpful": HELPFUL_MARKERS,
    },
    "votes": {
        **PUBLIC_HEALTH,
        "POST /ideas/<idea_id>": only({"member": 404, "product_team": 404}),
        "DELETE /ideas/<idea_id>": only({"member": 404, "product_team": 404}),
        "GET /ideas/<idea_id>": everyone(404),
        "GET /me/data": signed_in(200),
        # Campaigns: staff set them up (product team and admins), members vote; reads follow the campaign's space.
        "POST /campaigns": only({"product_team": 422, "admin": 422}),
        "GET /campaigns": everyone(200),
        "GET /campaigns/<campaign_id>": everyone(404),
        "PUT /campaigns/<campaign_id>": only({"product_team": 422, "admin": 422}),
        "PUT /campaigns/<campaign_id>/ballot": only({"member": 422, "product_team": 422}),
        "GET /campaigns/<campaign_id>/ballot": signed_in(404),
        "GET /campaigns/<campaign_id>/results": everyone(404),
        "GET /campaigns/<campaign_id>/export": everyone(404),
        # Bursts of new accounts voting the same way, with the evidence: moderators' and admins' only.
        "GET /flags": only({"moderator": 200, "admin": 200}),
        # Contests: staff set them up; anyone reads them; their jury (checked by the contest, after the body) scores.
        "POST /contests": only({"product_team": 422, "admin": 422}),
        "GET /contests": everyone(200),
        "GET /contests/<contest_id>": everyone(404),
        "PUT /contests/<contest_id>": only({"product_team": 422, "admin": 422}),
        "PUT /contests/<contest_id>/rounds/<number>/scoresheet": signed_in(422),
        "GET /contests/<contest_id>/rounds/<number>/scoresheet": signed_in(404),
    },
    "roadmap": {
        **PUBLIC_HEALTH,
        "GET ": everyone(200),
        "GET /ideas/<idea_id>": everyone(404),
        # A member cannot move the roadmap.
        "POST /ideas/<idea_id>/status": only({"product_team": 422}),
        # Announced initiatives are public (in their space); drafting, announcing and moving them is the team's.
        "GET /initiatives": everyone(200),
        "POST /initiatives": only({"product_team": 422}),
        "GET /initiatives/<initiative_id>": everyone(404),
        "POST /initiatives/<initiative_id>/announce": only({"product_team": 422}),
        "POST /initiatives/<initiative_id>/status": only({"product_team": 422}),
        "GET /feed.atom": everyone(200),
        # Ratings of what was launched: read by anyone who may see it, given by members, reviews hidden by
        # moderators; every launch's ratings for the product teams.
        "GET /ideas/<target_id>/ratings": everyone(404),
        "PUT /ideas/<target_id>/ratings/mine": only({"member": 422}),
        "POST /ideas/<target_id>/ratings/<member_id>/hide": only({"moderator": 422, "admin": 422}),
        "POST /ideas/<target_id>/ratings/<member_id>/restore": only({"moderator": 422, "admin": 422}),
        "GET /initiatives/<target_id>/ratings": everyone(404),
        "PUT /initiatives/<target_id>/ratings/mine": only({"member": 422}),
        "POST /initiatives/<target_id>/ratings/<member_id>/hide": only({"moderator": 422, "admin": 422}),
        "POST /initiatives/<target_id>/ratings/<member_id>/restore": only({"moderator": 422, "admin": 422}),
        "GET /launches": only({"product_team": 200, "admin": 200}),
        "GET /me/data": signed_in(200),
    },
    "notifications": {
        **PUBLIC_HEALTH,
        # Nobody reads or marks another member's inbox, staff included.
        "GET /users/<user_id>/inbox": signed_in(403),
        "POST /users/<user_id>/inbox/read": signed_in(403),
        "GET /users/<user_id>/preferences": signed_in(403),
        "PUT /users/<user_id>/preferences": signed_in(403),
        # The link in every email: its token is the credential.
        "POST /unsubscribe": everyone(422),
        "GET /me/data": signed_in(200),
        # Webhook endpoints and their secrets are the admins' (the bank's systems).
        "GET /webhooks/endpoints": only({"admin": 200}),
        "POST /webhooks/endpoints": only({"admin": 422}),
        "PUT /webhooks/endpoints/<endpoint_id>": only({"admin": 404}),
        "POST /webhooks/endpoints/<endpoint_id>/secrets": only({"admin": 404}),
        "GET /webhooks/endpoints/<endpoint_id>/deliveries": only({"admin": 404}),
        "POST /webhooks/deliveries/<delivery_id>/replay": only({"admin": 404}),
        # A live page's stream: anyone gets the public lab's, each caller what they may hear besides.
        "GET /live": everyone(200),
    },
    "accounts": {
        **PUBLIC_HEALTH,
        "GET /.well-known/jwks.json": everyone(200),
        "GET /providers": everyone(200),
        "GET /oidc/<name>/start": everyone(404),
        "GET /oidc/<name>/callback": everyone(404),
        # Signing up, in and out, and the one-time links need no token: they are how one gets one.
        "POST /users": everyone(422),
        "POST /sessions": everyone(422),
        "POST /sessions/refresh": everyone(422),
        "DELETE /sessions": everyone(422),
        "POST /verifications": everyone(422),
        "POST /password-resets": everyone(422),
        "POST /password-resets/confirm": everyone(422),
        # The matrix's callers have tokens but no account: their own account is not found.
        "GET /me": signed_in(404),
        "GET /me/data": signed_in(404),
        "DELETE /me": signed_in(404),
        "POST /me/verification-mail": signed_in(404),
        # My own linked sign-in providers: none for an account that does not exist.
        "GET /me/identities": signed_in(200),
        "DELETE /me/identities/<provider>": signed_in(404),
        "POST /invitations/accept": signed_in(422),
        # Only admins grant roles (not the product team), list people and run spaces; moderators ban too.
        "GET /users": only({"admin": 422}),
        "PUT /users/<user_id>/roles": only({"admin": 422}),
        "POST /users/<user_id>/ban": only({"moderator": 422, "admin": 422}),
        "GET /spaces": only({"admin": 200}),
        "POST /spaces": only({"admin": 422}),
        "GET /spaces/<space_id>/members": only({"admin": 404}),
        "DELETE /spaces/<space_id>/members/<user_id>": only({"admin": 404}),
        "POST /spaces/<space_id>/invitations": only({"admin": 422}),
    },
}


@pytest.fixture
def apps(monkeypatch, servers, mongo_db, jwks_url, signer):
    monkeypatch.setenv("MONGODB_URI", servers.mongodb)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", servers.kafka)
    monkeypatch.setenv("JWKS_URL", jwks_url)
    built = {}
    for service in SERVICES:
        monkeypatch.setenv(f"{service.upper()}_DATABASE", f"{mongo_db.name}_{service}")
        app = importlib.import_module(f"{service}.app").create_app()
        # Accounts trusts its own keys; the matrix is about who may call what, so every app trusts the test signer.
        app.extensions["idealab.verifier"] = auth.Verifier(auth.KeySet(jwks_url), "idealab")
        built[service] = app
    yield built
    for service in SERVICES:
        mongo_db.client.drop_database(f"{mongo_db.name}_{service}")


def routes(app, service: str) -> dict[str, str]:
    """'METHOD /rule' (the rule without the service's prefix) → a path to call it with."""
    prefix = f"/api/{service}"
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.rule.startswith(prefix):
            continue
        values = {arg: "someone-else" if arg == "user_id" else "no-such-thing" for arg in rule.arguments}
        path = rule.rule
        for arg, value in values.items():
            path = path.replace(f"<{arg}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found[f"{method} {rule.rule.removeprefix(prefix)}"] = path
    return found


def call(client, route: str, path: str, headers: dict):
    method = route.split(" ", 1)[0]
    body = {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
    return client.open(path, method=method, json=body, headers=headers)


@pytest.mark.parametrize("service", SERVICES)
def test_the_matrix_names_every_route_of_every_service(apps, service):
    assert set(MATRIX[service]) == set(routes(apps[service], service))


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_answers_every_caller_as_the_matrix_says(apps, signer, service):
    client = apps[service].test_client()
    answered, expected = {}, {}
    for route, path in routes(apps[service], service).items():
        for caller in CALLERS:
            headers = {} if caller == "anonymous" else {
                "Authorization": f"Bearer {signer.token(f'matrix-{caller}', roles=(caller,))}"}
            response = call(client, route, path, headers)
            assert response.status_code < 500, (route, caller, response.get_data(as_text=True))
            answered[(route, caller)] = response.status_code
            expected[(route, caller)] = MATRIX[service].get(route, {}).get(caller)
    assert answered == expected
