"""The only wiring of the accounts API process."""
from flask import Flask
from pymongo.database import Database
from werkzeug.middleware.proxy_fix import ProxyFix

from idealab import auth
from idealab.web import create_service_app

from . import api, config
from .handlers import Accounts
from idealab.mail import Mailer
from .oidc import OidcSignIn
from .store import AccountStore


def create_app(cfg: config.AccountsConfig | None = None, db: Database | None = None) -> Flask:
    cfg = cfg or config.load()
    app = create_service_app(cfg.settings, "/api/accounts", api.bp, AccountStore, db)
    # The limits count per client address: the one the trusted proxies in front saw, not what a client claims.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=cfg.trusted_proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    accounts = Accounts(app.extensions["idealab.store"], cfg,
                        Mailer(cfg.smtp_host, cfg.smtp_port, cfg.mail_from))
    accounts.keys.ensure_first()
    app.extensions["accounts"] = accounts
    app.extensions["accounts.oidc"] = OidcSignIn(accounts, cfg)
    # The issuer checks its own tokens against its own keys, read from its database: no HTTP call to itself.
    app.extensions["idealab.verifier"] = auth.Verifier(accounts.keys, cfg.settings.jwt_issuer)
    return app
