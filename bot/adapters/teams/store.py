"""Teams facts in the database: installations, and where to reach channels and people.

Teams cannot be messaged from an id alone: a proactive message needs the service URL, the
tenant and the conversation, all learnt from inbound activities. They are kept in
`Installation` (one row per tenant: service URL, the bot's account, the channels it is
installed in) and `ConversationRef` (kind "channel" per team key, kind "user" per member's
1:1 chat). Callers own the transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.teams.translate import PLATFORM, Account, Origin
from storage import conversations
from storage.models import Installation

CHANNEL = "channel"
USER = "user"


@dataclass(frozen=True)
class Place:
    """A conversation the bot can post to (`conversation` None: a 1:1 chat not yet opened)."""

    service_url: str
    conversation: str | None
    tenant: str | None
    bot: Account

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        bot = data.get("bot") or {}
        return cls(
            str(data.get("service_url") or ""),
            data.get("conversation"),
            data.get("tenant"),
            Account(str(bot.get("id") or ""), str(bot.get("name") or "")),
        )


@dataclass(frozen=True)
class ChannelRef:
    """A channel the bot is in; `team_id` and `channel_type` decide whose roster counts."""

    place: Place
    team_id: str | None = None
    channel_type: str | None = None
    removed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.place.to_dict(),
            "team_id": self.team_id,
            "channel_type": self.channel_type,
            "removed": self.removed,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChannelRef:
        return cls(
            Place.from_dict(data),
            data.get("team_id"),
            data.get("channel_type"),
            bool(data.get("removed")),
        )


async def channel(session: AsyncSession, key: str) -> ChannelRef | None:
    found = await conversations.reference(session, PLATFORM, CHANNEL, key)
    return ChannelRef.from_dict(found) if found is not None else None


async def put_channel(session: AsyncSession, key: str, ref: ChannelRef) -> None:
    await conversations.keep_reference(session, PLATFORM, CHANNEL, key, ref.to_dict())


async def chat(session: AsyncSession, user_id: str) -> Place | None:
    """A member's 1:1 chat with the bot, if it has been opened."""
    found = await conversations.reference(session, PLATFORM, USER, user_id)
    return Place.from_dict(found) if found is not None else None


async def put_chat(session: AsyncSession, user_id: str, place: Place) -> None:
    await conversations.keep_reference(session, PLATFORM, USER, user_id, place.to_dict())


async def forget_chat(session: AsyncSession, user_id: str) -> None:
    """The member removed the app from their personal chat: that chat is gone."""
    await conversations.drop_reference(session, PLATFORM, USER, user_id)


async def installation(
    session: AsyncSession, tenant: str, *, lock: bool = False
) -> Installation | None:
    return await conversations.installation(session, PLATFORM, tenant, lock=lock)


async def _seen_tenant(session: AsyncSession, where: Origin) -> Installation | None:
    """The tenant's row, created or refreshed: any activity proves the app is installed."""
    if not where.tenant:
        return None
    facts = {"service_url": where.service_url, "bot": asdict(where.bot)}
    row = await installation(session, where.tenant)
    if row is None:
        return await conversations.add_installation(
            session, PLATFORM, where.tenant, {**facts, "channels": []}
        )
    if {**row.data, **facts} != row.data or row.uninstalled_at is not None:
        row = await installation(session, where.tenant, lock=True)
        assert row is not None
        row.data = {**row.data, **facts}
        row.uninstalled_at = None
    return row


async def remember(session: AsyncSession, where: Origin) -> Installation | None:
    """Keep what a later proactive message to this tenant, channel or person needs."""
    row = await _seen_tenant(session, where)
    if where.team_key:
        known = await channel(session, where.team_key)
        ref = ChannelRef(
            Place(where.service_url, where.team_key, where.tenant, where.bot),
            where.team_id or (known.team_id if known else None),
            where.channel_type or (known.channel_type if known else None),
        )
        await put_channel(session, where.team_key, ref)
        if row is not None and where.team_key not in channels_of(row):
            row = await installation(session, row.workspace, lock=True)
            assert row is not None
            set_channels(row, [*channels_of(row), where.team_key])
    elif where.personal and where.person.user_id:
        place = Place(where.service_url, where.conversation, where.tenant, where.bot)
        await put_chat(session, where.person.user_id, place)
    return row


def channels_of(row: Installation) -> list[str]:
    """The channels of the tenant the app is installed in."""
    return [str(key) for key in row.data.get("channels") or []]


def set_channels(row: Installation, keys: list[str]) -> None:
    row.data = {**row.data, "channels": sorted(set(keys))}
