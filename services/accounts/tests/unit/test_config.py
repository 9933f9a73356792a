"""Settings of the accounts service that other parts of the system rely on."""
import inspect

from accounts import config
from idealab import auth


def test_a_new_key_is_published_longer_before_it_signs_than_verifiers_and_caches_keep_the_old_key_set(monkeypatch):
    monkeypatch.delenv("KEY_PUBLISH_AHEAD_SECONDS", raising=False)
    verifiers_keep = inspect.signature(auth.KeySet).parameters["max_age"].default
    http_caches_keep = 60  # the JWKS answer's Cache-Control max-age

    assert config.load().key_publish_ahead_seconds > verifiers_keep + http_caches_keep


def test_refused_email_domains_come_from_the_environment_and_a_file(monkeypatch, tmp_path):
    listed = tmp_path / "throwaway-domains.txt"
    listed.write_text("# throwaway-address services\nMailinator.example\n\ntempmail.test  # and its subdomains\n")
    monkeypatch.setenv("REFUSED_EMAIL_DOMAINS", "yopmail.example, .guerrilla.example")
    monkeypatch.setenv("REFUSED_EMAIL_DOMAINS_FILE", str(listed))
    assert config.load().refused_email_domains == {"mailinator.example", "tempmail.test", "yopmail.example",
                                                    "guerrilla.example"}
