"""A contest's round decided: one record whose inbox words stay in English, and whose email jobs carry its parts, so
each member's email says it in their language."""
from datetime import datetime, timezone

from idealab.events import Event, new_event
from idealab_testing import as_consumed
from notifications import templates
from notifications.contests import round_closed
from notifications.domain import email_jobs

NOW = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)


def decided(final: bool) -> Event:
    return as_consumed(new_event("contest.round_closed", {
        "contest_id": "genios", "title": {"es": "Genios del Ahorro"}, "space": None, "round": 3 if final else 1,
        "final": final, "closed_at": NOW, "decided_at": NOW,
        "ranking": [{"entry_id": e, "rank": n + 1, "votes": 5 - n, "shortlisted": n < 2, "jury_score": None}
                    for n, e in enumerate(("e0", "e1", "e2"))],
        "winner": "e1", "prize": {"amount": 150_000, "currency": "EUR"}, "entry_ids": ["e0", "e1", "e2"],
        "shortlist_rule": "n most voted", "winner_rule": "best jury score"}, source="/votes", subject="genios"))


def test_a_round_won_reads_in_english_in_the_inbox_and_its_email_in_the_members_language():
    record = round_closed(decided(final=False), "Redondear cada compra", NOW)
    [job] = email_jobs(record, [{"user_id": "ana"}], {"ana"}, NOW)

    assert (record["title"], record["message"]) == (
        "Genios del Ahorro: the winner of round 1",
        "The jury chose “Redondear cada compra”, winning 1,500.00 EUR among 2 shortlisted of 3 entries.")
    subject, text, _ = templates.render(job, "es", templates.Lab(), "u")
    assert subject == "«Genios del Ahorro»: el ganador de la ronda 1"
    assert text.startswith("El jurado eligió «Redondear cada compra», que gana 1.500,00 EUR entre 2 "
                           "preseleccionadas de 3 participaciones.\n")


def test_the_grand_prizes_email_is_in_french_for_a_french_speaking_member():
    record = round_closed(decided(final=True), "Redondear cada compra", NOW)
    [job] = email_jobs(record, [{"user_id": "luc"}], {"luc"}, NOW)

    assert record["title"] == "Genios del Ahorro: the grand prize"
    subject, text, _ = templates.render(job, "fr", templates.Lab(), "u")
    assert subject == "« Genios del Ahorro » : le grand prix"
    assert "qui remporte 1\u202f500,00 EUR parmi 2 présélectionnées sur 3 participations." in text
