"""A round's aggregates, the same for the channel summary, the CLI report and exports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Counts, RoundCompetence
from bot.services.snapshots import round_info
from bot.services.summary import Summary, summarize_counts
from storage import reports, rounds
from storage.models import Round


async def counts(session: AsyncSession, round_ids: list[int]) -> dict[int, Counts]:
    """Participation per round, in numbers only."""
    found = await reports.participation(session, round_ids)
    result = {}
    for round_id in round_ids:
        invited, completed, started, unreachable = found.get(round_id, (0, 0, 0, 0))
        result[round_id] = Counts(invited, completed, started - completed, unreachable)
    return result


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def round_fields(round_: Round, participation: Counts) -> dict[str, Any]:
    """A round as `rounds list --json` and a report's `round` show it."""
    return {
        "id": round_.id,
        "platform": round_.team.platform,
        "team": round_.team.key,
        "status": round_.status,
        "opened_at": _iso(round_.opened_at),
        "deadline": _iso(round_.deadline),
        "closed_at": _iso(round_.closed_at),
        "invited": participation.invited,
        "completed": participation.completed,
    }


async def _summarize(
    session: AsyncSession, round_: Round, previous: Summary | None = None
) -> Summary:
    participation = (await counts(session, [round_.id]))[round_.id]
    competences: tuple[RoundCompetence, ...] = round_info(round_).items
    ids = [c.id for c in competences]
    return summarize_counts(
        competences,
        await reports.score_distributions(session, round_.id, ids),
        participation.completed,
        invited=participation.invited,
        min_respondents=round_.min_respondents,
        previous=previous,
    )


async def round_summary(session: AsyncSession, round_: Round) -> Summary:
    """The summary, with the change since the team's previous closed round when there is one."""
    earlier = await rounds.previous_closed(session, round_)
    previous = await _summarize(session, earlier) if earlier is not None else None
    return await _summarize(session, round_, previous)
