"""Reminder times: working hours, Danish holidays and daylight saving, worked out by hand.

Expected values are literals in UTC; the comments give the local (Europe/Copenhagen) reading.
CET is UTC+1, CEST UTC+2; 2027-03-28 and 2026-10-25 are the change-over Sundays.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.scheduling.reminders import ReminderPolicy, reminder_times

CPH = ZoneInfo("Europe/Copenhagen")


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- the default policy, hand-worked ---------------------------------------------------------


def test_plain_week_midpoint_thursday_evening_moves_to_friday_morning() -> None:
    # Mon 7 Sep 00:00 -> Mon 14 Sep 16:00 CEST: 7d16h, midpoint Thu 10 Sep 20:00 -> Fri 08:00.
    # Last working day: Mon 14 Sep, 08:00 is before the 16:00 deadline.
    times = reminder_times(local(2026, 9, 7, 0, 0), local(2026, 9, 14, 16, 0), CPH)
    assert times == [utc(2026, 9, 11, 6, 0), utc(2026, 9, 14, 6, 0)]


def test_deadline_at_work_start_makes_the_day_before_the_last_working_day() -> None:
    # Mon 08:00 -> Mon 08:00: midpoint Thu 20:00 -> Fri 08:00; Monday's 08:00 is not before the
    # deadline, so the last working day is Friday too: one reminder, not two.
    times = reminder_times(local(2026, 9, 7, 8, 0), local(2026, 9, 14, 8, 0), CPH)
    assert times == [utc(2026, 9, 11, 6, 0)]


def test_midpoint_inside_working_hours_stays_where_it_is() -> None:
    # Mon 7 Sep 09:00 -> Fri 11 Sep 15:00: 4d6h, midpoint Wed 9 Sep 12:00 local; Friday 08:00.
    times = reminder_times(local(2026, 9, 7, 9, 0), local(2026, 9, 11, 15, 0), CPH)
    assert times == [utc(2026, 9, 9, 10, 0), utc(2026, 9, 11, 6, 0)]


def test_midpoint_on_a_saturday_moves_to_monday_morning() -> None:
    # Tue 8 Sep 10:00 -> Thu 17 Sep 10:00: 9 days, midpoint Sat 12 Sep 22:00 -> Mon 14 Sep 08:00.
    times = reminder_times(local(2026, 9, 8, 10, 0), local(2026, 9, 17, 10, 0), CPH)
    assert times == [utc(2026, 9, 14, 6, 0), utc(2026, 9, 17, 6, 0)]


def test_easter_2027_midpoint_skips_the_long_weekend_and_the_clock_change() -> None:
    # Mon 22 Mar 09:00 CET (08:00Z) -> Wed 31 Mar 12:00 CEST (10:00Z): 218 h, midpoint 109 h
    # later = Fri 26 Mar 22:00 CET, Langfredag. Sat, Sun, and Mon 29 (2. påskedag) are off:
    # Tue 30 Mar 08:00, now CEST. Last working day: Wed 31 Mar 08:00 CEST.
    times = reminder_times(local(2027, 3, 22, 9, 0), local(2027, 3, 31, 12, 0), CPH)
    assert times == [utc(2027, 3, 30, 6, 0), utc(2027, 3, 31, 6, 0)]


def test_easter_2027_last_working_day_is_the_wednesday_before_skaertorsdag() -> None:
    # Mon 15 Mar 09:00 CET (08:00Z) -> Mon 29 Mar 12:00 CEST (10:00Z): 338 h, midpoint 169 h
    # later = Mon 22 Mar 10:00 CET. The deadline day is 2. påskedag; Sun, Sat, Langfredag and
    # Skærtorsdag are off, so the last working day is Wed 24 Mar, 08:00 CET.
    times = reminder_times(local(2027, 3, 15, 9, 0), local(2027, 3, 29, 12, 0), CPH)
    assert times == [utc(2027, 3, 22, 9, 0), utc(2027, 3, 24, 7, 0)]


def test_spring_forward_keeps_eight_o_clock_local() -> None:
    # Holidays off, to see the clock change alone. Mon 22 Mar 00:00 CET (21 Mar 23:00Z) ->
    # Mon 29 Mar 16:00 CEST (14:00Z): 183 h elapsed, midpoint 91.5 h later = 25 Mar 18:30Z,
    # Thu 19:30 CET -> Fri 26 Mar 08:00 CET = 07:00Z. Mon 29 Mar 08:00 CEST = 06:00Z.
    policy = ReminderPolicy(skip_holidays=False)
    times = reminder_times(local(2027, 3, 22, 0, 0), local(2027, 3, 29, 16, 0), CPH, policy)
    assert times == [utc(2027, 3, 26, 7, 0), utc(2027, 3, 29, 6, 0)]
    assert [t.astimezone(CPH).time() for t in times] == [time(8, 0), time(8, 0)]


def test_fall_back_keeps_eight_o_clock_local() -> None:
    # Mon 19 Oct 00:00 CEST (18 Oct 22:00Z) -> Mon 26 Oct 16:00 CET (15:00Z): 185 h elapsed,
    # midpoint 92.5 h later = 22 Oct 18:30Z, Thu 20:30 CEST -> Fri 23 Oct 08:00 CEST = 06:00Z.
    # Mon 26 Oct 08:00 CET = 07:00Z.
    times = reminder_times(local(2026, 10, 19, 0, 0), local(2026, 10, 26, 16, 0), CPH)
    assert times == [utc(2026, 10, 23, 6, 0), utc(2026, 10, 26, 7, 0)]


def test_round_shorter_than_a_day_gets_none() -> None:
    assert reminder_times(local(2026, 9, 7, 9, 0), local(2026, 9, 8, 8, 0), CPH) == []


def test_round_of_exactly_a_day_gets_one() -> None:
    # Mon 09:00 -> Tue 09:00: midpoint Mon 21:00 -> Tue 08:00, which is also the last morning.
    times = reminder_times(local(2026, 9, 7, 9, 0), local(2026, 9, 8, 9, 0), CPH)
    assert times == [utc(2026, 9, 8, 6, 0)]


def test_deadline_monday_seven_makes_friday_the_last_working_day() -> None:
    # Tue 1 Sep 12:00 -> Mon 14 Sep 07:00: 307 h, midpoint 153.5 h later = Mon 7 Sep 21:30
    # -> Tue 8 Sep 08:00. Monday's 08:00 is after the deadline: last working day Fri 11 Sep.
    times = reminder_times(local(2026, 9, 1, 12, 0), local(2026, 9, 14, 7, 0), CPH)
    assert times == [utc(2026, 9, 8, 6, 0), utc(2026, 9, 11, 6, 0)]


def test_candidate_after_the_deadline_is_dropped() -> None:
    # Fri 11 Sep 14:00 -> Mon 14 Sep 07:30: the midpoint (Sat) moves to Mon 08:00, after the
    # deadline; the last working day's 08:00 (Friday) is before the round opened.
    assert reminder_times(local(2026, 9, 11, 14, 0), local(2026, 9, 14, 7, 30), CPH) == []


def test_last_morning_within_the_first_hour_is_dropped_not_moved() -> None:
    # Fri 07:30 -> Mon 07:00: Friday 08:00 is only 30 min after opening; the midpoint, Monday
    # 08:00, is after the deadline.
    assert reminder_times(local(2026, 9, 11, 7, 30), local(2026, 9, 14, 7, 0), CPH) == []


def test_policy_disabled_gives_none() -> None:
    policy = ReminderPolicy(enabled=False)
    assert reminder_times(local(2026, 9, 7, 8, 0), local(2026, 9, 14, 16, 0), CPH, policy) == []


def test_max_per_member_zero_gives_none() -> None:
    policy = ReminderPolicy(max_per_member=0)
    assert reminder_times(local(2026, 9, 7, 8, 0), local(2026, 9, 14, 16, 0), CPH, policy) == []


def test_close_reminders_collapse_and_the_count_is_capped() -> None:
    # Mon 7 Sep 08:00 -> Thu 17 Sep 08:00, 240 h: 0.1 -> Tue 8 Sep 08:00; 0.105 -> Tue 09:12,
    # within 2 h of it (dropped); 0.11 -> Tue 10:24 (kept); 0.5 -> Sat 12 Sep 08:00 -> Mon 14
    # Sep 08:00; last morning Wed 16 Sep 08:00. The cap of 3 keeps the first three.
    policy = ReminderPolicy(midpoints=(0.5, 0.11, 0.105, 0.1))
    times = reminder_times(local(2026, 9, 7, 8, 0), local(2026, 9, 17, 8, 0), CPH, policy)
    assert times == [utc(2026, 9, 8, 6, 0), utc(2026, 9, 8, 8, 24), utc(2026, 9, 14, 6, 0)]
    uncapped = reminder_times(
        local(2026, 9, 7, 8, 0), local(2026, 9, 17, 8, 0), CPH, ReminderPolicy(midpoints=(0.1,))
    )
    assert uncapped == [utc(2026, 9, 8, 6, 0), utc(2026, 9, 16, 6, 0)]


def test_tiny_fraction_is_held_an_hour_after_opening() -> None:
    # Mon 09:00 -> Tue 09:00: 1 % of 24 h is 14.4 min, so the reminder waits until 10:00.
    policy = ReminderPolicy(midpoints=(0.01,), last_working_day=False)
    times = reminder_times(local(2026, 9, 7, 9, 0), local(2026, 9, 8, 9, 0), CPH, policy)
    assert times == [utc(2026, 9, 7, 8, 0)]


def test_custom_hours_and_weekdays() -> None:
    # Weekends only, 10:00-12:00: Mon 7 Sep 08:00 -> Mon 14 Sep 16:00, midpoint Thu 12:00
    # -> Sat 12 Sep 10:00; last working day Sun 13 Sep 10:00.
    policy = ReminderPolicy(work_start=time(10, 0), work_end=time(12, 0), weekdays=(5, 6))
    times = reminder_times(local(2026, 9, 7, 8, 0), local(2026, 9, 14, 16, 0), CPH, policy)
    assert times == [utc(2026, 9, 12, 8, 0), utc(2026, 9, 13, 8, 0)]


def test_input_zone_does_not_matter_and_output_is_utc() -> None:
    in_local = reminder_times(local(2026, 9, 7, 0, 0), local(2026, 9, 14, 16, 0), CPH)
    in_utc = reminder_times(utc(2026, 9, 6, 22, 0), utc(2026, 9, 14, 14, 0), CPH)
    assert in_local == in_utc
    assert all(t.tzinfo is UTC for t in in_utc)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        reminder_times(datetime(2026, 9, 7), datetime(2026, 9, 14), CPH)


# --- from_dict / to_dict ---------------------------------------------------------------------


def test_none_and_empty_mean_the_defaults() -> None:
    assert ReminderPolicy.from_dict(None) == ReminderPolicy()
    assert ReminderPolicy.from_dict({}) == ReminderPolicy()


def test_default_to_dict() -> None:
    assert ReminderPolicy().to_dict() == {
        "enabled": True,
        "midpoints": [0.5],
        "last_working_day": True,
        "work_start": "08:00",
        "work_end": "16:00",
        "weekdays": [0, 1, 2, 3, 4],
        "skip_holidays": True,
        "max_per_member": 3,
    }


@pytest.mark.parametrize(
    "policy",
    [
        ReminderPolicy(),
        ReminderPolicy(
            enabled=False,
            midpoints=(0.3, 0.7),
            last_working_day=False,
            work_start=time(7, 30),
            work_end=time(15, 0, 30),
            weekdays=(0, 2, 4),
            skip_holidays=False,
            max_per_member=2,
        ),
        ReminderPolicy(midpoints=()),
    ],
)
def test_round_trip_through_json(policy: ReminderPolicy) -> None:
    assert ReminderPolicy.from_dict(json.loads(json.dumps(policy.to_dict()))) == policy


def test_from_dict_reads_a_partial_policy() -> None:
    policy = ReminderPolicy.from_dict({"midpoints": [0.4], "work_start": "09:00"})
    assert policy == ReminderPolicy(midpoints=(0.4,), work_start=time(9, 0))


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"midpoints": [0]}, "midpoints"),
        ({"midpoints": [1]}, "midpoints"),
        ({"midpoints": [1.5]}, "midpoints"),
        ({"midpoints": [-0.2]}, "midpoints"),
        ({"midpoints": ["0.5"]}, "midpoints"),
        ({"midpoints": 0.5}, "midpoints"),
        ({"work_end": "08:00"}, "work_end"),
        ({"work_start": "17:00"}, "work_end"),
        ({"work_start": "eight"}, "work_start"),
        ({"work_end": 16}, "work_end"),
        ({"weekdays": [7]}, "weekdays"),
        ({"weekdays": [-1]}, "weekdays"),
        ({"weekdays": []}, "weekdays"),
        ({"max_per_member": 4}, "max_per_member"),
        ({"max_per_member": -1}, "max_per_member"),
        ({"max_per_member": True}, "max_per_member"),
        ({"enabled": "yes"}, "enabled"),
        ({"skip_holidays": 1}, "skip_holidays"),
        ({"midpoint": 0.5}, "midpoint"),
    ],
)
def test_from_dict_errors_name_the_key(data: dict[str, Any], key: str) -> None:
    with pytest.raises(ValueError, match=f"reminder policy: '{key}'"):
        ReminderPolicy.from_dict(data)


def test_from_dict_refuses_a_non_object() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        ReminderPolicy.from_dict([0.5])  # type: ignore[arg-type]


# --- property --------------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(
    opened=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    window=st.timedeltas(min_value=timedelta(days=1), max_value=timedelta(days=30)),
)
def test_every_reminder_is_in_working_hours_inside_the_window(
    opened: datetime, window: timedelta
) -> None:
    start = opened.replace(tzinfo=UTC)
    end = start + window
    times = reminder_times(start, end, CPH)
    assert times == sorted(times)
    assert len(times) <= 3
    for earlier, later in pairwise(times):
        assert later - earlier >= timedelta(hours=2)
    for moment in times:
        assert moment.tzinfo is UTC
        assert start + timedelta(hours=1) <= moment < end
        wall = moment.astimezone(CPH)
        assert wall.weekday() < 5
        assert wall.date() not in holidays.country_holidays("DK", years=wall.year)
        assert time(8, 0) <= wall.time() < time(16, 0)
