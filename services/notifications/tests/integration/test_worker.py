"""The notifications worker as deployed (python -m notifications.worker) against the real Kafka and database."""
import pytest

from idealab.testing import running_worker, wait_for

pytestmark = pytest.mark.integration


def test_the_worker_notifies_the_author_and_the_voters_of_a_status_change(
        client, bearer, event, worker_env, publish, idea_id):
    with running_worker("notifications.worker", worker_env("notifications")):
        publish(event.submitted(idea_id, "ann"), event.vote_cast(idea_id, "bob"),
                event.status_changed(idea_id, "planned", message="Coming in March."))

        for user in ("ann", "bob"):
            inbox = wait_for(lambda: (got := client.get(f"/api/notifications/users/{user}/inbox",
                                                        headers=bearer(user)).json)["entries"] and got,
                             what=f"{user}'s notification")
            assert [(e["to"], e["message"]) for e in inbox["entries"]] == [("planned", "Coming in March.")]


def test_the_worker_emails_a_status_change_to_a_verified_address(event, worker_env, publish, idea_id, mailbox,
                                                                 mongo_db):
    env = worker_env("notifications", SMTP_PORT=str(mailbox.port), PUBLIC_URL="http://lab.example")
    with running_worker("notifications.worker", env):
        publish(event.email_verified("ann", "ann@example.com"), event.submitted(idea_id, "ann", title="Dark mode"))
        # Topics are not ordered between each other: the change is published once the address and the
        # subscription are known.
        wait_for(lambda: mongo_db["contacts"].find_one({"_id": "ann"}) and mongo_db["subscriptions"].find_one(),
                 what="the address and the subscription")
        publish(event.status_changed(idea_id, "planned", message="Coming in March."))

        [mail] = wait_for(lambda: mailbox.to("ann@example.com"), what="the status email")
    assert mail["Subject"] == "Dark mode is now planned"
    assert "Coming in March." in mail.get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
