"""Owners' `oversigt|overview [UNIT]`, privately, and the button that starts a campaign.

Only a unit's owners (by platform user id) get anything here; everyone else a polite no. A
campaign started from chat reaches the member teams on the owner's platform, whose member
lists the turn reads before its transaction (`rosters`); a team elsewhere is named as skipped.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.dialogs import units as views
from bot.dialogs.deadlines import DeadlineError, parse_deadline
from bot.dialogs.outcome import Outcome, Reply
from bot.usecases import campaigns
from bot.usecases.request import Request, note
from storage import units
from storage.models import Unit


async def _owned(req: Request, key: str | None) -> Unit | Outcome:
    """The unit the asker owns and means, or the polite answer why there is none."""
    mine = await units.owned_by(req.session, req.platform, req.person.user_id)
    lang = req.language
    if not mine:
        return Outcome(note("unit.not_owner", lang, "warning", private=True))
    keys = ", ".join(u.key for u in mine)
    if key is None:
        if len(mine) == 1:
            return mine[0]
        return Outcome(note("unit.choose", lang, private=True, keys=keys))
    found = next((u for u in mine if u.key == key.lower()), None)
    if found is None:
        return Outcome(note("unit.unknown", lang, "warning", private=True, unit=key, keys=keys))
    return found


def _key(req: Request) -> str:
    value = req.data.get("u")
    return value if isinstance(value, str) else ""


async def overview(req: Request) -> Outcome:
    unit = await _owned(req, req.args[0] if req.args else None)
    if isinstance(unit, Outcome):
        return unit
    lang = req.language
    campaign = await units.latest_campaign(req.session, unit.id)
    if campaign is None:
        return Outcome(Reply(views.no_campaign(unit, lang), private=True))
    if campaign.closed_at is None:
        left = sum(r.status == "open" for r in await units.rounds(req.session, campaign.id))
        return Outcome(Reply(views.still_open(unit, campaign, left, lang), private=True))
    found = await campaigns.overview(req.session, campaign)
    zone = ZoneInfo(req.settings.timezone)
    view = views.overview_card(unit, campaign, found, lang, owner=True, zone=zone)
    return Outcome(Reply(view, private=True))


async def ask_deadline(req: Request) -> Outcome:
    unit = await _owned(req, _key(req))
    if isinstance(unit, Outcome):
        return unit
    return Outcome(Reply(views.deadline_form(unit, req.language), private=True))


async def member_channels(req: Request) -> list[tuple[str, str | None]]:
    """The channels on this platform of the unit an owner starts a campaign in."""
    unit = await _owned(req, _key(req))
    if isinstance(unit, Outcome):
        return []
    member_teams = await units.teams(req.session, unit.id)
    busy = await units.open_rounds(req.session, [team.id for team in member_teams])
    return [
        (team.key, team.workspace)
        for team in member_teams
        if team.platform == req.platform and team.id not in busy
    ]


async def start_campaign(req: Request) -> Outcome:
    unit = await _owned(req, _key(req))
    if isinstance(unit, Outcome):
        return unit
    lang = req.language
    fields = req.data.get("fields")
    text = fields.get("deadline") if isinstance(fields, dict) else None
    try:
        deadline = parse_deadline(
            str(text).strip() if text else None, req.now, ZoneInfo(req.settings.timezone)
        )
    except DeadlineError as exc:
        return Outcome(note(exc.key, lang, "error", private=True))
    member_teams = await units.teams(req.session, unit.id)
    members = {
        team.id: req.rosters[team.key]
        for team in member_teams
        if team.platform == req.platform and team.key in req.rosters
    }
    result = await campaigns.start(
        req.session,
        unit,
        members,
        deadline=deadline,
        opened_by=req.person.user_id,
        now=req.now,
        min_respondents=req.settings.min_respondents,
    )
    view = views.started(unit, result.started, result.skipped, lang)
    return Outcome(Reply(view, mode="replace", private=True))


async def targets_fixed(req: Request) -> Outcome | None:
    """For setup: a unit's member team keeps the unit's targets (it may adapt wording)."""
    unit = await units.of_team(req.session, req.team.id) if req.team else None
    if unit is None:
        return None
    return Outcome(note("unit.targets_fixed", req.language, "warning", name=unit.name))
