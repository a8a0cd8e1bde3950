"""`start [DEADLINE]`: a date (`2026-12-10`, `10-12-2026`) or a duration (`3d`, `12h`, `30m`)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT = timedelta(days=7)
LONGEST = timedelta(days=366)
DURATION = re.compile(r"^(\d{1,4})\s*([dhm])$", re.IGNORECASE)
UNITS = {"d": "days", "h": "hours", "m": "minutes"}
END_OF_DAY = time(23, 59)


class DeadlineError(ValueError):
    """Why the deadline was refused, as an i18n message key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_deadline(text: str | None, now: datetime, zone: ZoneInfo) -> datetime:
    """An aware deadline after `now`; a bare date means the end of that day in the team's zone."""
    if not text:
        return now + DEFAULT
    match = DURATION.match(text.strip())
    if match:
        amount = int(match.group(1))
        if amount == 0:
            raise DeadlineError("deadline.past")
        deadline = now + timedelta(**{UNITS[match.group(2).lower()]: amount})
    else:
        day = _date(text.strip())
        if day is None:
            raise DeadlineError("deadline.unreadable")
        deadline = datetime.combine(day, END_OF_DAY, tzinfo=zone)
    if deadline <= now:
        raise DeadlineError("deadline.past")
    if deadline - now > LONGEST:
        raise DeadlineError("deadline.too_far")
    return deadline
