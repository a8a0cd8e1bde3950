"""A round's aggregates, computed by the database so a round of any size is never loaded."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Participant, Score


async def participation(
    session: AsyncSession, round_ids: Sequence[int]
) -> dict[int, tuple[int, int, int, int]]:
    """Per round: invited, completed (answered every competence), started, unreachable."""
    rows = await session.execute(
        select(
            Participant.round_id,
            func.count(),
            func.count(Participant.completed_at),
            func.count(Participant.started_at),
            func.count(Participant.unreachable),
        )
        .where(Participant.round_id.in_(round_ids))
        .group_by(Participant.round_id)
    )
    return {int(rid): (int(a), int(b), int(c), int(d)) for rid, a, b, c, d in rows.all()}


async def score_distributions(
    session: AsyncSession, round_id: int, competence_ids: Sequence[str]
) -> dict[str, list[int]]:
    """Counts per competence and level 0..5."""
    rows = await session.execute(
        select(Score.competence_id, Score.score, func.count())
        .where(Score.round_id == round_id)
        .group_by(Score.competence_id, Score.score)
    )
    counts = {cid: [0] * 6 for cid in competence_ids}
    for competence_id, score, count in rows.all():
        if competence_id in counts:
            counts[competence_id][score] = count
    return counts
