"""Names shown on one line (display names, space names) through the accounts API: a line break is refused at the
door, and a name stored before that rule cannot break the mail it goes into."""
import pytest

from idealab_testing import assert_problem

pytestmark = pytest.mark.integration

INJECTED = "Panel\r\nBcc: eve@evil.example"


def test_a_space_name_with_a_line_break_is_refused_naming_the_field(client, admin):
    refused = client.post("/api/accounts/spaces", headers=admin()["headers"], json={"name": INJECTED})

    assert set(assert_problem(refused, 422)["errors"]) == {"name"}


def test_an_invitation_to_a_space_whose_stored_name_holds_a_line_break_is_mailed_on_one_line(
        client, admin, mailbox, accounts):
    root = admin()
    space = client.post("/api/accounts/spaces", headers=root["headers"], json={"name": "Panel"}).get_json()
    accounts.store.spaces.update_one({"_id": space["id"]}, {"$set": {"name": INJECTED}})  # stored before the rule

    invited = client.post(f"/api/accounts/spaces/{space['id']}/invitations", headers=root["headers"],
                          json={"email": "ann@example.com"})

    assert invited.status_code == 202, invited.get_json()
    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "You are invited to Panel Bcc: eve@evil.example on Idea Lab" and mail["Bcc"] is None
    assert mailbox.to("eve@evil.example") == []


def test_a_display_name_with_a_line_break_or_a_link_is_refused_at_sign_up(client):
    for name in ("Ann\nyour bank account is locked", "Ann, visit https://evil.example"):
        refused = client.post("/api/accounts/users", json={"email": "ann@example.com", "password": "a long password 1",
                                                           "display_name": name})
        assert set(assert_problem(refused, 422)["errors"]) == {"display_name"}
