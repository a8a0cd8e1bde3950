"""The leader's commands on a running or finished round: status, remind, close, results,
export; and the close and reminders the scheduler runs at their times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs import leader, results
from bot.dialogs.outcome import Destination, Outcome, Outgoing, Reply
from bot.domain import Progress
from bot.services.snapshots import round_info
from bot.usecases import campaigns
from bot.usecases.request import Request, note
from bot.usecases.summaries import counts, round_summary
from storage import rounds
from storage.models import Participant, Round

MAX_REMINDERS = 3
EXPORT_LINKS_LAST = timedelta(hours=24)


async def close_and_publish(session: AsyncSession, round_: Round, now: datetime) -> list[Outgoing]:
    """Close the round (once) and queue the channel summary and each member's own results;
    the last round of a campaign also sends the unit's overview to its owners."""
    if not await rounds.close(session, round_.id, now):
        return []
    await campaigns.round_closed(session, round_.id, now)
    await session.refresh(round_)
    info = round_info(round_)
    summary = await round_summary(session, round_)
    card = results.summary_card(summary, info.language, info.team_name, round_.chart_token)
    outgoing = [
        Outgoing(Destination("channel", round_.team.key), card, f"round:{round_.id}:summary")
    ]
    answers = await rounds.all_answers(session, round_.id)
    for seat in await rounds.participants(session, round_.id):
        mine = answers.get(seat.user_id)
        if not mine:
            continue
        view = results.my_scores(info, Progress(seat.user_id, seat.position, mine), summary)
        where = (
            Destination.ref(seat.prompt_ref)
            if seat.prompt_ref
            else Destination("user", seat.user_id)
        )
        key = f"round:{round_.id}:results:{seat.user_id}"
        outgoing.append(Outgoing(where, view, key, seat=(round_.id, seat.user_id)))
    return outgoing


def reminders(
    round_: Round, unfinished: Sequence[Participant], limit: int = MAX_REMINDERS
) -> list[Outgoing]:
    """Nudges for members who have not finished; at most `limit` (never over three) each."""
    info = round_info(round_)
    outgoing = []
    for seat in unfinished:
        if seat.reminders_sent >= min(limit, MAX_REMINDERS):
            continue
        seat.reminders_sent += 1
        key = f"round:{round_.id}:remind:{seat.user_id}:{seat.reminders_sent}"
        nudge = leader.reminder(info, seat.user_id)
        outgoing.append(
            Outgoing(Destination("user", seat.user_id), nudge, key, seat=(round_.id, seat.user_id))
        )
    return outgoing


async def status(req: Request) -> Outcome:
    assert req.team is not None
    round_ = await rounds.latest(req.session, req.team.id)
    if round_ is None:
        return Outcome(note("status.none", req.language))
    participation = (await counts(req.session, [round_.id]))[round_.id]
    # In the team's language now, which a leader may have switched since the launch.
    info = replace(round_info(round_), language=req.language)
    return Outcome(Reply(leader.status(info, participation)))


async def remind(req: Request) -> Outcome:
    assert req.team is not None
    round_ = await rounds.latest(req.session, req.team.id, "open")
    if round_ is None:
        return Outcome(note("error.no_open_round", req.language, "warning"))
    unfinished = await rounds.participants(req.session, round_.id, unfinished=True)
    outgoing = reminders(round_, unfinished)
    return Outcome(
        note("remind.sent", req.language, "success", count=len(outgoing)), tuple(outgoing)
    )


def remind_repeated(language: str) -> Reply:
    return note("remind.sent", language, count=0)


async def close(req: Request) -> Outcome:
    assert req.team is not None
    round_ = await rounds.latest(req.session, req.team.id, "open")
    if round_ is None:
        return Outcome(note("error.no_open_round", req.language, "warning"))
    outgoing = await close_and_publish(req.session, round_, req.now)
    return Outcome(close_repeated(req.language), tuple(outgoing))


def close_repeated(language: str) -> Reply:
    return note("close.done", language, "success")


async def team_results(req: Request) -> Outcome:
    assert req.team is not None
    round_ = await rounds.latest(req.session, req.team.id, "closed")
    if round_ is None:
        return Outcome(note("results.not_yet", req.language))
    summary = await round_summary(req.session, round_)
    info = round_info(round_)
    card = results.summary_card(summary, req.language, info.team_name, round_.chart_token)
    return Outcome(Reply(card))


async def export(req: Request) -> Outcome:
    assert req.team is not None
    round_ = await rounds.latest(req.session, req.team.id, "closed")
    if round_ is None or round_.chart_token is None:
        return Outcome(note("results.not_yet", req.language))
    base = req.settings.public_url or "http://127.0.0.1:3978"
    info = replace(round_info(round_), language=req.language)
    files = await rounds.issue_export(req.session, round_, req.now, EXPORT_LINKS_LAST)
    return Outcome(Reply(leader.exports(info, base, round_.chart_token, files), private=True))
