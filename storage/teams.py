"""Teams, their leaders, members (playground) and target profile versions.

Callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Profile, ProfileCompetence, Team, TeamLeader, TeamMember


async def find(session: AsyncSession, platform: str, key: str) -> Team | None:
    return await session.scalar(select(Team).where(Team.platform == platform, Team.key == key))


async def get_or_create(
    session: AsyncSession, platform: str, key: str, *, language: str, timezone: str
) -> Team:
    team = await find(session, platform, key)
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


async def led_by(session: AsyncSession, platform: str, user_id: str, limit: int) -> list[Team]:
    """The teams `user_id` leads on `platform`, by name."""
    rows = await session.scalars(
        select(Team)
        .join(TeamLeader, TeamLeader.team_id == Team.id)
        .where(Team.platform == platform, TeamLeader.user_id == user_id)
        .order_by(Team.name)
        .limit(limit)
    )
    return list(rows.all())


async def latest_profile(session: AsyncSession, team_id: int) -> Profile | None:
    return await session.scalar(
        select(Profile).where(Profile.team_id == team_id).order_by(Profile.version.desc()).limit(1)
    )


async def profile(session: AsyncSession, profile_id: int) -> Profile | None:
    return await session.get(Profile, profile_id)


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


async def members(session: AsyncSession, team_id: int, *, people_only: bool) -> list[TeamMember]:
    """A team's stored member list (the playground's directory)."""
    query = select(TeamMember).where(TeamMember.team_id == team_id)
    if people_only:
        query = query.where(~TeamMember.is_bot)
    return list((await session.scalars(query.order_by(TeamMember.id))).all())


async def member(session: AsyncSession, team_id: int, user_id: str) -> TeamMember | None:
    return await session.scalar(
        select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)
    )


def add_members(session: AsyncSession, team: Team, people: Iterable[tuple[str, str]]) -> None:
    for user_id, name in people:
        session.add(TeamMember(team_id=team.id, user_id=user_id, display_name=name))


def add_observer(session: AsyncSession, team: Team, user_id: str, name: str) -> None:
    """Someone the channel lists who takes no part in its rounds (the playground's unit
    owner): stored like a bot member, whom the member list for a round leaves out."""
    session.add(TeamMember(team_id=team.id, user_id=user_id, display_name=name, is_bot=True))
