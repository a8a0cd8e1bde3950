"""Units and campaigns: import a unit, start a campaign (one round in every member team),
compute its overview, and send the overview to the owners when its last round closes.

Used by the command line (`kompetencebot unit …`) and by the owners' chat use cases
(`bot.usecases.units`); the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery.outbox import emit
from bot.dialogs import units as views
from bot.dialogs.outcome import Destination, Outgoing
from bot.domain import Member, RoundCompetence
from bot.services import overview as math
from bot.services.profiles import save_profile, spec_from_profile
from bot.services.snapshots import freeze_spec
from bot.services.summary import Summary
from bot.usecases.launch import open_round
from bot.usecases.summaries import counts
from catalog.profiles import ProfileError, ProfileSpec, parse_profile, profile_to_document
from catalog.units import UnitSpec
from storage import teams, units
from storage.models import Campaign, Profile, Team, Unit

SkipReason = Literal["open", "members", "platform"]


@dataclass(frozen=True)
class Started:
    campaign: Campaign | None
    """None when no team could start (nothing was written)."""
    started: tuple[Team, ...]
    skipped: tuple[tuple[Team, SkipReason], ...]


async def import_unit(session: AsyncSession, spec: UnitSpec, settings: Settings) -> Unit:
    """Create or replace the unit, and give each member team the unit's profile as a new
    version. Raises ProfileError, before writing anything, for a team of another unit."""
    taken = await units.memberships(session, spec.teams)
    problems = [
        f"teams[{index}]: {platform} team {key} already belongs to unit {taken[(platform, key)]}"
        for index, (platform, key) in enumerate(spec.teams)
        if taken.get((platform, key), spec.key) != spec.key
    ]
    if problems:
        raise ProfileError(problems)
    members = []
    for platform, key in spec.teams:
        team = await teams.get_or_create(
            session, platform, key, language=spec.language, timezone=settings.timezone
        )
        await save_profile(session, team, spec.profile, created_by=f"unit:{spec.key}")
        members.append(team.id)
    return await units.save(
        session,
        spec.key,
        name=spec.name,
        language=spec.language,
        profile=profile_to_document(spec.profile),
        owners=spec.owners,
        team_ids=members,
    )


def unit_profile(unit: Unit) -> ProfileSpec:
    return parse_profile(unit.profile)


def with_unit_targets(shared: ProfileSpec, current: ProfileSpec | None) -> ProfileSpec | None:
    """The team's profile for a campaign: the unit's competences and targets, with the
    team's own wording where it adapted it (step 2); None when it already matches."""
    targets = [(e.id, e.target) for e in shared.competences]
    if current is not None and [(e.id, e.target) for e in current.competences] == targets:
        return None
    own = {e.id: e for e in current.competences} if current is not None else {}
    merged = tuple(
        replace(own[e.id], target=e.target, dimension=e.dimension) if e.id in own else e
        for e in shared.competences
    )
    return replace(shared, competences=merged)


async def _campaign_profile(
    session: AsyncSession, team: Team, shared: ProfileSpec, unit: Unit
) -> Profile:
    latest = await teams.latest_profile(session, team.id)
    adapted = with_unit_targets(shared, spec_from_profile(latest) if latest else None)
    if adapted is None and latest is not None:
        return latest
    return await save_profile(session, team, adapted or shared, created_by=f"unit:{unit.key}")


async def start(
    session: AsyncSession,
    unit: Unit,
    members: Mapping[int, Sequence[Member]],
    *,
    deadline: datetime,
    opened_by: str,
    now: datetime,
    min_respondents: int,
) -> Started:
    """A campaign: a round in every member team whose members are known (by team id), all
    with the same deadline and the unit's targets; the messages are queued here."""
    member_teams = await units.teams(session, unit.id)
    busy = await units.open_rounds(session, [t.id for t in member_teams])
    skipped: list[tuple[Team, SkipReason]] = []
    ready: list[tuple[Team, list[Member]]] = []
    for team in member_teams:
        people = list({m.user_id: m for m in members.get(team.id, ())}.values())
        if team.id in busy:
            skipped.append((team, "open"))
        elif team.id not in members:
            skipped.append((team, "platform"))
        elif len(people) < min_respondents:
            skipped.append((team, "members"))
        else:
            ready.append((team, people))
    if not ready:
        return Started(None, (), tuple(skipped))
    shared = unit_profile(unit)
    snapshot = freeze_unit(unit, shared)
    campaign = await units.open_campaign(
        session,
        unit,
        opened_by=opened_by,
        now=now,
        deadline=deadline,
        min_respondents=min_respondents,
        snapshot=snapshot,
    )
    started = []
    for team, people in ready:
        profile = await _campaign_profile(session, team, shared, unit)
        opened = await open_round(
            session, team, profile, people, deadline, opened_by, now, min_respondents
        )
        if opened is None:  # another `start` won the race since the look above
            skipped.append((team, "open"))
            continue
        round_, outgoing = opened
        units.add_round(session, campaign, round_.id)
        await emit(session, team.platform, outgoing, team_key=team.key, workspace=team.workspace)
        started.append(team)
    return Started(campaign, tuple(started), tuple(skipped))


def freeze_unit(unit: Unit, shared: ProfileSpec) -> dict[str, Any]:
    """The campaign's competences in the unit's language and wording, frozen like a round's
    (the profile here is never stored)."""
    return freeze_spec(replace(shared, name=unit.name), 0, unit.language)


def competences_of(campaign: Campaign) -> tuple[RoundCompetence, ...]:
    return tuple(RoundCompetence.from_dict(item) for item in campaign.snapshot["competences"])


async def _build(
    session: AsyncSession, campaign: Campaign, previous: Summary | None
) -> math.Overview:
    found = await units.rounds(session, campaign.id)
    participation = await counts(session, [r.id for r in found])
    parts = [
        math.TeamPart(
            r.team.key,
            r.team.platform,
            r.team.name or r.team.key,
            r.id,
            participation[r.id].invited,
            participation[r.id].completed,
        )
        for r in found
    ]
    return math.build(
        competences_of(campaign),
        parts,
        await units.distributions(session, campaign.id),
        campaign.min_respondents,
        previous,
    )


async def overview(session: AsyncSession, campaign: Campaign) -> math.Overview:
    """The campaign's overview, with the previous closed campaign's unit means."""
    earlier = await units.previous_closed(session, campaign)
    previous = (await _build(session, earlier, None)).pooled if earlier is not None else None
    return await _build(session, campaign, previous)


def fields(unit: Unit, campaign: Campaign) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `unit` and `campaign` objects of the overview JSON."""

    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {"key": unit.key, "name": unit.name}, {
        "id": campaign.id,
        "opened_at": iso(campaign.opened_at),
        "deadline": iso(campaign.deadline),
        "closed_at": iso(campaign.closed_at),
    }


async def overview_json(session: AsyncSession, unit: Unit, campaign: Campaign) -> dict[str, Any]:
    return math.overview_to_dict(await overview(session, campaign), *fields(unit, campaign))


async def round_closed(session: AsyncSession, round_id: int, now: datetime) -> int:
    """After a round closes: when it was its campaign's last open round, the campaign closes
    and each owner gets the overview privately. The number of messages queued."""
    campaign = await units.of_round(session, round_id)
    if campaign is None or not await units.close_if_done(session, campaign.id, now):
        return 0
    await session.refresh(campaign)
    unit = await units.by_id(session, campaign.unit_id)
    assert unit is not None
    found = await overview(session, campaign)
    member_teams = await units.teams(session, unit.id)
    queued = 0
    for owner in unit.owners:
        home = next((t for t in member_teams if t.platform == owner.platform), None)
        view = views.overview_card(unit, campaign, found, unit.language, owner=True)
        message = Outgoing(
            Destination("user", owner.user_id),
            view,
            f"campaign:{campaign.id}:overview:{owner.platform}:{owner.user_id}",
        )
        queued += await emit(
            session,
            owner.platform,
            [message],
            team_key=home.key if home else None,
            workspace=home.workspace if home else None,
        )
    return queued
