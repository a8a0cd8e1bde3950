"""The scoring dialog as a table: (state, event) -> (state, view). No web, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.dialogs import scoring
from bot.domain import Progress, RoundCompetence, RoundInfo
from bot.views import ChoicePrompt, Message

ITEMS = tuple(
    RoundCompetence(
        cid, name, "M1", "Anvendelseskompetencer", target, f"{name} beskrevet", examples
    )
    for cid, name, target, examples in [
        ("M02", "Fagsystemer", 4, "Opgavestyringssystemet"),
        ("M05", "Samarbejdsværktøjer", 3, None),
        ("M13", "Maskiner", 3, "Græsklipperrobotter"),
    ]
)
OPEN = RoundInfo(7, "open", datetime(2026, 12, 10, tzinfo=UTC), "da", "Europe/Copenhagen",
                 "Materialegården", ITEMS)  # fmt: skip
CLOSED = RoundInfo(7, "closed", OPEN.deadline, "da", "Europe/Copenhagen", "Materialegården",
                   ITEMS)  # fmt: skip
START = Progress("bo")


def P(position: int, **answers: int) -> Progress:
    return Progress("bo", position, answers)


@pytest.mark.parametrize(
    ("state", "event", "position", "answers", "view"),
    [
        # answer the current prompt: stored, move on
        (START, ("score", "M02", 3), 1, {"M02": 3}, "prompt:M05"),
        (P(1, M02=3), ("score", "M05", 5), 2, {"M02": 3, "M05": 5}, "prompt:M13"),
        # the last answer ends on the closing confirmation
        (P(2, M02=3, M05=5), ("score", "M13", 0), 3, {"M02": 3, "M05": 5, "M13": 0}, "done"),
        # a click on an earlier prompt changes that answer and stays where the member is
        (P(2, M02=3, M05=5), ("score", "M02", 1), 2, {"M02": 1, "M05": 5}, "prompt:M13"),
        # back, skip, goto, continue and examples move without storing
        (P(2, M02=3), ("back",), 1, {"M02": 3}, "prompt:M05"),
        (START, ("back",), 0, {}, "prompt:M02"),
        (P(1, M02=3), ("skip",), 2, {"M02": 3}, "prompt:M13"),
        (P(2, M02=3), ("skip",), 3, {"M02": 3}, "partial"),
        (P(3, M02=3), ("goto", 1), 1, {"M02": 3}, "prompt:M05"),
        (P(1, M02=3), ("continue",), 1, {"M02": 3}, "prompt:M05"),
        (START, ("examples",), 0, {}, "prompt:M02+examples"),
    ],
)
def test_scoring_moves(
    state: Progress, event: tuple[object, ...], position: int, answers: dict[str, int], view: str
) -> None:
    if event[0] == "score":
        step = scoring.score(OPEN, state, "bo", str(event[1]), event[2])
    else:
        step = scoring.navigate(OPEN, state, "bo", str(event[0]), *event[1:])
    assert isinstance(step, scoring.Step)
    assert step.progress.position == position
    assert step.progress.answers == answers
    assert _describe(step.view) == view


def _describe(view: object) -> str:
    if isinstance(view, ChoicePrompt):
        return f"prompt:{view.key.split(':')[1]}" + ("+examples" if view.expanded else "")
    assert isinstance(view, Message)
    return "done" if view.tone == "success" else "partial"


@pytest.mark.parametrize(
    ("round_", "state", "user", "competence", "value", "message"),
    [
        (OPEN, START, "bo", "M02", 7, "Vælg et niveau fra 0 til 5"),
        (OPEN, START, "bo", "M02", -1, "Vælg et niveau fra 0 til 5"),
        (OPEN, START, "bo", "M02", "3", "Vælg et niveau fra 0 til 5"),
        (OPEN, START, "bo", "M02", True, "Vælg et niveau fra 0 til 5"),
        (OPEN, START, "bo", "L01", 3, "ikke med i runden"),
        (CLOSED, START, "bo", "M02", 3, "Runden er lukket"),
        (OPEN, None, "eve", "M02", 3, "ikke med i denne runde"),
        (OPEN, START, "eve", "M02", 3, "hører til en anden deltagers"),
    ],
)
def test_refusals_change_nothing(
    round_: RoundInfo, state: Progress | None, user: str, competence: str, value: object,
    message: str,
) -> None:  # fmt: skip
    result = scoring.score(round_, state, user, competence, value)
    assert isinstance(result, scoring.Refusal)
    assert message in result.view.text
    # A closed round's line replaces the card calmly; the member did nothing wrong.
    assert result.view.tone == ("info" if round_ is CLOSED else "error")


def test_prompt_names_its_competence_and_offers_six_levels_in_order() -> None:
    view = scoring.prompt(OPEN, P(0))
    assert isinstance(view, ChoicePrompt)
    assert view.title == "Fagsystemer" and "M02" in view.subtitle
    assert [b.label[0] for b in view.choices] == ["0", "1", "2", "3", "4", "5"]
    assert all(
        b.data == {"r": 7, "c": "M02", "u": "bo", "s": i} for i, b in enumerate(view.choices)
    )
    assert view.progress == "1 af 3"
    assert all(len(b.label) <= 75 for b in (*view.choices, *view.navigation))
    assert [b.action for b in view.navigation] == ["skip", "examples"]


def test_prompt_marks_the_current_answer_and_offers_back() -> None:
    view = scoring.prompt(OPEN, P(1, M05=2))
    assert isinstance(view, ChoicePrompt)
    assert view.selected == 2 and view.note == "Dit svar nu: 2"
    assert [b.style for b in view.choices].index("primary") == 2
    assert [b.action for b in view.navigation] == ["back", "skip"]


def test_closing_confirmation_offers_the_skipped_ones_first() -> None:
    view = scoring.finished(OPEN, P(3, M02=1, M13=2))
    assert "svaret på 2 af 3" in view.text and "sprunget 1 over" in view.text
    assert view.buttons[0].action == "goto" and view.buttons[0].data["p"] == 1


def test_intro_explains_why_the_scale_the_deadline_and_privacy() -> None:
    text = scoring.intros(OPEN, ["Bo"])[0].text
    for needle in ("Hej Bo", "KL", "3 kompetencer", "har ingen viden", "er ekspert",
                   "10. december 2026", "kun du ser dine svar", "mindst 3"):  # fmt: skip
        assert needle in text, needle
    # What the scores are for, in the catalog's terms (step 5), and that it is not a test.
    for needle in ("faktiske profil", "målprofilen", "sætte ind", "ikke en facitliste"):
        assert needle in text, needle


def test_english_round_speaks_english() -> None:
    english = RoundInfo(7, "open", OPEN.deadline, "en", "Europe/Copenhagen", "Depot", ITEMS)
    view = scoring.prompt(english, START)
    assert isinstance(view, ChoicePrompt)
    assert view.progress == "1 of 3"
    assert view.choices[0].label.startswith("0 · ") and "viden" not in view.choices[0].label


def test_score_buttons_are_short_enough_for_a_phone_and_start_with_the_digit() -> None:
    view = scoring.prompt(OPEN, START)
    assert isinstance(view, ChoicePrompt)
    assert [b.label for b in view.choices] == [
        "0 · Ingen", "1 · Meget begrænset", "2 · Begrænset", "3 · God", "4 · Meget god",
        "5 · Ekspert",
    ]  # fmt: skip
    english = scoring.prompt(replace(OPEN, language="en"), START)
    assert isinstance(english, ChoicePrompt)
    assert english.choices[5].label == "5 · Expert"
