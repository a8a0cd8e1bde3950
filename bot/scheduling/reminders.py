"""When to nudge members who have not finished a round: a pure policy, no I/O.

The planner asks for a round's reminder times once, when the round opens, and stores them as
rows; keeping the rule pure makes it testable with plain datetimes and gives every replica the
same plan. All arithmetic on instants is done in UTC (elapsed time), all calendar decisions in
the team's zone (wall-clock time), so 08:00 stays 08:00 local across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.workdays import WEEKDAYS, is_holiday

MIN_ROUND = timedelta(days=1)
"""Shorter rounds get no automatic reminders (DESIGN); `påmind` still works."""
MIN_AFTER_OPENING = timedelta(hours=1)
"""A nudge right after the invitation is noise."""
MIN_GAP = timedelta(hours=2)
"""Two nudges closer than this read as one nudge sent twice."""
MAX_PER_MEMBER = 3
"""DESIGN: at most three reminders per member per round."""

_ONE_DAY = timedelta(days=1)


def _bad(key: str, problem: str, value: object) -> ValueError:
    """One error format, naming the key, so a leader can fix the team's JSON."""
    return ValueError(f"reminder policy: {key!r} {problem} (got {value!r})")


def _is_number(value: object) -> bool:
    """JSON numbers only: a bool is an int to Python but never a sensible fraction or count."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class ReminderPolicy:
    """A team's reminder rules, stored as JSON in ``Team.reminder_policy``.

    The defaults are DESIGN's: one nudge halfway through the window and one on the morning of
    the last working day, Monday–Friday 08:00–16:00 outside Danish public holidays, at most
    three per member. Invalid values raise ValueError naming the key, however the policy is
    built.
    """

    enabled: bool = True
    midpoints: tuple[float, ...] = (0.5,)
    """Fractions of the round's window (elapsed time), each strictly between 0 and 1."""
    last_working_day: bool = True
    """Also nudge at work_start on the last working day that starts before the deadline."""
    work_start: time = time(8, 0)
    work_end: time = time(16, 0)
    weekdays: tuple[int, ...] = WEEKDAYS
    """Working days, Monday = 0 as in ``date.weekday()``."""
    skip_holidays: bool = True
    """Treat Danish public holidays (``holidays.Denmark``) as days off."""
    max_per_member: int = MAX_PER_MEMBER

    def __post_init__(self) -> None:
        for key in ("enabled", "last_working_day", "skip_holidays"):
            if not isinstance(getattr(self, key), bool):
                raise _bad(key, "must be true or false", getattr(self, key))
        if not isinstance(self.midpoints, tuple) or not all(
            _is_number(f) and 0 < f < 1 for f in self.midpoints
        ):
            raise _bad("midpoints", "must be fractions strictly between 0 and 1", self.midpoints)
        for key in ("work_start", "work_end"):
            value = getattr(self, key)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise _bad(key, "must be a wall-clock time like '08:00'", value)
        if self.work_end <= self.work_start:
            raise _bad(
                "work_end",
                f"must be after work_start {_format_time(self.work_start)}",
                _format_time(self.work_end),
            )
        if (
            not isinstance(self.weekdays, tuple)
            or not self.weekdays
            or not all(
                isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6
                for d in self.weekdays
            )
        ):
            raise _bad(
                "weekdays",
                "must be a non-empty list of days 0 (Monday) to 6 (Sunday)",
                self.weekdays,
            )
        if not (
            isinstance(self.max_per_member, int)
            and not isinstance(self.max_per_member, bool)
            and 0 <= self.max_per_member <= MAX_PER_MEMBER
        ):
            raise _bad(
                "max_per_member",
                f"must be a whole number from 0 to {MAX_PER_MEMBER}",
                self.max_per_member,
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReminderPolicy:
        """Read a team's stored JSON; None (never configured) means the defaults.

        Missing keys take their defaults; unknown keys are refused, since a misspelt key
        silently ignored would leave the leader wondering why nothing changed.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"reminder policy: must be a JSON object (got {data!r})")
        known = [f.name for f in fields(cls)]
        for key in data:
            if key not in known:
                raise _bad(key, f"is not a setting; known: {', '.join(known)}", data[key])
        values = {key: _PARSERS.get(key, _as_is)(key, raw) for key, raw in data.items()}
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form ``from_dict`` reads back to an equal policy."""
        return {
            "enabled": self.enabled,
            "midpoints": list(self.midpoints),
            "last_working_day": self.last_working_day,
            "work_start": _format_time(self.work_start),
            "work_end": _format_time(self.work_end),
            "weekdays": list(self.weekdays),
            "skip_holidays": self.skip_holidays,
            "max_per_member": self.max_per_member,
        }


def _format_time(value: time) -> str:
    """'08:00', keeping seconds only when set, so to_dict stays readable and exact."""
    if value.second or value.microsecond:
        return value.isoformat()
    return value.isoformat(timespec="minutes")


def _as_is(key: str, raw: Any) -> Any:
    return raw


def _parse_time(key: str, raw: Any) -> Any:
    if isinstance(raw, str):
        try:
            return time.fromisoformat(raw)
        except ValueError:
            raise _bad(key, "must be a wall-clock time like '08:00'", raw) from None
    return raw


def _parse_list(key: str, raw: Any) -> Any:
    """JSON arrays arrive as lists; the frozen policy needs hashable tuples."""
    if isinstance(raw, list | tuple):
        return tuple(raw)
    raise _bad(key, "must be a list", raw)


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "midpoints": _parse_list,
    "weekdays": _parse_list,
    "work_start": _parse_time,
    "work_end": _parse_time,
}

DEFAULT_POLICY = ReminderPolicy()


def _is_working_day(day: date, policy: ReminderPolicy) -> bool:
    if day.weekday() not in policy.weekdays:
        return False
    return not (policy.skip_holidays and is_holiday(day))


def _at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) when clocks in `zone` show `wall` on `day`."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def _next_slot(
    moment: datetime, deadline: datetime, zone: ZoneInfo, policy: ReminderPolicy
) -> datetime | None:
    """`moment` if it is in working hours, else the next work_start; None if not before deadline."""
    local = moment.astimezone(zone)
    day = local.date()
    if _is_working_day(day, policy) and local.time() < policy.work_end:
        slot = max(moment, _at(day, policy.work_start, zone))
        return slot if slot < deadline else None
    last_day = deadline.astimezone(zone).date()
    day += _ONE_DAY
    while day <= last_day:
        if _is_working_day(day, policy):
            slot = _at(day, policy.work_start, zone)
            return slot if slot < deadline else None
        day += _ONE_DAY
    return None


def _last_morning(
    opened: datetime, deadline: datetime, zone: ZoneInfo, policy: ReminderPolicy
) -> datetime | None:
    """work_start on the last working day whose work_start is before the deadline."""
    first_day = opened.astimezone(zone).date()
    day = deadline.astimezone(zone).date()
    while day >= first_day:
        if _is_working_day(day, policy):
            morning = _at(day, policy.work_start, zone)
            if morning < deadline:
                return morning
        day -= _ONE_DAY
    return None


def reminder_times(
    opened: datetime,
    deadline: datetime,
    zone: ZoneInfo,
    policy: ReminderPolicy = DEFAULT_POLICY,
) -> list[datetime]:
    """The instants (aware, UTC, sorted) at which a round opened → deadline nudges its members.

    Each midpoint is moved forward to the next working slot in `zone` (clamped to at least an
    hour after opening); the last-working-day morning is dropped rather than moved when it falls
    within that first hour. Nothing is at or after the deadline, times within two hours of an
    earlier one are dropped, and the earliest `max_per_member` are kept.
    """
    if opened.utcoffset() is None or deadline.utcoffset() is None:
        raise ValueError("reminder_times needs timezone-aware opened and deadline")
    # Subtracting two datetimes that share a ZoneInfo gives wall-clock, not elapsed, time.
    start = opened.astimezone(UTC)
    end = deadline.astimezone(UTC)
    if not policy.enabled or policy.max_per_member == 0 or end - start < MIN_ROUND:
        return []
    earliest = start + MIN_AFTER_OPENING
    candidates: list[datetime] = []
    for fraction in policy.midpoints:
        moment = max(start + (end - start) * fraction, earliest)
        slot = _next_slot(moment, end, zone, policy)
        if slot is not None:
            candidates.append(slot)
    if policy.last_working_day:
        morning = _last_morning(start, end, zone, policy)
        if morning is not None and morning >= earliest:
            candidates.append(morning)
    chosen: list[datetime] = []
    for candidate in sorted(candidates):
        if not chosen or candidate - chosen[-1] >= MIN_GAP:
            chosen.append(candidate)
    return chosen[: policy.max_per_member]
