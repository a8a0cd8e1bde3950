"""Platform event ids already handled: a retried delivery finds its id and changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import insert_for
from storage.models import ProcessedEvent


async def claim(session: AsyncSession, platform: str, event_id: str, now: datetime) -> bool:
    """True for the first delivery of `event_id`; the claim commits with the event's effects."""
    result = await session.execute(
        insert_for(session)(ProcessedEvent)
        .values(platform=platform, event_id=event_id, processed_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
    )
    return bool(getattr(result, "rowcount", 1))


async def forget_person(session: AsyncSession, platform: str, user_id: str) -> None:
    """Event ids that name the person (Slack's carry the user id)."""
    await session.execute(
        delete(ProcessedEvent).where(
            ProcessedEvent.platform == platform, ProcessedEvent.event_id.contains(user_id)
        )
    )


async def purge(session: AsyncSession, before: datetime) -> int:
    """Ids older than any platform's retry window are of no more use."""
    result = await session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.processed_at < before)
    )
    return int(getattr(result, "rowcount", 0))
