"""The notifications worker as deployed (python -m notifications.worker) against the real Kafka and database."""
import pytest

from idealab_testing import running_worker, wait_for

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
        publish(event.contact("ann", "ann@example.com"), event.submitted(idea_id, "ann", title="Dark mode"))
        # Topics are not ordered between each other: the change is published once the address and the
        # subscription are known.
        wait_for(lambda: mongo_db["contacts"].find_one({"_id": "ann"}) and mongo_db["subscriptions"].find_one(),
                 what="the address and the subscription")
        publish(event.status_changed(idea_id, "planned", message="Coming in March."))

        [mail] = wait_for(lambda: mailbox.to("ann@example.com"), what="the status email")
    assert mail["Subject"] == "Dark mode is now planned"
    assert "Coming in March." in mail.get_body(("plain",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mail_that_cannot_be_sent_is_marked_failed_and_the_worker_goes_on(event, worker_env, publish, idea_id,
                                                                            mailbox, mongo_db):
    """A title with a line break (posted before titles were one line) took the sender down, and with it the worker
    and the whole lab; so did an address no mail server would take."""
    mongo_db["contacts"].insert_one({"_id": "eve", "email": "eve@example.com\nBcc: attacker@evil.example",
                                     "email_enabled": True, "unsubscribe_token": "e" * 32})
    env = worker_env("notifications", SMTP_PORT=str(mailbox.port), PUBLIC_URL="http://lab.example")
    with running_worker("notifications.worker", env):
        publish(event.contact("ann", "ann@example.com"), event.vote_cast(idea_id, "eve"),
                event.submitted(idea_id, "ann", title="Faster transfers\nBcc: attacker@evil.example"))
        wait_for(lambda: mongo_db["contacts"].find_one({"_id": "ann"})
                 and mongo_db["subscriptions"].count_documents({}) == 2, what="the address and the subscriptions")
        publish(event.status_changed(idea_id, "under_review"))

        [mail] = wait_for(lambda: mailbox.to("ann@example.com"), what="ann's status email")
        failed = wait_for(lambda: mongo_db["deliveries"].find_one({"user_id": "eve", "state": "failed"}),
                          what="eve's email job marked failed")
    assert mail["Subject"] == "Faster transfers Bcc: attacker@evil.example is now under review"
    assert "Unsendable" in failed["reason"] and mailbox.to("attacker@evil.example") == []
