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
    subject, text, _ = templates.render(job(kind="contest.round_closed", why="You entered this contest."), "fr", LAB,
                                        "http://lab.example/unsubscribe#token=t")
    assert subject == "Old English title" and "You entered this contest." in text
    assert "Ne plus recevoir d'e-mails : http://lab.example/unsubscribe#token=t" in text


def test_a_member_without_a_language_gets_the_labs_and_an_unknown_one_english():
    assert templates.language_of(None, templates.Lab(language="fr")) == "fr"
    assert templates.language_of("de", templates.Lab(language="xx")) == "en"
