"""APScheduler 3 on the leader replica, rebuilt from our own tables.

The in-memory job store holds DateTrigger jobs for the pending rows of `scheduled_jobs`;
a short sync adds rows written since (by this or another replica), so nothing depends on
APScheduler's own persistence.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.runtime import Runtime
from bot.scheduling import retention
from bot.scheduling.jobs import RUNTIMES, run_job
from storage import schedule
from storage.models import ScheduledJob

log = logging.getLogger(__name__)
SYNC_SECONDS = 10
GRACE = {"close": timedelta(days=30), "remind": timedelta(hours=1)}
"""A deadline missed while down still closes the round; a stale reminder is not sent."""


async def sync_jobs(name: str) -> None:
    """Module-level, id-only job: add DateTrigger jobs for rows not yet scheduled."""
    scheduler = SCHEDULERS.get(name)
    runtime = RUNTIMES.get(name)
    if scheduler is None or runtime is None:
        return
    pending: Sequence[ScheduledJob] = ()
    with runtime.writes_ok.reported():
        async with runtime.sessions() as session:
            pending = await schedule.pending(session)
    for job in pending:
        job_id = f"job:{job.id}"
        if scheduler.get_job(job_id) is not None:
            continue
        scheduler.add_job(
            run_job,
            DateTrigger(run_date=job.due_at, timezone=UTC),
            args=[name, job.id],
            id=job_id,
            misfire_grace_time=int(GRACE.get(job.kind, timedelta(hours=1)).total_seconds()),
            coalesce=True,
            max_instances=1,
        )


async def purge_job(name: str) -> None:
    """Module-level, id-only job: retention's hourly purge."""
    runtime = RUNTIMES.get(name)
    if runtime is not None:
        with runtime.writes_ok.reported():
            await retention.purge(runtime)


SCHEDULERS: dict[str, AsyncIOScheduler] = {}


class Scheduler:
    """Started when this replica is elected leader, stopped when it steps down."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.name = f"runtime-{id(runtime)}"

    async def start(self) -> None:
        RUNTIMES[self.name] = self.runtime
        scheduler = AsyncIOScheduler(timezone=UTC)
        SCHEDULERS[self.name] = scheduler
        scheduler.add_job(
            sync_jobs,
            IntervalTrigger(seconds=SYNC_SECONDS, timezone=UTC),
            args=[self.name],
            id="sync",
            misfire_grace_time=SYNC_SECONDS,
            coalesce=True,
            max_instances=1,
        )
        scheduler.add_job(
            purge_job,
            IntervalTrigger(hours=1, timezone=UTC),
            args=[self.name],
            id="purge",
            misfire_grace_time=3600,
            coalesce=True,
            max_instances=1,
        )
        scheduler.start()
        await sync_jobs(self.name)
        log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))

    async def stop(self) -> None:
        scheduler = SCHEDULERS.pop(self.name, None)
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        RUNTIMES.pop(self.name, None)
