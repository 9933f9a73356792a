"""The only wiring of the votes API process."""
from flask import Flask
from pymongo.database import Database

from idealab.web import create_service_app

from . import api, config
from .store import VoteStore


def create_app(cfg: config.VotesConfig | None = None, db: Database | None = None) -> Flask:
    cfg = cfg or config.load()
    app = create_service_app(cfg.settings, "/api/votes", api.bp, VoteStore, db)
    app.config["VOTE_THRESHOLD"] = cfg.threshold
    return app
