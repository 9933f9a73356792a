"""Fixtures of the ideas tests: an API app over the test's own database, and its store (client and tokens come from the root conftest)."""
import pytest

from ideas.app import create_app
from ideas.config import SERVICE


@pytest.fixture
def app(service_settings, recorded_db):
    return create_app(service_settings(SERVICE), db=recorded_db)


