"""Webhook rules: what a payload carries, the backoff's bounds, and which secrets sign after a rotation."""
import json
from datetime import datetime, timedelta, timezone

from standardwebhooks import Webhook

from idealab.events import new_event
from idealab_testing import SampleEvents, as_consumed
from notifications import webhooks

NOW = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)


def test_a_private_spaces_idea_and_a_private_answer_become_no_payload():
    assert webhooks.payload(as_consumed(SampleEvents.submitted("i1", space="panel-1")), "http://lab", None) is None
    answer = new_event("answer.posted", {"answer_id": "a1", "about": "idea", "about_id": "i1", "idea_id": "i1",
                                         "author_id": "adviser-1", "private": True, "recipient_id": "m1",
                                         "thread_id": "t1", "posted_at": NOW}, source="/ideas", subject="i1")
    assert webhooks.payload(as_consumed(answer), "http://lab", None) is None


def test_a_public_idea_is_sent_without_its_authors_id():
    body = json.loads(webhooks.payload(as_consumed(SampleEvents.submitted("i1", "author-7", title="Dark mode")),
                                       "http://lab", None))
    assert body["type"] == "idea.submitted" and body["data"]["title"] == "Dark mode"
    assert body["data"]["url"] == "http://lab/ideas/i1" and "author-7" not in json.dumps(body)


def test_the_wait_doubles_from_the_first_up_to_the_longest_each_time_a_random_part_of_it():
    first, longest = timedelta(seconds=5), timedelta(hours=2)
    for attempts, full in [(1, 5), (2, 10), (5, 80), (20, 7200)]:
        waits = {webhooks.next_attempt(attempts, NOW, first, longest) - NOW for _ in range(50)}
        assert all(timedelta(seconds=full) / 2 <= w <= timedelta(seconds=full) for w in waits) and len(waits) > 1


def test_after_a_rotation_both_secrets_sign_for_a_day_then_the_new_one_alone():
    old, new = webhooks.new_secret(), webhooks.new_secret()
    endpoint = {"secrets": webhooks.rotated({"secrets": [{"secret": old, "created_at": NOW}]}, new, NOW)}
    assert webhooks.live_secrets(endpoint, NOW + timedelta(hours=23)) == [new, old]
    assert webhooks.live_secrets(endpoint, NOW + timedelta(days=1)) == [new]
    headers = webhooks.signed_headers("msg_1", '{"a":1}', [new, old], NOW)
    assert headers["webhook-signature"].split(" ") == [Webhook(s).sign("msg_1", NOW, '{"a":1}') for s in (new, old)]
    assert headers["webhook-timestamp"] == str(int(NOW.timestamp()))


def test_an_address_no_request_can_reach_is_a_failed_attempt_not_a_crash():
    from idealab_testing import free_port
    from notifications.webhook_handlers import post
    assert post(f"http://127.0.0.1:{free_port()}/hooks", {}, "{}", 2)[0] is None
    status, error = post("http://bad\u2028host.example/hooks", {}, "{}", 2)
    assert status is None and error
