"""Every read of every service answers 2xx for resources that exist, with a body its OpenAPI document describes: the
generated contract tests only ever reach ids that do not exist (404), so no success body of a by-id route was ever
checked. A new read route taking a parameter nobody seeds fails here until it gets one."""
import pytest

from .seeded import Lab

pytestmark = pytest.mark.integration

# Reads that cannot answer 2xx here, and why.
UNSEEDABLE = {
    "/api/accounts/oidc/{name}/start": "no OpenID Connect provider is configured in the contract tests",
    "/api/accounts/oidc/{name}/callback": "no OpenID Connect provider is configured in the contract tests",
    "/api/votes/contests/{contest_id}/rounds/{number}/scoresheet": "a juror's scoresheet exists once a closed round's "
    "shortlist is scored, which needs entries sent while the round is open by the ideas service's own clock "
    "(services/votes/tests/integration/test_contests.py reads it)",
}

# Parameters that name a different resource on different routes: the launch rated is an idea or an initiative.
BY_PATH = {"/api/roadmap/ideas/{target_id}/ratings": {"target_id": "idea_id"},
           "/api/roadmap/initiatives/{target_id}/ratings": {"target_id": "initiative_id"}}


@pytest.fixture
def lab(service_apps, signer):
    lab = Lab(service_apps, signer)
    return lab, lab.seed()


def test_every_read_of_a_seeded_resource_answers_with_its_documented_body(lab):
    lab, seeded = lab
    checked, unseeded = [], []
    for service, schema in lab.schemas.items():
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method.upper() != "GET" or operation.path in UNSEEDABLE:
                continue
            names = [p.name for p in operation.path_parameters]
            required = [p.name for p in operation.query if p.is_required]
            params = {**seeded.params, **{name: seeded.params[source]
                                          for name, source in BY_PATH.get(operation.path, {}).items()}}
            missing = set(names + required) - set(params)
            if missing:
                unseeded.append(f"{operation.path}: seed a {', '.join(sorted(missing))}")
                continue
            path = operation.path.removeprefix(f"/api/{service}")
            lab.call(service, "get", path, seeded.headers, 200,
                     path_parameters={name: params[name] for name in names},
                     query={name: params[name] for name in required} or None)
            checked.append(operation.path)
    assert not unseeded, unseeded
    assert {"/api/ideas/{idea_id}", "/api/ideas/{idea_id}/comments", "/api/votes/ideas/{idea_id}",
            "/api/roadmap/ideas/{idea_id}", "/api/roadmap/initiatives/{initiative_id}",
            "/api/notifications/users/{user_id}/inbox"} <= set(checked)


def test_the_seeded_resources_are_what_the_reads_show(lab):
    """The seeding itself went the whole way: the tally counts the vote, the roadmap item moved, the inbox has the
    move, the initiative's announcement, the campaign's result and (the member is also staff) the private thread
    waiting for the team, the idea shows its comment and its vote (a read of an empty shell would check little)."""
    lab, seeded = lab
    idea = seeded.params["idea_id"]
    path = {"path_parameters": {"idea_id": idea}}
    assert lab.call("votes", "get", "/ideas/{idea_id}", seeded.headers, 200, **path)["count"] == 1
    assert lab.call("roadmap", "get", "/ideas/{idea_id}", seeded.headers, 200, **path)["status"] == "planned"
    shown = lab.call("ideas", "get", "/{idea_id}", seeded.headers, 200, **path)
    assert (shown["vote_count"], shown["comment_count"], shown["status"]) == (1, 1, "planned")
    comments = lab.call("ideas", "get", "/{idea_id}/comments", seeded.headers, 200, **path)["comments"]
    assert [c["id"] for c in comments] == [seeded.params["comment_id"]]
    inbox = lab.call("notifications", "get", "/users/{user_id}/inbox", seeded.headers, 200,
                     path_parameters={"user_id": seeded.params["user_id"]})
    initiative = f"initiative:{seeded.params['initiative_id']}"
    campaign = f"campaign:{seeded.params['campaign_id']}"  # closed two minutes ahead, by the votes app's clock
    assert [(e["idea_id"], e["to"]) for e in inbox["entries"]] == [
        (campaign, "closed"), ("team:private-messages", "waiting"), (initiative, "planned"), (idea, "planned")]
