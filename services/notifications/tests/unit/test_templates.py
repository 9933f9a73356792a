"""The emails' words: each kind in French, English and Spanish, what members wrote escaped in the HTML part, and the
English title kept for a kind the templates do not know."""
from datetime import datetime, timezone

import pytest

from notifications import templates

LAB = templates.Lab("Le Lab", "en", "http://lab.example")
AT = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)


def job(**fields) -> dict:
    return {"_id": "j1", "idea_id": "idea-1", "title": "Old English title", "message": "Soon <b>really</b>.",
            "queued_at": AT, **fields}


@pytest.mark.parametrize("language, subject", [
    ("en", "Dark mode is now in progress"), ("fr", "« Dark mode » est maintenant en cours"),
    ("es", "«Dark mode» ahora está en curso")])
def test_a_status_change_is_worded_in_the_language(language, subject):
    got, text, html = templates.render(job(kind="idea.status_changed", name="Dark mode", to="in_progress"), language,
                                       LAB, "http://lab.example/unsubscribe#token=t")
    assert got == subject and "Soon <b>really</b>." in text and "Soon &lt;b&gt;really&lt;/b&gt;." in html
    assert "Le Lab" in text and "http://lab.example/ideas/idea-1" in text and f'lang="{language}"' in html


@pytest.mark.parametrize("language, subject", [
    ("en", "You were mentioned in a comment on Dark mode"),
    ("fr", "Vous avez été mentionné dans un commentaire sur « Dark mode »"),
    ("es", "Te han mencionado en un comentario sobre «Dark mode»")])
def test_a_mention_is_worded_in_the_language_without_what_was_said(language, subject):
    got, text, _ = templates.render(job(kind="comment.mentioned", name="Dark mode", to="mentioned",
                                        path="/ideas/idea-1#comment-c1"), language, LAB, "u")
    assert got == subject and "really" not in text and "http://lab.example/ideas/idea-1#comment-c1" in text


def test_an_initiative_takes_its_title_in_the_language_or_another_it_has():
    named = job(kind="initiative.announced", name={"en": "Freeze a card", "es": "Congelar una tarjeta"}, to="planned")
    assert templates.render(named, "es", LAB, "u")[0] == "«Congelar una tarjeta»: anunciada, planificada"
    assert templates.render(named, "fr", LAB, "u")[0] == "« Freeze a card » : annoncée, planifiée"


def test_a_kind_the_templates_do_not_know_keeps_its_title_and_the_footer_is_still_in_the_language():
    subject, text, _ = templates.render(job(kind="webhook.disabled", why="You registered this endpoint."), "fr", LAB,
                                        "http://lab.example/unsubscribe#token=t")
    assert subject == "Old English title" and "You registered this endpoint." in text
    assert "Ne plus recevoir d'e-mails : http://lab.example/unsubscribe#token=t" in text


def test_a_contests_email_queued_before_it_carried_its_parts_keeps_its_title_with_the_why_in_the_language():
    subject, text, _ = templates.render(job(kind="contest.round_closed", why="You entered this contest."), "fr", LAB,
                                        "u")
    assert subject == "Old English title" and "Soon <b>really</b>." in text
    assert "parce que vous participez à ce concours" in text


GENIOS = {"es": "Genios del Ahorro", "en": "Saving geniuses"}


def contest(final=False, won=True, winner="Redondear <cada> compra", prize=150_000, **fields) -> dict:
    return job(kind="contest.round_closed", name=GENIOS, to="decided", path="/contests/genios", result={
        "round": 3 if final else 1, "final": final, "entries": 12, "shortlisted": 3, "won": won, "winner": winner,
        "prize": prize and {"amount": prize, "currency": "EUR"}}, **fields)


@pytest.mark.parametrize("language, subject, message", [
    ("es", "«Genios del Ahorro»: el ganador de la ronda 1",
     "El jurado eligió «Redondear <cada> compra», que gana 1.500,00 EUR entre 3 preseleccionadas de 12 "
     "participaciones."),
    ("fr", "« Saving geniuses » : le gagnant de la manche 1",
     "Le jury a choisi « Redondear <cada> compra », qui remporte 1\u202f500,00 EUR parmi 3 présélectionnées sur "
     "12 participations."),
    ("en", "Saving geniuses: the winner of round 1",
     "The jury chose “Redondear <cada> compra”, winning 1,500.00 EUR among 3 shortlisted of 12 entries.")])
def test_a_round_won_is_worded_in_the_language_with_the_winner_as_written_and_the_prize_as_it_writes_numbers(
        language, subject, message):
    got, text, html = templates.render(contest(), language, LAB, "u")
    assert got == subject and text.startswith(message + "\n") and "http://lab.example/contests/genios" in text
    assert "Redondear &lt;cada&gt; compra" in html and "Old English title" not in text + html


@pytest.mark.parametrize("language, subject, message, why", [
    ("es", "«Genios del Ahorro»: el gran premio", "El jurado eligió «una participación», que gana 15,00 EUR",
     "Recibes este mensaje porque participas en este concurso"),
    ("fr", "« Saving geniuses » : le grand prix", "Le jury a choisi « une participation », qui remporte 15,00 EUR",
     "Vous recevez ce message parce que vous participez à ce concours")])
def test_the_grand_prize_is_worded_in_the_language_even_when_the_winners_title_is_not_known(
        language, subject, message, why):
    got, text, _ = templates.render(contest(final=True, winner=None, prize=1_500), language, LAB, "u")
    assert got == subject and message in text and why in text


@pytest.mark.parametrize("language, message", [
    ("es", "12 participaciones; ninguna recibió votos, así que no hay ganador."),
    ("fr", "12 participations ; aucune n'a reçu de vote, il n'y a donc pas de gagnant.")])
def test_a_round_without_a_winner_says_so_in_the_language(language, message):
    assert templates.item(contest(won=False, winner=None), language, LAB).message == message


def test_a_round_without_a_prize_names_no_amount():
    assert templates.item(contest(prize=None), "es", LAB).message == (
        "El jurado eligió «Redondear <cada> compra» entre 3 preseleccionadas de 12 participaciones.")


def worded(one: templates.Item) -> tuple[str, str]:
    return one.title, one.message


CAMPAIGN = {"ballots": 1204, "currency": "EUR", "options": [{"name": "Cruz Roja", "count": 700, "amount": 123_456_78},
                                                             {"name": "Cáritas", "count": 504, "amount": 0}]}


@pytest.mark.parametrize("language, subject, message", [
    ("es", "«Seis ONG» ha cerrado: el resultado",
     "1204 papeletas. Cruz Roja: 700, 123.456,78 EUR; Cáritas: 504, 0,00 EUR"),
    ("fr", "« Six charities » est terminée : le résultat",
     "1204 bulletins. Cruz Roja : 700, 123\u202f456,78 EUR; Cáritas : 504, 0,00 EUR"),
    ("en", "Six charities has closed: the result",
     "1204 ballots. Cruz Roja: 700, 123,456.78 EUR; Cáritas: 504, 0.00 EUR")])
def test_a_campaigns_result_is_worded_in_the_language(language, subject, message):
    closed = job(kind="campaign.closed", name={"en": "Six charities", "es": "Seis ONG"}, to="closed",
                 path="/campaigns/c1", result=CAMPAIGN)
    assert worded(templates.item(closed, language, LAB)) == (subject, message)


def test_a_campaigns_email_queued_before_it_carried_its_result_keeps_its_message():
    closed = job(kind="campaign.closed", name={"es": "Seis ONG"}, to="closed", path="/campaigns/c1")
    assert worded(templates.item(closed, "es", LAB)) == ("«Seis ONG» ha cerrado: el resultado", "Soon <b>really</b>.")


def test_amounts_are_written_as_each_language_writes_numbers_in_the_currencys_unit():
    assert [templates.money(150_000, "EUR", lang) for lang in ("en", "fr", "es")] == [
        "1,500.00 EUR", "1\u202f500,00 EUR", "1.500,00 EUR"]
    assert templates.money(1_500, "JPY", "es") == "1.500 JPY"


def test_a_member_without_a_language_gets_the_labs_and_an_unknown_one_english():
    assert templates.language_of(None, templates.Lab(language="fr")) == "fr"
    assert templates.language_of("de", templates.Lab(language="xx")) == "en"
