"""Mail out through SMTP (SMTP_HOST/SMTP_PORT), for every service that sends some: accounts' one-time links,
notifications' status changes.

Every header is built here, from parts checked here: a subject made of text someone wrote is put on one line, so no
input can add a header or make the message impossible to write.

The message is written as bytes here rather than through an EmailMessage per mail: that took ~1 ms a message, most
of a status change's 100,000 mails. The stdlib still folds and encodes the two headers that may need it (From, the
subject), once per distinct value; the rest is ASCII checked here, and a body too long to send as is goes through
an EmailMessage as before."""
import secrets
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from functools import lru_cache

from .fields import breaks_line

# Headers set raw (set_raw) are sent exactly as given; the others are folded as usual.
POLICY = policy.SMTP.clone(refold_source="none")


class Unsendable(ValueError):
    """A message no retry would send: an address or a link that cannot be written in a header."""


def refused_for_good(exc: OSError) -> str | None:
    """What the mail server said when it refused the recipient's address for good (a 5xx reply to RCPT), else None:
    a 4xx, a lost connection or a refused sender are tried again; a refused address would be refused again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        if replies and all(code >= 500 for code, _ in replies):
            return "; ".join(f"{code} {message.decode(errors='replace')}" for code, message in replies)
    return None


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


def _options(to: str) -> tuple[str, ...]:
    """SMTPUTF8 for an address beyond ASCII: a server without it refuses the mail (smtplib's
    SMTPNotSupportedError, an OSError like any refusal) rather than the address being mangled."""
    return () if to.isascii() else ("SMTPUTF8",)


@lru_cache(maxsize=1024)
def _header(name: str, value: str) -> bytes:
    """`name: value` as the stdlib writes it (folded, encoded words where the value is not ASCII), with its CRLF."""
    message = EmailMessage(policy=POLICY)
    message[name] = value
    return message.as_bytes().split(b"\r\n\r\n", 1)[0] + b"\r\n"


# SMTP's limit on a line is 998 characters; a longer line goes through EmailMessage, which encodes the body.
_LONGEST_LINE = 998
# The boundary of a message with an HTML part: one per process (a part holding it goes through EmailMessage).
_BOUNDARY = f"=_idealab_{secrets.token_hex(12)}"


def _part_head(subtype: str, text: str) -> bytes:
    cte = "7bit" if text.isascii() else "8bit"
    return f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {cte}\r\n'.encode()


def _lines(lines: list[str]) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode()


class Mailer:
    def __init__(self, host: str, port: int, sender: str, timeout_seconds: float = 10):
        self.host = host
        self.port = port
        self.sender = sender
        self.envelope_sender = parseaddr(sender)[1]
        self.timeout_seconds = timeout_seconds

    def send(self, to: str, subject: str, body: str, unsubscribe: str | None = None, html: str | None = None) -> None:
        """Mails `body` to `to` (and its `html` alternative if given), with the one-click `unsubscribe` URL if given.
        Raises OSError (smtplib's errors included) when the mail server does not take the message, Unsendable when no
        mail server ever would."""
        message = self.message(to, subject, body, unsubscribe, html)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            smtp.sendmail(self.envelope_sender, [to], message, mail_options=_options(to))

    @contextmanager
    def connection(self) -> Iterator["Connection"]:
        """One SMTP connection for many messages (a batch): one handshake instead of one per message. Raises
        OSError when the mail server cannot be reached."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            yield Connection(self, smtp)

    def message(self, to: str, subject: str, body: str, unsubscribe: str | None = None,
                html: str | None = None) -> bytes:
        """The message as sent. Plain text in UTF-8: 7bit when ASCII, 8bit otherwise, as EmailMessage chose; with
        `html`, multipart/alternative of the two."""
        to, subject = _recipient(to), one_line(subject)
        lines = body.splitlines()
        html_lines = html.splitlines() if html is not None else []
        if not to.isascii() or any(len(line) > _LONGEST_LINE for line in (*lines, *html_lines)) or \
                (html is not None and (_BOUNDARY in body or _BOUNDARY in html)):
            return self._encoded(to, subject, body, unsubscribe, html)
        head = [_header("From", self.sender), b"To: " + to.encode() + b"\r\n", _header("Subject", subject)]
        if unsubscribe is not None:
            head.append(f"List-Unsubscribe: {_one_click(unsubscribe)}\r\nList-Unsubscribe-Post: "
                        f"List-Unsubscribe=One-Click\r\n".encode())
        if html is None:
            head.append(_part_head("plain", body) + b"MIME-Version: 1.0\r\n\r\n")
            return b"".join(head) + _lines(lines)
        head.append(f'Content-Type: multipart/alternative; boundary="{_BOUNDARY}"\r\nMIME-Version: 1.0\r\n\r\n'
                    .encode())
        separator = f"--{_BOUNDARY}\r\n".encode()
        return b"".join([*head, separator, _part_head("plain", body), b"\r\n", _lines(lines), separator,
                         _part_head("html", html), b"\r\n", _lines(html_lines), f"--{_BOUNDARY}--\r\n".encode()])

    def _encoded(self, to: str, subject: str, body: str, unsubscribe: str | None, html: str | None = None) -> bytes:
        # An address with letters beyond ASCII (zoé@…) is written as is, for a server speaking SMTPUTF8 (RFC 6531).
        message = EmailMessage(policy=POLICY if to.isascii() else POLICY.clone(utf8=True))
        message["From"] = self.sender  # the operator's setting, "Idea Lab <lab@…>"
        message["To"] = to
        message["Subject"] = subject
        if unsubscribe is not None:
            message.set_raw("List-Unsubscribe", _one_click(unsubscribe))
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
        return message.as_bytes()


class Connection:
    """An open connection of a Mailer: `send` as Mailer.send, over it."""

    def __init__(self, mailer: Mailer, smtp: smtplib.SMTP):
        self.mailer, self.smtp = mailer, smtp

    def send(self, to: str, subject: str, body: str, unsubscribe: str | None = None, html: str | None = None) -> None:
        self.smtp.sendmail(self.mailer.envelope_sender, [to],
                           self.mailer.message(to, subject, body, unsubscribe, html), mail_options=_options(to))
