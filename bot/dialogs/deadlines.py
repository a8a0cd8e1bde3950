"""`start [DEADLINE]`, the way Danes write it.

- a duration in days or weeks (`3d`, `3 dage`, `1 uge`): ends at 16:00 local time on a
  working day, moved past weekends and Danish public holidays, so nobody's deadline falls
  on a Sunday morning;
- a duration in hours or minutes (`12h`, `12 timer`, `30m`): exactly that much later;
- a weekday (`fredag`, `Friday`): the next one after today, at 16:00;
- a date (`10/12`, `10.12`, `10-12-2026`, `2026-12-10`): the end of that day; without a
  year the next such day.

Numbers are ASCII digits only (`int` would also read "١٢"), and anything after a deadline
is refused rather than ignored. Each refusal names its reason as a message key.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.workdays import working_day_from

DEFAULT = "7d"
LONGEST = timedelta(days=366)
END_OF_WORKDAY = time(16, 0)
END_OF_DAY = time(23, 59)
MAX_DIGITS = 7
"""More digits than any deadline within a year needs, in any unit: refused unread as too far."""

UNITS = {
    "days": ("d", "dag", "dage", "day", "days"),
    "weeks": ("u", "uge", "uger", "w", "week", "weeks"),
    "hours": ("h", "t", "time", "timer", "hour", "hours"),
    "minutes": ("m", "min", "minut", "minutter", "minute", "minutes"),
}
UNIT_OF = {word: unit for unit, words in UNITS.items() for word in words}
WEEKDAYS = (
    ("mandag", "man", "monday", "mon"),
    ("tirsdag", "tir", "tuesday", "tue"),
    ("onsdag", "ons", "wednesday", "wed"),
    ("torsdag", "tor", "thursday", "thu"),
    ("fredag", "fre", "friday", "fri"),
    ("lørdag", "lør", "saturday", "sat"),
    ("søndag", "søn", "sunday", "sun"),
)
WEEKDAY_OF = {word: number for number, words in enumerate(WEEKDAYS) for word in words}

DURATION = re.compile(r"([0-9]+) ?([a-zæøå]+)", re.ASCII)
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
DAY_FIRST = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})(?:[./-]([0-9]{4}|[0-9]{2}))?\.?", re.ASCII)


class DeadlineError(ValueError):
    """Why the deadline was refused, as an i18n message key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_deadline(text: str | None, now: datetime, zone: ZoneInfo) -> datetime:
    """An aware deadline after `now`, at most a year ahead; DeadlineError names the problem."""
    words = " ".join((text or DEFAULT).lower().split()) or DEFAULT
    if any(char.isdigit() and not char.isascii() for char in words):
        raise DeadlineError("deadline.digits")
    deadline = _read(words, now, zone)
    if deadline is None:
        parts = words.split(" ")
        if any(_read(" ".join(parts[:end]), now, zone) for end in range(1, len(parts))):
            raise DeadlineError("deadline.extra")
        raise DeadlineError("deadline.unreadable")
    if deadline <= now:
        raise DeadlineError("deadline.past")
    if deadline - now > LONGEST:
        raise DeadlineError("deadline.too_far")
    return deadline


def _read(words: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The deadline `words` say, or None when they say none."""
    today = now.astimezone(zone).date()
    if (duration := DURATION.fullmatch(words)) and duration.group(2) in UNIT_OF:
        return _after(duration.group(1), UNIT_OF[duration.group(2)], now, today, zone)
    if words in WEEKDAY_OF:
        ahead = (WEEKDAY_OF[words] - today.weekday() - 1) % 7 + 1
        return datetime.combine(today + timedelta(days=ahead), END_OF_WORKDAY, tzinfo=zone)
    if iso := ISO_DATE.fullmatch(words):
        year, month, day = (int(part) for part in iso.groups())
        return _end_of(year, month, day, zone)
    if day_first := DAY_FIRST.fullmatch(words):
        day, month = int(day_first.group(1)), int(day_first.group(2))
        if (year_text := day_first.group(3)) is not None:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return _end_of(year, month, day, zone)
        this_year = _end_of(today.year, month, day, zone)
        if this_year is None or this_year > now:
            return this_year
        return _end_of(today.year + 1, month, day, zone)
    return None


def _after(amount_text: str, unit: str, now: datetime, today: date, zone: ZoneInfo) -> datetime:
    if len(amount_text.lstrip("0")) > MAX_DIGITS:
        raise DeadlineError("deadline.too_far")
    span = timedelta(**{unit: int(amount_text)})
    if span > LONGEST:
        raise DeadlineError("deadline.too_far")  # before any date arithmetic can overflow
    if unit in ("hours", "minutes") or not span:
        return now + span
    day = working_day_from(today + span)
    return datetime.combine(day, END_OF_WORKDAY, tzinfo=zone)


def _end_of(year: int, month: int, day: int, zone: ZoneInfo) -> datetime | None:
    try:
        return datetime.combine(date(year, month, day), END_OF_DAY, tzinfo=zone)
    except ValueError:
        return None
