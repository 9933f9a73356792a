"""A real OpenID Connect provider for the accounts tests, built with Authlib's server side: authorization code
with PKCE, ID tokens signed with its own RSA key, discovery and JWKS. It signs in whichever person the test says is
at the browser, without a login page."""
import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, OpenIDCode
from flask import Flask, jsonify
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


@dataclass
class Person:
    sub: str
    email: str
    email_verified: bool = True
    name: str = "Ann Lee"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic"

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class Provider:
    """Start with `with Provider(...) as provider:`; `provider.issuer` is its URL on a free loopback port."""

    def __init__(self, client_id: str = "idealab", client_secret: str = "s3cret-for-tests"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = ""  # set by the test: the accounts service's callback
        self.person: Person | None = None  # who is at the browser; None: the person refuses
        self.wrong_nonce = False  # sign ID tokens with another nonce than asked, as a replayed token would have
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-key-1"})
        self.codes: dict[str, Code] = {}
        self.server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Provider":
        self._thread.start()
        return self

    def __exit__(self, *_):
        self.stop()

    def stop(self) -> None:
        """Stops answering (again: harmless)."""
        self.server.shutdown()
        self._thread.join(timeout=10)

    def _app(self) -> Flask:
        app = Flask("oidc-provider")
        provider = self

        def query_client(client_id):
            if client_id == provider.client_id:
                return Client(provider.client_id, provider.client_secret, provider.redirect_uri)
            return None

        authorization = AuthorizationServer(app, query_client=query_client, save_token=lambda token, request: None)

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

            def save_authorization_code(self, code, request):
                payload = request.payload
                provider.codes[code] = Code(code, request.client.client_id, payload.redirect_uri, payload.scope,
                                            request.user, payload.data.get("nonce"),
                                            payload.data.get("code_challenge"),
                                            payload.data.get("code_challenge_method"))

            def query_authorization_code(self, code, client):
                found = provider.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code):
                return authorization_code.person

        class IdToken(OpenIDCode):
            def resolve_client_private_key(self, client):
                return provider.key

            def get_client_claims(self, client):
                return {"iss": provider.issuer, "aud": [client.get_client_id()], "exp": int(time.time()) + 300}

            def exists_nonce(self, nonce, request):
                return any(c.nonce == nonce for c in provider.codes.values())

            def generate_user_info(self, user, scope):
                info = {"sub": user.sub, "email": user.email, "email_verified": user.email_verified,
                        "name": user.name}
                if provider.wrong_nonce:
                    info["nonce"] = "not-the-nonce-the-client-sent"
                return info

        authorization.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({
                "issuer": provider.issuer, "authorization_endpoint": f"{provider.issuer}/authorize",
                "token_endpoint": f"{provider.issuer}/token", "jwks_uri": f"{provider.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"]})

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [provider.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            grant = authorization.get_consent_grant(end_user=provider.person)
            return authorization.create_authorization_response(grant=grant, grant_user=provider.person)

        @app.post("/token")
        def token():
            return authorization.create_token_response()

        return app
