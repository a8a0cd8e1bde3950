"""`scoring.click` as a table: whose button it is, and which copy of the prompt was clicked.

A button carries the member it was made for; anyone else's click is refused. A member who
clicks a different copy of their prompt than the one last shown moves the prompt there, and
the other copy is retired (it loses its buttons)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.dialogs import scoring
from bot.domain import Progress, RoundCompetence, RoundInfo
from bot.i18n import t

ITEMS = tuple(
    RoundCompetence(cid, cid, "M1", "Anvendelseskompetencer", 3) for cid in ("M02", "M05")
)
OPEN = RoundInfo(7, "open", datetime(2026, 12, 10, tzinfo=UTC), "da", "Europe/Copenhagen",
                 "Materialegården", ITEMS)  # fmt: skip
CLOSED = RoundInfo(7, "closed", OPEN.deadline, "da", "Europe/Copenhagen", "Materialegården",
                   ITEMS)  # fmt: skip
BO = Progress("bo", 0, {})
DM = {"channel": "DBO", "ts": "1.000001"}
HOME = {"channel": "DBO", "ts": "2.000002"}
REMINDER = {"channel": "DBO", "ts": "3.000003"}
SCORE = ("score", {"r": 7, "c": "M02", "u": "bo", "s": 4})
SKIP = ("skip", {"r": 7, "c": "M02", "u": "bo"})
NOT_YOURS = t("error.not_your_prompt", "da")


@pytest.mark.parametrize(
    ("round_", "user", "event", "clicked", "shown", "refusal", "retire"),
    [
        # the member's own button, on the copy last shown: no copy to retire
        (OPEN, "bo", SCORE, DM, DM, None, None),
        (OPEN, "bo", SKIP, DM, DM, None, None),
        # no clicked message known (e.g. the Home tab), or none shown yet: nothing to retire
        (OPEN, "bo", SCORE, None, DM, None, None),
        (OPEN, "bo", SCORE, DM, None, None, None),
        # the prompt moved: the copy shown before loses its buttons
        (OPEN, "bo", SCORE, REMINDER, DM, None, DM),
        (OPEN, "bo", SKIP, HOME, DM, None, DM),
        (OPEN, "bo", ("continue", {"r": 7, "u": "bo"}), REMINDER, DM, None, DM),
        # someone else's button: refused, whichever copy, and nothing retired
        (OPEN, "ali", SCORE, DM, DM, NOT_YOURS, None),
        (OPEN, "ali", SKIP, REMINDER, DM, NOT_YOURS, None),
        (OPEN, "ali", ("continue", {"r": 7, "u": "bo"}), None, None, NOT_YOURS, None),
        # a refusal for another reason retires nothing either
        (CLOSED, "bo", SCORE, REMINDER, DM, t("error.round_closed", "da"), None),
        (OPEN, "bo", ("score", {"r": 7, "c": "M02", "u": "bo", "s": 9}), REMINDER, DM,
         t("error.bad_score", "da"), None),
    ],
)  # fmt: skip
def test_click(
    round_: RoundInfo,
    user: str,
    event: tuple[str, dict[str, Any]],
    clicked: dict[str, Any] | None,
    shown: dict[str, Any] | None,
    refusal: str | None,
    retire: dict[str, Any] | None,
) -> None:
    action, data = event
    progress = BO if user == "bo" else None  # ali has no seat of his own in this table
    step = scoring.click(round_, progress, user, action, data, clicked=clicked, shown=shown)
    if refusal is not None:
        assert isinstance(step, scoring.Refusal)
        assert step.view.text == refusal
        return
    assert isinstance(step, scoring.Step)
    assert step.retire == retire


def test_a_member_with_a_seat_cannot_answer_from_another_members_button() -> None:
    """Ali has his own seat, but the button was made for Bo: refused, nothing stored."""
    step = scoring.click(OPEN, Progress("ali"), "ali", *SCORE, clicked=DM, shown=DM)
    assert isinstance(step, scoring.Refusal) and step.view.text == NOT_YOURS


def test_a_moved_prompt_still_stores_the_answer() -> None:
    step = scoring.click(OPEN, BO, "bo", *SCORE, clicked=REMINDER, shown=DM)
    assert isinstance(step, scoring.Step)
    assert (step.stored, step.progress.position, step.retire) == (("M02", 4), 1, DM)


def test_a_closed_rounds_button_turns_its_own_card_into_the_polite_line() -> None:
    """The clicked card is replaced (no buttons left on it); other refusals leave it as is."""
    step = scoring.click(CLOSED, BO, "bo", *SCORE, clicked=REMINDER, shown=DM)
    assert isinstance(step, scoring.Refusal)
    assert step.in_place and step.view.buttons == ()
    forged = scoring.click(OPEN, BO, "bo", "score", {**SCORE[1], "s": 9}, clicked=DM, shown=DM)
    assert isinstance(forged, scoring.Refusal) and not forged.in_place
