"""Sign-in through OpenID Connect providers (Authlib's OAuth 2 client): authorization code with PKCE (S256), state
and nonce kept in the database for one use and bound to the browser that started the sign-in (a cookie), the ID
token checked against the provider's keys."""
import logging
import threading
from urllib.parse import urlencode

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import OAuth2Error
from werkzeug.exceptions import BadGateway, BadRequest, NotFound

from . import domain
from .config import AccountsConfig, OidcProvider
from .domain import Refused
from .handlers import identities, now, signin
from .handlers.keys import Keys
from .store import AccountStore

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
ID_TOKEN_ALGORITHMS = ["RS256", "ES256", "PS256"]


class OidcSignIn:
    """The configured providers, their discovered metadata, and the sign-ins through them."""

    def __init__(self, cfg: AccountsConfig, keys: Keys):
        self.cfg = cfg
        self.keys = keys
        self._providers = {p.name: p for p in cfg.oidc_providers}
        self._metadata: dict[str, dict] = {}
        self._lock = threading.Lock()

    def providers(self) -> list[OidcProvider]:
        return list(self._providers.values())

    def browser_cookie(self) -> dict:
        """The cookie binding a sign-in to the browser that started it (Flask's set_cookie arguments but the value):
        a callback opened in another browser (an attacker's sign-in, to land the victim in the attacker's account)
        finds no attempt. Lax: the provider's redirect back is a top-level GET. Over HTTPS, __Host-: no sibling
        site can set it."""
        secure = self.cfg.public_url.startswith("https://")
        return {"key": "__Host-idealab-sign-in" if secure else "idealab-sign-in", "secure": secure, "httponly": True,
                "samesite": "Lax", "path": "/", "max_age": int(domain.SIGN_IN_ATTEMPT_TTL.total_seconds())}

    def start(self, store: AccountStore, name: str, return_to: str, browser: str) -> str:
        """The provider's authorization URL for a new sign-in attempt by the browser holding `browser`."""
        provider = self._provider(name)
        try:
            return_to = domain.safe_return_to(return_to)
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
        state, nonce, verifier = domain.new_secret(), domain.new_secret(), domain.new_secret()
        at = now()
        store.add_sign_in_attempt({"_id": domain.digest(state), "browser": domain.digest(browser), "provider": name,
                                   "nonce": nonce, "code_verifier": verifier, "return_to": return_to,
                                   "created_at": at, "expires_at": at + domain.SIGN_IN_ATTEMPT_TTL})
        url, _ = self._client(provider).create_authorization_url(
            self._discover(provider)["authorization_endpoint"], state=state, code_verifier=verifier, nonce=nonce)
        return url

    def finish(self, store: AccountStore, name: str, params: dict, browser: str | None) -> str:
        """Where the browser goes once the provider sent it back: `return_to` with the tokens in the fragment, or
        with `error` and `error_description` there when the sign-in failed (the web lab says so). Without a known
        sign-in attempt of this browser there is no `return_to` to trust: a 400 problem."""
        provider = self._provider(name)
        attempt = store.take_sign_in_attempt(domain.digest(params.get("state") or ""), domain.digest(browser or ""))
        if attempt is None or attempt["provider"] != name:
            raise BadRequest("this sign-in is unknown, already finished or was started in another browser; start "
                             "again")
        try:
            if attempt["expires_at"] <= now():
                raise Refused("expired", "this sign-in took too long; start again")
            if params.get("error"):
                raise Refused(params["error"][:64], f"{provider.display_name} did not sign you in")
            if not params.get("code"):
                raise Refused("invalid_request", f"{provider.display_name} sent no code")
            try:
                user = identities.account_for(store, provider, self._id_token_claims(provider, params["code"], attempt))
            except BadGateway as exc:  # discovery or the provider's keys could not be read
                raise Refused("temporarily_unavailable", exc.description) from exc
        except Refused as refused:
            log.warning("OIDC sign-in with %s refused: %s (%s)", name, refused.error, refused.description)
            return attempt["return_to"] + "#" + urlencode({"error": refused.error,
                                                           "error_description": refused.description})
        tokens = signin.issue_tokens(store, self.cfg, self.keys, user, signed_in_with=name)
        return attempt["return_to"] + "#" + urlencode(tokens)

    def _id_token_claims(self, provider: OidcProvider, code: str, attempt: dict) -> dict:
        metadata = self._discover(provider)
        try:
            token = self._client(provider).fetch_token(metadata["token_endpoint"], code=code,
                                                       code_verifier=attempt["code_verifier"],
                                                       grant_type="authorization_code", timeout=TIMEOUT_SECONDS)
        except OAuth2Error as exc:
            raise Refused("access_denied", f"{provider.display_name} refused the sign-in: {exc.error}") from exc
        except requests.RequestException as exc:
            raise Refused("temporarily_unavailable", f"{provider.display_name} does not answer") from exc
        if "id_token" not in token:
            raise Refused("invalid_id_token", f"{provider.display_name} sent no ID token")
        try:
            header = jwt.get_unverified_header(token["id_token"])
            keys = jwt.PyJWKSet.from_dict(self._get(metadata["jwks_uri"]))
            key = next((k for k in keys.keys if k.key_id == header.get("kid")), None)
            if key is None and len(keys.keys) == 1 and not header.get("kid"):
                key = keys.keys[0]
            if key is None:
                raise jwt.InvalidTokenError("signed with a key the provider does not publish")
            claims = jwt.decode(token["id_token"], key, algorithms=ID_TOKEN_ALGORITHMS,
                                audience=provider.client_id, issuer=metadata["issuer"],
                                options={"require": ["iss", "aud", "sub", "exp", "iat", "nonce"]})
        except jwt.PyJWTError as exc:
            raise Refused("invalid_id_token", f"the ID token from {provider.display_name} is not valid: {exc}") \
                from exc
        if claims["nonce"] != attempt["nonce"]:
            raise Refused("invalid_id_token", f"the ID token from {provider.display_name} is not for this sign-in "
                                              "(nonce)")
        return claims

    def _provider(self, name: str) -> OidcProvider:
        if name not in self._providers:
            raise NotFound(f"no sign-in provider {name!r}")
        return self._providers[name]

    def _client(self, provider: OidcProvider) -> OAuth2Session:
        return OAuth2Session(provider.client_id, provider.client_secret, scope=provider.scope,
                             redirect_uri=self.redirect_uri(provider), code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic")

    def redirect_uri(self, provider: OidcProvider) -> str:
        return f"{self.cfg.public_url}/api/accounts/oidc/{provider.name}/callback"

    def _discover(self, provider: OidcProvider) -> dict:
        with self._lock:
            cached = self._metadata.get(provider.name)
        if cached is None:
            cached = self._get(f"{provider.issuer}/.well-known/openid-configuration")
            if cached.get("issuer", "").rstrip("/") != provider.issuer:
                raise BadGateway(f"{provider.display_name} announces another issuer than configured")
            with self._lock:
                self._metadata[provider.name] = cached
        return cached

    def _get(self, url: str) -> dict:
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("OIDC provider request %s failed: %s", url, exc)
            raise BadGateway("the sign-in provider does not answer; try again shortly") from exc
