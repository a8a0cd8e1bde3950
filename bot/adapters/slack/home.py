"""The App Home tab: what is waiting for me, and how the teams I lead are doing.

Counts only, as in `status`: a leader sees how many have finished, never who. A member sees
each open round that waits for them with a "continue" button that carries the round and
the member, like a reminder's.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.slack.blocks import MAX_MODAL_BLOCKS, button, context, plain, sections
from bot.adapters.slack.translate import PLATFORM
from bot.i18n import format_datetime, t
from bot.runtime import Runtime
from bot.views import Button
from storage import repositories as repo
from storage.models import Participant, Round, Score, Team, TeamLeader

MAX_ITEMS = 20


def _when(moment: Any, language: str, timezone: str) -> str:
    return format_datetime(moment, language, ZoneInfo(timezone))


async def _waiting(session: AsyncSession, user_id: str, language: str) -> list[dict[str, Any]]:
    rounds = (
        await session.scalars(
            select(Round)
            .join(Participant, Participant.round_id == Round.id)
            .join(Team, Team.id == Round.team_id)
            .where(
                Team.platform == PLATFORM,
                Round.status == "open",
                Participant.user_id == user_id,
                Participant.completed_at.is_(None),
            )
            .order_by(Round.deadline)
            .limit(MAX_ITEMS)
        )
    ).all()
    blocks: list[dict[str, Any]] = []
    for index, round_ in enumerate(rounds):
        answered = await session.scalar(
            select(func.count()).where(Score.round_id == round_.id, Score.user_id == user_id)
        )
        line = t(
            "slack.home.waiting_line",
            round_.language,
            team=round_.team.name or round_.team.key,
            answered=answered or 0,
            total=len(round_.snapshot["competences"]),
            deadline=_when(round_.deadline, round_.language, round_.team.timezone),
        )
        label = t("button.continue", round_.language)
        block = sections(line)[0]
        block["accessory"] = button(
            Button(label, "continue", {"r": round_.id, "u": user_id}, "primary"), index
        )
        blocks.append(block)
    return blocks or [context(t("slack.home.nothing_waiting", language))]


async def _leading(session: AsyncSession, user_id: str) -> list[dict[str, Any]]:
    teams = (
        await session.scalars(
            select(Team)
            .join(TeamLeader, TeamLeader.team_id == Team.id)
            .where(Team.platform == PLATFORM, TeamLeader.user_id == user_id)
            .order_by(Team.name)
            .limit(MAX_ITEMS)
        )
    ).all()
    latest = {team.id: await _latest_round(session, team.id) for team in teams}
    counts = await repo.round_counts(session, [r.id for r in latest.values() if r is not None])
    blocks: list[dict[str, Any]] = []
    for team in teams:
        lang = team.language
        round_ = latest[team.id]
        if round_ is None:
            status = t("slack.home.no_rounds", lang)
        else:
            invited, completed = counts.get(round_.id, (0, 0))
            if round_.status == "open":
                when = _when(round_.deadline, lang, team.timezone)
                status = t(
                    "slack.home.round_open",
                    lang,
                    completed=completed,
                    invited=invited,
                    deadline=when,
                )
            else:
                closed = _when(round_.closed_at or round_.deadline, lang, team.timezone)
                status = t(
                    "slack.home.round_closed",
                    lang,
                    completed=completed,
                    invited=invited,
                    closed=closed,
                )
        blocks += sections(
            t("slack.home.team_line", lang, team=team.name or team.key) + "\n" + status
        )
    return blocks


async def _latest_round(session: AsyncSession, team_id: int) -> Round | None:
    return await session.scalar(
        select(Round)
        .where(Round.team_id == team_id)
        .order_by(Round.opened_at.desc(), Round.id.desc())
        .limit(1)
    )


async def home_view(runtime: Runtime, user_id: str, note: str | None = None) -> dict[str, Any]:
    """The tab for `user_id`; `note` is a line at the top (e.g. where the next question is)."""
    language = runtime.settings.language
    async with runtime.sessions() as session:
        waiting = await _waiting(session, user_id, language)
        leading = await _leading(session, user_id)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": plain(t("slack.home.title", language), 150)},
        *sections(t("slack.home.intro", language)),
    ]
    if note:
        blocks += sections(note)
    blocks.append({"type": "header", "text": plain(t("slack.home.waiting_title", language), 150)})
    blocks += waiting
    if leading:
        blocks.append(
            {"type": "header", "text": plain(t("slack.home.leading_title", language), 150)}
        )
        blocks += leading
    return {"type": "home", "blocks": blocks[:MAX_MODAL_BLOCKS]}


async def prompt_ref(runtime: Runtime, round_id: object, user_id: str) -> dict[str, Any] | None:
    """Where the member's prompt is, so "continue" from the Home tab updates it in place."""
    if isinstance(round_id, bool) or not isinstance(round_id, int):
        return None
    async with runtime.sessions() as session:
        return await session.scalar(
            select(Participant.prompt_ref).where(
                Participant.round_id == round_id, Participant.user_id == user_id
            )
        )
