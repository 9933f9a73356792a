"""The only wiring of the ideas API process."""
from flask import Flask
from pymongo.database import Database

from idealab.config import Settings
from idealab.web import create_service_app

from . import api, config, promise_api, share_api
from .moderation_api import bp as moderation_bp
from .store import IdeaStore


def create_app(settings: Settings | None = None, db: Database | None = None,
               images: config.Images | None = None) -> Flask:
    app = create_service_app(settings or config.load(), "/api/ideas", api.bp, IdeaStore, db)
    app.extensions["ideas.images"] = images or config.images()
    app.register_blueprint(moderation_bp, url_prefix="/api/ideas")  # flags and the moderation queue
    app.register_blueprint(promise_api.bp, url_prefix="/api/ideas/promise")
    app.register_blueprint(share_api.bp, url_prefix="/api/ideas")  # an idea's page with its share preview
    app.config.update(PUBLIC_URL=config.public_url(), WEB_INDEX=config.web_index())
    return app
