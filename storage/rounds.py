"""Rounds, their participants (seats) and scores. Callers own the transaction."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, joinedload

from storage.engine import insert_for
from storage.models import Participant, Round, RoundChart, Score, Team, table


async def get(session: AsyncSession, round_id: int) -> Round | None:
    return await session.get(Round, round_id)


_FOR_ANSWER = (
    select(Round)
    .where(Round.id == bindparam("round_id"))
    .options(defer(Round.snapshot), joinedload(Round.team).raiseload(Team.leaders))
    .with_for_update(read=True, of=Round)
)
"""Built once: building a statement costs a click more than running it."""


async def for_answer(session: AsyncSession, round_id: int) -> Round | None:
    """A round for a click: under a shared row lock, so a concurrent close waits for this
    answer; without the snapshot column or the team's leaders, which a click never needs."""
    return await session.scalar(_FOR_ANSWER, {"round_id": round_id})


async def snapshot(session: AsyncSession, round_id: int) -> dict[str, Any] | None:
    return await session.scalar(select(Round.snapshot).where(Round.id == round_id))


async def latest(session: AsyncSession, team_id: int, status: str | None = None) -> Round | None:
    """The team's newest round, or its newest with `status` ("open" / "closed")."""
    query = select(Round).where(Round.team_id == team_id)
    if status:
        query = query.where(Round.status == status)
    return await session.scalar(query.order_by(Round.opened_at.desc(), Round.id.desc()).limit(1))


async def previous_closed(session: AsyncSession, round_: Round) -> Round | None:
    return await session.scalar(
        select(Round)
        .where(
            Round.team_id == round_.team_id,
            Round.status == "closed",
            Round.opened_at < round_.opened_at,
        )
        .order_by(Round.opened_at.desc())
        .limit(1)
    )


async def by_token(session: AsyncSession, token: str) -> Round | None:
    return await session.scalar(select(Round).where(Round.chart_token == token))


async def issue_export(
    session: AsyncSession, round_: Round, now: datetime, valid: timedelta
) -> str:
    """A new export token for the round, valid for `valid` (an older one stops working)."""
    round_.export_token = secrets.token_urlsafe(24)
    round_.export_expires = now + valid
    return round_.export_token


async def by_export_token(session: AsyncSession, token: str, now: datetime) -> Round | None:
    return await session.scalar(
        select(Round).where(Round.export_token == token, Round.export_expires > now)
    )


async def all_rounds(session: AsyncSession) -> Sequence[Round]:
    return (await session.scalars(select(Round).order_by(Round.opened_at, Round.id))).all()


async def create(
    session: AsyncSession,
    team: Team,
    profile_id: int,
    snapshot: dict[str, Any],
    members: Sequence[tuple[str, str]],
    *,
    deadline: datetime,
    opened_by: str,
    now: datetime,
    min_respondents: int,
) -> Round | None:
    """The round and one seat per member (user id, display name), in bulk; None when the
    team has an open round already (another replica's `start` won the race)."""
    round_ = Round(
        team_id=team.id,
        profile_id=profile_id,
        status="open",
        opened_by=opened_by,
        opened_at=now,
        deadline=deadline,
        min_respondents=min_respondents,
        language=team.language,
        snapshot=snapshot,
        chart_token=secrets.token_urlsafe(24),
    )
    round_.team = team
    try:
        async with session.begin_nested():
            session.add(round_)
            await session.flush()
    except IntegrityError:
        return None
    rows = [
        {"round_id": round_.id, "user_id": user_id, "display_name": name, "position": 0}
        for user_id, name in members
    ]
    for start in range(0, len(rows), 2000):
        await session.execute(insert(table(Participant)), rows[start : start + 2000])
    return round_


async def close(session: AsyncSession, round_id: int, now: datetime) -> bool:
    """Close once: True only for the call that closed it, so the summary is posted once."""
    result = await session.execute(
        update(Round)
        .where(Round.id == round_id, Round.status == "open")
        .values(status="closed", closed_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def seat(
    session: AsyncSession, round_id: int, user_id: str
) -> tuple[Participant, dict[str, int]] | None:
    """The member's seat in the round and their answers, locked until commit."""
    return (await seats(session, round_id, [user_id])).get(user_id)


_SEATS = (
    select(Participant)
    .where(
        Participant.round_id == bindparam("round_id"),
        Participant.user_id.in_(bindparam("users", expanding=True)),
    )
    .order_by(Participant.id)
    .with_for_update()
)
_ANSWERS = select(Score.user_id, Score.competence_id, Score.score).where(
    Score.round_id == bindparam("round_id"), Score.user_id.in_(bindparam("users", expanding=True))
)


async def seats(
    session: AsyncSession, round_id: int, user_ids: Collection[str]
) -> dict[str, tuple[Participant, dict[str, int]]]:
    """Members' seats in the round and their answers, in two queries. The seats are locked
    until commit, so one member's clicks are decided one after the other on any replica;
    always in seat order, so two replicas' batches never wait on each other in a circle."""
    locked = await session.scalars(_SEATS, {"round_id": round_id, "users": list(user_ids)})
    found: dict[str, tuple[Participant, dict[str, int]]] = {s.user_id: (s, {}) for s in locked}
    # The answers as plain rows, not joined to the seats: a seat's columns are read once,
    # not once per answer.
    answers = await session.execute(_ANSWERS, {"round_id": round_id, "users": list(found)})
    for user_id, competence_id, value in answers:
        found[user_id][1][competence_id] = value
    return found


async def all_answers(session: AsyncSession, round_id: int) -> dict[str, dict[str, int]]:
    """Every member's answers in one query, for the personal results at close."""
    rows = await session.execute(
        select(Score.user_id, Score.competence_id, Score.score).where(Score.round_id == round_id)
    )
    answers: dict[str, dict[str, int]] = {}
    for user_id, competence_id, value in rows.all():
        answers.setdefault(user_id, {})[competence_id] = value
    return answers


@dataclass(frozen=True)
class NewScore:
    round_id: int
    user_id: str
    competence_id: str
    score: int
    updated_at: datetime


async def save_scores(session: AsyncSession, scores: Sequence[NewScore]) -> None:
    """Upsert in one statement: the same click twice, or from two replicas, leaves exactly
    one score; of several answers to one competence in `scores`, the last wins."""
    latest = {(s.round_id, s.user_id, s.competence_id): s for s in scores}
    if not latest:
        return
    rows = [
        {
            "round_id": s.round_id,
            "user_id": s.user_id,
            "competence_id": s.competence_id,
            "score": s.score,
            "updated_at": s.updated_at,
        }
        for s in (latest[key] for key in sorted(latest))
    ]
    await session.execute(_score_upsert(insert_for(session)), rows)


@cache
def _score_upsert(insert: Any) -> Any:
    """The dialect's upsert of scores, built once per dialect, on the Core table: a plain
    executemany, without the ORM's bulk bookkeeping per row."""
    statement = insert(table(Score))
    return statement.on_conflict_do_update(
        index_elements=["round_id", "user_id", "competence_id"],
        set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
    )


async def participants(
    session: AsyncSession, round_id: int, *, unfinished: bool = False
) -> list[Participant]:
    """The round's seats; `unfinished`: those who have not answered everything and can be
    reached."""
    query = select(Participant).where(Participant.round_id == round_id)
    if unfinished:
        query = query.where(Participant.completed_at.is_(None), Participant.unreachable.is_(None))
    return list((await session.scalars(query)).all())


async def latest_participation(
    session: AsyncSession, platform: str, user_id: str, team_id: int | None
) -> Round | None:
    query = (
        select(Round)
        .join(Participant, Participant.round_id == Round.id)
        .join(Team, Team.id == Round.team_id)
        .where(Participant.user_id == user_id, Team.platform == platform)
    )
    if team_id is not None:
        query = query.where(Round.team_id == team_id)
    return await session.scalar(query.order_by(Round.opened_at.desc(), Round.id.desc()).limit(1))


async def waiting_for(
    session: AsyncSession, platform: str, user_id: str, limit: int
) -> list[tuple[Round, int]]:
    """Open rounds `user_id` has not finished, soonest deadline first, with their answer count."""
    answered = (
        select(func.count())
        .where(Score.round_id == Round.id, Score.user_id == user_id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Round, answered)
        .join(Participant, Participant.round_id == Round.id)
        .join(Team, Team.id == Round.team_id)
        .where(
            Team.platform == platform,
            Round.status == "open",
            Participant.user_id == user_id,
            Participant.completed_at.is_(None),
        )
        .order_by(Round.deadline)
        .limit(limit)
    )
    return [(round_, int(count or 0)) for round_, count in rows.all()]


async def prompt_ref(session: AsyncSession, round_id: int, user_id: str) -> dict[str, Any] | None:
    """Where an open round's prompt is; once closed, that message holds the member's results,
    which a late click must not overwrite."""
    return await session.scalar(
        select(Participant.prompt_ref)
        .join(Round, Round.id == Participant.round_id)
        .where(
            Participant.round_id == round_id,
            Participant.user_id == user_id,
            Round.status == "open",
        )
    )


async def remember_prompts(session: AsyncSession, landed: Sequence[dict[str, Any]]) -> None:
    """Where each member's first prompt landed ({"round", "user", "ref"}), so later clicks
    can update it in place; a seat that has one already keeps it."""
    if not landed:
        return
    seats = table(Participant)
    await session.execute(
        update(seats)
        .where(
            and_(
                seats.c.round_id == bindparam("r"),
                seats.c.user_id == bindparam("u"),
                seats.c.prompt_ref.is_(None),
            )
        )
        .values(prompt_ref=bindparam("ref")),
        [{"r": item["round"], "u": item["user"], "ref": item["ref"]} for item in landed],
    )


async def mark_unreachable(session: AsyncSession, round_id: int, user_id: str, why: str) -> None:
    await session.execute(
        update(Participant)
        .where(Participant.round_id == round_id, Participant.user_id == user_id)
        .values(unreachable=why[:255])
    )


async def forget(session: AsyncSession, platform: str, user_id: str) -> int:
    """Erase a member from this platform's rounds; returns how many answers were theirs.

    An open round's answers are deleted and the seat starts over. A closed round's numbers
    were published: its answers stay, but under a random id with the seat's name cleared, so
    nothing links them to the member any more and no published number changes (which would
    otherwise reveal the forgotten answers by difference)."""
    theirs = (
        select(Round.id, Round.status)
        .join(Team, Team.id == Round.team_id)
        .join(Participant, Participant.round_id == Round.id)
        .where(Team.platform == platform, Participant.user_id == user_id)
    )
    found = (await session.execute(theirs)).all()
    open_ids = [rid for rid, status in found if status == "open"]
    closed_ids = [rid for rid, status in found if status != "open"]
    counted = await session.scalar(
        select(func.count()).where(
            Score.user_id == user_id, Score.round_id.in_([rid for rid, _ in found])
        )
    )
    await session.execute(
        delete(Score)
        .where(Score.user_id == user_id, Score.round_id.in_(open_ids))
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Participant)
        .where(Participant.user_id == user_id, Participant.round_id.in_(open_ids))
        .values(position=0, started_at=None, completed_at=None, moved_at=None, moved_score=None)
        .execution_options(synchronize_session=False)
    )
    for round_id in closed_ids:
        stranger = "forgotten:" + secrets.token_hex(8)
        await session.execute(
            update(Score)
            .where(Score.user_id == user_id, Score.round_id == round_id)
            .values(user_id=stranger)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(Participant)
            .where(Participant.user_id == user_id, Participant.round_id == round_id)
            .values(user_id=stranger, display_name="", prompt_ref=None)
            .execution_options(synchronize_session=False)
        )
    return int(counted or 0)


async def chart(session: AsyncSession, round_id: int) -> bytes | None:
    cached = await session.get(RoundChart, round_id)
    return cached.png if cached is not None else None


async def keep_chart(session: AsyncSession, round_id: int, png: bytes) -> None:
    if await session.get(RoundChart, round_id) is None:
        session.add(RoundChart(round_id=round_id, png=png))
