"""Rounds in the database: launch, progress, scores, close. Callers own the transaction."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, joinedload

from bot.dialogs.state import Item, Progress, RoundInfo
from bot.domain import Member
from catalog.loader import load_catalog
from storage.engine import insert_for
from storage.models import Participant, Profile, Round, RoundChart, Score, Team, table


def snapshot(profile: Profile, language: str) -> dict[str, Any]:
    """The profile frozen in the team's language: later edits never change a running round."""
    catalog = load_catalog()
    items = []
    for row in profile.competences:
        known = catalog.competences.get(row.competence_id)
        dimension = known.dimension if known else (row.dimension or "")
        dim = catalog.dimensions.get(dimension)
        items.append(
            {
                "id": row.competence_id,
                "name": row.name or (known.name(language) if known else row.competence_id),
                "description": row.description or (known.description(language) if known else ""),
                "examples": row.examples
                or (known.examples(language) if known and known.examples else None),
                "dimension": dimension,
                "dimension_name": dim.name(language) if dim else dimension,
                "target": row.target,
            }
        )
    return {"profile": profile.name, "version": profile.version, "competences": items}


_ITEMS: OrderedDict[int, tuple[Item, ...]] = OrderedDict()
"""Parsed snapshots by round id: a snapshot never changes, and every click needs it."""


def _items(round_id: int, snapshot: dict[str, Any]) -> tuple[Item, ...]:
    items = tuple(Item.from_dict(item) for item in snapshot["competences"])
    _ITEMS[round_id] = items
    while len(_ITEMS) > 256:
        _ITEMS.popitem(last=False)
    return items


def info(round_: Round, items: tuple[Item, ...] | None = None) -> RoundInfo:
    return RoundInfo(
        id=round_.id,
        status=round_.status,
        deadline=round_.deadline,
        language=round_.language,
        timezone=round_.team.timezone,
        team_name=round_.team.name or round_.team.key,
        items=items if items is not None else _items(round_.id, round_.snapshot),
        min_respondents=round_.min_respondents,
    )


async def load_for_answer(session: AsyncSession, round_id: int) -> tuple[Round, RoundInfo] | None:
    """A round for a click: under a shared row lock, so a concurrent close waits for this
    answer; without the snapshot column or the team's leaders, which a click never needs."""
    round_ = await session.scalar(
        select(Round)
        .where(Round.id == round_id)
        .options(defer(Round.snapshot), joinedload(Round.team).raiseload(Team.leaders))
        .with_for_update(read=True, of=Round)
    )
    if round_ is None:
        return None
    items = _ITEMS.get(round_id)
    if items is None:
        snapshot = await session.scalar(select(Round.snapshot).where(Round.id == round_id))
        items = _items(round_id, snapshot or {"competences": []})
    return round_, info(round_, items)


async def current(session: AsyncSession, team_id: int, status: str | None = None) -> Round | None:
    query = select(Round).where(Round.team_id == team_id)
    if status:
        query = query.where(Round.status == status)
    return await session.scalar(query.order_by(Round.opened_at.desc(), Round.id.desc()).limit(1))


async def progress(
    session: AsyncSession, round_id: int, user_id: str
) -> tuple[Participant | None, Progress | None]:
    """The member's seat in the round and their answers, in one query."""
    rows = (
        await session.execute(
            select(Participant, Score.competence_id, Score.score)
            .outerjoin(
                Score, and_(Score.round_id == Participant.round_id, Score.user_id == user_id)
            )
            .where(Participant.round_id == round_id, Participant.user_id == user_id)
        )
    ).all()
    if not rows:
        return None, None
    participant = rows[0][0]
    answers = {cid: value for _, cid, value in rows if cid is not None}
    return participant, Progress(user_id, participant.position, answers)


async def all_answers(session: AsyncSession, round_id: int) -> dict[str, dict[str, int]]:
    """Every member's answers in one query, for the personal results at close."""
    rows = await session.execute(
        select(Score.user_id, Score.competence_id, Score.score).where(Score.round_id == round_id)
    )
    answers: dict[str, dict[str, int]] = {}
    for user_id, competence_id, value in rows.all():
        answers.setdefault(user_id, {})[competence_id] = value
    return answers


async def save_score(
    session: AsyncSession,
    round_id: int,
    user_id: str,
    competence_id: str,
    value: int,
    now: datetime,
) -> None:
    """Upsert: the same click twice, or from two replicas, leaves exactly one score."""
    statement = insert_for(session)(Score).values(
        round_id=round_id, user_id=user_id, competence_id=competence_id, score=value, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["round_id", "user_id", "competence_id"],
        set_={"score": value, "updated_at": now},
    )
    await session.execute(statement)


def record(participant: Participant, progress: Progress, round_: RoundInfo, now: datetime) -> None:
    participant.position = progress.position
    if participant.started_at is None:
        participant.started_at = now
    complete = progress.is_complete(round_)
    if complete and participant.completed_at is None:
        participant.completed_at = now


async def create(
    session: AsyncSession,
    team: Team,
    profile: Profile,
    members: Sequence[Member],
    *,
    deadline: datetime,
    opened_by: str,
    now: datetime,
    min_respondents: int,
) -> Round:
    round_ = Round(
        team_id=team.id,
        profile_id=profile.id,
        status="open",
        opened_by=opened_by,
        opened_at=now,
        deadline=deadline,
        min_respondents=min_respondents,
        language=team.language,
        snapshot=snapshot(profile, team.language),
        chart_token=secrets.token_urlsafe(24),
    )
    round_.team = team
    session.add(round_)
    await session.flush()
    rows = [
        {"round_id": round_.id, "user_id": m.user_id, "display_name": m.name, "position": 0}
        for m in members
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


@dataclass(frozen=True)
class Counts:
    invited: int
    completed: int
    in_progress: int
    unreachable: int

    @property
    def not_started(self) -> int:
        return self.invited - self.completed - self.in_progress


async def counts(session: AsyncSession, round_id: int) -> Counts:
    row = (
        await session.execute(
            select(
                func.count(),
                func.count(Participant.completed_at),
                func.count(Participant.started_at),
                func.count(Participant.unreachable),
            ).where(Participant.round_id == round_id)
        )
    ).one()
    invited, completed, started, unreachable = (int(v) for v in row)
    return Counts(invited, completed, started - completed, unreachable)


async def unfinished(session: AsyncSession, round_id: int) -> list[Participant]:
    return list(
        (
            await session.scalars(
                select(Participant).where(
                    Participant.round_id == round_id,
                    Participant.completed_at.is_(None),
                    Participant.unreachable.is_(None),
                )
            )
        ).all()
    )


async def participants(session: AsyncSession, round_id: int) -> list[Participant]:
    return list(
        (await session.scalars(select(Participant).where(Participant.round_id == round_id))).all()
    )


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


async def forget(session: AsyncSession, platform: str, user_id: str) -> int:
    """Delete a member's scores on this platform; charts that counted them are re-rendered."""
    round_ids = (
        select(Round.id).join(Team, Team.id == Round.team_id).where(Team.platform == platform)
    )
    affected = (
        await session.scalars(
            select(Score.round_id)
            .where(Score.user_id == user_id, Score.round_id.in_(round_ids))
            .distinct()
        )
    ).all()
    result = await session.execute(
        delete(Score)
        .where(Score.user_id == user_id, Score.round_id.in_(round_ids))
        .execution_options(synchronize_session=False)
    )
    if affected:
        await session.execute(delete(RoundChart).where(RoundChart.round_id.in_(affected)))
    await session.execute(
        update(Participant)
        .where(Participant.user_id == user_id, Participant.round_id.in_(round_ids))
        .values(position=0, started_at=None, completed_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))
