"""Every configured platform's member directory, for work outside a chat turn: the command
line's `unit start` asks each member team's platform who is in its channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.adapters.contract import Directory
from bot.runtime import Runtime


@asynccontextmanager
async def directories(runtime: Runtime) -> AsyncIterator[dict[str, Directory]]:
    """By platform: the playground always; Slack when a token or OAuth is configured; Teams
    (its stored channel references say where to ask)."""
    from bot.adapters.slack import oauth
    from bot.adapters.slack.clients import SlackClients
    from bot.adapters.slack.directory import SlackDirectory
    from bot.adapters.teams.auth import authentication
    from bot.adapters.teams.directory import TeamsDirectory
    from bot.adapters.teams.proactive import Proactive
    from bot.adapters.web.routes import WebDirectory

    settings = runtime.settings
    found: dict[str, Directory] = {"web": WebDirectory(runtime)}
    clients: SlackClients | None = None
    if settings.slack_bot_token or oauth.oauth_enabled(settings):
        installations = (
            oauth.installation_store(settings, runtime.engine)
            if oauth.oauth_enabled(settings)
            else None
        )
        clients = SlackClients(settings, installations)
        found["slack"] = SlackDirectory(clients)
    from botbuilder.integration.aiohttp import CloudAdapter

    proactive = Proactive(CloudAdapter(authentication(settings)), settings.microsoft_app_id)
    found["teams"] = TeamsDirectory(runtime, proactive)
    try:
        yield found
    finally:
        if clients is not None:
            await clients.close()
