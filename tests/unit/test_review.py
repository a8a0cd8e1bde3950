"""The review overview as a table: from the done card or `mine`, every competence with the
member's answer; a tap opens that one, an answer there returns to the overview and keeps the
member's place in the list. No web, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.dialogs import results, scoring
from bot.domain import Progress
from bot.views import Button, ChoicePrompt, Message
from tests.unit.test_scoring import CLOSED, OPEN, P

NOW = datetime(2026, 12, 5, 10, tzinfo=UTC)
DONE = P(3, M02=3, M05=5, M13=0)


def describe(view: object) -> str:
    if isinstance(view, ChoicePrompt):
        return f"prompt:{view.key.split(':')[1]}" + ("+examples" if view.expanded else "")
    assert isinstance(view, Message)
    if view.buttons and view.buttons[0].action == "revise":
        return "overview"
    return "done" if view.tone == "success" else "partial"


def data(**values: Any) -> dict[str, Any]:
    return {"r": 7, "u": "bo", **values}


REVIEW = data(rv=1)


@pytest.mark.parametrize(
    ("state", "action", "sent", "position", "answers", "view"),
    [
        # the overview, from the done card or from `mine`
        (DONE, "review", data(), 3, DONE.answers, "overview"),
        # a tap opens that competence, the member's place in the list stays
        (DONE, "revise", data(c="M05"), 3, DONE.answers, "prompt:M05"),
        (P(1, M02=3), "revise", data(c="M13"), 1, {"M02": 3}, "prompt:M13"),
        # an answer there is stored, and the member is back at the overview
        (DONE, "score", {**REVIEW, "c": "M05", "s": 1}, 3, {**DONE.answers, "M05": 1}, "overview"),
        # also for the competence the member was on: the place does not move on
        (P(1, M02=3), "score", {**REVIEW, "c": "M05", "s": 2}, 1, {"M02": 3, "M05": 2}, "overview"),
        (P(1, M02=3), "score", {**REVIEW, "c": "M02", "s": 4}, 1, {"M02": 4}, "overview"),
        # examples open in place; back to the overview without answering
        (DONE, "examples", {**REVIEW, "c": "M02"}, 3, DONE.answers, "prompt:M02+examples"),
        (DONE, "review", {**REVIEW, "c": "M02"}, 3, DONE.answers, "overview"),
        # leaving the overview: where the member was
        (DONE, "continue", data(), 3, DONE.answers, "done"),
        (P(1, M02=3), "continue", data(), 1, {"M02": 3}, "prompt:M05"),
        # the same score click outside review mode moves on, as before
        (P(1, M02=3), "score", data(c="M05", s=2), 2, {"M02": 3, "M05": 2}, "prompt:M13"),
    ],
)  # fmt: skip
def test_review_moves(
    state: Progress,
    action: str,
    sent: dict[str, Any],
    position: int,
    answers: dict[str, int],
    view: str,
) -> None:
    step = scoring.click(OPEN, state, "bo", action, sent, now=NOW)
    assert isinstance(step, scoring.Step)
    assert not step.ignored
    assert (step.progress.position, step.progress.answers) == (position, answers)
    assert describe(step.view) == view
    stored = (sent["c"], sent["s"]) if action == "score" else None
    assert step.stored == stored


@pytest.mark.parametrize(
    ("round_", "user", "sent", "message"),
    [
        (CLOSED, "bo", data(), "Runden er lukket"),
        (OPEN, "eve", data(), "hører til en anden deltagers"),
        (OPEN, "bo", data(c="L01"), "ikke med i runden"),
    ],
)
def test_review_refusals(round_: Any, user: str, sent: dict[str, Any], message: str) -> None:
    action = "revise" if "c" in sent else "review"
    refused = scoring.click(round_, DONE, user, action, sent, now=NOW)
    assert isinstance(refused, scoring.Refusal) and message in refused.view.text


def test_overview_lists_each_competence_with_the_answer_now() -> None:
    view = scoring.overview(OPEN, P(1, M02=3, M13=0))
    assert isinstance(view, Message)
    labels = [b.label for b in view.buttons]
    assert labels == [
        "M02 · 3 · Fagsystemer",
        "M05 · – · Samarbejdsværktøjer",
        "M13 · 0 · Maskiner",
        "Fortsæt",
    ]
    assert [b.data.get("c") for b in view.buttons[:3]] == ["M02", "M05", "M13"]
    assert "2 af 3 besvaret" in view.text
    assert scoring.overview(OPEN, DONE).buttons[-1].label == "Færdig"


def test_review_prompt_leads_back_to_the_overview_never_skips() -> None:
    view = scoring.prompt(OPEN, DONE, review=1)
    assert isinstance(view, ChoicePrompt) and view.key == "7:M05"
    assert view.progress == "2 af 3" and view.selected == 5
    assert all(b.data["rv"] == 1 for b in (*view.choices, *view.navigation))
    assert [(b.action, b.label) for b in view.navigation] == [("review", "← Til oversigten")]
    assert "Spring over →" not in [b.label for b in view.navigation]


def test_the_done_card_offers_to_change_an_answer() -> None:
    assert Button("Ret et svar", "review", data()) in scoring.finished(OPEN, DONE).buttons


def test_mine_offers_to_change_an_answer_while_the_round_is_open() -> None:
    change = Button("Ret et svar", "review", data())
    assert change in results.my_scores(OPEN, DONE).buttons
    assert [b.label for b in results.my_scores(OPEN, P(1, M02=3)).buttons] == [
        "Fortsæt",
        "Ret et svar",
    ]
    assert change not in results.my_scores(OPEN, P(0)).buttons  # nothing to change yet
    assert not results.my_scores(CLOSED, DONE).buttons


def test_a_quick_second_tap_after_continue_stays_put() -> None:
    """The overview's continue is a navigation: a tap on the same spot within a second,
    now on the prompt it opened, is the first tap again (DESIGN.md, "Double taps")."""
    moved = Progress("bo", 1, {"M02": 3}, NOW - timedelta(milliseconds=200), None)
    step = scoring.click(OPEN, moved, "bo", "review", data(c="M05"), now=NOW)
    assert isinstance(step, scoring.Step) and step.ignored
    assert describe(step.view) == "prompt:M05"


def test_a_long_overview_comes_a_page_at_a_time_and_an_answer_returns_to_its_page() -> None:
    items = tuple(replace(OPEN.items[0], id=f"M{n:02}") for n in range(1, 61))
    long = replace(OPEN, items=items)
    member = Progress("bo", 60, {})
    first = scoring.overview(long, member)
    assert len(first.buttons) == 27 and first.buttons[-2].data["pg"] == 1
    step = scoring.click(long, member, "bo", "review", data(pg=2), now=NOW)
    assert isinstance(step, scoring.Step) and isinstance(step.view, Message)
    labels = [b.label for b in step.view.buttons]
    assert labels[0].startswith("M51 ") and labels[-2:] == ["← Forrige", "Færdig"]
    answered = scoring.click(long, member, "bo", "score", {**REVIEW, "c": "M30", "s": 2}, now=NOW)
    assert isinstance(answered, scoring.Step) and isinstance(answered.view, Message)
    assert answered.view.buttons[0].label.startswith("M26 ")
    assert "M30 · 2 · " in [b.label[:10] for b in answered.view.buttons]
