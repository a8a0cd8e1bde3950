"""Danish working days: Monday to Friday, not a public holiday. Pure, no I/O.

The reminder policy nudges only on working days, and a deadline given in days ends on one;
both ask here, so they agree on which days people are at work.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

WEEKDAYS = (0, 1, 2, 3, 4)
"""Monday = 0, as in `date.weekday()`."""


@functools.cache
def danish_holidays(year: int) -> frozenset[date]:
    """``holidays.Denmark`` by its typed constructor; cached, as building a year is slow."""
    return frozenset(holidays.country_holidays("DK", years=year))


def is_holiday(day: date) -> bool:
    return day in danish_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() in WEEKDAYS and not is_holiday(day)


def working_day_from(day: date) -> date:
    """`day` if people work then, else the next day they do."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
