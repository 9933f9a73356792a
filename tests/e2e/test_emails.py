"""Email choices through the gateway, with every process running: a member who chose French emails gets a status
change in French, with a plain-text and an HTML part and the footer saying why; a member who chose no email of
status changes gets none, and their data download says so."""
import pytest

from idealab_testing import announce_verified, mails_in_log, wait_for

from .conftest import LAB_LOG
from .test_core_flow import vote
from .test_initiatives import on_roadmap, submit

pytestmark = pytest.mark.e2e


def test_a_member_gets_the_status_change_in_french_and_one_who_chose_none_gets_nothing(member, servers, lab_env):
    amelie, carl, team = member(), member(), member(roles=("product_team",))
    announce_verified(servers.kafka, lab_env["IDEALAB_NAMESPACE"], [amelie.user_id, carl.user_id])
    for person, choices in ((amelie, {"language": "fr"}), (carl, {"kinds": {"status_changes": "none"}})):
        path = f"/api/notifications/users/{person.user_id}/preferences"
        wait_for(lambda: person.get(path).json()["email_address_known"], timeout=60,
                 what="notifications to know the verified address")
        assert person.put(path, json=choices).status_code == 200
    idea_id = submit(member(), "Pause my card while travelling")
    for person in (amelie, carl):
        assert vote(person, idea_id).status_code == 201
    wait_for(lambda: on_roadmap(team, idea_id, votes=2), timeout=60, what="the roadmap to count both votes")
    moved = team.post(f"/api/roadmap/ideas/{idea_id}/status", json={"status": "planned", "message": "En mars."})
    assert moved.status_code == 200, moved.text

    [mail] = wait_for(lambda: mails_in_log(LAB_LOG, f"{amelie.user_id}@example.com"), timeout=90,
                      what="Amélie's email")
    assert mail["Subject"] == "« Pause my card while travelling » est maintenant planifiée"
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    # The lab's mail sink prints what it receives in its log, where letters beyond ASCII do not survive.
    assert "En mars." in text and "parce que vous suivez cette id" in text and '<html lang="fr">' in html

    def carls_job():
        emails = carl.get("/api/notifications/me/data").json()["emails"]
        return next((job for job in emails if job["idea_id"] == idea_id and job["state"] != "queued"), None)
    assert wait_for(carls_job, timeout=60, what="Carl's email job settled")["state"] == "failed"
    assert mails_in_log(LAB_LOG, f"{carl.user_id}@example.com") == []
