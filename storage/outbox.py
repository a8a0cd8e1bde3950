"""The outbox: rows written with the state that caused them, claimed and sent by dispatchers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import insert_for
from storage.models import OutboxMessage, table


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert messages; a row whose idempotency key exists already is skipped, not sent twice."""
    if not rows:
        return
    # The Core table, not the ORM entity: a plain executemany, no per-row ORM bookkeeping.
    statement = insert_for(session)(table(OutboxMessage)).on_conflict_do_nothing(
        index_elements=["idempotency_key"]
    )
    for start in range(0, len(rows), 2000):
        await session.execute(statement, list(rows[start : start + 2000]))


async def claim(
    session: AsyncSession, now: datetime, *, limit: int, lease: timedelta, platforms: Sequence[str]
) -> list[OutboxMessage]:
    """Take due rows under a lease; PostgreSQL skips rows another dispatcher holds."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.platform.in_(platforms),
            OutboxMessage.next_attempt_at <= now,
            or_(
                OutboxMessage.status == "pending",
                (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
            ),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.scalars(query)).all())
    if rows:
        # synchronize_session=False keeps each loaded row's previous status, which tells the
        # dispatcher whether an earlier attempt was interrupted mid-send.
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([r.id for r in rows]))
            .values(status="sending", lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return rows


async def counts_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: count for status, count in rows.all()}


async def renew_leases(session: AsyncSession, row_ids: Sequence[int], until: datetime) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == "sending")
        .values(lease_until=until)
        .execution_options(synchronize_session=False)
    )


async def mark_sent(
    session: AsyncSession, sent: Sequence[tuple[int, dict[str, Any]]], now: datetime
) -> None:
    """(row id, the platform's reference to the message) for each row sent, in one statement."""
    if not sent:
        return
    await session.execute(
        update(OutboxMessage),
        [
            {
                "id": row_id,
                "status": "sent",
                "sent_at": now,
                "external_ref": external,
                "lease_until": None,
            }
            for row_id, external in sent
        ],
    )


async def retry_later(
    session: AsyncSession, row_id: int, attempts: int, when: datetime, reason: str
) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(
            status="pending",
            attempts=attempts,
            next_attempt_at=when,
            lease_until=None,
            last_error=reason,
        )
    )


async def mark_failed(session: AsyncSession, row_id: int, reason: str) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id)
        .values(status="failed", last_error=reason, lease_until=None)
    )


async def forget_person(session: AsyncSession, platform: str, user_id: str) -> int:
    """Delete every message, queued or delivered, addressed to the person or about their seat
    (their prompts, reminders and private results carry their answers)."""
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.destination, OutboxMessage.payload).where(
            OutboxMessage.platform == platform
        )
    )
    theirs = [
        row_id
        for row_id, destination, payload in rows.all()
        if (destination.get("to") == "user" and destination.get("address") == user_id)
        or destination.get("visible_to") == user_id
        or (payload.get("seat") or {}).get("user") == user_id
    ]
    for start in range(0, len(theirs), 1000):
        await session.execute(
            delete(OutboxMessage).where(OutboxMessage.id.in_(theirs[start : start + 1000]))
        )
    return len(theirs)


async def purge_delivered(session: AsyncSession, before: datetime) -> int:
    """Delivered and given-up messages older than `before`: their payloads are no longer
    needed, and they may hold people's answers."""
    result = await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < before
        )
    )
    return int(getattr(result, "rowcount", 0))
