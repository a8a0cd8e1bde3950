"""Personal-chat commands, throttling and retries, and what uninstalling stops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from bot.app import DISPATCHER
from bot.delivery import dispatcher
from bot.delivery.outbox import emit
from bot.usecases.leader import close_and_publish
from storage.models import ConversationRef, Installation, OutboxMessage, Round, Score
from tests.integration.teams.teams_harness import (
    GENERAL,
    LEADER,
    MEMBERS,
    TENANT,
    TeamsClient,
    button,
    row,
    texts,
)
from tests.support.pace import virtual_pacer

BO = MEMBERS[1]


async def _round(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()


async def _outbox(teams: TeamsClient) -> list[OutboxMessage]:
    async with teams.runtime.sessions() as session:
        return list((await session.scalars(select(OutboxMessage))).all())


async def test_mine_help_and_forget_me_in_the_personal_chat(teams: TeamsClient) -> None:
    await _round(teams)
    chat = teams.connector.chats[BO["id"]]
    [intro] = teams.connector.in_chat(BO["id"])
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))
    await teams.send(teams.execute(BO, intro, button(answer["value"], "3")))

    for command in ("mine", "hjælp", "start", "slet-mine-data"):
        await teams.send(teams.personal(BO, command))
        await teams.drain()
    mine, help_, start, forget = teams.connector.in_conversation(chat)[1:]
    assert row(mine.card or {}, "M02")[1:3] == ["3", "4"]  # his answer, the target
    assert "opsæt" in texts(help_.card or {})
    assert "holdets kanal" in texts(start.card or {})
    assert "slette alle dine svar" in texts(forget.card or {})

    answer = await teams.send(teams.execute(BO, forget, button(forget.card, "Ja, slet")))
    assert "slettet (1 i alt)" in texts(answer["value"])
    async with teams.runtime.sessions() as session:
        assert not (await session.scalars(select(Score))).all()


@pytest.mark.parametrize(("status", "error"), [(429, "rate limited"), (502, "HTTP 502")])
async def test_throttling_and_gateway_errors_are_retried_later(
    teams: TeamsClient, status: int, error: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Waits far longer than the round takes to set up, so no drain on the way retries early.
    monkeypatch.setattr(dispatcher, "backoff", lambda attempts: 60.0)
    teams.client.app[DISPATCHER].pacer = virtual_pacer()
    teams.connector.fail("POST", "/activities", status, times=1, retry_after=60)
    await _round(teams)

    waiting = [row for row in await _outbox(teams) if row.status == "pending"]
    assert len(waiting) == 1
    assert error in (waiting[0].last_error or "")
    assert waiting[0].next_attempt_at > datetime.now(UTC) + timedelta(seconds=30)

    async with teams.runtime.transaction() as session:  # the minute passes
        await session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
    await teams.drain()
    assert {row.status for row in await _outbox(teams)} == {"sent"}


async def test_uninstall_stops_sending_to_the_team(teams: TeamsClient) -> None:
    await _round(teams)
    await teams.send(teams.uninstall(LEADER))

    [installation] = await teams.rows(Installation)
    assert installation.workspace == TENANT
    assert installation.uninstalled_at is not None
    [channel] = [r for r in await teams.rows(ConversationRef) if r.kind == "channel"]
    assert channel.key == GENERAL and channel.reference["removed"] is True

    # The deadline passes: the scheduler closes the round and queues its messages.
    calls = len(teams.connector.calls)
    async with teams.runtime.transaction() as session:
        round_ = (await session.scalars(select(Round))).one()
        outgoing = await close_and_publish(session, round_, datetime.now(UTC))
        team = round_.team
        await emit(session, "teams", outgoing, team_key=team.key, workspace=team.workspace)
    await teams.drain()

    assert len(teams.connector.calls) == calls
    refused = [row for row in await _outbox(teams) if row.status == "failed"]
    assert refused and all("uninstalled" in (row.last_error or "") for row in refused)

    # Added again, it greets the channel again and may send.
    await teams.send(teams.install(LEADER))
    await teams.drain()
    [installation] = await teams.rows(Installation)
    assert installation.uninstalled_at is None
    greetings = [
        p for p in teams.connector.in_conversation(GENERAL) if "opsæt" in texts(p.card or {})
    ]
    assert len(greetings) == 2


async def test_a_failed_summary_post_is_retried_once_with_its_chart(teams: TeamsClient) -> None:
    """The summary and its chart are one card on Teams: a failed post is retried whole,
    once; the chart behind the card's image URL is always an image."""
    await _round(teams)
    before = len(teams.connector.in_conversation(GENERAL))
    teams.connector.fail("POST", f"/conversations/{GENERAL}/activities", 502)
    await teams.send(teams.mention(LEADER, "luk"))
    await teams.drain()
    rows = {row.idempotency_key: row for row in await _outbox(teams)}
    assert (rows["round:1:summary"].status, rows["round:1:summary"].attempts) == ("pending", 1)

    async with teams.runtime.transaction() as session:
        await session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))
    await teams.drain()
    posted = teams.connector.in_conversation(GENERAL)[before:]
    summaries = [p for p in posted if "Image" in str(p.card)]
    assert len(summaries) == 1
    [image] = [e for e in (summaries[0].card or {})["body"] if e["type"] == "Image"]
    chart = await teams.client.get(urlsplit(image["url"]).path)
    assert chart.status == 200 and (await chart.read()).startswith(b"\x89PNG")
    assert {row.status for row in await _outbox(teams)} == {"sent"}
