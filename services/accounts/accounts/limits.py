"""How often one account, one client address or one mailbox may have the service check a password or send a mail.

Counted in the service's database, one counter per key and fixed window, so the limits hold with any gateway in
front (or none) and across every process that serves. Password checks are limited because argon2 is costly by
design: unlimited, any route that hashes is a way to take the service's CPU. Mails are limited so the service
cannot be used to flood a mailbox."""
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from werkzeug.exceptions import TooManyRequests

from . import domain
from .config import AccountsConfig
from .store import AccountStore

log = logging.getLogger(__name__)


class Limits:
    def __init__(self, store: AccountStore, cfg: AccountsConfig, clock: Callable[[], datetime]):
        self.store = store
        self.cfg = cfg
        self.clock = clock

    def password_check(self, account: str, client: str | None) -> None:
        """Counts a password check for the account (its id, or the address typed when there is none) and the client
        address; 429 beyond either's allowance."""
        wait = self._count("password", timedelta(seconds=self.cfg.password_checks_window_seconds), {
            f"account:{account}": self.cfg.password_checks_per_account,
            f"client:{client}": self.cfg.password_checks_per_client})
        if wait:
            raise TooManyRequests(f"too many password attempts for this account or from this address; try again "
                                  f"in {_minutes(wait)}", retry_after=wait)

    def mail(self, mailbox: str, account: str) -> int | None:
        """Counts a mail to `mailbox` about `account`: None when it may go, else the seconds to wait. For mails whose
        refusal must not be told (a reset request answers the same for any address)."""
        return self._count("mail", timedelta(seconds=self.cfg.mails_window_seconds), {
            f"mailbox:{mailbox}": self.cfg.mails_per_mailbox, f"account:{account}": self.cfg.mails_per_account})

    def mail_or_refuse(self, mailbox: str, account: str) -> None:
        """As mail(), with 429 when it may not go: for mails the person asked for and is told about."""
        _refuse_mail(self.mail(mailbox, account))

    def invitation_or_refuse(self, mailbox: str, admin: str) -> None:
        """Counts an invitation mailed by `admin`: the mailbox's allowance is every mail's, the admin's is their own
        and larger (a panel is invited at once)."""
        _refuse_mail(self._count("mail", timedelta(seconds=self.cfg.mails_window_seconds), {
            f"mailbox:{mailbox}": self.cfg.mails_per_mailbox, f"inviter:{admin}": self.cfg.invitations_per_admin}))

    def _count(self, what: str, length: timedelta, allowances: dict[str, int]) -> int | None:
        """Counts one for every key; the seconds until the window ends when any is beyond its allowance."""
        now = self.clock()
        start, end = domain.window_of(now, length)
        over = [key for key, allowed in allowances.items()
                if self.store.count(domain.digest(f"{what}:{key}:{start.isoformat()}"), end) > allowed]
        if not over:
            return None
        # The keys are an account id, a client address or a mailbox: logged by kind only.
        log.warning("%s limit reached (%s)", what, ", ".join(k.partition(":")[0] for k in over))
        return domain.seconds_until(now, end)


def _refuse_mail(wait: int | None) -> None:
    if wait:
        raise TooManyRequests(f"too many mails to this address or for this account; try again in {_minutes(wait)}",
                              retry_after=wait)


def _minutes(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"
