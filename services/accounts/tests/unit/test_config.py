"""Settings of the accounts service that other parts of the system rely on."""
import inspect

from accounts import config
from idealab import auth


def test_a_new_key_is_published_longer_before_it_signs_than_verifiers_and_caches_keep_the_old_key_set(monkeypatch):
    monkeypatch.delenv("KEY_PUBLISH_AHEAD_SECONDS", raising=False)
    verifiers_keep = inspect.signature(auth.KeySet).parameters["max_age"].default
    http_caches_keep = 60  # the JWKS answer's Cache-Control max-age

    assert config.load().key_publish_ahead_seconds > verifiers_keep + http_caches_keep
