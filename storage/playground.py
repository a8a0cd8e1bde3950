"""The playground's chat history: channel posts and private messages, kept across reloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WebMessage

CHANNEL = "channel"


def private_chat(user_id: str) -> str:
    return f"dm:{user_id}"


def _visible(user_id: str) -> Any:
    return or_(
        (WebMessage.conversation == CHANNEL)
        & or_(WebMessage.visible_to.is_(None), WebMessage.visible_to == user_id),
        WebMessage.conversation == private_chat(user_id),
    )


async def add(
    session: AsyncSession,
    team_key: str,
    conversation: str,
    view: dict[str, Any],
    visible_to: str | None = None,
) -> int:
    """A new message; `visible_to` makes a channel message ephemeral (that person only)."""
    message = WebMessage(
        team_key=team_key, conversation=conversation, visible_to=visible_to, view=view
    )
    session.add(message)
    await session.flush()
    return message.id


async def replace(session: AsyncSession, message_id: object, view: dict[str, Any]) -> bool:
    message = await session.get(WebMessage, message_id)
    if message is None:
        return False
    message.view = view
    return True


async def seen_by(session: AsyncSession, message_id: object, user_id: str) -> WebMessage | None:
    """The message, if `user_id` can see it (a click on anything else is refused)."""
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        return None
    return await session.scalar(
        select(WebMessage).where(WebMessage.id == message_id, _visible(user_id))
    )


async def history(session: AsyncSession, team_key: str, user_id: str) -> Sequence[WebMessage]:
    """Everything `user_id`'s page shows: the channel (with their ephemerals) and their chat."""
    return (
        await session.scalars(
            select(WebMessage)
            .where(WebMessage.team_key == team_key, _visible(user_id))
            .order_by(WebMessage.id)
        )
    ).all()
