from dataclasses import dataclass, field

from idealab.config import Settings, env

SERVICE = "accounts"


@dataclass(frozen=True)
class OidcProvider:
    name: str
    display_name: str
    issuer: str
    client_id: str
    client_secret: str
    scope: str = "openid email profile"


@dataclass(frozen=True)
class AccountsConfig:
    settings: Settings
    # Where the mails' links lead: the web lab's pages (/verify, /reset-password, /invitations).
    public_url: str = "http://127.0.0.1:8080"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_from: str = "Idea Lab <no-reply@idealab.invalid>"
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_seconds: int = 30 * 24 * 3600
    # A new signing key is published this long before it signs: longer than any verifier keeps the JWKS it read
    # (idealab.auth reads it again every 60 s) plus what an HTTP cache may add (Cache-Control max-age 60 s).
    key_publish_ahead_seconds: int = 180
    # How recent a sign-in must be to delete the account without the password (accounts made with OIDC have none).
    recent_sign_in_seconds: int = 5 * 60
    oidc_providers: tuple[OidcProvider, ...] = field(default_factory=tuple)
    # argon2id cost (argon2-cffi's defaults, RFC 9106's low-memory profile). Raising them makes every sign-in
    # rehash the password with the new ones.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    # How many times in a window one account, or one client address, may have a password checked (argon2 is costly
    # by design: unlimited, it is a way to take the service's CPU), and one account or one mailbox be sent a mail
    # (verification, reset, invitation). Beyond: 429 with Retry-After. Per client: above the gateway's sign-in limit,
    # so it binds only where the gateway does not (or where no gateway is).
    password_checks_per_account: int = 10
    password_checks_per_client: int = 300
    password_checks_window_seconds: int = 15 * 60
    mails_per_account: int = 5
    mails_per_mailbox: int = 5
    invitations_per_admin: int = 200
    mails_window_seconds: int = 3600
    # Sign-ups (one account, one voice): so many an hour from one client address and with addresses at one email
    # domain; beyond, 429 saying which. Addresses at a refused domain (throwaway-address services; the list is the
    # operator's: REFUSED_EMAIL_DOMAINS, comma-separated, and REFUSED_EMAIL_DOMAINS_FILE, one a line) are 422.
    sign_ups_per_client: int = 20
    sign_ups_per_email_domain: int = 1000
    sign_ups_window_seconds: int = 3600
    refused_email_domains: frozenset[str] = frozenset()
    # Proxies in front that append the client's address to X-Forwarded-For (the gateway): the client address the
    # limits count is the one the nearest of them saw. 0 when clients reach the service directly.
    trusted_proxies: int = 1


def _providers() -> tuple[OidcProvider, ...]:
    names = [n.strip() for n in env("OIDC_PROVIDERS", "").split(",") if n.strip()]
    found = []
    for name in names:
        prefix = f"OIDC_{name.upper()}_"
        found.append(OidcProvider(
            name=name, display_name=env(prefix + "DISPLAY_NAME", name.capitalize()),
            issuer=env(prefix + "ISSUER").rstrip("/"), client_id=env(prefix + "CLIENT_ID"),
            client_secret=env(prefix + "CLIENT_SECRET"), scope=env(prefix + "SCOPE", "openid email profile")))
    return tuple(found)


def _refused_domains() -> frozenset[str]:
    """REFUSED_EMAIL_DOMAINS (comma-separated) and the lines of REFUSED_EMAIL_DOMAINS_FILE (# starts a comment)."""
    names = env("REFUSED_EMAIL_DOMAINS", "").split(",")
    path = env("REFUSED_EMAIL_DOMAINS_FILE", "")
    if path:
        with open(path, encoding="utf-8") as listed:
            names += [line.partition("#")[0] for line in listed]
    return frozenset(n.strip().lower().strip(".") for n in names if n.strip())


def load() -> AccountsConfig:
    return AccountsConfig(
        settings=Settings.from_env(SERVICE),
        public_url=env("PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/"),
        smtp_host=env("SMTP_HOST", "127.0.0.1"),
        smtp_port=int(env("SMTP_PORT", "8025")),
        mail_from=env("MAIL_FROM", "Idea Lab <no-reply@idealab.invalid>"),
        key_publish_ahead_seconds=int(env("KEY_PUBLISH_AHEAD_SECONDS", "180")),
        oidc_providers=_providers(),
        argon2_time_cost=int(env("ARGON2_TIME_COST", "3")),
        argon2_memory_kib=int(env("ARGON2_MEMORY_KIB", str(64 * 1024))),
        argon2_parallelism=int(env("ARGON2_PARALLELISM", "4")),
        password_checks_per_account=int(env("PASSWORD_CHECKS_PER_ACCOUNT", "10")),
        password_checks_per_client=int(env("PASSWORD_CHECKS_PER_CLIENT", "300")),
        mails_per_account=int(env("MAILS_PER_ACCOUNT", "5")),
        mails_per_mailbox=int(env("MAILS_PER_MAILBOX", "5")),
        invitations_per_admin=int(env("INVITATIONS_PER_ADMIN", "200")),
        trusted_proxies=int(env("TRUSTED_PROXIES", "1")),
        sign_ups_per_client=int(env("SIGN_UPS_PER_CLIENT", "20")),
        sign_ups_per_email_domain=int(env("SIGN_UPS_PER_EMAIL_DOMAIN", "1000")),
        refused_email_domains=_refused_domains(),
    )
