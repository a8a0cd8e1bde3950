"""A new round's deadline and reminders, as (kind, due) rows written with the round itself."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.scheduling.reminders import ReminderPolicy, reminder_times
from storage.models import Round, Team


def plan(round_: Round, team: Team) -> list[tuple[str, datetime]]:
    policy = ReminderPolicy.from_dict(team.reminder_policy)
    times = reminder_times(round_.opened_at, round_.deadline, ZoneInfo(team.timezone), policy)
    return [("close", round_.deadline), *(("remind", when) for when in times)]
