"""The leader's views as tables: status in numbers only, the reminder nudge, export links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.dialogs import leader
from bot.domain import Counts, RoundCompetence, RoundInfo
from bot.views import Message

ITEMS = (RoundCompetence("M02", "Fagsystemer", "M1", "Anvendelseskompetencer", 3),)
DEADLINE = datetime(2026, 12, 10, 15, 0, tzinfo=UTC)  # 16:00 in Copenhagen


def round_(status: str = "open", language: str = "da") -> RoundInfo:
    return RoundInfo(7, status, DEADLINE, language, "Europe/Copenhagen", "Materialegården", ITEMS)


@pytest.mark.parametrize(
    ("status", "counts", "lines"),
    [
        (
            "open",
            Counts(invited=4, completed=1, in_progress=2, unreachable=0),
            ["Runden for Materialegården er åben",
             "Inviteret: 4 · færdige: 1 · i gang: 2 · ikke startet: 1"],
        ),
        (
            "open",
            Counts(invited=12, completed=0, in_progress=0, unreachable=3),
            ["Inviteret: 12 · færdige: 0 · i gang: 0 · ikke startet: 12",
             "3 deltagere kunne ikke nås"],
        ),
        (
            "closed",
            Counts(invited=5, completed=5, in_progress=0, unreachable=0),
            ["Den seneste runde for Materialegården er lukket",
             "Inviteret: 5 · færdige: 5 · i gang: 0 · ikke startet: 0"],
        ),
    ],
)  # fmt: skip
def test_status_says_how_many_and_nothing_else(
    status: str, counts: Counts, lines: list[str]
) -> None:
    view = leader.status(round_(status), counts)
    assert isinstance(view, Message)
    for line in lines:
        assert line in view.text
    assert ("kunne ikke nås" in view.text) == bool(counts.unreachable)
    assert view.buttons == ()  # nothing to click through to a person


def test_status_in_english() -> None:
    view = leader.status(round_(language="en"), Counts(3, 2, 1, 0))
    assert "Invited: 3 · finished: 2 · in progress: 1 · not started: 0" in view.text


@pytest.mark.parametrize(
    ("user", "language", "label"), [("bo", "da", "Fortsæt"), ("29:cecilie", "en", "Continue")]
)
def test_a_reminder_continues_where_the_member_left_off(
    user: str, language: str, label: str
) -> None:
    view = leader.reminder(round_(language=language), user)
    [button] = view.buttons
    assert button.label.startswith(label)
    assert (button.action, button.data) == ("continue", {"r": 7, "u": user})
    assert not [b for b in view.buttons if b.action == "score"]
    assert "Materialegården" in view.text and "10" in view.text  # the deadline's day


@pytest.mark.parametrize(
    ("base", "root"),
    [
        ("https://kompetence.example.dk", "https://kompetence.example.dk"),
        ("https://kompetence.example.dk/", "https://kompetence.example.dk"),
        ("http://127.0.0.1:3978/bot/", "http://127.0.0.1:3978/bot"),
    ],
)
def test_export_links(base: str, root: str) -> None:
    text = leader.exports(round_(), base, "tok3n", "l3ader").text
    assert f"{root}/files/tok3n/chart.png" in text  # the chart every member has seen
    for name in ("summary.csv", "summary.xlsx", "profile.yaml"):  # the leader's own link
        assert f"{root}/exports/l3ader/{name}" in text
        assert f"files/tok3n/{name}" not in text
    assert "//files" not in text and "//exports" not in text
