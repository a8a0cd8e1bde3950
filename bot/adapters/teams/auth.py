"""Bot Framework authentication: who may post to /api/messages, and how the bot signs in.

botbuilder does the JWT checks (issuer, audience = our app id, the service URL claim,
channel endorsements). Two of its defaults are replaced because they block the event loop:
it fetches the OpenID signing keys with synchronous `requests` calls that have no timeout,
and it builds new credentials (a new MSAL client, so a new synchronous token request) for
every connector it creates. `SigningKeys` and `CachedCredentials` do the same work without.
A third costs CPU rather than blocking: it builds two clients per turn (clients.py keeps them).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botframework.connector.auth import (
    AuthenticationConstants,
    JwtTokenExtractor,
    ServiceClientCredentialsFactory,
)
from jwt.algorithms import RSAAlgorithm

from bot.adapters.teams.clients import ReusedClients
from bot.config import Settings

log = logging.getLogger(__name__)
KEYS_MAX_AGE = 24 * 3600.0
UNKNOWN_KEY_RETRY = 300.0
FAILED_FETCH_RETRY = 30.0
FETCH_TIMEOUT = aiohttp.ClientTimeout(total=10)
METADATA_URLS = (
    AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
    AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
)


@dataclass(frozen=True)
class BotConfig:
    """Our settings under the attribute names botbuilder's configuration readers expect."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None

    @classmethod
    def from_settings(cls, settings: Settings) -> BotConfig:
        return cls(
            settings.microsoft_app_id,
            settings.microsoft_app_password,
            settings.microsoft_app_type,
            settings.microsoft_app_tenant_id,
        )


class CachedCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """One credentials object per audience, so the token MSAL fetched is reused."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.cache: dict[tuple[Any, ...], Any] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self.inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self.inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        if key not in self.cache:
            self.cache[key] = await self.inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
        return self.cache[key]


def authentication(settings: Settings) -> Any:
    """The CloudAdapter's authentication; without an app id it accepts anonymous requests."""
    config = BotConfig.from_settings(settings)
    credentials = CachedCredentials(ConfigurationServiceClientCredentialFactory(config))
    inner = ConfigurationBotFrameworkAuthentication(config, credentials_factory=credentials)
    return ReusedClients(inner)


async def fetch_json(url: str) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as http,
        http.get(url) as response,
    ):
        response.raise_for_status()
        body = await response.json(content_type=None)
    if not isinstance(body, dict):
        raise ValueError(f"{url} did not answer with a JSON object")
    return body


@dataclass(frozen=True)
class SigningKey:
    """What botbuilder's token extractor reads from a key source."""

    public_key: Any
    endorsements: list[str] = field(default_factory=list)


class SigningKeys:
    """The Bot Framework's token signing keys (OpenID metadata, then its JWKS), kept a day.

    An unknown key id refetches them at most every five minutes, and a fetch that failed is
    tried again after half a minute at the earliest: tokens with made-up key ids, however
    many, never turn into a fetch each."""

    def __init__(self, metadata_url: str) -> None:
        self.metadata_url = metadata_url
        self.keys: dict[str, SigningKey] = {}
        self.fetched = -KEYS_MAX_AGE
        self.next_try = -KEYS_MAX_AGE
        self.lock = asyncio.Lock()

    async def get(self, key_id: str) -> SigningKey:
        stale = time.monotonic() - self.fetched > KEYS_MAX_AGE
        if stale or key_id not in self.keys:
            await self._refresh()
        if key_id not in self.keys:
            raise PermissionError(f"token signed with an unknown key {key_id!r}")
        return self.keys[key_id]

    async def _refresh(self) -> None:
        async with self.lock:
            if time.monotonic() < self.next_try:
                return
            self.next_try = time.monotonic() + FAILED_FETCH_RETRY
            try:
                metadata = await fetch_json(self.metadata_url)
                jwks = await fetch_json(str(metadata["jwks_uri"]))
            except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as exc:
                log.warning(
                    "Bot Framework signing keys not fetched: %s: %s", type(exc).__name__, exc
                )
                return
            self.keys = {
                str(key["kid"]): SigningKey(
                    RSAAlgorithm.from_jwk(json.dumps(key)), list(key.get("endorsements") or [])
                )
                for key in jwks.get("keys") or []
                if key.get("kid") and key.get("kty") == "RSA"
            }
            self.fetched = time.monotonic()
            self.next_try = self.fetched + UNKNOWN_KEY_RETRY
            log.info("Bot Framework signing keys refreshed: %d keys", len(self.keys))


def install_signing_keys() -> None:
    """Put our key sources where botbuilder's token extractor looks its keys up."""
    for url in METADATA_URLS:
        JwtTokenExtractor.metadataCache[url] = SigningKeys(url)


def loopback(url: str | None) -> bool:
    """An http(s) URL on this machine: `localhost` or a loopback IP address."""
    try:
        parts = urlsplit(url or "")
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
