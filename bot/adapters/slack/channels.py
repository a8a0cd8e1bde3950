"""The first time a team's channel uses the bot: name the team after it, join if public.

A profile imported on the command line names its team by the channel id; the channel's own
name reads better in prompts and summaries. Joining a public channel lets the bot share the
chart there later. Each channel is looked at once per process, and only once it is a team.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import FAILURES
from bot.adapters.slack.translate import PLATFORM
from bot.runtime import Runtime
from storage import teams

log = logging.getLogger(__name__)


class ChannelWatch:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._seen: set[str] = set()

    async def see(self, client: AsyncWebClient, channel: str) -> None:
        if channel in self._seen:
            return
        async with self.runtime.sessions() as session:
            team = await teams.find(session, PLATFORM, channel)
        if team is None:
            return
        self._seen.add(channel)
        try:
            info = (await client.conversations_info(channel=channel)).get("channel") or {}
            if not (info.get("is_member") or info.get("is_private") or info.get("is_archived")):
                await client.conversations_join(channel=channel)
        except FAILURES as exc:
            log.info("could not look at Slack channel %s: %s", channel, exc)
            return
        name = info.get("name")
        if team.name != team.key or not name:
            return
        async with self.runtime.transaction() as session:
            team = await teams.find(session, PLATFORM, channel)
            if team is not None and team.name == team.key:
                team.name = str(name)
