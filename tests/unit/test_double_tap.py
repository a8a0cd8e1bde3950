"""The double-tap rule (DESIGN.md) as a table: a second tap within a second on the prompt the
first one brought up is ignored; a different score, or anything after the second, counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.dialogs import scoring
from bot.domain import Progress, RoundCompetence, RoundInfo
from bot.views import ChoicePrompt

ITEMS = tuple(
    RoundCompetence(cid, cid, "M1", "Anvendelseskompetencer", 3) for cid in ("M02", "M05", "M13")
)
ROUND = RoundInfo(7, "open", datetime(2026, 12, 10, tzinfo=UTC), "da", "Europe/Copenhagen",
                  "Materialegården", ITEMS)  # fmt: skip
FIRST = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def after(ms: int) -> datetime:
    return FIRST + timedelta(milliseconds=ms)


def moved(position: int, score: int | None, **answers: int) -> Progress:
    """Where the previous click (at FIRST) left the member: on `position`, having given
    `score` (None: it was a navigation)."""
    return Progress("bo", position, answers, moved_at=FIRST, moved_score=score)


def button(action: str, competence: str | None = None, score: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"r": 7, "u": "bo"}
    if competence is not None:
        data["c"] = competence
    if score is not None:
        data["s"] = score
    return {"action": action, "data": data}


@pytest.mark.parametrize(
    ("state", "tap", "when", "ignored"),
    [
        # after scoring M02 with 3 the member is on M05: the same 3 again is the same tap
        (moved(1, 3, M02=3), button("score", "M05", 3), 120, True),
        (moved(1, 3, M02=3), button("score", "M05", 3), 999, True),
        # a different score, or a second later, is a real answer
        (moved(1, 3, M02=3), button("score", "M05", 4), 120, False),
        (moved(1, 3, M02=3), button("score", "M05", 3), 1000, False),
        (moved(1, 3, M02=3), button("score", "M05", 3), 2500, False),
        # a tap on another prompt than the one the member was moved to is not a double tap
        (moved(1, 3, M02=3), button("score", "M02", 3), 120, False),
        # after scoring, back/skip on the new prompt are deliberate
        (moved(1, 3, M02=3), button("skip", "M05"), 120, False),
        # after the intro's start (a navigation), a tap on the prompt's navigation is ignored
        (moved(0, None), button("skip", "M02"), 150, True),
        (moved(0, None), button("continue"), 150, True),
        # ...but a score after it counts, and so does anything after the second
        (moved(0, None), button("score", "M02", 0), 150, False),
        (moved(0, None), button("skip", "M02"), 1200, False),
        # a member whose last click moved nothing has nothing to double
        (Progress("bo", 1, {"M02": 3}), button("score", "M05", 3), 10, False),
        # the last answer leads to the finish page: its buttons are protected too
        (moved(3, None, M02=1, M05=2, M13=3), button("goto"), 300, True),
    ],
)
def test_double_taps(state: Progress, tap: dict[str, Any], when: int, ignored: bool) -> None:
    step = scoring.click(ROUND, state, "bo", tap["action"], tap["data"], now=after(when))
    assert isinstance(step, scoring.Step)
    assert step.ignored is ignored
    if ignored:
        assert step.progress == state and step.stored is None
    else:
        assert step.stored is not None or step.progress != state or tap["action"] == "continue"


def test_an_ignored_tap_shows_the_prompt_the_member_is_on() -> None:
    step = scoring.click(
        ROUND, moved(1, 3, M02=3), "bo", "score", button("score", "M05", 3)["data"], now=after(50)
    )
    assert isinstance(step, scoring.Step) and isinstance(step.view, ChoicePrompt)
    assert step.view.key == "7:M05" and step.view.selected is None
