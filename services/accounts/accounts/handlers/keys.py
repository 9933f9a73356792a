"""The key ring. Unlike the use cases it holds its store: the token verifier (idealab.auth.Verifier) asks it for keys
outside any request, and it keeps the private keys it has read."""
import json
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.exceptions import ServiceUnavailable, Unauthorized

from idealab.auth import ALGORITHM

from .. import domain
from ..config import AccountsConfig
from ..domain import KeyState
from ..store import AccountStore
from . import now


class Keys:
    """The RSA signing keys: kept in the database, published as a JWKS, rotated without downtime."""

    def __init__(self, store: AccountStore, cfg: AccountsConfig, clock: Callable[[], datetime] = now):
        self.store = store
        self.cfg = cfg
        self.clock = clock
        self._private: dict[str, rsa.RSAPrivateKey] = {}
        self._lock = threading.Lock()

    def ensure_first(self) -> None:
        """At first start there is nobody to warn ahead: the first key signs at once."""
        # The generation is read first: a process that adds the first key between the two reads then holds it, and
        # this one's key is refused (read second, it was the next generation, and two keys signed: seen in CI).
        generation = self.store.last_key_generation() + 1
        if not self.store.signing_keys_in_use():
            self._add(ahead=timedelta(0), generation=generation)

    def rotate(self) -> str:
        """Adds a key that verifiers learn of before it signs; the current one retires once its tokens expired."""
        while True:
            kid = self._add(ahead=timedelta(seconds=self.cfg.key_publish_ahead_seconds),
                            generation=self.store.last_key_generation() + 1)
            if kid:
                return kid

    def _add(self, ahead: timedelta, generation: int) -> str | None:
        """The new key's id, or None when another process added this generation first."""
        now = self.clock()
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        kid = domain.new_id()[:16]
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        added = self.store.add_signing_key({
            "_id": kid, "generation": generation, "created_at": now, "signs_from": now + ahead,
            "state": (KeyState.ACTIVE if ahead <= timedelta(0) else KeyState.NEXT).value, "state_since": now,
            "public_jwk": {**public, "kid": kid, "use": "sig", "alg": ALGORITHM},
            "private_pem": private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()).decode()})
        return kid if added else None

    def current(self) -> tuple[list[dict], dict[str, KeyState]]:
        """The keys still in use and their state now; state changes are written back so the database shows them."""
        docs = self.store.signing_keys_in_use()
        now = self.clock()
        states = domain.key_states([self.store.schedule_entry(d) for d in docs], now,
                                   timedelta(seconds=self.cfg.access_ttl_seconds))
        for doc in docs:
            if doc["state"] != states[doc["_id"]].value:
                self.store.set_key_state(doc["_id"], states[doc["_id"]].value, now)
        return docs, states

    def jwks(self) -> dict:
        docs, states = self.current()
        shown = set(domain.published(states))
        return {"keys": [d["public_jwk"] for d in sorted(docs, key=lambda d: d["created_at"]) if d["_id"] in shown]}

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key `kid` if it is still published: what idealab.auth.Verifier asks a key set for."""
        docs, states = self.current()
        doc = next((d for d in docs if d["_id"] == kid and states[kid] is not KeyState.RETIRED), None)
        if doc is None:
            raise Unauthorized("invalid token: signed with an unknown key")
        return jwt.PyJWK(doc["public_jwk"], algorithm=ALGORITHM)

    def sign(self, claims: dict) -> str:
        docs, states = self.current()
        kid = domain.signing_kid(states)
        if kid is None:
            raise ServiceUnavailable("no signing key is active; run `python -m accounts.cli rotate-keys`")
        with self._lock:
            if kid not in self._private:
                pem = next(d["private_pem"] for d in docs if d["_id"] == kid)
                self._private[kid] = serialization.load_pem_private_key(pem.encode(), password=None)
            private = self._private[kid]
        return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": kid})
