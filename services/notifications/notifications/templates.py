"""The emails' words, in French, English and Spanish, chosen by the member's language: a plain-text and an HTML part,
the lab's name, and a footer saying why the member gets it and where to choose which emails they get. What people
wrote (an idea's title, the team's public message, a campaign's options) is put in as written, escaped in the HTML
part; amounts are written as the language writes numbers.

Rendering is string formatting only: the email walk of a status change renders 100,000 of them."""
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

LANGUAGES = ("en", "fr", "es")

STATUS = {
    "en": {"open": "open", "under_review": "under review", "planned": "planned", "in_progress": "in progress",
           "launched": "launched", "declined": "declined", "duplicate": "merged into another idea"},
    "fr": {"open": "ouverte", "under_review": "à l'étude", "planned": "planifiée", "in_progress": "en cours",
           "launched": "lancée", "declined": "refusée", "duplicate": "fusionnée avec une autre idée"},
    "es": {"open": "abierta", "under_review": "en estudio", "planned": "planificada", "in_progress": "en curso",
           "launched": "lanzada", "declined": "rechazada", "duplicate": "fusionada con otra idea"},
}

CURRENCY_DIGITS = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0}  # the others have 2 decimals in their smallest unit
# The thousands and decimal separators: French groups by a narrow no-break space, so a number is never cut in two.
SEPARATORS = {"en": {",": ",", ".": "."}, "fr": {",": "\u202f", ".": ","}, "es": {",": ".", ".": ","}}

WORDS = {
    "en": {
        "idea.status_changed": "{name} is now {status}",
        "initiative.status_changed": "{name} is now {status}",
        "initiative.announced": "{name}: announced, {status}",
        "campaign.closed": "{name} has closed: the result",
        "ballots": "{ballots} ballots. ",
        "contest.round": "{name}: the winner of round {round}",
        "contest.final": "{name}: the grand prize",
        "contest.won": "The jury chose “{winner}”{prize} among {shortlisted} shortlisted of {entries} entries.",
        "contest.prize": ", winning {amount}",
        "contest.no_winner": "{entries} entries; none was voted for, so there is no winner.",
        "an entry": "an entry",
        "a contest": "A contest",
        "answer.posted": "You have a private answer from the team",
        "private_message.sent": "A member wrote to the team privately",
        "member_wrote": "A member is waiting for the team's answer in their private conversation. Sign in to the lab "
                        "to read it.",
        "why.private_message.sent": "You get this because you answer members for the bank.",
        "comment.mentioned": "You were mentioned in a comment on {name}",
        "mentioned": "A member mentioned you in a comment. Read it on the lab.",
        "why.comment.mentioned": "You get this because a member mentioned you by name (@) in a comment you may read.",
        "private_answer": "The team answered you privately. Sign in to the lab to read it: only you can.",
        "see": "See it",
        ": ": ": ",
        "why.idea.status_changed": "You get this because you follow this idea: you wrote it, voted for it, "
                                   "commented on it or chose to follow it.",
        "why.initiative": "You get this because you follow an idea this initiative answers.",
        "why.campaign.closed": "You get this because you voted in this campaign.",
        "why.contest.round_closed": "You get this because you entered this contest, or follow an entry of it.",
        "why.answer.posted": "You get this because the team answered you privately; no one else is told.",
        "why.digest": "You get this daily digest because you chose it for some of your emails.",
        "choose": "Choose which emails you get",
        "stop": "Stop all emails",
        "digest.subject": "{lab}: your daily digest ({count})",
        "digest.intro": "What happened to what you follow:",
    },
    "fr": {
        "idea.status_changed": "« {name} » est maintenant {status}",
        "initiative.status_changed": "« {name} » est maintenant {status}",
        "initiative.announced": "« {name} » : annoncée, {status}",
        "campaign.closed": "« {name} » est terminée : le résultat",
        "ballots": "{ballots} bulletins. ",
        "contest.round": "« {name} » : le gagnant de la manche {round}",
        "contest.final": "« {name} » : le grand prix",
        "contest.won": "Le jury a choisi « {winner} »{prize} parmi {shortlisted} présélectionnées sur {entries} "
                       "participations.",
        "contest.prize": ", qui remporte {amount}",
        "contest.no_winner": "{entries} participations ; aucune n'a reçu de vote, il n'y a donc pas de gagnant.",
        "an entry": "une participation",
        "a contest": "Un concours",
        "answer.posted": "Vous avez une réponse privée de l'équipe",
        "private_message.sent": "Un membre a écrit à l'équipe en privé",
        "member_wrote": "Un membre attend la réponse de l'équipe dans sa conversation privée. Connectez-vous au lab "
                        "pour la lire.",
        "why.private_message.sent": "Vous recevez ce message parce que vous répondez aux membres pour la banque.",
        "comment.mentioned": "Vous avez été mentionné dans un commentaire sur « {name} »",
        "mentioned": "Un membre vous a mentionné dans un commentaire. Lisez-le sur le lab.",
        "why.comment.mentioned": "Vous recevez ce message parce qu'un membre vous a mentionné par votre nom (@) dans "
                                 "un commentaire que vous pouvez lire.",
        "private_answer": "L'équipe vous a répondu en privé. Connectez-vous au lab pour la lire : vous seul le "
                          "pouvez.",
        "see": "Voir",
        ": ": " : ",  # French puts a space before a colon
        "why.idea.status_changed": "Vous recevez ce message parce que vous suivez cette idée : vous l'avez proposée, "
                                   "soutenue, commentée ou avez choisi de la suivre.",
        "why.initiative": "Vous recevez ce message parce que vous suivez une idée à laquelle cette initiative "
                          "répond.",
        "why.campaign.closed": "Vous recevez ce message parce que vous avez voté dans cette campagne.",
        "why.contest.round_closed": "Vous recevez ce message parce que vous participez à ce concours ou suivez l'une "
                                    "de ses participations.",
        "why.answer.posted": "Vous recevez ce message parce que l'équipe vous a répondu en privé ; personne d'autre "
                             "n'en est informé.",
        "why.digest": "Vous recevez ce résumé quotidien parce que vous l'avez choisi pour certains de vos e-mails.",
        "choose": "Choisir les e-mails que vous recevez",
        "stop": "Ne plus recevoir d'e-mails",
        "digest.subject": "{lab} : votre résumé du jour ({count})",
        "digest.intro": "Ce qui s'est passé pour ce que vous suivez :",
    },
    "es": {
        "idea.status_changed": "«{name}» ahora está {status}",
        "initiative.status_changed": "«{name}» ahora está {status}",
        "initiative.announced": "«{name}»: anunciada, {status}",
        "campaign.closed": "«{name}» ha cerrado: el resultado",
        "ballots": "{ballots} papeletas. ",
        "contest.round": "«{name}»: el ganador de la ronda {round}",
        "contest.final": "«{name}»: el gran premio",
        "contest.won": "El jurado eligió «{winner}»{prize} entre {shortlisted} preseleccionadas de {entries} "
                       "participaciones.",
        "contest.prize": ", que gana {amount}",
        "contest.no_winner": "{entries} participaciones; ninguna recibió votos, así que no hay ganador.",
        "an entry": "una participación",
        "a contest": "Un concurso",
        "answer.posted": "Tienes una respuesta privada del equipo",
        "private_message.sent": "Un miembro ha escrito al equipo en privado",
        "member_wrote": "Un miembro espera la respuesta del equipo en su conversación privada. Entra en el lab para "
                        "leerla.",
        "why.private_message.sent": "Recibes este mensaje porque respondes a los miembros en nombre del banco.",
        "comment.mentioned": "Te han mencionado en un comentario sobre «{name}»",
        "mentioned": "Un miembro te ha mencionado en un comentario. Léelo en el lab.",
        "why.comment.mentioned": "Recibes este mensaje porque un miembro te ha mencionado por tu nombre (@) en un "
                                 "comentario que puedes leer.",
        "private_answer": "El equipo te ha respondido en privado. Entra en el lab para leerla: solo tú puedes.",
        "see": "Verlo",
        ": ": ": ",
        "why.idea.status_changed": "Recibes este mensaje porque sigues esta idea: la propusiste, la votaste, la "
                                   "comentaste o elegiste seguirla.",
        "why.initiative": "Recibes este mensaje porque sigues una idea a la que responde esta iniciativa.",
        "why.campaign.closed": "Recibes este mensaje porque votaste en esta campaña.",
        "why.contest.round_closed": "Recibes este mensaje porque participas en este concurso o sigues una de sus "
                                    "participaciones.",
        "why.answer.posted": "Recibes este mensaje porque el equipo te ha respondido en privado; nadie más recibe "
                             "este aviso.",
        "why.digest": "Recibes este resumen diario porque lo elegiste para algunos de tus correos.",
        "choose": "Elige qué correos recibes",
        "stop": "No recibir más correos",
        "digest.subject": "{lab}: tu resumen del día ({count})",
        "digest.intro": "Lo que ha pasado con lo que sigues:",
    },
}
WHY = {"idea.status_changed": "why.idea.status_changed", "initiative.status_changed": "why.initiative",
       "initiative.announced": "why.initiative", "campaign.closed": "why.campaign.closed",
       "answer.posted": "why.answer.posted", "comment.mentioned": "why.comment.mentioned",
       "private_message.sent": "why.private_message.sent", "contest.round_closed": "why.contest.round_closed"}


@dataclass(frozen=True)
class Lab:
    """The lab as its emails name it: its name, its default language, and where its web lab is."""
    name: str = "Idea Lab"
    language: str = "en"
    public_url: str = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class Item:
    title: str
    message: str
    url: str
    why: str


def language_of(choice: str | None, lab: Lab) -> str:
    return choice if choice in LANGUAGES else lab.language if lab.language in LANGUAGES else "en"


def _name(name, language: str) -> str | None:
    """An item's name in the language: a title by language (initiatives, campaigns) or as written (ideas)."""
    if isinstance(name, dict):
        return name.get(language) or next((name[lang] for lang in LANGUAGES if name.get(lang)), None)
    return name


def money(amount: int, currency: str, language: str) -> str:
    """An amount in the currency's smallest unit as the language writes it: 1,500.00 EUR, 1 500,00 EUR, 1.500,00 EUR."""
    digits = CURRENCY_DIGITS.get(currency, 2)
    number = f"{amount / 10 ** digits:,.{digits}f}".translate(str.maketrans(SEPARATORS[language]))
    return f"{number} {currency}"


def campaign_result(result: dict, language: str) -> str:
    """A campaign's result: its ballots, and each option's count and part of the budget (`result`, in the record of
    `domain.campaign_closed`)."""
    words = WORDS[language]
    options = [f"{o['name']}{words[': ']}{o['count']}"
               + (f", {money(o['amount'], result['currency'], language)}" if o["amount"] is not None else "")
               for o in result["options"]]
    return words["ballots"].format(ballots=result["ballots"]) + "; ".join(options)


def contest_result(name: str, result: dict, language: str) -> tuple[str, str]:
    """A contest's round or final decided (`result`, in the record of `contests.round_closed`): title and message."""
    words = WORDS[language]
    title = words["contest.final" if result["final"] else "contest.round"].format(name=name, round=result["round"])
    if not result["won"]:
        return title, words["contest.no_winner"].format(entries=result["entries"])
    prize = words["contest.prize"].format(amount=money(result["prize"]["amount"], result["prize"]["currency"],
                                                       language)) if result["prize"] else ""
    return title, words["contest.won"].format(winner=result["winner"] or words["an entry"], prize=prize,
                                              shortlisted=result["shortlisted"], entries=result["entries"])


def item(job: dict, language: str, lab: Lab) -> Item:
    """One notification in the language. A job of a kind these templates do not know, or queued before jobs carried
    their parts (`name`, `to`, `result`), keeps the title (or message) it was queued with."""
    words, kind = WORDS[language], job.get("kind")
    name = _name(job.get("name"), language)
    if kind == "contest.round_closed" and "result" in job:
        title, message = contest_result(name or words["a contest"], job["result"], language)
    elif kind == "campaign.closed" and name:
        title = words[kind].format(name=name)
        message = campaign_result(job["result"], language) if "result" in job else job["message"]
    elif kind == "answer.posted":
        title, message = words[kind], words["private_answer"]
    elif kind == "private_message.sent":  # to the team (notifications.team): that a member wrote, never the words
        title, message = words[kind], words["member_wrote"]
    elif kind == "comment.mentioned" and name:
        title, message = words[kind].format(name=name), words["mentioned"]
    elif kind in words and name and job.get("to") in STATUS[language]:
        title, message = words[kind].format(name=name, status=STATUS[language][job["to"]]), job["message"]
    else:
        title, message = job["title"], job["message"]
    why = words[WHY[kind]] if kind in WHY else job.get("why", words["why.idea.status_changed"])
    return Item(title, message, lab.public_url + job.get("path", f"/ideas/{quote(job['idea_id'])}"), why)


def _footer(why: str, words: dict, lab: Lab, unsubscribe_url: str) -> tuple[str, str]:
    account = f"{lab.public_url}/account"
    colon = words[": "]
    text = f"--\n{lab.name}\n{why}\n{words['choose']}{colon}{account}\n{words['stop']}{colon}{unsubscribe_url}\n"
    html = (f'<hr>\n<p style="font-size:12px;color:#555">{escape(lab.name)}<br>\n{escape(why)}<br>\n'
            f'<a href="{escape(account)}">{escape(words["choose"])}</a> &middot;\n'
            f'<a href="{escape(unsubscribe_url)}">{escape(words["stop"])}</a></p>\n')
    return text, html


def _page(language: str, subject: str, lab: Lab, content: str, footer: str) -> str:
    return (f'<!doctype html>\n<html lang="{language}">\n<head><meta charset="utf-8"><title>{escape(subject)}</title>'
            f'</head>\n<body style="font-family:sans-serif;color:#1a1a1a;max-width:40em">\n'
            f'<p style="color:#555">{escape(lab.name)}</p>\n{content}{footer}</body>\n</html>\n')


def render(job: dict, language: str, lab: Lab, unsubscribe_url: str) -> tuple[str, str, str]:
    """One notification's email: (subject, plain text, HTML)."""
    words, one = WORDS[language], item(job, language, lab)
    footer_text, footer_html = _footer(one.why, words, lab, unsubscribe_url)
    text = f"{one.message}\n\n{words['see']}{words[': ']}{one.url}\n\n{footer_text}"
    content = (f"<h1 style=\"font-size:20px\">{escape(one.title)}</h1>\n<p>{escape(one.message)}</p>\n"
               f"<p><a href=\"{escape(one.url)}\">{escape(words['see'])}</a></p>\n")
    return one.title, text, _page(language, one.title, lab, content, footer_html)


def render_digest(jobs: list[dict], language: str, lab: Lab, unsubscribe_url: str) -> tuple[str, str, str]:
    """A day's notifications in one email: (subject, plain text, HTML), oldest first."""
    words = WORDS[language]
    items = [item(job, language, lab) for job in sorted(jobs, key=lambda j: j.get("created_at", j["queued_at"]))]
    subject = words["digest.subject"].format(lab=lab.name, count=len(items))
    footer_text, footer_html = _footer(words["why.digest"], words, lab, unsubscribe_url)
    text = words["digest.intro"] + "\n\n" + "".join(
        f"* {i.title}\n  {i.message}\n  {words['see']}{words[': ']}{i.url}\n\n" for i in items) + footer_text
    content = f"<h1 style=\"font-size:20px\">{escape(words['digest.intro'])}</h1>\n<ul>\n" + "".join(
        f"<li><p><strong>{escape(i.title)}</strong><br>\n{escape(i.message)}<br>\n"
        f"<a href=\"{escape(i.url)}\">{escape(words['see'])}</a></p></li>\n" for i in items) + "</ul>\n"
    return subject, text, _page(language, subject, lab, content, footer_html)
