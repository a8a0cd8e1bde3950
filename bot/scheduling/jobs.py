"""What a scheduled job does, by id: close a round at its deadline, or send a reminder.

Each job is idempotent: it marks its row done in the transaction that does the work, so a
job that runs twice (two replicas, a restart, a misfire) does it once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select

from bot.conversation import close_and_publish, outbox_row, remind
from bot.dialogs.outcome import Outgoing
from bot.runtime import Runtime
from bot.scheduling.reminders import ReminderPolicy
from bot.services import rounds
from storage.models import Round, ScheduledJob
from storage.outbox import enqueue

log = logging.getLogger(__name__)
RUNTIMES: dict[str, Runtime] = {}
"""Jobs take ids, not objects; the process's runtime is found here by name."""


async def run_job(runtime_name: str, job_id: int) -> None:
    """The APScheduler entry point: a module-level function of ids only."""
    runtime = RUNTIMES.get(runtime_name)
    if runtime is None:
        log.warning("job %s fired after its runtime stopped", job_id)
        return
    await execute(runtime, job_id, datetime.now(UTC))


async def execute(runtime: Runtime, job_id: int, now: datetime) -> bool:
    """Do job `job_id` once; False when it was done already or is not due."""
    async with runtime.transaction() as session:
        job = await session.scalar(
            select(ScheduledJob).where(ScheduledJob.id == job_id).with_for_update()
        )
        if job is None or job.done_at is not None or job.due_at > now:
            return False
        job.done_at = now
        round_ = await session.get(Round, job.round_id)
        if round_ is None or round_.status != "open":
            return True
        outgoing: list[Outgoing] = []
        if job.kind == "close":
            outgoing = await close_and_publish(session, round_, now)
        elif job.kind == "remind" and now < round_.deadline:
            policy = ReminderPolicy.from_dict(round_.team.reminder_policy)
            unfinished = await rounds.unfinished(session, round_.id)
            outgoing = remind(round_, unfinished, limit=policy.max_per_member)
        rows = [outbox_row(round_.team.platform, round_.team, item) for item in outgoing]
        await enqueue(session, rows)
    if rows:
        runtime.wake_dispatchers()
    log.info(
        "job %s (%s) for round %s done: %d messages", job_id, job.kind, job.round_id, len(rows)
    )
    return True
