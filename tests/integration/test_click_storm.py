"""kill -9 during a storm of score clicks: every click that was acked is in the database.

A real `kompetencebot serve` process takes signed Slack clicks from many members at once; it
is killed mid-storm, and the database is read directly. A click answers one competence
once (never the same one twice), so an acked answer must be stored exactly as it was given;
a click in flight at the kill may or may not be.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from sqlalchemy import select

from bot.config import load_settings
from bot.runtime import open_runtime
from bot.services.profiles import save_profile
from bot.services.snapshots import freeze
from catalog.profiles import parse_profile
from storage import rounds, teams
from storage.models import Score
from tests.fakes.slack_api import TEAM_ID
from tests.support.processes import (
    CHANNEL,
    Server,
    people,
    server_env,
    signed,
    slack_workspace,
)

MEMBERS = people(24)
COMPETENCES = [f"M{n:02d}" for n in range(1, 31)]
KILL_AFTER = 150
"""Acked clicks before the kill: well into the storm, well before its end (720 clicks)."""


async def _open_round(database_url: str) -> int:
    settings = load_settings(database_url=database_url)
    async with open_runtime(settings) as runtime, runtime.transaction() as session:
        team = await teams.get_or_create(
            session, "slack", CHANNEL, language="da", timezone="Europe/Copenhagen"
        )
        team.workspace = TEAM_ID
        spec = parse_profile(
            {"language": "da", "competences": [{"id": c, "target": 3} for c in COMPETENCES]}
        )
        profile = await save_profile(session, team, spec, created_by=MEMBERS[0])
        now = datetime.now(UTC)
        round_ = await rounds.create(
            session,
            team,
            profile.id,
            freeze(profile, "da"),
            [(user, user) for user in MEMBERS],
            deadline=now + timedelta(days=7),
            opened_by=MEMBERS[0],
            now=now,
            min_respondents=3,
        )
        assert round_ is not None
        return round_.id


def _click(round_id: int, user: str, competence: str, score: int, response_url: str) -> bytes:
    value = json.dumps({"r": round_id, "c": competence, "u": user, "s": score})
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "kompetence"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "AKOMP",
        "actions": [
            {
                "action_id": f"score:{score}",
                "value": value,
                "action_ts": f"{time.time():.6f}",
                "type": "button",
                "block_id": "b",
            }
        ],
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "D" + user[1:]},
        "response_url": response_url,
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


async def test_kill_9_during_a_click_storm_loses_no_acked_answer(
    database_url: str, tmp_path: Path
) -> None:
    fake = await slack_workspace(MEMBERS)
    round_id = await _open_round(database_url)
    server = Server("storm", server_env(database_url, fake), tmp_path)
    server.start()
    acked: dict[tuple[str, str], int] = {}
    enough = asyncio.Event()
    try:
        async with aiohttp.ClientSession() as http:
            await server.ready(http)

            async def member(index: int, user: str) -> None:
                for step, competence in enumerate(COMPETENCES):
                    score = (index + step) % 6
                    body = _click(round_id, user, competence, score, fake.response_url())
                    headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
                    try:
                        async with http.post(
                            f"{server.url}/slack/events", data=body, headers=headers
                        ) as response:
                            if response.status != 200:
                                return
                            acked[(user, competence)] = score
                            if len(acked) >= KILL_AFTER:
                                enough.set()
                    except aiohttp.ClientError:
                        return

            storm = [asyncio.create_task(member(i, u)) for i, u in enumerate(MEMBERS)]
            await enough.wait()
            await server.kill()
            await asyncio.gather(*storm)
    finally:
        await server.stop()
        await fake.stop()

    assert KILL_AFTER <= len(acked) < len(MEMBERS) * len(COMPETENCES), "the kill came too late"
    settings = load_settings(database_url=database_url)
    async with open_runtime(settings, migrate=False) as runtime, runtime.sessions() as session:
        rows = await session.execute(
            select(Score.user_id, Score.competence_id, Score.score).where(
                Score.round_id == round_id
            )
        )
        stored = {(user, cid): value for user, cid, value in rows.all()}
    lost = {key: value for key, value in acked.items() if stored.get(key) != value}
    assert lost == {}, f"{len(lost)} acked answers are not stored"
