"""The provider identities linked to an account, shown to its owner (on the account page and in every password reset
mail, so an identity someone else linked does not go unseen) and removable by them."""
from collections.abc import Callable
from datetime import datetime

from werkzeug.exceptions import NotFound

from .config import AccountsConfig
from .store import AccountStore


class LinkedIdentities:
    def __init__(self, store: AccountStore, cfg: AccountsConfig, clock: Callable[[], datetime]):
        self.store = store
        self.clock = clock
        self._display_names = {p.name: p.display_name for p in cfg.oidc_providers}

    def of(self, user_id: str) -> list[dict]:
        """[{provider, display_name, subject, linked_at}], oldest first."""
        return [{**identity, "display_name": self._display_names.get(identity["provider"], identity["provider"])}
                for identity in self.store.identities_of(user_id)]

    def remove(self, user_id: str, provider: str) -> None:
        """Unlinks the provider's identities from the account and closes the sessions opened with them."""
        if not self.store.unlink_identities(user_id, provider):
            raise NotFound("no identity of this provider is linked to your account")
        self.store.revoke_sessions_of(user_id, self.clock(), "identity removed", signed_in_with=provider)
