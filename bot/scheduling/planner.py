"""A new round's deadline and reminders, as rows written with the round itself."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduling.reminders import ReminderPolicy, reminder_times
from storage.models import Round, ScheduledJob


def plan(session: AsyncSession, round_: Round) -> list[ScheduledJob]:
    team = round_.team
    policy = ReminderPolicy.from_dict(team.reminder_policy)
    times = reminder_times(round_.opened_at, round_.deadline, ZoneInfo(team.timezone), policy)
    jobs = [ScheduledJob(round_id=round_.id, kind="close", due_at=round_.deadline)]
    jobs += [ScheduledJob(round_id=round_.id, kind="remind", due_at=when) for when in times]
    session.add_all(jobs)
    return jobs
