"""Email that people want to receive, through a real SMTP server: templates in the member's language (French,
English, Spanish) with a plain-text and an HTML part, the lab's name and why they get it; per kind, instant, a daily
digest at their morning in their time zone (a controllable clock), or none; an address refused for good is mailed no
more and the member sees it; a refusal for now is tried again later."""
import logging
from datetime import datetime, timedelta, timezone

import pytest

from idealab.mail import Mailer
from idealab_testing import Mailbox, free_port
from notifications import digests, domain, email_choices, handlers, templates

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://lab.example"
LAB = templates.Lab("Le Lab", "en", PUBLIC_URL)


def walk_and_send(store, mailbox) -> None:
    while handlers.queue_emails(store):
        pass
    while handlers.send_due_emails(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), PUBLIC_URL,
                                   lab=LAB):
        pass


def digest(store, mailbox, now) -> int:
    return digests.send_digests(store, Mailer("127.0.0.1", mailbox.port, "lab@example.com"), LAB, now=now)


def choose(client, bearer, user_id, **choices):
    response = client.put(f"/api/notifications/users/{user_id}/preferences", json=choices, headers=bearer(user_id))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def parts(mail) -> tuple[str, str]:
    return mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()


@pytest.fixture
def people(consume, event, store, idea_id):
    """Amélie (French), Bea (Spanish) and Carl (no language chosen: the lab's) follow the idea, verified."""
    for user in ("amelie", "bea", "carl"):
        store.set_contact(user, f"{user}@example.com", datetime.now(timezone.utc))
    consume(event.submitted(idea_id, "amelie", title="Dark mode <beta>"))
    consume(event.vote_cast(idea_id, "bea"))
    consume(event.vote_cast(idea_id, "carl"))
    return idea_id


def test_each_member_gets_the_email_in_their_language_with_text_and_html_the_labs_name_and_why(
        client, bearer, consume, event, store, people, mailbox):
    choose(client, bearer, "amelie", language="fr")
    choose(client, bearer, "bea", language="es")
    consume(event.status_changed(people, "planned", message="Prévu pour mars & avril."))

    walk_and_send(store, mailbox)

    [fr], [es], [en] = (mailbox.to(f"{u}@example.com") for u in ("amelie", "bea", "carl"))
    assert fr["Subject"] == "« Dark mode <beta> » est maintenant planifiée"
    assert es["Subject"] == "«Dark mode <beta>» ahora está planificada"
    assert en["Subject"] == "Dark mode <beta> is now planned"
    text, html = parts(fr)
    assert "Prévu pour mars & avril." in text and f"Voir : {PUBLIC_URL}/ideas/{people}" in text
    assert "Le Lab" in text and "parce que vous suivez cette idée" in text
    assert f"Choisir les e-mails que vous recevez : {PUBLIC_URL}/account" in text
    assert '<html lang="fr">' in html and "Dark mode &lt;beta&gt;" in html and "mars &amp; avril" in html
    assert "<beta>" not in html, "what members wrote is escaped in the HTML part"
    assert "Recibes este mensaje porque sigues esta idea" in parts(es)[0]
    assert "You get this because you follow this idea" in parts(en)[0]


def test_an_initiative_is_named_in_the_members_language(client, bearer, consume, event, store, people, mailbox):
    from idealab.events import new_event
    choose(client, bearer, "amelie", language="fr")
    consume(new_event("initiative.announced", {
        "initiative_id": "ini-1", "title": {"en": "Block a lost card", "fr": "Bloquer une carte perdue"},
        "idea_ids": [people], "status": "planned", "target_quarter": "2026-Q3", "owner_team": "cards",
        "space": None, "message": "On arrive.", "by": "team-1", "announced_at": datetime.now(timezone.utc)},
        source="/roadmap", subject="ini-1"))

    walk_and_send(store, mailbox)

    assert mailbox.to("amelie@example.com")[0]["Subject"] == "« Bloquer une carte perdue » : annoncée, planifiée"
    assert mailbox.to("carl@example.com")[0]["Subject"] == "Block a lost card: announced, planned"
    assert "an idea this initiative answers" in parts(mailbox.to("carl@example.com")[0])[0]


def test_a_kind_chosen_none_is_not_mailed_and_the_other_kinds_still_are(client, bearer, consume, event, store,
                                                                         people, mailbox):
    shown = choose(client, bearer, "carl", kinds={"status_changes": "none"})
    assert shown["kinds"] == {"status_changes": "none", "answers": "instant", "mentions": "instant",
                              "campaign_results": "instant"}
    consume(event.status_changed(people, "planned"))

    walk_and_send(store, mailbox)

    assert mailbox.to("carl@example.com") == [] and len(mailbox.to("bea@example.com")) == 1
    assert store.deliveries.find_one({"user_id": "carl"})["reason"] == "the member chose no email of this kind"


def test_a_daily_digest_gathers_the_days_changes_into_one_email_per_member_at_their_morning_in_their_language(
        client, bearer, consume, event, store, people, mailbox, idea_id):
    choose(client, bearer, "amelie", language="fr", time_zone="Europe/Paris", kinds={"status_changes": "daily"})
    choose(client, bearer, "bea", language="es", time_zone="America/Mexico_City",
           kinds={"status_changes": "daily"})
    other = f"{idea_id}-2"
    consume(event.submitted(other, "bea", title="Round-ups"))
    consume(event.vote_cast(other, "amelie"))
    for n, (idea, to) in enumerate([(people, "under_review"), (other, "planned"), (people, "planned")]):
        consume(event.status_changed(idea, to, changed_at=datetime.now(timezone.utc) + timedelta(seconds=n)))
    now = datetime.now(timezone.utc)

    walk_and_send(store, mailbox)

    assert len(mailbox.to("carl@example.com")) == 2, "instant: one email per change"
    assert mailbox.to("amelie@example.com") == [] and mailbox.to("bea@example.com") == []
    paris, mexico = (email_choices.next_morning(now, tz) for tz in ("Europe/Paris", "America/Mexico_City"))
    held = {j["user_id"]: j["next_attempt_at"] for j in store.deliveries.find({"state": domain.DIGEST})}
    assert abs(held["amelie"] - paris) < timedelta(seconds=5) and abs(held["bea"] - mexico) < timedelta(seconds=5)
    assert paris.astimezone(email_choices.ZoneInfo("Europe/Paris")).hour == 8
    assert digest(store, mailbox, min(held.values()) - timedelta(minutes=1)) == 0, "not before their morning"

    first, second = sorted(held, key=held.get)  # whose morning comes first depends on the hour the test runs
    assert digest(store, mailbox, held[first]) == 1
    assert len(mailbox.to(f"{first}@example.com")) == 1 and mailbox.to(f"{second}@example.com") == []
    assert digest(store, mailbox, held[second]) == 1
    [fr], [es] = mailbox.to("amelie@example.com"), mailbox.to("bea@example.com")
    assert fr["Subject"] == "Le Lab : votre résumé du jour (3)"
    text, html = parts(fr)
    earlier, later = "« Dark mode <beta> » est maintenant à l'étude", "« Round-ups » est maintenant planifiée"
    assert text.index(earlier) < text.index(later), "oldest first"
    assert "« Dark mode <beta> » est maintenant planifiée" in text and "résumé quotidien" in text
    assert html.count("<li>") == 3
    assert es["Subject"] == "Le Lab: tu resumen del día (3)" and "«Round-ups» ahora está planificada" in parts(es)[0]
    assert digest(store, mailbox, held[second] + timedelta(days=1)) == 0
    assert len(mailbox.to("amelie@example.com")) == 1 and len(mailbox.to("bea@example.com")) == 1
    assert store.deliveries.count_documents({"state": domain.DIGEST}) == 0


class Refusing(Mailbox):
    """A mail server that refuses some recipients with the reply given."""

    def __init__(self, refusals: dict[str, str]):
        super().__init__()
        self.refusals = refusals

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing():
    from aiosmtpd.controller import Controller
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    box = Refusing({"bea@example.com": "550 5.1.1 no such mailbox", "carl@example.com": "450 4.2.1 try later"})
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


def test_an_address_refused_for_good_is_mailed_no_more_and_the_member_sees_it_a_refusal_for_now_is_retried(
        client, bearer, consume, event, store, people, refusing):
    consume(event.status_changed(people, "planned"))

    walk_and_send(store, refusing)

    assert len(refusing.to("amelie@example.com")) == 1 and refusing.to("bea@example.com") == []
    bea_job, carl_job = (store.deliveries.find_one({"user_id": u}) for u in ("bea", "carl"))
    assert bea_job["state"] == "failed" and "refused for good" in bea_job["reason"]
    assert (carl_job["state"], carl_job["attempts"]) == ("queued", 1) and "450" in carl_job["reason"]
    assert carl_job["next_attempt_at"] > carl_job["queued_at"]
    shown = client.get("/api/notifications/users/bea/preferences", headers=bearer("bea")).json
    assert shown["bounce"]["address"] == "bea@example.com" and "550" in shown["bounce"]["reason"]
    assert client.get("/api/notifications/users/carl/preferences", headers=bearer("carl")).json["bounce"] is None

    consume(event.status_changed(people, "in_progress", from_status="planned"))
    walk_and_send(store, refusing)
    assert store.deliveries.count_documents({"user_id": "bea"}) == 1, "no job for a refused address"

    store.set_contact("bea", "bea@new.example", datetime.now(timezone.utc))
    assert client.get("/api/notifications/users/bea/preferences", headers=bearer("bea")).json["bounce"] is None


@pytest.mark.parametrize("choices, field", [({"kinds": {"status_changes": "weekly"}}, "kinds"),
                                            ({"kinds": {"gossip": "daily"}}, "kinds"),
                                            ({"language": "de"}, "language"),
                                            ({"time_zone": "Mars/Olympus"}, "time_zone"),
                                            ({"time_zone": "../../etc/passwd"}, "time_zone")])
def test_a_wrong_choice_is_a_422_naming_the_field(client, bearer, people, choices, field):
    response = client.put("/api/notifications/users/carl/preferences", json=choices, headers=bearer("carl"))
    assert response.status_code == 422 and field in response.json["errors"]


def test_the_members_choices_are_in_their_data_download_and_go_with_their_account(client, bearer, consume, event,
                                                                                  store, people):
    choose(client, bearer, "bea", language="es", kinds={"answers": "daily"})

    data = client.get("/api/notifications/me/data", headers=bearer("bea")).json
    assert data["email_choices"] == {"language": "es", "kinds": {"answers": "daily"}}
    consume(event.user_deleted("bea"))
    assert store.choices("bea") is None
