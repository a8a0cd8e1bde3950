"""Bot Connector clients built once per service URL, not twice per turn.

botbuilder builds a new msrest connector client and a new user-token client for every
activity it takes, and building msrest's configuration (its retry policy) costs about 2.6 ms
of CPU each time: most of what a Teams click cost (BENCHMARKS.md, "Teams answers"). A
client keeps no state of a turn, only its service URL and its credentials (which renew
their own token), so the same app id, service URL and audience get the same client for as
long as the process runs.

msrest's own retry loop is switched off on every client: the outbox retries with backoff
and jitter, and two stacked retry policies would multiply attempts against a throttled
tenant.
"""

from __future__ import annotations

from typing import Any

from botframework.connector.auth import (
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
)

MAX_CLIENTS = 1000
"""Teams has a handful of service URLs (one per region); more means something is wrong,
and starting over costs only the building."""

Key = tuple[str | None, str, str | None]


def _app_id(identity: ClaimsIdentity | None) -> str | None:
    claims = identity.claims if identity is not None else None
    return JwtTokenValidation.get_app_id_from_claims(claims) if claims else None


class ReusedClients(BotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, unchanged, except that the clients it builds are kept."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self.inner = inner
        self.connectors: dict[Key, Any] = {}
        self.token_clients: dict[str | None, Any] = {}

    def _reusing(self, factory: ConnectorFactory | None, identity: Any) -> Any:
        return _Reusing(self, factory, _app_id(identity)) if factory is not None else None

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        result = await self.inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id: str) -> Any:
        result = await self.inner.authenticate_streaming_request(auth_header, channel_id)
        result.connector_factory = self._reusing(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> Any:
        factory = self.inner.create_connector_factory(claims_identity)
        return self._reusing(factory, claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> Any:
        key = _app_id(claims_identity)
        if key not in self.token_clients:
            self.token_clients[key] = await self.inner.create_user_token_client(claims_identity)
        return self.token_clients[key]

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self.inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)


class _Reusing(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, owner: ReusedClients, inner: ConnectorFactory, app_id: str | None) -> None:
        self.owner = owner
        self.inner = inner
        self.app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        kept = self.owner.connectors
        key = (self.app_id, service_url, audience)
        client = kept.get(key)
        if client is None:
            client = await self.inner.create(service_url, audience)
            client.config.retry_policy.retries = 0
            if len(kept) >= MAX_CLIENTS:
                kept.clear()
            kept[key] = client
        return client
