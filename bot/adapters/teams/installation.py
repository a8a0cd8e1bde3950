"""The app arriving in, and leaving, a team, a channel or a personal chat.

On arrival in a channel the team is stored (key = the channel's conversation id, workspace =
the tenant), with the channel's reference and the tenant's service URL, and the channel gets
a greeting that says how to begin; the installer becomes the team's first leader. On removal
the channel is marked removed (the sender refuses to post there), and when no channel of the
tenant has the app any more the installation is marked uninstalled, which stops all sending.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.teams import store
from bot.adapters.teams.replies import destination
from bot.adapters.teams.translate import PLATFORM, Origin
from bot.config import Settings
from bot.dialogs.guidance import help_message
from bot.dialogs.outcome import Outgoing
from bot.usecases import arrival
from storage.types import utcnow

PERSON_PREFIX = "29:"


async def install(session: AsyncSession, settings: Settings, where: Origin) -> list[Outgoing]:
    """Record the installation; returns the greeting's outbox row if this is a new arrival
    (Teams announces one install both as the bot joining and as an installation update)."""
    if where.personal:
        opened = await store.chat(session, where.person.user_id)
        await store.remember(session, where)
        if opened is not None:
            return []  # a chat the bot opened itself: the member already has its message
        welcome = help_message(where.person.language or settings.language)
        target = destination(where, "conversation", where.conversation)
        return [Outgoing(target, welcome, f"teams:welcome:{where.person.user_id}")]
    key = where.team_key
    if not key or not where.tenant:
        return []
    before = await store.installation(session, where.tenant, lock=True)
    arrived = before is None or key not in store.channels_of(before)
    await store.remember(session, where)
    if not arrived:
        return []
    person = where.person if where.person.user_id.startswith(PERSON_PREFIX) else None
    greeting = await arrival.arrived(
        session,
        settings,
        PLATFORM,
        key,
        team_name=where.team_name,
        workspace=where.tenant,
        installer=person,
        bot_name=where.bot.name or "Kompetencebot",
    )
    target = destination(where, "channel", key)
    return [Outgoing(target, greeting, f"teams:greeting:{key}:{where.event_id}")]


async def name_team(session: AsyncSession, where: Origin) -> None:
    """Teams tells team and channel names on installs and renames; summaries show them."""
    if where.team_key and where.team_name:
        await arrival.renamed(session, PLATFORM, where.team_key, where.team_name)


async def uninstall(session: AsyncSession, where: Origin) -> None:
    """Stop sending where the app was removed: one channel, or, when it left the team (its
    General channel, whose key is the team id), every channel of that team."""
    if where.personal:
        await store.forget_chat(session, where.person.user_id)
        return
    if not where.tenant or not where.team_key:
        return
    row = await store.installation(session, where.tenant, lock=True)
    channels = store.channels_of(row) if row is not None else [where.team_key]
    whole_team = where.team_key == where.team_id
    gone = []
    for key in {*channels, where.team_key}:
        ref = await store.channel(session, key)
        same_team = whole_team and ref is not None and ref.team_id == where.team_id
        if key == where.team_key or same_team:
            gone.append(key)
            if ref is not None:
                await store.put_channel(session, key, replace(ref, removed=True))
    if row is not None:
        left = [key for key in channels if key not in gone]
        store.set_channels(row, left)
        if not left:
            row.uninstalled_at = utcnow()
