"""Command words and deadlines, as a leader types them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dialogs.commands import parse_command
from bot.dialogs.deadlines import DeadlineError, parse_deadline

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, NOW + timedelta(days=7)),
        ("3d", NOW + timedelta(days=3)),
        ("12h", NOW + timedelta(hours=12)),
        ("30m", NOW + timedelta(minutes=30)),
        ("1m", NOW + timedelta(minutes=1)),
        ("2026-12-10", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
        ("10-12-2026", datetime(2026, 12, 10, 23, 59, tzinfo=CPH)),
    ],
)
def test_deadlines(text: str | None, expected: datetime) -> None:
    assert parse_deadline(text, NOW, CPH) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("tomorrow", "deadline.unreadable"),
        ("2026-13-01", "deadline.unreadable"),
        ("2026-11-01", "deadline.past"),
        ("0d", "deadline.past"),
        ("400d", "deadline.too_far"),
    ],
)
def test_bad_deadlines_name_the_problem(text: str, key: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, NOW, CPH)
    assert caught.value.key == key
