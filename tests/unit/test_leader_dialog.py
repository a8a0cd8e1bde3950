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
    ("status", "counts", "heading", "facts"),
    [
        (
            "open",
            Counts(invited=4, completed=1, in_progress=2, unreachable=0),
            "Runden for Materialegården er åben",
            {"Inviteret": "4", "Færdige": "1", "I gang": "2", "Ikke startet": "1",
             "Kan ikke nås": "0"},
        ),
        (
            "open",
            Counts(invited=12, completed=0, in_progress=0, unreachable=3),
            "3 deltagere kunne ikke nås",
            {"Inviteret": "12", "Færdige": "0", "I gang": "0", "Ikke startet": "12",
             "Kan ikke nås": "3"},
        ),
        (
            "closed",
            Counts(invited=5, completed=5, in_progress=0, unreachable=0),
            "Den seneste runde for Materialegården er lukket",
            {"Inviteret": "5", "Færdige": "5", "I gang": "0", "Ikke startet": "0",
             "Kan ikke nås": "0"},
        ),
    ],
)  # fmt: skip
def test_status_says_how_many_and_nothing_else(
    status: str, counts: Counts, heading: str, facts: dict[str, str]
) -> None:
    view = leader.status(round_(status), counts)
    assert isinstance(view, Message)
    assert heading in view.text
    # One fact per count, and the deadline: never run together on one line.
    assert {f.label: f.value for f in view.facts} == {
        **facts,
        "Frist": "10. december 2026 kl. 16:00",
    }
    assert ("kunne ikke nås" in view.text) == bool(counts.unreachable)
    assert view.buttons == ()  # nothing to click through to a person


def test_status_in_english() -> None:
    view = leader.status(round_(language="en"), Counts(3, 2, 1, 0))
    assert [(f.label, f.value) for f in view.facts][:4] == [
        ("Invited", "3"),
        ("Finished", "2"),
        ("In progress", "1"),
        ("Not started", "0"),
    ]


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
    view = leader.exports(round_(), base, "tok3n", "l3ader")
    links = {link.label: link.url for link in view.links}
    assert links == {
        "Graf": f"{root}/files/tok3n/chart.png",  # the chart every member has seen
        "CSV": f"{root}/exports/l3ader/summary.csv",  # the leader's own link
        "Excel": f"{root}/exports/l3ader/summary.xlsx",
        "Målprofil (YAML)": f"{root}/exports/l3ader/profile.yaml",
    }
    assert "http" not in view.text  # buttons, not raw URLs
