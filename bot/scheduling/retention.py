"""Retention: what is kept only as long as it is useful is purged on the leader replica.

Delivered outbox messages carry people's answers in their payloads; handled event ids are
needed only for the platforms' retry windows (minutes). Both go after the retention period.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.runtime import Runtime
from storage import events, outbox

log = logging.getLogger(__name__)
EVENT_IDS_KEPT = timedelta(days=2)


async def purge(runtime: Runtime, now: datetime | None = None) -> tuple[int, int]:
    """Delete delivered messages past the retention period, and old event ids."""
    now = now or datetime.now(UTC)
    kept = timedelta(days=runtime.settings.retention_days)
    async with runtime.transaction() as session:
        messages = await outbox.purge_delivered(session, now - kept)
        ids = await events.purge(session, now - min(kept, EVENT_IDS_KEPT))
    if messages or ids:
        log.info("retention: %d delivered messages and %d event ids purged", messages, ids)
    return messages, ids
