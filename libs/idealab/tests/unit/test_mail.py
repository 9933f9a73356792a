"""What the mailer writes, read back from the bytes a real SMTP server received, as a mail client reads them."""
import pytest

from idealab.mail import Mailer, Unsendable
from idealab_testing import Mailbox, free_port

UNSUBSCRIBE = "http://lab.example/api/notifications/unsubscribe?token=" + "t0K-_" * 8


@pytest.fixture
def mailer(mailbox):
    return Mailer("127.0.0.1", mailbox.port, "Idea Lab <lab@example.com>")


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\v", "\f", "\x85", "\u2028", "\u2029", "\x00"])
def test_a_subject_with_a_line_break_is_sent_on_one_line_and_adds_no_header(mailer, mailbox, line_break):
    mailer.send("ann@example.com", f"Faster transfers{line_break}Bcc: attacker@evil.example", "Hello")

    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "Faster transfers Bcc: attacker@evil.example"
    assert mail["Bcc"] is None and mailbox.to("attacker@evil.example") == []


def test_the_one_click_unsubscribe_header_is_the_bracketed_url_in_plain_ascii_on_one_line(mailer, mailbox):
    mailer.send("ann@example.com", "Dark mode is now planned", "Hello", unsubscribe=UNSUBSCRIBE)

    [mail] = mailbox.to("ann@example.com")
    raw = dict(mail.raw_items())  # as received: neither unfolded nor decoded, as a mail client takes it (RFC 8058)
    assert raw["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("to", ["ann@example.com\nBcc: attacker@evil.example", "ann@example.com,eve@evil.example",
                                "Eve <eve@evil.example>", "ann@example.com\u2028", ""])
def test_anything_but_one_address_is_refused_for_good(mailer, mailbox, to):
    with pytest.raises(Unsendable):
        mailer.send(to, "Hello", "Hello")
    assert mailbox.messages == []


def test_a_one_click_url_that_cannot_be_a_header_is_refused_for_good(mailer, mailbox):
    with pytest.raises(Unsendable):
        mailer.send("ann@example.com", "Hello", "Hello", unsubscribe=UNSUBSCRIBE + "\r\nBcc: eve@evil.example")
    assert mailbox.messages == []


def test_a_connection_sends_many_messages_with_the_same_headers_as_one_by_one(mailer, mailbox, monkeypatch):
    import smtplib
    opened, connect = [], smtplib.SMTP.connect
    monkeypatch.setattr(smtplib.SMTP, "connect", lambda smtp, *args: opened.append(args) or connect(smtp, *args))

    with mailer.connection() as smtp:
        smtp.send("ann@example.com", "Dark mode\nis now planned", "Hello Ann", unsubscribe=UNSUBSCRIBE)
        with pytest.raises(Unsendable):
            smtp.send("eve@example.com\nBcc: attacker@evil.example", "Hello", "Hello")
        smtp.send("bob@example.com", "Dark mode is now planned", "Hello Bob")

    [ann], [bob] = mailbox.to("ann@example.com"), mailbox.to("bob@example.com")
    assert ann["Subject"] == "Dark mode is now planned" and dict(ann.raw_items())["List-Unsubscribe"] == (
        f"<{UNSUBSCRIBE}>")
    assert bob.get_content().strip() == "Hello Bob" and len(mailbox.messages) == 2
    assert len(opened) == 1


def test_french_text_reads_back_as_written(mailer, mailbox):
    mailer.send("ann@example.com", "Mode sombre : planifiée", "L'idée « Mode sombre » est planifiée.\n\nÀ bientôt")

    [mail] = mailbox.to("ann@example.com")
    assert mail["Subject"] == "Mode sombre : planifiée" and mail["From"] == "Idea Lab <lab@example.com>"
    assert mail.get_content().splitlines() == ["L'idée « Mode sombre » est planifiée.", "", "À bientôt"]


def test_a_line_longer_than_smtp_allows_is_encoded_and_reads_back_whole(mailer, mailbox):
    long_line = "é" + "x" * 2000

    mailer.send("ann@example.com", "Hello", long_line)

    [mail] = mailbox.to("ann@example.com")
    assert mail.get_content().strip() == long_line


@pytest.mark.parametrize("long_line", [False, True])
def test_an_html_alternative_is_read_beside_the_plain_text_accents_included(mailer, mailbox, long_line):
    text = "L'idée « Mode sombre » est maintenant planifiée." + (" ça" * 600 if long_line else "")
    html = f"<p>{text}</p>\n<p><a href=\"http://lab.example/ideas/1\">Voir l'idée</a></p>"

    mailer.send("ann@example.com", "Mode sombre est planifiée", text, unsubscribe=UNSUBSCRIBE, html=html)

    [mail] = mailbox.to("ann@example.com")
    assert mail.get_content_type() == "multipart/alternative"
    plain, rich = mail.iter_parts()
    assert (plain.get_content_type(), rich.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content().splitlines() == [text] and rich.get_content().splitlines() == html.splitlines()
    assert dict(mail.raw_items())["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"


def test_an_address_beyond_ascii_is_mailed_as_written_to_a_server_speaking_smtputf8(mailer, mailbox):
    mailer.send("zoé@example.com", "Bienvenue", "Bonjour Zoé")
    with mailer.connection() as connection:
        connection.send("zoé@example.com", "Encore", "Re-bonjour")

    assert [m["To"] for m in mailbox.to("zoé@example.com")] == ["zoé@example.com"] * 2


def test_a_server_without_smtputf8_refuses_an_address_beyond_ascii_as_a_mail_error():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=False)
    controller.start()
    try:
        with pytest.raises(OSError):  # what every sender handles: logged, retried or marked failed, never a 500
            Mailer("127.0.0.1", controller.port, "lab@example.com").send("zoé@example.com", "Hi", "Hello")
    finally:
        controller.stop()
    assert box.messages == []

