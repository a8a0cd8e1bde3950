"""Everything stored about one person on one platform, for their own right of access
(GDPR art. 15): their seats in rounds, their scores, the teams they lead, the units they
own, and where the bot reaches them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ConversationRef,
    Participant,
    Round,
    Score,
    Team,
    TeamLeader,
    TeamMember,
    Unit,
    UnitOwner,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def everything(session: AsyncSession, platform: str, user_id: str) -> dict[str, Any]:
    seats = await session.execute(
        select(Participant, Round.id, Team.key, Team.name)
        .join(Round, Round.id == Participant.round_id)
        .join(Team, Team.id == Round.team_id)
        .where(Team.platform == platform, Participant.user_id == user_id)
        .order_by(Round.id)
    )
    scores = await session.execute(
        select(Score.round_id, Score.competence_id, Score.score, Score.updated_at)
        .join(Round, Round.id == Score.round_id)
        .join(Team, Team.id == Round.team_id)
        .where(Team.platform == platform, Score.user_id == user_id)
        .order_by(Score.round_id, Score.competence_id)
    )
    leads = await session.scalars(
        select(Team.key)
        .join(TeamLeader, TeamLeader.team_id == Team.id)
        .where(Team.platform == platform, TeamLeader.user_id == user_id)
    )
    memberships = await session.scalars(
        select(Team.key)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(Team.platform == platform, TeamMember.user_id == user_id)
    )
    owns = await session.scalars(
        select(Unit.key)
        .join(UnitOwner, UnitOwner.unit_id == Unit.id)
        .where(UnitOwner.platform == platform, UnitOwner.user_id == user_id)
    )
    reached = await session.scalars(
        select(ConversationRef.kind).where(
            ConversationRef.platform == platform, ConversationRef.key == user_id
        )
    )
    return {
        "platform": platform,
        "user": user_id,
        "rounds": [
            {
                "round": round_id,
                "team": team_name or team_key,
                "name_shown": seat.display_name,
                "position": seat.position,
                "started_at": _iso(seat.started_at),
                "completed_at": _iso(seat.completed_at),
                "reminders_sent": seat.reminders_sent,
                "unreachable": seat.unreachable is not None,
            }
            for seat, round_id, team_key, team_name in seats.all()
        ],
        "scores": [
            {"round": rid, "competence": cid, "score": value, "updated_at": _iso(when)}
            for rid, cid, value, when in scores.all()
        ],
        "leads_teams": list(leads.all()),
        "member_of_teams": list(memberships.all()),
        "owns_units": list(owns.all()),
        "reached_through": list(reached.all()),
    }
