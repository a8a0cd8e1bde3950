"""Deadlines and reminders as rows, written with their round; the scheduler runs them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ScheduledJob


def add(session: AsyncSession, round_id: int, jobs: Sequence[tuple[str, datetime]]) -> None:
    """(kind, due) pairs: "close" at the deadline, "remind" at each reminder time."""
    session.add_all(ScheduledJob(round_id=round_id, kind=kind, due_at=due) for kind, due in jobs)


async def pending(session: AsyncSession) -> Sequence[ScheduledJob]:
    return (await session.scalars(select(ScheduledJob).where(ScheduledJob.done_at.is_(None)))).all()


async def take(session: AsyncSession, job_id: int, now: datetime) -> ScheduledJob | None:
    """Mark a due job done under a row lock and return it; None when done already or not due.
    The mark commits with the job's work, so a job that fires twice does its work once."""
    job = await session.scalar(
        select(ScheduledJob).where(ScheduledJob.id == job_id).with_for_update()
    )
    if job is None or job.done_at is not None or job.due_at > now:
        return None
    job.done_at = now
    return job
