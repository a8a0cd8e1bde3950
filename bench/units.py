"""Unit overview benchmark (issue 14): `unit report` of a campaign of 100 teams x 50 members
x 22 competences (110,000 scores) < 1 s, on SQLite and on PostgreSQL.

The timed part is what `unit report --json` does after opening the database: find the unit
and its latest campaign, count the pooled answers with the database's GROUP BY, build the
overview (with the previous campaign's means) and serialise it.

Usage: python bench/units.py [--teams 100] [--members 50] [--pg postgresql+asyncpg://...]
It creates (and drops) a database `kompetencebot_bench_units` on that server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, make_url, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import load_settings
from bot.domain import Member
from bot.runtime import open_runtime
from bot.usecases import campaigns
from catalog.units import parse_unit
from storage import units
from storage.models import Participant, Round, Score, table

TARGET_S = 1.0
MATERIALEGAARD = (
    "M02 M04 M05 M10 M11 M13 M14 M18 M23 M28 M32 M41 M44 M48 M49 M50 M51 M52 M54 M55 M59 M60"
).split()


async def measure(url: str, teams: int, members: int) -> float:
    settings = load_settings(database_url=url)
    rng = random.Random(14)
    document = {
        "key": "bench",
        "name": "Bench",
        "owners": [{"platform": "slack", "user": "UHR"}],
        "profile": {"competences": [{"id": cid, "target": 3} for cid in MATERIALEGAARD]},
        "teams": [{"platform": "slack", "team": f"C{i:04}"} for i in range(teams)],
    }
    now = datetime.now(UTC)
    async with open_runtime(settings) as runtime:
        async with runtime.transaction() as session:
            unit = await campaigns.import_unit(session, parse_unit(document), settings)
        async with runtime.transaction() as session:
            unit = await units.find(session, "bench")
            assert unit is not None
            ids = [t.id for t in await units.teams(session, unit.id)]
            people = {i: [Member(f"U{i}-{m}", "") for m in range(members)] for i in ids}
            started = await campaigns.start(
                session, unit, people, deadline=now + timedelta(days=7),
                opened_by="bench", now=now, min_respondents=3,
            )  # fmt: skip
            assert started.campaign is not None
            campaign_id = started.campaign.id
            found = await units.rounds(session, campaign_id)
            competences = [c.id for c in campaigns.competences_of(started.campaign)]
            rows = [
                {"round_id": r.id, "user_id": f"U{r.team_id}-{m}", "competence_id": c,
                 "score": rng.randint(0, 5), "updated_at": now}
                for r in found for m in range(members) for c in competences
            ]  # fmt: skip
            for start in range(0, len(rows), 5000):
                await session.execute(insert(table(Score)), rows[start : start + 5000])
            await session.execute(
                update(Participant)
                .where(Participant.round_id.in_([r.id for r in found]))
                .values(completed_at=now)
            )
            await session.execute(update(Round).values(status="closed", closed_at=now))
            await units.close_if_done(session, campaign_id, now)
        begin = time.perf_counter()
        async with runtime.sessions() as session:
            unit = await units.find(session, "bench")
            assert unit is not None
            campaign = await units.latest_campaign(session, unit.id)
            assert campaign is not None
            report = await campaigns.overview_json(session, unit, campaign)
            json.dumps(report)
        elapsed = time.perf_counter() - begin
        assert report["competences"][0]["n"] == teams * members
    return elapsed


async def postgres(url: str, teams: int, members: int) -> float:
    name = "kompetencebot_bench_units"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        target = make_url(url).set(database=name).render_as_string(hide_password=False)
        return await measure(target, teams, members)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--teams", type=int, default=100)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        sqlite_s = asyncio.run(measure(url, args.teams, args.members))
    pg_s = asyncio.run(postgres(args.pg, args.teams, args.members))
    size = f"{args.teams} teams x {args.members} members x 22 competences"
    for label, seconds in (("SQLite", sqlite_s), ("PostgreSQL", pg_s)):
        verdict = "ok" if seconds < TARGET_S else "OVER TARGET"
        print(f"unit report, {size}, {label}: {seconds:.3f} s (target < {TARGET_S} s) {verdict}")


if __name__ == "__main__":
    main()
