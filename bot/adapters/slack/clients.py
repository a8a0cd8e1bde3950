"""Web API clients per workspace, all on one HTTP session and on `SLACK_API_URL`.

A single-workspace app has one bot token; an OAuth app finds each workspace's token in the
installation store. One shared aiohttp session keeps connections to Slack open, instead of
the client's default of a new session per call.
"""

from __future__ import annotations

import time
from typing import Any

from aiohttp import ClientSession, ClientTimeout, DummyCookieJar
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.delivery.senders import Permanent

TOKEN_TTL = 300.0
TIMEOUT = 15


class SlackClients:
    def __init__(
        self, settings: Settings, installations: AsyncInstallationStore | None = None
    ) -> None:
        self.base_url = settings.slack_api_url
        # Slack's API sets no cookies we need; a jar would be consulted on every call.
        self.session = ClientSession(
            timeout=ClientTimeout(total=TIMEOUT), cookie_jar=DummyCookieJar()
        )
        self.installations = installations
        self.single = (
            self.client(settings.slack_bot_token)
            if settings.slack_bot_token and installations is None
            else None
        )
        self._tokens: dict[str, tuple[str, float]] = {}

    def client(self, token: str | None = None) -> AsyncWebClient:
        return AsyncWebClient(
            token=token, base_url=self.base_url, session=self.session, timeout=TIMEOUT
        )

    async def respond(self, url: str, body: dict[str, Any]) -> int:
        """Post to a payload's `response_url` (Slack hands us the full address); the status."""
        async with self.session.post(url, json=body) as response:
            await response.read()
            return response.status

    async def for_workspace(self, workspace: str | None) -> AsyncWebClient:
        """The bot's client in `workspace`; Permanent when the app is not installed there."""
        if self.single is not None:
            return self.single
        if self.installations is None or not workspace:
            raise Permanent(f"no Slack token for workspace {workspace!r}")
        cached = self._tokens.get(workspace)
        if cached is not None and cached[1] > time.monotonic():
            return self.client(cached[0])
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=workspace)
        if bot is None or not bot.bot_token:
            raise Permanent(f"Kompetencebot is not installed in workspace {workspace}")
        self._tokens[workspace] = (bot.bot_token, time.monotonic() + TOKEN_TTL)
        return self.client(bot.bot_token)

    async def close(self) -> None:
        await self.session.close()
