"""Repositories on both databases: migrations, constraints, versions, time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bot.runtime import Runtime
from bot.services.profiles import save_profile, spec_from_profile
from bot.usecases.summaries import counts
from catalog.profiles import parse_profile
from storage import rounds
from storage import teams as repo
from storage.migrate import is_current, upgrade
from storage.models import Participant, Round, Score, Team


async def _team(runtime: Runtime) -> Team:
    async with runtime.transaction() as session:
        return await repo.get_or_create(
            session, "web", "demo", language="da", timezone="Europe/Copenhagen"
        )


async def test_migrations_reach_head_and_are_idempotent(runtime: Runtime) -> None:
    assert await is_current(runtime.engine)
    await upgrade(runtime.engine)
    assert await is_current(runtime.engine)


async def test_sqlite_runs_with_wal_and_foreign_keys(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    async with runtime.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_one_score_per_round_member_and_competence(runtime: Runtime) -> None:
    team = await _team(runtime)
    async with runtime.transaction() as session:
        round_ = Round(team_id=team.id, deadline=datetime.now(UTC) + timedelta(days=7), snapshot={})
        session.add(round_)
        await session.flush()
        session.add(Score(round_id=round_.id, user_id="u1", competence_id="M02", score=3))
    with pytest.raises(IntegrityError):
        async with runtime.transaction() as session:
            session.add(Score(round_id=round_.id, user_id="u1", competence_id="M02", score=4))
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Score)) == 1


async def test_profiles_are_versioned_and_round_trip(runtime: Runtime) -> None:
    team = await _team(runtime)
    first = parse_profile({"template": "materialegaard"}, default_target=3)
    second = parse_profile(
        {
            "name": "Lokal",
            "language": "en",
            "competences": [
                {"id": "M02", "target": 4, "examples": "Our systems"},
                {"id": "local-x", "name": "Driftsweb", "dimension": "M1", "target": 2},
            ],
        }
    )
    async with runtime.transaction() as session:
        team = await session.merge(team)
        await save_profile(session, team, first)
        await save_profile(session, team, second)
    async with runtime.sessions() as session:
        latest = await repo.latest_profile(session, team.id)
        assert latest is not None and latest.version == 2
        assert spec_from_profile(latest) == second
        stored = await repo.find(session, "web", "demo")
        assert stored is not None and stored.language == "en"


async def test_times_come_back_aware_in_utc(runtime: Runtime) -> None:
    team = await _team(runtime)
    local = datetime(2026, 12, 10, 16, 0, tzinfo=timezone(timedelta(hours=1)))
    async with runtime.transaction() as session:
        session.add(Round(team_id=team.id, deadline=local, snapshot={"competences": []}))
    async with runtime.sessions() as session:
        stored = (await rounds.all_rounds(session))[0]
    assert stored.deadline == local
    assert stored.deadline.tzinfo is not None and stored.deadline.utcoffset() == timedelta(0)


async def test_round_counts_group_invited_and_completed(runtime: Runtime) -> None:
    team = await _team(runtime)
    now = datetime.now(UTC)
    async with runtime.transaction() as session:
        round_ = Round(team_id=team.id, deadline=now, snapshot={"competences": []})
        session.add(round_)
        await session.flush()
        session.add_all(
            [
                Participant(round_id=round_.id, user_id="a", completed_at=now),
                Participant(round_id=round_.id, user_id="b"),
                Participant(round_id=round_.id, user_id="c"),
            ]
        )
    async with runtime.sessions() as session:
        found = (await counts(session, [round_.id]))[round_.id]
    assert (found.invited, found.completed) == (3, 1)


async def test_database_aggregates_match_the_raw_summary(runtime: Runtime) -> None:
    """The summary the database counts equals the one computed from every raw score."""
    import random

    from bot.domain import RoundCompetence
    from bot.services.summary import summarize
    from bot.usecases.summaries import round_summary

    team = await _team(runtime)
    items = [
        {"id": cid, "name": cid, "dimension": "M1", "dimension_name": "M1", "target": 3}
        for cid in ("M01", "M02", "M03", "M04")
    ]
    chooser = random.Random(7)
    raw = {
        f"u{i}": {item["id"]: chooser.randint(0, 5) for item in items if chooser.random() > 0.2}
        for i in range(9)
    }
    now = datetime.now(UTC)
    async with runtime.transaction() as session:
        round_ = Round(team_id=team.id, deadline=now, snapshot={"competences": items})
        session.add(round_)
        await session.flush()
        session.add_all(
            Participant(
                round_id=round_.id,
                user_id=user,
                completed_at=now if len(raw.get(user, {})) == len(items) else None,
            )
            for user in [*raw, "x"]
        )
        session.add_all(
            Score(round_id=round_.id, user_id=user, competence_id=cid, score=value)
            for user, answers in raw.items()
            for cid, value in answers.items()
        )
    async with runtime.sessions() as session:
        stored = await session.get(Round, round_.id)
        assert stored is not None
        from_db = await round_summary(session, stored)
    expected = summarize([RoundCompetence.from_dict(item) for item in items], raw, 10, 3)
    assert from_db == expected
    assert from_db.participation.completed == sum(1 for a in raw.values() if len(a) == 4) > 0
