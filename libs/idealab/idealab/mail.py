"""Mail out through SMTP (SMTP_HOST/SMTP_PORT), for every service that sends some: accounts' one-time links,
notifications' status changes.

Every header is built here, from parts checked here: a subject made of text someone wrote is put on one line, so no
input can add a header or make the message impossible to write."""
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage

from .fields import breaks_line

# Headers set raw (set_raw) are sent exactly as given; the others are folded as usual.
POLICY = policy.SMTP.clone(refold_source="none")


class Unsendable(ValueError):
    """A message no retry would send: an address or a link that cannot be written in a header."""


def one_line(text: str) -> str:
    """The text on one line: line breaks of every kind and other control characters become single spaces."""
    return " ".join("".join(" " if breaks_line(c) else c for c in text).split())


def _recipient(address: str) -> str:
    """One address as given: never a list, a group, a name or a line break, which would reach someone else."""
    if address.count("@") != 1 or any(breaks_line(c) or c.isspace() or c in ',;:<>()[]"\\' for c in address):
        raise Unsendable(f"not one address: {address!r}")
    return address


def _one_click(url: str) -> str:
    """RFC 8058's one-click unsubscribe header value: printable ASCII on one line. Folded, Python would write the
    long URL as an encoded word (=?utf-8?q?=3Chttp…?=), which mail clients do not decode there."""
    if not url.isascii() or not url.isprintable() or any(c in url for c in " <>") or len(url) > 900:
        raise Unsendable(f"not a one-click unsubscribe URL: {url!r}")
    return f"<{url}>"


class Mailer:
    def __init__(self, host: str, port: int, sender: str, timeout_seconds: float = 10):
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout_seconds = timeout_seconds

    def send(self, to: str, subject: str, body: str, unsubscribe: str | None = None) -> None:
        """Mails `body` to `to`, with the one-click `unsubscribe` URL if given. Raises OSError (smtplib's errors
        included) when the mail server does not take the message, Unsendable when no mail server ever would."""
        message = self.message(to, subject, body, unsubscribe)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            smtp.send_message(message)

    @contextmanager
    def connection(self) -> Iterator["Connection"]:
        """One SMTP connection for many messages (a batch): one handshake instead of one per message. Raises
        OSError when the mail server cannot be reached."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            yield Connection(self, smtp)

    def message(self, to: str, subject: str, body: str, unsubscribe: str | None = None) -> EmailMessage:
        message = EmailMessage(policy=POLICY)
        message["From"] = self.sender  # the operator's setting, "Idea Lab <lab@…>"
        message["To"] = _recipient(to)
        message["Subject"] = one_line(subject)
        if unsubscribe is not None:
            message.set_raw("List-Unsubscribe", _one_click(unsubscribe))
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(body)
        return message


class Connection:
    """An open connection of a Mailer: `send` as Mailer.send, over it."""

    def __init__(self, mailer: Mailer, smtp: smtplib.SMTP):
        self.mailer, self.smtp = mailer, smtp

    def send(self, to: str, subject: str, body: str, unsubscribe: str | None = None) -> None:
        self.smtp.send_message(self.mailer.message(to, subject, body, unsubscribe))
