"""What a scheduled job does, by id: close a round at its deadline, or send a reminder.

Each job is idempotent: its row is marked done in the transaction that does the work, so a
job that runs twice (two replicas, a restart, a misfire) does it once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.delivery.outbox import emit
from bot.dialogs.outcome import Outgoing
from bot.runtime import Runtime
from bot.scheduling.reminders import ReminderPolicy
from bot.usecases.leader import close_and_publish, reminders
from storage import rounds, schedule

log = logging.getLogger(__name__)
RUNTIMES: dict[str, Runtime] = {}
"""Jobs take ids, not objects; the process's runtime is found here by name."""


async def run_job(runtime_name: str, job_id: int) -> None:
    """The APScheduler entry point: a module-level function of ids only."""
    runtime = RUNTIMES.get(runtime_name)
    if runtime is None:
        log.warning("job %s fired after its runtime stopped", job_id)
        return
    with runtime.writes_ok.reported():  # the job stays pending; the next sync schedules it
        await execute(runtime, job_id, datetime.now(UTC))


async def execute(runtime: Runtime, job_id: int, now: datetime) -> bool:
    """Do job `job_id` once; False when it was done already or is not due."""
    sent = 0
    async with runtime.transaction() as session:
        job = await schedule.take(session, job_id, now)
        if job is None:
            return False
        round_ = await rounds.get(session, job.round_id)
        if round_ is None or round_.status != "open":
            return True
        outgoing: list[Outgoing] = []
        if job.kind == "close":
            outgoing = await close_and_publish(session, round_, now)
        elif job.kind == "remind" and now < round_.deadline:
            policy = ReminderPolicy.from_dict(round_.team.reminder_policy)
            unfinished = await rounds.participants(session, round_.id, unfinished=True)
            outgoing = reminders(round_, unfinished, limit=policy.max_per_member)
        team = round_.team
        sent = await emit(
            session, team.platform, outgoing, team_key=team.key, workspace=team.workspace
        )
        kind, round_id = job.kind, job.round_id
    if sent:
        runtime.wake_dispatchers()
    log.info("job %s (%s) for round %s done: %d messages", job_id, kind, round_id, sent)
    return True
