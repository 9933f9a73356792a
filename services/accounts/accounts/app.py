"""The only wiring of the accounts API process: the store, and the collaborators the use cases take beside it."""
from flask import Flask
from pymongo.database import Database
from werkzeug.middleware.proxy_fix import ProxyFix

from idealab import auth
from idealab.mail import Mailer
from idealab.web import create_service_app

from . import api, config
from .handlers.keys import Keys
from .handlers.signin import Hasher
from .oidc import OidcSignIn
from .store import AccountStore


def create_app(cfg: config.AccountsConfig | None = None, db: Database | None = None) -> Flask:
    cfg = cfg or config.load()
    app = create_service_app(cfg.settings, "/api/accounts", api.bp, AccountStore, db)
    # The limits count per client address: the one the trusted proxies in front saw, not what a client claims.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=cfg.trusted_proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    keys = Keys(app.extensions["idealab.store"], cfg)
    keys.ensure_first()
    app.extensions.update({"accounts.config": cfg, "accounts.keys": keys, "accounts.hasher": Hasher(cfg),
                           "accounts.mailer": Mailer(cfg.smtp_host, cfg.smtp_port, cfg.mail_from),
                           "accounts.oidc": OidcSignIn(cfg, keys)})
    # The issuer checks its own tokens against its own keys, read from its database: no HTTP call to itself.
    app.extensions["idealab.verifier"] = auth.Verifier(keys, cfg.settings.jwt_issuer)
    return app
