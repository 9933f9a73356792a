"""Signing in with the bank's identity provider: the button comes from the accounts service's providers, the
provider's redirect lands on /signed-in with the tokens in the fragment, and the page keeps them and hides them."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import oidc

pytestmark = pytest.mark.browser


def test_a_customer_signs_in_with_the_bank_and_the_tokens_leave_the_address_bar(page, identity_provider, accessible):
    identity_provider.person = oidc.Person(sub="bank-customer-7", email="kim.bank-customer@example.com", name="Kim")
    page.goto("/sign-in?next=/roadmap")
    accessible(page, "sign-in with a provider")
    page.get_by_role("link", name="Sign in with My Bank").click()

    expect(page).to_have_url(re.compile(r"/roadmap$"))
    assert "access_token" not in page.url
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_text("kim.bank-customer@example.com")).to_be_visible()


def test_a_landing_without_tokens_says_the_sign_in_failed(page):
    page.goto("/signed-in#error=access_denied")
    expect(page.get_by_role("alert")).to_contain_text("did not complete")
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
