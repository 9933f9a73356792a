"""The accounts service: who people are (email and password, or OpenID Connect), their roles and invite-only spaces,
and the signed access tokens every other service trusts."""
