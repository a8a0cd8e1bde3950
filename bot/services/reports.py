"""A round's aggregates, the same for the channel summary, the CLI report and exports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.summary import RoundCompetence, Summary, summarize_counts
from storage import repositories as repo
from storage.models import Round


def round_competences(snapshot: dict[str, Any]) -> list[RoundCompetence]:
    return [
        RoundCompetence(
            id=item["id"],
            name=item["name"],
            dimension=item["dimension"],
            dimension_name=item["dimension_name"],
            target=int(item["target"]),
        )
        for item in snapshot["competences"]
    ]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def round_info(round_: Round, invited: int, completed: int) -> dict[str, Any]:
    return {
        "id": round_.id,
        "platform": round_.team.platform,
        "team": round_.team.key,
        "status": round_.status,
        "opened_at": _iso(round_.opened_at),
        "deadline": _iso(round_.deadline),
        "closed_at": _iso(round_.closed_at),
        "invited": invited,
        "completed": completed,
    }


async def _previous_closed(session: AsyncSession, round_: Round) -> Round | None:
    return await session.scalar(
        select(Round)
        .where(
            Round.team_id == round_.team_id,
            Round.status == "closed",
            Round.opened_at < round_.opened_at,
        )
        .order_by(Round.opened_at.desc())
        .limit(1)
    )


async def _summarize(
    session: AsyncSession, round_: Round, previous: Summary | None = None
) -> Summary:
    counts = await repo.round_counts(session, [round_.id])
    invited, _ = counts.get(round_.id, (0, 0))
    competences = round_competences(round_.snapshot)
    ids = [c.id for c in competences]
    return summarize_counts(
        competences,
        await repo.score_distributions(session, round_.id, ids),
        await repo.completed_count(session, round_.id, ids),
        invited=invited,
        min_respondents=round_.min_respondents,
        previous=previous,
    )


async def round_summary(session: AsyncSession, round_: Round) -> Summary:
    """The summary, with the change since the team's previous closed round when there is one."""
    earlier = await _previous_closed(session, round_)
    previous = await _summarize(session, earlier) if earlier is not None else None
    return await _summarize(session, round_, previous)
