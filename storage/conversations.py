"""Where a platform can be reached: installations per workspace/tenant, and conversation
references by kind and key (Teams keeps a channel's and a member's 1:1 chat here).

Callers own the transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.engine import insert_for
from storage.models import ConversationRef, Installation
from storage.types import utcnow


async def reference(
    session: AsyncSession, platform: str, kind: str, key: str
) -> dict[str, Any] | None:
    row = await _row(session, platform, kind, key)
    return row.reference if row is not None else None


async def _row(session: AsyncSession, platform: str, kind: str, key: str) -> ConversationRef | None:
    return await session.scalar(
        select(ConversationRef).where(
            ConversationRef.platform == platform,
            ConversationRef.kind == kind,
            ConversationRef.key == key,
        )
    )


async def keep_reference(
    session: AsyncSession, platform: str, kind: str, key: str, reference: dict[str, Any]
) -> None:
    """Store a reference, writing only when it changed (clicks are frequent, changes rare)."""
    row = await _row(session, platform, kind, key)
    if row is not None:
        if row.reference != reference:
            row.reference = reference
        return
    statement = insert_for(session)(ConversationRef).values(
        platform=platform, kind=kind, key=key, reference=reference, updated_at=utcnow()
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["platform", "kind", "key"],
            set_={"reference": reference, "updated_at": utcnow()},
        )
    )


async def drop_reference(session: AsyncSession, platform: str, kind: str, key: str) -> None:
    await session.execute(
        delete(ConversationRef).where(
            ConversationRef.platform == platform,
            ConversationRef.kind == kind,
            ConversationRef.key == key,
        )
    )


async def installation(
    session: AsyncSession, platform: str, workspace: str, *, lock: bool = False
) -> Installation | None:
    """The workspace's row; `lock` also rereads it, so a read-modify-write sees the latest."""
    query = select(Installation).where(
        Installation.platform == platform, Installation.workspace == workspace
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(query)


async def add_installation(
    session: AsyncSession, platform: str, workspace: str, data: dict[str, Any]
) -> Installation | None:
    """Create the row unless another request just did; either way return it, locked."""
    await session.execute(
        insert_for(session)(Installation)
        .values(platform=platform, workspace=workspace, data=data, installed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "workspace"])
    )
    return await installation(session, platform, workspace, lock=True)
