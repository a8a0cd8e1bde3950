"""Who takes part in a round started in a Teams channel.

A standard channel's participants are the team's roster; a private or shared channel's are
that channel's own members (DESIGN.md). Both are read page by page; bots (ids "28:…") and
this bot are left out. A channel the bot never heard from has no roster to read.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.adapters.teams import store
from bot.adapters.teams.proactive import Proactive
from bot.domain import Member
from bot.runtime import Runtime

OWN_MEMBERSHIP = frozenset({"private", "shared"})
BOT_PREFIX = "28:"


class TeamsDirectory:
    def __init__(self, runtime: Runtime, proactive: Proactive) -> None:
        self.runtime = runtime
        self.proactive = proactive

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]:
        async with self.runtime.sessions() as session:
            ref = await store.channel(session, team_key)
        if ref is None or ref.removed:
            return []
        own = (ref.channel_type or "").lower() in OWN_MEMBERSHIP
        roster_id = team_key if own or not ref.team_id else ref.team_id
        accounts = await self.proactive.roster(ref.place, roster_id)
        return [
            Member(a.id, a.name, a.given_name)
            for a in accounts
            if not a.id.startswith(BOT_PREFIX) and a.id != ref.place.bot.id
        ]
