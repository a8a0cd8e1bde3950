"""Platform event ids already handled: a retried delivery finds its id and changes nothing."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import insert_for
from storage.models import ProcessedEvent, table


async def claim_all(
    session: AsyncSession, platform: str, event_ids: Collection[str], now: datetime
) -> set[str]:
    """The ids among `event_ids` delivered for the first time, claimed in one statement (a
    group commit's batch would otherwise spend a round trip per click)."""
    if not event_ids:
        return set()
    rows = [{"platform": platform, "event_id": i, "processed_at": now} for i in set(event_ids)]
    return set(await session.scalars(_claim(insert_for(session)), rows))


@cache
def _claim(insert: Any) -> Any:
    """The dialect's claim, built once per dialect: one statement however many ids."""
    events = table(ProcessedEvent)
    return (
        insert(events)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(events.c.event_id)
    )


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
