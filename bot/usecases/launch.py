"""`start [DEADLINE]`: open a round for the channel's members with the team's profile.

The member list comes from the platform, which is asked outside any transaction: `check`
refuses early in a read-only look, then `launch` decides and writes in the turn's one
transaction, where the first write of a retried command finds its event id claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs import leader, scoring
from bot.dialogs.deadlines import DeadlineError, parse_deadline
from bot.dialogs.outcome import Destination, Outcome, Outgoing
from bot.domain import Member
from bot.scheduling.planner import plan
from bot.services.snapshots import freeze, round_info
from bot.usecases.request import Request, note
from storage import rounds, schedule, teams
from storage.models import Profile, Round, Team


def _deadline(req: Request, timezone: str) -> datetime:
    """Every word after `start`, so `3 dage` reads whole and junk after a deadline is seen."""
    return parse_deadline(" ".join(req.args), req.now, ZoneInfo(timezone))


async def check(req: Request) -> Outcome | None:
    """A refusal that needs no member list, or None to go on."""
    lang, team = req.language, req.team
    profile = await teams.latest_profile(req.session, team.id) if team else None
    if team is None or profile is None:
        return Outcome(note("error.no_profile", lang, "warning"))
    if await rounds.latest(req.session, team.id, "open"):
        return Outcome(note("start.already_open", lang, "warning"))
    try:
        _deadline(req, team.timezone)
    except DeadlineError as exc:
        return Outcome(note(exc.key, lang, "error"))
    return None


async def launch(req: Request) -> Outcome:
    refused = await check(req)
    if refused is not None:
        return refused
    team, lang, session = req.team, req.language, req.session
    assert team is not None
    members = list({m.user_id: m for m in req.members}.values())
    threshold = req.settings.min_respondents
    if len(members) < threshold:
        return Outcome(
            note("start.too_few", lang, "warning", count=len(members), threshold=threshold)
        )
    profile = await teams.latest_profile(session, team.id)
    assert profile is not None
    deadline = _deadline(req, team.timezone)
    opened = await open_round(
        session, team, profile, members, deadline, req.person.user_id, req.now, threshold
    )
    if opened is None:
        return Outcome(note("start.already_open", lang, "warning"))
    _, outgoing = opened
    return Outcome(note("start.done", lang, "success", invited=len(members)), tuple(outgoing))


async def open_round(
    session: AsyncSession,
    team: Team,
    profile: Profile,
    members: Sequence[Member],
    deadline: datetime,
    opened_by: str,
    now: datetime,
    threshold: int,
) -> tuple[Round, list[Outgoing]] | None:
    """The round with its seats and jobs, and each member's intro and the channel's
    announcement; None when the team has an open round already."""
    round_ = await rounds.create(
        session,
        team,
        profile.id,
        freeze(profile, team.language),
        [(m.user_id, m.name) for m in members],
        deadline=deadline,
        opened_by=opened_by,
        now=now,
        min_respondents=threshold,
    )
    if round_ is None:
        return None
    schedule.add(session, round_.id, plan(round_, team))
    info = round_info(round_)
    greetings = scoring.intros(info, [m.first_name or m.name for m in members])
    outgoing = [
        Outgoing(
            Destination("user", m.user_id),
            greeting,
            f"round:{round_.id}:intro:{m.user_id}",
            seat=(round_.id, m.user_id),
            first_prompt=True,
        )
        for m, greeting in zip(members, greetings, strict=True)
    ]
    outgoing.append(
        Outgoing(
            Destination("channel", team.key),
            leader.announcement(info, len(members)),
            f"round:{round_.id}:opened",
        )
    )
    return round_, outgoing
