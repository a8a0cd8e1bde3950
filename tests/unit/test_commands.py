"""Command words and deadlines, as a leader types them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dialogs.commands import parse_command
from bot.dialogs.deadlines import DeadlineError, parse_deadline

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("hjælp", "help"), ("help", "help"), ("", "help"),
        ("opsæt", "setup"), ("setup", "setup"),
        ("start 3d", "start"), ("launch", "start"), ("START", "start"),
        ("status", "status"), ("påmind", "remind"), ("remind", "remind"),
        ("luk", "close"), ("close", "close"), ("resultat", "results"), ("results", "results"),
        ("mine", "me"), ("me", "me"), ("eksport", "export"), ("export", "export"),
        ("slet-mine-data", "forget"), ("forget-me", "forget"), ("dans", "unknown"),
    ],
)  # fmt: skip
def test_danish_words_and_english_aliases(text: str, verb: str) -> None:
    assert parse_command(text).verb == verb


def test_arguments_are_kept() -> None:
    assert parse_command("start 2026-12-10").args == ("2026-12-10",)


THURSDAY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # 10:00 in Copenhagen


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a duration in days ends at 16:00 on a working day; Thursday + 3 days is a Sunday
        ("3d", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),
        ("3 dage", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),
        ("3 DAGE", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),
        ("3 days", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),
        ("1d", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("1 dag", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("2d", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),  # Saturday: Monday
        ("1 uge", datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),
        ("1u", datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),
        ("1 week", datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),
        ("2 uger", datetime(2026, 12, 10, 16, 0, tzinfo=CPH)),
        (None, datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),  # the default: 7 days
        ("  ", datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),
        # hours and minutes are elapsed time
        ("12h", THURSDAY + timedelta(hours=12)),
        ("12 timer", THURSDAY + timedelta(hours=12)),
        ("12t", THURSDAY + timedelta(hours=12)),
        ("30m", THURSDAY + timedelta(minutes=30)),
        ("30 min", THURSDAY + timedelta(minutes=30)),
        ("1m", THURSDAY + timedelta(minutes=1)),
        # a weekday is the next one after today, at 16:00
        ("fredag", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("Fredag", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("friday", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("fre", datetime(2026, 11, 27, 16, 0, tzinfo=CPH)),
        ("mandag", datetime(2026, 11, 30, 16, 0, tzinfo=CPH)),
        ("torsdag", datetime(2026, 12, 3, 16, 0, tzinfo=CPH)),  # today is Thursday
        ("søndag", datetime(2026, 11, 29, 16, 0, tzinfo=CPH)),  # named, so kept
        # a date is the end of that day; without a year, the next such day
        ("2026-12-10", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10-12-2026", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10.12.2026", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10/12/2026", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10/12/26", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10/12", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10.12", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10.12.", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10-12", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("1/2", datetime(2027, 2, 1, 23, 59, tzinfo=CPH)),
        ("26/11", datetime(2026, 11, 26, 23, 59, tzinfo=CPH)),  # today, still ahead
        ("25/11", datetime(2027, 11, 25, 23, 59, tzinfo=CPH)),  # yesterday: next year
    ],
)
def test_deadlines_the_way_danes_write_them(text: str | None, expected: datetime) -> None:
    assert parse_deadline(text, THURSDAY, CPH) == expected


def test_a_duration_in_days_skips_danish_public_holidays_and_follows_summer_time() -> None:
    # Monday 22 March 2027; +3 days is Maundy Thursday, then Good Friday, the weekend and
    # Easter Monday; summer time began on Easter Sunday, so 16:00 is 14:00 UTC.
    monday = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert parse_deadline("3d", monday, CPH) == datetime(2027, 3, 30, 14, 0, tzinfo=UTC)
    assert parse_deadline("torsdag", monday, CPH) == datetime(2027, 3, 25, 15, 0, tzinfo=UTC)


def test_across_the_end_of_summer_time() -> None:
    friday = datetime(2026, 10, 23, 8, 0, tzinfo=UTC)  # 10:00 summer time
    assert parse_deadline("1d", friday, CPH) == datetime(2026, 10, 26, 15, 0, tzinfo=UTC)
    assert parse_deadline("24h", friday, CPH) == datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert parse_deadline("48h", friday, CPH) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_a_deadline_in_days_is_computed_from_the_local_date() -> None:
    # Thursday 23:30 UTC is already Friday in Copenhagen: Friday + 3 days is Monday
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert parse_deadline("3d", late, CPH) == datetime(2026, 11, 30, 16, 0, tzinfo=CPH)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("tomorrow", "deadline.unreadable"),
        ("i morgen", "deadline.unreadable"),
        ("3x", "deadline.unreadable"),
        ("d3", "deadline.unreadable"),
        ("2026-13-01", "deadline.unreadable"),
        ("31/02", "deadline.unreadable"),
        ("١٢d", "deadline.digits"),
        ("１２d", "deadline.digits"),
        ("10/١٢", "deadline.digits"),
        ("3d junk", "deadline.extra"),
        ("3 dage mere", "deadline.extra"),
        ("fredag kl 12", "deadline.extra"),
        ("2026-12-10 23:00", "deadline.extra"),
        ("2026-11-01", "deadline.past"),
        ("25/11/2026", "deadline.past"),
        ("0d", "deadline.past"),
        ("0 m", "deadline.past"),
        ("400d", "deadline.too_far"),
        ("99999d", "deadline.too_far"),
        ("53 uger", "deadline.too_far"),
        ("9999999h", "deadline.too_far"),
        ("9999999d", "deadline.too_far"),
        ("9999999 uger", "deadline.too_far"),
        ("1" * 5000 + "d", "deadline.too_far"),
        ("10-12-2099", "deadline.too_far"),
        ("31-12-9999", "deadline.too_far"),
    ],
)
def test_bad_deadlines_name_the_problem(text: str, key: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, THURSDAY, CPH)
    assert caught.value.key == key
