"""How often one account, one client address or one mailbox may have the service check a password or send a mail.

Counted in the service's database, one counter per key and fixed window, so the limits hold with any gateway in
front (or none) and across every process that serves. Password checks are limited because argon2 is costly by
design: unlimited, any route that hashes is a way to take the service's CPU. Mails are limited so the service
cannot be used to flood a mailbox."""
import logging
from datetime import timedelta

from werkzeug.exceptions import TooManyRequests

from idealab.windows import seconds_until, window_of

from . import domain
from .config import AccountsConfig
from .handlers import now
from .store import AccountStore

log = logging.getLogger(__name__)


def password_check(store: AccountStore, cfg: AccountsConfig, account: str, client: str | None) -> None:
    """Counts a password check for the account (its id, or the address typed when there is none) and the client
    address; 429 beyond either's allowance."""
    wait = _count(store, "password", timedelta(seconds=cfg.password_checks_window_seconds), {
        f"account:{account}": cfg.password_checks_per_account, f"client:{client}": cfg.password_checks_per_client})
    if wait:
        raise TooManyRequests(f"too many password attempts for this account or from this address; try again in "
                              f"{_minutes(wait)}", retry_after=wait)


def mail(store: AccountStore, cfg: AccountsConfig, mailbox: str, account: str) -> int | None:
    """Counts a mail to `mailbox` about `account`: None when it may go, else the seconds to wait. For mails whose
    refusal must not be told (a reset request answers the same for any address)."""
    return _count(store, "mail", timedelta(seconds=cfg.mails_window_seconds), {
        f"mailbox:{mailbox}": cfg.mails_per_mailbox, f"account:{account}": cfg.mails_per_account})


def mail_or_refuse(store: AccountStore, cfg: AccountsConfig, mailbox: str, account: str) -> None:
    """As mail(), with 429 when it may not go: for mails the person asked for and is told about."""
    _refuse_mail(mail(store, cfg, mailbox, account))


def sign_up(store: AccountStore, cfg: AccountsConfig, email_domain: str, client: str | None) -> None:
    """Counts a sign-up from the client address and at the email domain; 429 saying which is beyond its allowance
    (both are counted, so a refused burst still uses up the allowance of each)."""
    length = timedelta(seconds=cfg.sign_ups_window_seconds)
    by_client = _count(store, "sign-up", length, {f"client:{client}": cfg.sign_ups_per_client})
    by_domain = _count(store, "sign-up", length, {f"domain:{email_domain}": cfg.sign_ups_per_email_domain})
    if by_client:
        raise TooManyRequests(f"too many new accounts from this address; try again in {_minutes(by_client)}",
                              retry_after=by_client)
    if by_domain:
        raise TooManyRequests(f"too many new accounts with addresses at {email_domain}; try again in "
                              f"{_minutes(by_domain)}", retry_after=by_domain)


def invitation_or_refuse(store: AccountStore, cfg: AccountsConfig, mailbox: str, admin: str) -> None:
    """Counts an invitation mailed by `admin`: the mailbox's allowance is every mail's, the admin's is their own and
    larger (a panel is invited at once)."""
    _refuse_mail(_count(store, "mail", timedelta(seconds=cfg.mails_window_seconds), {
        f"mailbox:{mailbox}": cfg.mails_per_mailbox, f"inviter:{admin}": cfg.invitations_per_admin}))


def _count(store: AccountStore, what: str, length: timedelta, allowances: dict[str, int]) -> int | None:
    """Counts one for every key; the seconds until the window ends when any is beyond its allowance."""
    at = now()
    start, end = window_of(at, length)
    over = [key for key, allowed in allowances.items()
            if store.count(domain.digest(f"{what}:{key}:{start.isoformat()}"), end) > allowed]
    if not over:
        return None
    # The keys are an account id, a client address or a mailbox: logged by kind only.
    log.warning("%s limit reached (%s)", what, ", ".join(k.partition(":")[0] for k in over))
    return seconds_until(at, end)


def _refuse_mail(wait: int | None) -> None:
    if wait:
        raise TooManyRequests(f"too many mails to this address or for this account; try again in {_minutes(wait)}",
                              retry_after=wait)


def _minutes(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"
