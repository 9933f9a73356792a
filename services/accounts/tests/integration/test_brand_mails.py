"""The bank's own lab names itself in the accounts service's mails (issue 15): the verification and reset mails
carry the configured name (idealab.brand), not ours."""
import pytest

from idealab import brand

pytestmark = pytest.mark.integration


@pytest.fixture
def le_lab(monkeypatch):
    monkeypatch.setattr(brand, "current", lambda: brand.Brand(name="Le Lab"))


def test_the_sign_up_and_reset_mails_name_the_lab_as_configured(le_lab, client, sign_up, mailbox):
    sign_up("ann@example.com")
    [verification] = mailbox.to("ann@example.com")
    assert verification["Subject"] == "Confirm your email for Le Lab"
    assert "Idea Lab" not in verification.get_content() and "for Le Lab by opening" in verification.get_content()

    assert client.post("/api/accounts/password-resets", json={"email": "ann@example.com"}).status_code == 202
    assert mailbox.link("ann@example.com", "reset-password")  # waits for the mail, sent after the answer
    reset = mailbox.to("ann@example.com")[-1]
    assert reset["Subject"] == "Reset your Le Lab password" and "your Le Lab password" in reset.get_content()
