"""The operator's `python -m notifications.cli` against the real servers: replaying the topics into a lost read
model, and listing the dead letters."""
import json

import pytest

from notifications import cli, handlers

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_env(worker_env, monkeypatch):
    """The environment the operator runs the command in: the service's, over this test's database and topics."""
    for name, value in worker_env("notifications").items():
        monkeypatch.setenv(name, value)


def test_replaying_the_topics_rebuilds_the_inboxes_a_lost_database_held(
        operator_env, publish, event, store, idea_id, capsys):
    publish(event.submitted(idea_id, author_id="ann"), event.vote_cast(idea_id, "bob"),
            event.status_changed(idea_id, to_status="planned"))

    assert cli.main(["replay"]) == 0
    assert "3 handled" in capsys.readouterr().out
    inboxes = {user: handlers.read_inbox(store, user, 50)["entries"] for user in ("ann", "bob")}
    assert {user: [e["to"] for e in entries] for user, entries in inboxes.items()} == {"ann": ["planned"],
                                                                                      "bob": ["planned"]}

    assert cli.main(["replay"]) == 0, "a second replay changes nothing"
    assert {user: handlers.read_inbox(store, user, 50)["entries"] for user in ("ann", "bob")} == inboxes


def test_a_group_that_dead_lettered_nothing_lists_nothing(operator_env, capsys):
    assert cli.main(["dead-letters"]) == 0
    assert capsys.readouterr().out == ""


def test_the_email_jobs_given_up_are_listed_with_why(operator_env, consume, event, store, idea_id, capsys):
    consume(event.contact("ann", "ann@example.com"))
    consume(event.submitted(idea_id, "ann"))
    consume(event.status_changed(idea_id))
    handlers.queue_emails(store)
    [job] = store.deliveries.find()
    store.update_email(job["_id"], {"state": "failed", "attempts": 1, "reason": "Unsendable: not one address"})

    assert cli.main(["failed-emails"]) == 0
    assert json.loads(capsys.readouterr().out) == {"_id": job["_id"], "user_id": "ann", "idea_id": idea_id,
                                                   "attempts": 1, "reason": "Unsendable: not one address"}
