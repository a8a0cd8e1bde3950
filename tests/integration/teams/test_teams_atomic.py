"""A Teams reply commits with the state change that caused it: a failure between the two
leaves neither (the member's answer is not stored, no reply is queued for it)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.adapters.teams import inbound
from bot.i18n import t
from bot.turn import NotSaved, Turns
from storage.models import OutboxMessage, Score
from tests.fakes.bot_connector import Posted
from tests.integration.teams.teams_harness import LEADER, MEMBERS, TeamsClient, button

BO = MEMBERS[1]


async def _launched(teams: TeamsClient) -> Posted:
    """A round is open; Bo's invitation, as his chat shows it."""
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()
    [intro] = teams.connector.in_chat(BO["id"])
    return intro


async def test_a_failure_after_the_answer_leaves_neither_answer_nor_reply(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    intro = await _launched(teams)
    await teams.send(teams.submit(BO, intro, button(intro.card, "Kom i gang")))
    await teams.drain()
    card = teams.connector.in_chat(BO["id"])[0].card
    assert card is not None

    real_route = inbound.route
    calls: list[str] = []

    def fails_once(*args: Any, **kwargs: Any) -> Any:
        calls.append("route")
        if len(calls) == 1:
            raise RuntimeError("injected after the use case decided")
        return real_route(*args, **kwargs)

    async with teams.runtime.sessions() as session:
        before = {row.id for row in await session.scalars(select(OutboxMessage))}
    monkeypatch.setattr(inbound, "route", fails_once)
    await teams.send(teams.submit(BO, intro, button(card, "4")))

    async with teams.runtime.sessions() as session:
        scores = (await session.scalars(select(Score))).all()
        new = [r for r in await session.scalars(select(OutboxMessage)) if r.id not in before]
    assert scores == []  # the answer was rolled back with its reply
    # Only the apology went out, in its own transaction; no prompt for a stored answer.
    assert [row.payload["view"]["text"] for row in new] == [t("error.internal", "da")]


async def test_a_click_the_database_cannot_save_hears_why_in_its_own_card(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    intro = await _launched(teams)
    async with teams.runtime.sessions() as session:
        before = len((await session.scalars(select(OutboxMessage))).all())

    async def full(*args: Any, **kwargs: Any) -> None:
        raise NotSaved()

    monkeypatch.setattr(Turns, "handle", full)
    answer = await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang")))

    assert answer["value"] == t("error.not_saved", "da")  # shown to the clicker alone
    async with teams.runtime.sessions() as session:
        assert len((await session.scalars(select(OutboxMessage))).all()) == before


async def test_a_typed_command_the_database_cannot_save_hears_why_in_the_turn(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No reply can be queued, so the polite line is the turn's own reply; the origin the
    turn would have remembered first cannot be written either, and that is no crash."""
    await _launched(teams)
    async with teams.runtime.sessions() as session:
        before = len((await session.scalars(select(OutboxMessage))).all())

    async def full(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(inbound.store, "remember", full)
    monkeypatch.setattr(Turns, "_turn", full)
    await teams.send(teams.personal(BO, "mine"))

    [said] = teams.connector.in_conversation(f"a:chat-{BO['id']}")[-1:]
    assert said.content["text"] == t("error.not_saved", "da")
    async with teams.runtime.sessions() as session:
        assert len((await session.scalars(select(OutboxMessage))).all()) == before
