"""Mail out through SMTP (SMTP_HOST/SMTP_PORT), for every service that sends some: accounts' one-time links,
notifications' status changes."""
import smtplib
from email.message import EmailMessage


class Mailer:
    def __init__(self, host: str, port: int, sender: str, timeout_seconds: float = 10):
        self.host = host
        self.port = port
        self.sender = sender
        self.timeout_seconds = timeout_seconds

    def send(self, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
        """Raises OSError (smtplib.SMTPException included) when the mail server does not take the message."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_seconds) as smtp:
            smtp.send_message(message)
