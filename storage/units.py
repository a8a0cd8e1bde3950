"""Organisation units, their owners and member teams, campaigns and the pooled overview.

The overview is counted by the database: one GROUP BY over the campaign's scores gives
counts per team, competence and level (at most teams × competences × 6 rows), so a unit of
5,000 members is never loaded score by score. Callers own the transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Campaign,
    CampaignRound,
    Round,
    Score,
    Team,
    Unit,
    UnitOwner,
    UnitTeam,
)


async def find(session: AsyncSession, key: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.key == key))


async def by_id(session: AsyncSession, unit_id: int) -> Unit | None:
    return await session.get(Unit, unit_id)


async def all_units(session: AsyncSession) -> list[Unit]:
    return list((await session.scalars(select(Unit).order_by(Unit.key))).all())


async def owned_by(session: AsyncSession, platform: str, user_id: str) -> list[Unit]:
    rows = await session.scalars(
        select(Unit)
        .join(UnitOwner, UnitOwner.unit_id == Unit.id)
        .where(UnitOwner.platform == platform, UnitOwner.user_id == user_id)
        .order_by(Unit.key)
    )
    return list(rows.all())


async def of_team(session: AsyncSession, team_id: int) -> Unit | None:
    return await session.scalar(
        select(Unit).join(UnitTeam, UnitTeam.unit_id == Unit.id).where(UnitTeam.team_id == team_id)
    )


async def teams(session: AsyncSession, unit_id: int) -> list[Team]:
    rows = await session.scalars(
        select(Team)
        .join(UnitTeam, UnitTeam.team_id == Team.id)
        .where(UnitTeam.unit_id == unit_id)
        .order_by(Team.platform, Team.key)
    )
    return list(rows.all())


async def memberships(
    session: AsyncSession, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """Which of these (platform, team key) pairs belong to a unit already, and to which."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Team.platform, Team.key, Unit.key)
        .join(UnitTeam, UnitTeam.team_id == Team.id)
        .join(Unit, Unit.id == UnitTeam.unit_id)
        .where(Team.key.in_({key for _, key in wanted}))
    )
    return {(p, k): unit for p, k, unit in rows.all() if (p, k) in wanted}


async def save(
    session: AsyncSession,
    key: str,
    *,
    name: str,
    language: str,
    profile: dict[str, Any],
    owners: Sequence[tuple[str, str]],
    team_ids: Sequence[int],
) -> Unit:
    """Create the unit or replace its definition: name, profile, owners and member teams."""
    unit = await find(session, key)
    if unit is None:
        unit = Unit(key=key)
        unit.owners = []
        session.add(unit)
    unit.name, unit.language, unit.profile = name, language, profile
    wanted = list(dict.fromkeys(owners))
    kept = [o for o in unit.owners if (o.platform, o.user_id) in wanted]
    known = {(o.platform, o.user_id) for o in kept}
    unit.owners = kept + [
        UnitOwner(platform=p, user_id=u) for p, u in wanted if (p, u) not in known
    ]
    await session.flush()
    await session.execute(delete(UnitTeam).where(UnitTeam.unit_id == unit.id))
    session.add_all(UnitTeam(unit_id=unit.id, team_id=team_id) for team_id in team_ids)
    await session.flush()
    return unit


async def open_rounds(session: AsyncSession, team_ids: Sequence[int]) -> set[int]:
    """The teams among `team_ids` that have an open round."""
    rows = await session.scalars(
        select(Round.team_id).where(Round.team_id.in_(team_ids), Round.status == "open")
    )
    return set(rows.all())


async def open_campaign(
    session: AsyncSession,
    unit: Unit,
    *,
    opened_by: str,
    now: datetime,
    deadline: datetime,
    min_respondents: int,
    snapshot: dict[str, Any],
) -> Campaign:
    campaign = Campaign(
        unit_id=unit.id,
        opened_by=opened_by,
        opened_at=now,
        deadline=deadline,
        min_respondents=min_respondents,
        snapshot=snapshot,
        chart_token=secrets.token_urlsafe(24),
    )
    session.add(campaign)
    await session.flush()
    return campaign


def add_round(session: AsyncSession, campaign: Campaign, round_id: int) -> None:
    session.add(CampaignRound(campaign_id=campaign.id, round_id=round_id))


async def campaign(session: AsyncSession, unit_id: int, campaign_id: int) -> Campaign | None:
    return await session.scalar(
        select(Campaign).where(Campaign.unit_id == unit_id, Campaign.id == campaign_id)
    )


async def campaign_by_token(session: AsyncSession, token: str) -> Campaign | None:
    return await session.scalar(select(Campaign).where(Campaign.chart_token == token))


async def latest_campaign(session: AsyncSession, unit_id: int) -> Campaign | None:
    return await session.scalar(
        select(Campaign)
        .where(Campaign.unit_id == unit_id)
        .order_by(Campaign.opened_at.desc(), Campaign.id.desc())
        .limit(1)
    )


async def latest_campaigns(session: AsyncSession, unit_ids: Sequence[int]) -> dict[int, Campaign]:
    found: dict[int, Campaign] = {}
    rows = await session.scalars(
        select(Campaign)
        .where(Campaign.unit_id.in_(unit_ids))
        .order_by(Campaign.opened_at, Campaign.id)
    )
    for row in rows.all():
        found[row.unit_id] = row
    return found


async def previous_closed(session: AsyncSession, campaign: Campaign) -> Campaign | None:
    return await session.scalar(
        select(Campaign)
        .where(
            Campaign.unit_id == campaign.unit_id,
            Campaign.closed_at.is_not(None),
            Campaign.opened_at < campaign.opened_at,
        )
        .order_by(Campaign.opened_at.desc())
        .limit(1)
    )


async def of_round(session: AsyncSession, round_id: int) -> Campaign | None:
    return await session.scalar(
        select(Campaign)
        .join(CampaignRound, CampaignRound.campaign_id == Campaign.id)
        .where(CampaignRound.round_id == round_id)
    )


async def rounds(session: AsyncSession, campaign_id: int) -> list[Round]:
    """The campaign's rounds with their teams, by platform and team key."""
    rows = await session.scalars(
        select(Round)
        .join(CampaignRound, CampaignRound.round_id == Round.id)
        .join(Team, Team.id == Round.team_id)
        .where(CampaignRound.campaign_id == campaign_id)
        .order_by(Team.platform, Team.key)
    )
    return list(rows.all())


async def close_if_done(session: AsyncSession, campaign_id: int, now: datetime) -> bool:
    """Mark the campaign closed once none of its rounds is open; True only for the call that
    closed it, so the owners get the overview once. The campaign's row is locked first, so
    two of its rounds closing at once decide one after the other (the later one sees the
    earlier one's round closed)."""
    await session.execute(select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())
    still_open = (
        select(func.count())
        .select_from(CampaignRound)
        .join(Round, Round.id == CampaignRound.round_id)
        .where(CampaignRound.campaign_id == campaign_id, Round.status == "open")
        .scalar_subquery()
    )
    result = await session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.closed_at.is_(None), still_open == 0)
        .values(closed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def distributions(
    session: AsyncSession, campaign_id: int
) -> dict[tuple[int, str], list[int]]:
    """Counts per (round id, competence id) and level 0..5 over the campaign's scores."""
    rows = await session.execute(
        select(Score.round_id, Score.competence_id, Score.score, func.count())
        .join(CampaignRound, CampaignRound.round_id == Score.round_id)
        .where(CampaignRound.campaign_id == campaign_id)
        .group_by(Score.round_id, Score.competence_id, Score.score)
    )
    counts: dict[tuple[int, str], list[int]] = {}
    for round_id, competence_id, score, count in rows.all():
        counts.setdefault((int(round_id), str(competence_id)), [0] * 6)[int(score)] = int(count)
    return counts
