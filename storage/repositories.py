"""Queries and writes, one function per need; callers own the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Participant, Profile, ProfileCompetence, Round, Score, Team, TeamLeader


async def find_team(session: AsyncSession, platform: str, key: str) -> Team | None:
    return await session.scalar(select(Team).where(Team.platform == platform, Team.key == key))


async def get_or_create_team(
    session: AsyncSession, platform: str, key: str, *, language: str, timezone: str
) -> Team:
    team = await find_team(session, platform, key)
    if team is None:
        team = Team(platform=platform, key=key, name=key, language=language, timezone=timezone)
        team.leaders = []
        session.add(team)
        await session.flush()
    return team


def add_leaders(team: Team, user_ids: Iterable[str]) -> None:
    known = {leader.user_id for leader in team.leaders}
    for user_id in user_ids:
        if user_id not in known:
            team.leaders.append(TeamLeader(user_id=user_id))
            known.add(user_id)


async def latest_profile(session: AsyncSession, team_id: int) -> Profile | None:
    return await session.scalar(
        select(Profile).where(Profile.team_id == team_id).order_by(Profile.version.desc()).limit(1)
    )


async def add_profile_version(
    session: AsyncSession,
    team: Team,
    *,
    name: str,
    language: str,
    created_by: str | None,
    competences: Sequence[ProfileCompetence],
) -> Profile:
    current = await session.scalar(
        select(func.max(Profile.version)).where(Profile.team_id == team.id)
    )
    profile = Profile(
        team_id=team.id,
        version=(current or 0) + 1,
        name=name,
        language=language,
        created_by=created_by,
    )
    profile.competences = list(competences)
    session.add(profile)
    await session.flush()
    return profile


async def list_rounds(session: AsyncSession) -> Sequence[Round]:
    return (await session.scalars(select(Round).order_by(Round.opened_at, Round.id))).all()


async def round_counts(
    session: AsyncSession, round_ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Invited and completed per round, in two grouped queries."""
    invited = await session.execute(
        select(Participant.round_id, func.count())
        .where(Participant.round_id.in_(round_ids))
        .group_by(Participant.round_id)
    )
    completed = await session.execute(
        select(Participant.round_id, func.count())
        .where(Participant.round_id.in_(round_ids), Participant.completed_at.is_not(None))
        .group_by(Participant.round_id)
    )
    done: dict[int, int] = {rid: count for rid, count in completed.all()}
    return {rid: (count, done.get(rid, 0)) for rid, count in invited.all()}


async def score_distributions(
    session: AsyncSession, round_id: int, competence_ids: Sequence[str]
) -> dict[str, list[int]]:
    """Counts per competence and level 0..5, computed by the database for any team size."""
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


async def completed_count(
    session: AsyncSession, round_id: int, competence_ids: Sequence[str]
) -> int:
    """Members who scored every one of `competence_ids` (a round stores no other scores)."""
    per_user = (
        select(Score.user_id)
        .where(Score.round_id == round_id)
        .group_by(Score.user_id)
        .having(func.count() == len(competence_ids))
        .subquery()
    )
    return int(await session.scalar(select(func.count()).select_from(per_user)) or 0)
