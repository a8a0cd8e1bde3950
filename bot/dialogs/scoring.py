"""Scoring: one competence at a time, six choices, back, skip, examples, resume, change.

Pure functions over (RoundInfo, Progress): each returns the new progress and the view to
show, or a refusal that changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.dialogs.guidance import scale_lines
from bot.domain import Progress, RoundInfo
from bot.i18n import format_datetime, t
from bot.views import Button, ChoicePrompt, Message, View
from catalog.loader import load_catalog


@dataclass(frozen=True)
class Step:
    """The member's new progress and prompt; `stored` the answer to save; `retire` an older
    copy of the prompt that loses its buttons because the member went on from another."""

    progress: Progress
    view: View
    stored: tuple[str, int] | None = None
    retire: dict[str, Any] | None = None
    ignored: bool = False
    """A double tap: nothing changes, the prompt stays as it is."""


@dataclass(frozen=True)
class Refusal:
    """A click that changes nothing; `in_place` replaces the clicked card with `view`, so a
    closed round's buttons stop working where they were pressed instead of every card being
    updated at the close (which would flood the platforms' update limits)."""

    view: Message
    in_place: bool = False


def refuse(key: str, language: str, **values: object) -> Refusal:
    return Refusal(Message(t(key, language, **values), tone="error"))


def closed(round_: RoundInfo) -> Refusal:
    """Any button of a closed round: its card becomes one polite line without buttons."""
    return Refusal(Message(t("error.round_closed", round_.language)), in_place=True)


def _deadline(round_: RoundInfo) -> str:
    return format_datetime(round_.deadline, round_.language, ZoneInfo(round_.timezone))


def intros(round_: RoundInfo, names: Sequence[str]) -> list[Message]:
    """The first private message for each member: why, the scale, the deadline, privacy,
    and a start button. The text is built once per round, then only the name changes."""
    lang = round_.language
    scale = scale_lines(lang)
    slot = "\x00"
    text = t(
        "intro.text",
        lang,
        name=slot,
        team=round_.team_name,
        count=len(round_.items),
        deadline=_deadline(round_),
        scale=scale,
        threshold=round_.min_respondents,
    )
    begin = (Button(t("button.begin", lang), "continue", {"r": round_.id}, "primary"),)
    return [Message(text.replace(slot, name), begin) for name in names]


def prompt(
    round_: RoundInfo, progress: Progress, *, expanded: bool = False, review: int | None = None
) -> View:
    """The view for where the member is: a competence, or the end of the list. With `review`,
    that competence opened from the review overview: its buttons lead back there."""
    lang = round_.language
    index = progress.position if review is None else review
    if index >= len(round_.items):
        return finished(round_, progress)
    item = round_.items[index]
    data: dict[str, Any] = {"r": round_.id, "c": item.id, "u": progress.user_id}
    if review is not None:
        data["rv"] = 1
    choices = tuple(
        Button(
            f"{level.level} · {t(f'scale.short.{level.level}', lang)}",
            "score",
            {**data, "s": level.level},
            "primary" if progress.answers.get(item.id) == level.level else "default",
        )
        for level in load_catalog().scale
    )
    if review is not None:
        navigation = [Button(t("button.to_overview", lang), "review", data)]
    else:
        navigation = [Button(t("button.back", lang), "back", data)] if index > 0 else []
        forward = "button.forward" if item.id in progress.answers else "button.skip"
        navigation.append(Button(t(forward, lang), "skip", data))
    if item.examples and not expanded:
        navigation.append(Button(t("button.examples", lang), "examples", data))
    answer = progress.answers.get(item.id)
    note = t("prompt.current", lang, score=answer) if answer is not None else None
    return ChoicePrompt(
        key=f"{round_.id}:{item.id}",
        title=item.name,
        subtitle=f"{item.id} · {item.dimension_name}",
        body=item.description,
        progress=t("prompt.progress", lang, index=index + 1, total=len(round_.items)),
        choices=choices,
        navigation=tuple(navigation),
        details=item.examples,
        details_title=t("prompt.examples_title", lang),
        expanded=expanded,
        note=note,
        selected=answer,
    )


REVIEW_PAGE = 25
"""Competences on one page of the overview: a Teams card of more would pass 28 KB."""


def overview(round_: RoundInfo, progress: Progress, page: int = 0) -> Message:
    """Every competence with the member's answer now, a page at a time; a tap opens that
    one's prompt, and after answering it the member is back here (not at the next one)."""
    lang = round_.language
    data = {"r": round_.id, "u": progress.user_id}
    last = max(0, (len(round_.items) - 1) // REVIEW_PAGE)
    page = min(max(page, 0), last)
    shown = round_.items[page * REVIEW_PAGE : (page + 1) * REVIEW_PAGE]
    rows = [
        Button(
            f"{item.id} · {progress.answers.get(item.id, '–')} · {item.name}",
            "revise",
            {**data, "c": item.id},
        )
        for item in shown
    ]
    if page > 0:
        rows.append(Button(t("button.previous_page", lang), "review", {**data, "pg": page - 1}))
    if page < last:
        rows.append(Button(t("button.next_page", lang), "review", {**data, "pg": page + 1}))
    resume = progress.position < len(round_.items)
    leave = Button(t("button.continue" if resume else "button.done", lang), "continue", data)
    text = t("review.title", lang, answered=len(progress.answers), total=len(round_.items))
    return Message(text, (*rows, leave))


def finished(round_: RoundInfo, progress: Progress) -> Message:
    lang = round_.language
    skipped = progress.unanswered(round_)
    data = {"r": round_.id, "u": progress.user_id}
    buttons = [Button(t("button.review", lang), "review", data)]
    if skipped:
        text = t(
            "done.partial",
            lang,
            answered=len(round_.items) - len(skipped),
            total=len(round_.items),
            skipped=len(skipped),
            deadline=_deadline(round_),
        )
        buttons.insert(
            0,
            Button(t("button.answer_skipped", lang), "goto", {**data, "p": skipped[0]}, "primary"),
        )
        return Message(text, tuple(buttons))
    text = t("done.complete", lang, total=len(round_.items), deadline=_deadline(round_))
    return Message(text, tuple(buttons), tone="success")


def _checked(round_: RoundInfo, progress: Progress | None, user_id: str) -> Refusal | None:
    if not round_.is_open:
        return closed(round_)
    if progress is None:
        return refuse("error.not_participant", round_.language)
    if progress.user_id != user_id:
        return refuse("error.not_your_prompt", round_.language)
    return None


ACTIONS = frozenset({"score", "back", "skip", "examples", "goto", "continue", "review", "revise"})
DOUBLE_TAP = timedelta(seconds=1)
"""Nobody reads a new competence in under a second: a tap that soon is the first one again."""


def is_double_tap(
    round_: RoundInfo, progress: Progress, action: str, data: dict[str, Any], now: datetime
) -> bool:
    """A second tap that lands, within a second, on the prompt the member's previous click
    just moved them to (DESIGN.md, "Double taps"): after a score, a score click with the same
    score; after a navigation (the intro's start, skip, back, goto), a navigation button.
    A different score, a score after a navigation, or any tap after the second counts."""
    if progress.moved_at is None or not now - progress.moved_at < DOUBLE_TAP:
        return False
    here = round_.items[progress.position].id if progress.position < len(round_.items) else None
    carried = data.get("c")
    if carried is not None and carried != here:
        return False
    if progress.moved_score is not None:
        return action == "score" and data.get("s") == progress.moved_score
    return action != "score"


def click(
    round_: RoundInfo,
    progress: Progress | None,
    user_id: str,
    action: str,
    data: dict[str, Any],
    *,
    clicked: dict[str, Any] | None = None,
    shown: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Step | Refusal:
    """A click on a prompt, reminder or intro button.

    A button carries the member it was made for (`u`): anyone else's click is refused. When
    the member clicks a different copy of their prompt than the one last shown, the prompt
    moves to the clicked one and the other copy is retired."""
    intended = data.get("u")
    if intended is not None and intended != user_id:
        return refuse("error.not_your_prompt", round_.language)
    if (
        now is not None
        and progress is not None
        and round_.is_open
        and is_double_tap(round_, progress, action, data, now)
    ):
        return Step(progress, prompt(round_, progress), ignored=True)
    if action in ("review", "revise") or (data.get("rv") and action in ("score", "examples")):
        step = review(round_, progress, user_id, action, data)
    elif action == "score":
        step = score(round_, progress, user_id, str(data.get("c")), data.get("s"))
    else:
        step = navigate(round_, progress, user_id, action, data.get("p"))
    if isinstance(step, Refusal) or clicked is None or shown is None or clicked == shown:
        return step
    return replace(step, retire=shown)


def score(
    round_: RoundInfo, progress: Progress | None, user_id: str, competence_id: str, value: object
) -> Step | Refusal:
    """Store the answer to the competence the button carried; move on if it was the current one."""
    refusal = _checked(round_, progress, user_id)
    if refusal is not None:
        return refusal
    assert progress is not None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
        return refuse("error.bad_score", round_.language)
    index = round_.index_of(competence_id)
    if index is None:
        return refuse("error.unknown_competence", round_.language)
    answers = {**progress.answers, competence_id: value}
    position = index + 1 if index == progress.position else progress.position
    moved = replace(progress, answers=answers, position=position)
    return Step(moved, prompt(round_, moved), (competence_id, value))


def navigate(
    round_: RoundInfo, progress: Progress | None, user_id: str, action: str, target: object = None
) -> Step | Refusal:
    """back, skip, examples, goto and continue: moves within the list, stores nothing."""
    refusal = _checked(round_, progress, user_id)
    if refusal is not None:
        return refusal
    assert progress is not None
    last = len(round_.items)
    if action == "back":
        moved = replace(progress, position=max(0, min(progress.position, last) - 1))
    elif action == "skip":
        moved = replace(progress, position=min(last, progress.position + 1))
    elif action == "goto":
        if isinstance(target, bool) or not isinstance(target, int) or not 0 <= target <= last:
            return refuse("error.unknown_competence", round_.language)
        moved = replace(progress, position=target)
    elif action in ("continue", "examples"):
        moved = progress
    else:
        return refuse("error.unknown_action", round_.language)
    return Step(moved, prompt(round_, moved, expanded=action == "examples"))


def review(
    round_: RoundInfo, progress: Progress | None, user_id: str, action: str, data: dict[str, Any]
) -> Step | Refusal:
    """The review overview and the prompts opened from it. The member's place in the list
    stays where it was, so continuing later resumes there."""
    refusal = _checked(round_, progress, user_id)
    if refusal is not None:
        return refusal
    assert progress is not None
    index = round_.index_of(str(data.get("c")))
    if action == "review":
        page = data.get("pg")
        if isinstance(page, bool) or not isinstance(page, int):
            page = (index or 0) // REVIEW_PAGE
        return Step(progress, overview(round_, progress, page))
    if index is None:
        return refuse("error.unknown_competence", round_.language)
    if action != "score":
        return Step(progress, prompt(round_, progress, expanded=action == "examples", review=index))
    step = score(round_, progress, user_id, str(data.get("c")), data.get("s"))
    if isinstance(step, Refusal):
        return step
    kept = replace(step.progress, position=progress.position)
    return replace(step, progress=kept, view=overview(round_, kept, index // REVIEW_PAGE))
