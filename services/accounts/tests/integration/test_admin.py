"""Roles, bans, invite-only spaces and my own account (GDPR) through the accounts API, over a real database."""
import json
import subprocess
import sys

import jwt
import pytest

from idealab_testing import assert_problem

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"  # what the conftest signs people up with


def claims_of(access_token: str) -> dict:
    return jwt.decode(access_token, options={"verify_signature": False})


def refreshed_claims(client, person: dict) -> dict:
    response = client.post("/api/accounts/sessions/refresh", json={"refresh_token": person["refresh_token"]})
    assert response.status_code == 200, response.get_json()
    person.update(response.get_json())
    return claims_of(person["access_token"])


def outbox_types(collection, doc_id: str) -> list[str]:
    return [e["type"] for e in collection.find_one({"_id": doc_id})["outbox"]]


# --- roles -------------------------------------------------------------------------------------------------------

def test_grant_role_on_the_command_line_makes_the_first_admin_and_records_the_event(
        sign_up, accounts, worker_env, sign_in):
    ann = sign_up("ann@example.com")

    result = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", "Ann@Example.com", "admin"],
                            env=worker_env("accounts"), capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert accounts.store.user(ann["id"])["roles"] == ["member", "admin"]
    assert outbox_types(accounts.store.users, ann["id"]) == ["user.registered", "user.role_changed"]
    assert claims_of(sign_in("ann@example.com")["access_token"])["roles"] == ["member", "admin"]


def test_grant_role_for_an_unknown_email_fails_with_a_message(worker_env):
    result = subprocess.run([sys.executable, "-m", "accounts.cli", "grant-role", "nobody@example.com", "admin"],
                            env=worker_env("accounts"), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "no account" in result.stderr


def test_an_admin_sets_roles_and_they_reach_the_next_token(client, admin, member, accounts):
    root, ann = admin(), member()

    response = client.put(f"/api/accounts/users/{ann['id']}/roles", headers=root["headers"],
                          json={"roles": ["moderator", "product_team"]})

    assert response.status_code == 200
    assert response.get_json()["roles"] == ["member", "product_team", "moderator"]
    assert refreshed_claims(client, ann)["roles"] == ["member", "product_team", "moderator"]
    event = accounts.store.users.find_one({"_id": ann["id"]})["outbox"][-1]
    assert (event["type"], event["data"]["by"]) == ("user.role_changed", root["id"])


def test_only_an_admin_sets_roles(client, member):
    ann, bob = member(), member("bob@example.com", "Bob")
    response = client.put(f"/api/accounts/users/{bob['id']}/roles", headers=ann["headers"], json={"roles": ["admin"]})
    assert_problem(response, 403)


@pytest.mark.parametrize("roles", [["king"], [], "admin", None])
def test_unknown_roles_are_a_422_problem(client, admin, member, roles):
    root, ann = admin(), member()
    response = client.put(f"/api/accounts/users/{ann['id']}/roles", headers=root["headers"], json={"roles": roles})
    assert_problem(response, 422)


def test_an_admin_cannot_take_the_admin_role_from_themselves(client, admin):
    root = admin()
    response = client.put(f"/api/accounts/users/{root['id']}/roles", headers=root["headers"],
                          json={"roles": ["member"]})
    assert_problem(response, 409)


def test_roles_of_an_unknown_user_are_a_404(client, admin):
    assert_problem(client.put("/api/accounts/users/nobody/roles", headers=admin()["headers"],
                              json={"roles": ["member"]}), 404)


def test_an_admin_finds_a_user_by_email(client, admin, member):
    root, ann = admin(), member()

    found = client.get("/api/accounts/users?email=ANN@example.com", headers=root["headers"]).get_json()
    missing = client.get("/api/accounts/users?email=zed@example.com", headers=root["headers"]).get_json()

    assert [(u["id"], u["email"], u["banned"]) for u in found] == [(ann["id"], "ann@example.com", None)]
    assert missing == []
    assert_problem(client.get("/api/accounts/users", headers=root["headers"]), 422)
    assert_problem(client.get("/api/accounts/users?email=ann@example.com", headers=ann["headers"]), 403)


# --- bans --------------------------------------------------------------------------------------------------------

def test_a_moderator_bans_a_member_whose_sessions_end_and_who_cannot_sign_in_again(
        client, admin, member, accounts):
    root, ann, mod = admin(), member(), member("mo@example.com", "Mo")
    client.put(f"/api/accounts/users/{mod['id']}/roles", headers=root["headers"], json={"roles": ["moderator"]})
    refreshed_claims(client, mod)
    mod["headers"] = {"Authorization": f"Bearer {mod['access_token']}"}

    response = client.post(f"/api/accounts/users/{ann['id']}/ban", headers=mod["headers"],
                           json={"reason": "spam in every comment"})

    assert response.status_code == 200
    assert response.get_json()["banned"]["reason"] == "spam in every comment"
    assert_problem(client.post("/api/accounts/sessions/refresh", json={"refresh_token": ann["refresh_token"]}), 401)
    signing_in = client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD})
    assert "banned" in assert_problem(signing_in, 403)["detail"]
    event = accounts.store.users.find_one({"_id": ann["id"]})["outbox"][-1]
    assert event["type"] == "user.banned"
    assert (event["data"]["reason"], event["data"]["by"]) == ("spam in every comment", mod["id"])
    assert_problem(client.post(f"/api/accounts/users/{ann['id']}/ban", headers=mod["headers"],
                               json={"reason": "again"}), 409)


def test_a_moderator_cannot_ban_an_admin_and_a_member_cannot_ban_at_all(client, admin, member):
    root, ann, mod = admin(), member(), member("mo@example.com", "Mo")
    client.put(f"/api/accounts/users/{mod['id']}/roles", headers=root["headers"], json={"roles": ["moderator"]})
    refreshed_claims(client, mod)
    mod["headers"] = {"Authorization": f"Bearer {mod['access_token']}"}

    assert_problem(client.post(f"/api/accounts/users/{root['id']}/ban", headers=mod["headers"],
                               json={"reason": "coup"}), 403)
    assert_problem(client.post(f"/api/accounts/users/{mod['id']}/ban", headers=ann["headers"],
                               json={"reason": "revenge"}), 403)


def test_a_ban_needs_a_reason(client, admin, member):
    root, ann = admin(), member()
    for body in ({}, {"reason": "   "}, {"reason": "x" * 501}):
        assert_problem(client.post(f"/api/accounts/users/{ann['id']}/ban", headers=root["headers"], json=body), 422)


# --- invite-only spaces --------------------------------------------------------------------------------------------

def test_an_invited_person_accepts_and_the_space_is_in_their_next_token(client, admin, member, mailbox, accounts):
    root, ann = admin(), member()
    created = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Premium panel"})
    assert created.status_code == 201
    space = created.get_json()
    assert (space["name"], space["member_count"]) == ("Premium panel", 0)

    invited = client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                          json={"email": "Ann@example.com"})
    assert invited.status_code == 202
    [mail] = [m for m in mailbox.to("ann@example.com") if "invited" in m["Subject"]]
    assert "Premium panel" in mail["Subject"]
    token = mailbox.link("ann@example.com", "invitations")

    accepted = client.post("/api/accounts/invitations/accept", headers=ann["headers"], json={"token": token})

    assert accepted.status_code == 200 and accepted.get_json() == {"space_id": space["id"], "name": "Premium panel"}
    assert claims_of(ann["access_token"])["spaces"] == []  # the token in hand changes at the next refresh
    assert refreshed_claims(client, ann)["spaces"] == [space["id"]]
    listed = client.get("/api/accounts/spaces", headers=root["headers"]).get_json()
    assert [(s["id"], s["member_count"]) for s in listed] == [(space["id"], 1)]
    members = client.get(f"/api/accounts/spaces/{space['id']}/members", headers=root["headers"]).get_json()
    assert [m["id"] for m in members] == [ann["id"]]
    assert outbox_types(accounts.store.spaces, space["id"]) == ["space.created"]
    assert outbox_types(accounts.store.users, ann["id"])[-1] == "space.member_added"
    assert_problem(client.post("/api/accounts/invitations/accept", headers=ann["headers"], json={"token": token}),
                   400)


def test_an_invitation_is_for_the_invited_address_only_and_another_account_cannot_use_it_up(
        client, admin, member, mailbox, accounts):
    root, ann, bob = admin(), member("ann@example.com"), member("bob@example.com", display_name="Bob")
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                json={"email": "ann@example.com"})
    token = mailbox.link("ann@example.com", "invitations")

    forwarded = client.post("/api/accounts/invitations/accept", headers=bob["headers"], json={"token": token})

    assert "another address" in assert_problem(forwarded, 403)["detail"]
    assert accounts.store.user(bob["id"])["spaces"] == []
    accepted = client.post("/api/accounts/invitations/accept", headers=ann["headers"], json={"token": token})
    assert accepted.status_code == 200
    assert accounts.store.user(ann["id"])["spaces"] == [space["id"]]


def test_an_admin_removes_a_member_who_loses_the_space_at_the_next_refresh(client, admin, member, mailbox, accounts):
    root, ann = admin(), member()
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                json={"email": "ann@example.com"})
    client.post("/api/accounts/invitations/accept", headers=ann["headers"],
                json={"token": mailbox.link("ann@example.com", "invitations")})
    assert refreshed_claims(client, ann)["spaces"] == [space["id"]]

    removed = client.delete(f"/api/accounts/spaces/{space['id']}/members/{ann['id']}", headers=root["headers"])

    assert removed.status_code == 204
    assert refreshed_claims(client, ann)["spaces"] == []
    event = accounts.store.users.find_one({"_id": ann["id"]})["outbox"][-1]
    assert (event["type"], event["subject"], event["data"]["by"]) == ("space.member_removed", space["id"], root["id"])
    assert_problem(client.delete(f"/api/accounts/spaces/{space['id']}/members/{ann['id']}",
                                 headers=root["headers"]), 404)


def test_spaces_are_for_admins(client, member):
    ann = member()
    assert_problem(client.post("/api/accounts/spaces", headers=ann["headers"], json={"name": "Mine"}), 403)
    assert_problem(client.get("/api/accounts/spaces", headers=ann["headers"]), 403)
    assert_problem(client.post("/api/accounts/spaces", json={"name": "Mine"}), 401)


def test_inviting_to_an_unknown_space_or_a_malformed_address_is_a_4xx(client, admin):
    root = admin()
    assert_problem(client.post("/api/accounts/spaces/nope/invitations", headers=root["headers"],
                               json={"email": "ann@example.com"}), 404)
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    assert_problem(client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                               json={"email": "ann"}), 422)


def test_an_invitation_needs_a_signed_in_person_and_a_real_token(client, member):
    ann = member()
    assert_problem(client.post("/api/accounts/invitations/accept", json={"token": "x"}), 401)
    assert_problem(client.post("/api/accounts/invitations/accept", headers=ann["headers"], json={"token": "x"}), 400)


def test_an_invitation_the_mail_server_did_not_take_is_a_503(client, admin, accounts):
    root = admin()
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    accounts.mailer.port = 1

    response = client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                           json={"email": "ann@example.com"})

    assert assert_problem(response, 503) and response.headers["Retry-After"] == "30"


# --- my account (GDPR) ---------------------------------------------------------------------------------------------

def test_my_profile(client, member):
    ann = member()
    response = client.get("/api/accounts/me", headers=ann["headers"])
    assert response.get_json() == {"id": ann["id"], "email": "ann@example.com", "display_name": "Ann",
                                   "email_verified": False, "roles": ["member"], "spaces": []}
    assert_problem(client.get("/api/accounts/me"), 401)


def test_i_download_everything_accounts_holds_about_me_without_any_secret(client, member, accounts):
    ann = member()

    response = client.get("/api/accounts/me/data", headers=ann["headers"])

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="idealab-account-{ann["id"]}.json"'
    data = json.loads(response.get_data())
    assert data["account"]["email"] == "ann@example.com" and data["account"]["has_password"] is True
    assert [s["signed_in_with"] for s in data["sessions"]] == ["password"]
    assert data["identities"] == [] and data["spaces"] == []
    text = response.get_data(as_text=True)
    assert "argon2" not in text and ann["refresh_token"] not in text


def test_deleting_my_account_needs_my_password_then_erases_me_and_ends_my_sessions(
        client, member, accounts, sign_up):
    ann = member()
    assert_problem(client.delete("/api/accounts/me", headers=ann["headers"], json={"password": "not mine at all"}),
                   401)

    response = client.delete("/api/accounts/me", headers=ann["headers"], json={"password": PASSWORD})

    assert response.status_code == 204
    tombstone = accounts.store.users.find_one({"_id": ann["id"]})
    assert tombstone["deleted_at"] is not None
    assert "ann@example.com" not in str(tombstone) and tombstone["password_hash"] is None
    assert tombstone["display_name"] == "" and tombstone["roles"] == []
    assert tombstone["outbox"][-1]["type"] == "user.deleted"
    assert tombstone["outbox"][-1]["data"]["user_id"] == ann["id"]
    assert accounts.store.links.count_documents({"user_id": ann["id"]}) == 0
    assert_problem(client.post("/api/accounts/sessions/refresh", json={"refresh_token": ann["refresh_token"]}), 401)
    assert_problem(client.post("/api/accounts/sessions", json={"email": "ann@example.com", "password": PASSWORD}),
                   401)
    assert_problem(client.get("/api/accounts/me", headers=ann["headers"]), 404)
    # The address is free again, for a new account with a new id.
    assert sign_up("ann@example.com")["id"] != ann["id"]


def test_an_account_without_password_is_deleted_on_a_recent_sign_in_only(client, member, accounts, signer):
    ann = member()
    accounts.store.users.update_one({"_id": ann["id"]}, {"$set": {"password_hash": None}})
    old_iat = int(accounts.clock().timestamp()) - 3600
    stale = accounts.keys.sign({**claims_of(ann["access_token"]), "iat": old_iat})

    assert_problem(client.delete("/api/accounts/me", headers={"Authorization": f"Bearer {stale}"}), 401)
    assert client.delete("/api/accounts/me", headers=ann["headers"]).status_code == 204


def test_a_token_signed_by_another_key_is_refused(client, member, signer):
    member()
    forged = signer.token("someone", roles=("admin",))
    assert_problem(client.get("/api/accounts/spaces", headers={"Authorization": f"Bearer {forged}"}), 401)
