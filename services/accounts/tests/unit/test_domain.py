"""Rules of the accounts service, without I/O."""
from datetime import datetime, timedelta, timezone

import pytest

from accounts import domain
from accounts.domain import KeyState, Link, Refresh, SigningKey
from accounts.handlers import common_passwords

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
TTL = timedelta(minutes=15)
COMMON = frozenset({"password", "summer", "qwertyuiop"})


# --- passwords -------------------------------------------------------------------------------------------------

def test_a_long_uncommon_password_is_accepted():
    assert domain.password_problem("correct horse battery staple", COMMON) is None


def test_a_password_shorter_than_ten_characters_is_refused_and_the_error_says_the_minimum():
    assert domain.password_problem("x7#kP2q!z", COMMON) == "use at least 10 characters"
    assert domain.password_problem("x7#kP2q!zQ", COMMON) is None


@pytest.mark.parametrize("password", ["qwertyuiop", "QwertyUiop", "Summer2024!!", "password1234", "password!!!!"])
def test_a_common_password_is_refused_also_with_capitals_or_digits_and_symbols_added(password):
    assert "most common" in domain.password_problem(password, COMMON)


def test_a_common_word_inside_a_longer_passphrase_is_fine():
    assert domain.password_problem("my summer by the sea", COMMON) is None


def test_a_password_of_one_or_two_repeated_characters_is_refused():
    assert domain.password_problem("abababababab", COMMON) == "use more than two different characters"


def test_the_shipped_list_holds_well_known_common_passwords_and_long_ones():
    shipped = common_passwords()
    assert {"password", "123456", "qwerty", "iloveyou", "1234567890", "qwertyuiop"} <= shipped
    assert len(shipped) > 1000
    assert domain.password_problem("Password123!", shipped) is not None


def test_emails_are_compared_trimmed_and_lowercased():
    assert domain.normalise_email("  Ann.Lee@Example.COM ") == "ann.lee@example.com"


def test_only_the_digest_of_a_secret_is_kept_and_it_is_stable():
    secret = domain.new_secret()
    assert len(secret) >= 43 and secret != domain.new_secret()
    assert domain.digest(secret) == domain.digest(secret) != secret


# --- access tokens ---------------------------------------------------------------------------------------------

def test_access_claims_follow_the_token_contract():
    user = {"_id": "u1", "roles": ["member", "admin"], "spaces": ["panel"], "email_verified": False}
    claims = domain.access_claims(user, "idealab", NOW, 900, "s1")
    assert claims["exp"] - claims["iat"] == 900
    assert {k: claims[k] for k in ("iss", "aud", "sub", "sid", "roles", "spaces", "email_verified")} == {
        "iss": "idealab", "aud": "idealab", "sub": "u1", "sid": "s1", "roles": ["member", "admin"],
        "spaces": ["panel"], "email_verified": False}
    assert claims["jti"] != domain.access_claims(user, "idealab", NOW, 900, "s1")["jti"]


def test_banned_and_deleted_accounts_may_not_sign_in():
    assert domain.sign_in_refusal({"banned": {"reason": "spam"}}) == "this account is banned"
    assert domain.sign_in_refusal({"deleted_at": NOW}) is not None
    assert domain.sign_in_refusal(None) is not None
    assert domain.sign_in_refusal({"banned": None, "deleted_at": None}) is None


# --- refresh tokens ----------------------------------------------------------------------------------------------

def token(**changes) -> dict:
    return {"used_at": None, "expires_at": NOW + timedelta(days=30), **changes}


SESSION = {"revoked_at": None}


def test_a_fresh_refresh_token_rotates():
    assert domain.refresh_outcome(token(), SESSION, NOW) is Refresh.ROTATE


def test_a_refresh_token_presented_again_is_a_reuse_even_when_its_session_is_still_open():
    assert domain.refresh_outcome(token(used_at=NOW - timedelta(seconds=1)), SESSION, NOW) is Refresh.REUSED


def test_a_refresh_token_of_a_revoked_session_does_not_rotate():
    assert domain.refresh_outcome(token(), {"revoked_at": NOW}, NOW) is Refresh.REVOKED


def test_an_expired_refresh_token_does_not_rotate():
    assert domain.refresh_outcome(token(expires_at=NOW), SESSION, NOW) is Refresh.EXPIRED


def test_an_unknown_refresh_token_does_not_rotate():
    assert domain.refresh_outcome(None, None, NOW) is Refresh.UNKNOWN


# --- signing keys ------------------------------------------------------------------------------------------------

def key(kid: str, signs_from: datetime) -> SigningKey:
    return SigningKey(kid, signs_from - timedelta(minutes=2), signs_from)


def test_the_first_key_signs_at_once():
    states = domain.key_states([key("a", NOW)], NOW, TTL)
    assert states == {"a": KeyState.ACTIVE}
    assert domain.signing_kid(states) == "a"


def test_a_new_key_is_published_before_it_signs():
    keys = [key("a", NOW - timedelta(days=9)), key("b", NOW + timedelta(minutes=2))]
    states = domain.key_states(keys, NOW, TTL)
    assert states == {"a": KeyState.ACTIVE, "b": KeyState.NEXT}
    assert domain.signing_kid(states) == "a"
    assert sorted(domain.published(states)) == ["a", "b"]


def test_once_the_new_key_signs_the_old_one_stays_published_until_its_last_token_expired():
    keys = [key("a", NOW - timedelta(days=9)), key("b", NOW)]
    during = domain.key_states(keys, NOW + TTL - timedelta(seconds=1), TTL)
    after = domain.key_states(keys, NOW + TTL, TTL)
    assert during == {"a": KeyState.RETIRING, "b": KeyState.ACTIVE}
    assert sorted(domain.published(during)) == ["a", "b"]
    assert after == {"a": KeyState.RETIRED, "b": KeyState.ACTIVE}
    assert domain.published(after) == ["b"]


def test_with_several_rotations_only_the_newest_started_key_signs():
    keys = [key("a", NOW - timedelta(days=9)), key("b", NOW - timedelta(minutes=20)), key("c", NOW),
            key("d", NOW + timedelta(minutes=1))]
    states = domain.key_states(keys, NOW, TTL)
    assert states == {"a": KeyState.RETIRED, "b": KeyState.RETIRING, "c": KeyState.ACTIVE, "d": KeyState.NEXT}


def test_without_a_started_key_nothing_signs():
    assert domain.signing_kid(domain.key_states([key("b", NOW + timedelta(minutes=1))], NOW, TTL)) is None


# --- roles, bans, deletion -------------------------------------------------------------------------------------

def test_roles_are_kept_in_catalogue_order_once_and_always_with_member():
    assert domain.checked_roles(["admin", "moderator", "admin"]) == ["member", "moderator", "admin"]


def test_nobody_bans_themselves():
    assert domain.ban_refusal("m1", frozenset({"admin"}), {"_id": "m1", "roles": ["admin"]}) is not None


def test_a_moderator_bans_members_but_not_other_staff_and_an_admin_bans_anyone_else():
    moderator, admin = frozenset({"member", "moderator"}), frozenset({"member", "admin"})
    assert domain.ban_refusal("m1", moderator, {"_id": "u1", "roles": ["member"]}) is None
    assert domain.ban_refusal("m1", moderator, {"_id": "m2", "roles": ["member", "moderator"]}) is not None
    assert domain.ban_refusal("a1", admin, {"_id": "m2", "roles": ["member", "moderator"]}) is None


def test_an_account_without_password_is_deleted_only_on_a_recent_sign_in():
    recent = timedelta(minutes=5)
    assert domain.may_delete_without_password(int(NOW.timestamp()) - 60, NOW, recent)
    assert not domain.may_delete_without_password(int(NOW.timestamp()) - 600, NOW, recent)
    assert not domain.may_delete_without_password(None, NOW, recent)


def test_an_erased_email_is_unique_per_user_and_nobodys_address():
    assert domain.erased_email("u1") != domain.erased_email("u2")
    assert domain.erased_email("u1").endswith(".invalid")


# --- OpenID Connect ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/ideas/42?sort=new", "/account#top"])
def test_return_to_may_be_any_path_of_this_site(path):
    assert domain.safe_return_to(path) == path


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "ideas",
                                  "javascript:alert(1)", "/ok\r\nLocation: x"])
def test_return_to_refuses_anything_that_could_leave_the_site(path):
    with pytest.raises(ValueError):
        domain.safe_return_to(path)


def test_a_missing_return_to_is_the_home_page():
    assert domain.safe_return_to(None) == "/"


def test_linking_a_provider_identity():
    verified = {"_id": "u1", "email_verified": True}
    assert domain.link_decision(verified, None, False) is Link.KNOWN
    assert domain.link_decision(None, verified, True) is Link.BY_EMAIL
    assert domain.link_decision(None, None, True) is Link.NEW


def test_an_account_nobody_proved_the_address_of_is_reclaimed_by_the_owner_the_provider_vouches_for():
    assert domain.link_decision(None, {"_id": "u2", "email_verified": False}, True) is Link.RECLAIMED


def test_an_address_the_provider_did_not_verify_claims_nothing():
    assert domain.link_decision(None, {"_id": "u1", "email_verified": True}, False) is Link.REFUSED
    assert domain.link_decision(None, {"_id": "u2", "email_verified": False}, False) is Link.REFUSED
    assert domain.link_decision(None, None, False) is Link.REFUSED


def test_an_invitation_is_for_the_address_it_was_sent_to_only():
    link = {"email": "ann@example.com"}
    assert domain.invitation_is_for(link, {"email": "Ann@Example.com"})
    assert not domain.invitation_is_for(link, {"email": "bob@example.com"})


# --- events ----------------------------------------------------------------------------------------------------

def test_user_events_carry_no_email_and_no_password_hash():
    user = {"_id": "u1", "email": "ann@example.com", "display_name": "Ann", "password_hash": "$argon2id$...",
            "created_at": NOW}
    event = domain.user_registered(user, "password")
    assert event["subject"] == "u1"
    assert event["data"] == {"user_id": "u1", "display_name": "Ann", "signed_up_with": "password",
                             "registered_at": NOW.isoformat()}


def test_the_email_verified_event_carries_no_address_the_contact_record_does_while_verified():
    user = {"_id": "u1", "email": "ann@example.com", "password_hash": "$argon2id$...", "email_verified": True,
            "deleted_at": None, "contact_changed_at": NOW}
    event = domain.email_verified(user, NOW)
    assert (event["type"], event["subject"], event["dataschema"]) == ("user.email_verified", "u1",
                                                                      "urn:idealab:events:user.email_verified:v2")
    assert event["data"] == {"user_id": "u1", "verified_at": NOW.isoformat()}
    assert domain.contact_record(user) == {"user_id": "u1", "email": "ann@example.com",
                                           "changed_at": NOW.isoformat()}
    assert domain.contact_record({**user, "deleted_at": NOW}) is None  # erased: a tombstone
    assert domain.contact_record({**user, "email_verified": False}) is None


def test_membership_events_are_keyed_by_space_so_adds_and_removals_stay_in_order():
    assert domain.member_added("s1", "u1", NOW)["subject"] == "s1"
    assert domain.member_removed("s1", "u1", "a1", NOW)["subject"] == "s1"


def test_an_address_is_at_a_refused_domain_itself_or_a_subdomain_of_it():
    refused = frozenset({"throwaway.example", "tempmail.test"})
    assert domain.refused_domain("a@throwaway.example", refused) == "throwaway.example"
    assert domain.refused_domain("a@x.y.tempmail.test", refused) == "tempmail.test"
    assert domain.refused_domain("a@nothrowaway.example", refused) is None
    assert domain.refused_domain("a@bank.example", frozenset()) is None
