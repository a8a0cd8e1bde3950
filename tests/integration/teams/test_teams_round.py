"""A whole round in a Teams team, through /api/messages and a fake Bot Connector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import turn
from storage.models import (
    ConversationRef,
    Installation,
    OutboxMessage,
    Round,
    Score,
    Team,
)
from tests.integration.teams.teams_harness import (
    BOT,
    GENERAL,
    LEADER,
    MEMBERS,
    PUBLIC_URL,
    TENANT,
    TeamsClient,
    button,
    row,
    texts,
    user,
)

BO, CECILIE, DAVID = MEMBERS[1], MEMBERS[2], MEMBERS[3]


async def _installed_with_profile(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.drain()


async def _start(teams: TeamsClient) -> None:
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()


async def test_install_stores_the_team_and_greets_the_channel(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.send(teams.install(LEADER))  # Teams may announce an install twice
    await teams.drain()

    [team] = [t for t in await teams.rows(Team) if t.platform == "teams"]
    assert (team.platform, team.key, team.workspace) == ("teams", GENERAL, TENANT)
    assert team.name == "Materialegården"
    assert [lead.user_id for lead in team.leaders] == [LEADER["id"]]
    [installation] = await teams.rows(Installation)
    assert installation.workspace == TENANT
    assert installation.data["service_url"] == teams.connector.url
    assert installation.data["channels"] == [GENERAL]
    [ref] = await teams.rows(ConversationRef)
    assert (ref.kind, ref.key, ref.reference["tenant"]) == ("channel", GENERAL, TENANT)

    [greeting] = teams.connector.in_conversation(GENERAL)
    assert greeting.card is not None
    shown = texts(greeting.card)
    assert f"@{BOT['name']} opsæt" in shown
    assert f"@{BOT['name']} start" in shown
    assert "Lea Leder" in shown


async def test_a_whole_round_answered_through_execute_and_submit(teams: TeamsClient) -> None:
    connector = teams.connector
    await _installed_with_profile(teams)
    await _start(teams)

    # The roster was read page by page (2 per page here), never with the retired call.
    assert len(connector.calls_to("GET", "/pagedmembers")) == 3
    assert not [c for c in connector.calls if c.path.endswith("/members")]
    # A 1:1 chat was created with the tenant id for each person, none for the bots.
    created = [c for c in connector.calls if c.method == "POST" and c.path == "/v3/conversations"]
    assert sorted(c.body["members"][0]["id"] for c in created) == sorted(m["id"] for m in MEMBERS)
    assert all(c.body["tenantID"] == TENANT for c in created)
    chats = {r.key: r.reference for r in await teams.rows(ConversationRef) if r.kind == "user"}
    assert {key: ref["conversation"] for key, ref in chats.items()} == connector.chats
    # The leader's command is answered in its thread; the channel gets the announcement.
    channel_posts = connector.in_conversation(GENERAL)
    assert any("Ny kompetencerunde" in texts(p.card or {}) for p in channel_posts)
    threads = [p for p in connector.posted if p.conversation.startswith(f"{GENERAL};messageid=")]
    assert any("4 deltagere" in texts(p.card or {}) for p in threads)

    # Execute: each click is answered with the next card in the invoke response.
    for member in (LEADER, BO):
        [intro] = connector.in_chat(member["id"])
        answer = await teams.send(teams.execute(member, intro, button(intro.card, "Kom i gang")))
        assert answer["type"] == "application/vnd.microsoft.card.adaptive"
        for score in (2, 3, 4):
            card = answer["value"]
            answer = await teams.send(teams.execute(member, intro, button(card, str(score))))
        assert "Tak" in texts(answer["value"])

    # Submit (the fallback): the clicked message is updated through the outbox.
    [intro] = connector.in_chat(CECILIE["id"])
    await teams.send(teams.submit(CECILIE, intro, button(intro.card, "Kom i gang")))
    for score in (1, 2, 3):
        await teams.drain()
        card = connector.in_chat(CECILIE["id"])[0].card
        await teams.send(teams.submit(CECILIE, intro, button(card, str(score))))
    await teams.drain()
    assert len(connector.in_chat(CECILIE["id"])[0].updates) == 4

    async with teams.runtime.sessions() as session:
        scores = (await session.scalars(select(Score))).all()
    assert len(scores) == 9

    await teams.send(teams.mention(LEADER, "luk"))
    await teams.drain()
    async with teams.runtime.sessions() as session:
        token = (await session.scalars(select(Round.chart_token))).one()
    summary = [p for p in connector.in_conversation(GENERAL) if p.card and "Image" in str(p.card)]
    [image] = [e for e in summary[0].card["body"] if e["type"] == "Image"]
    assert image["url"] == f"{PUBLIC_URL}/files/{token}/chart.png"
    chart = await teams.client.get(f"/files/{token}/chart.png")
    assert chart.status == 200
    assert (await chart.read()).startswith(b"\x89PNG")
    # Each member's own scores replace their last prompt, in their private chat only.
    for member, score in ((BO, "2"), (CECILIE, "1")):
        assert row(connector.in_chat(member["id"])[0].card or {}, "M02")[1] == score
    # Clicks on the message the prompt lives in never left a stale copy to strip.
    assert len(connector.in_chat(BO["id"])[0].updates) == 1
    assert not [p for p in connector.in_conversation(GENERAL) if "Dit svar" in texts(p.card or {})]
    async with teams.runtime.sessions() as session:
        unsent = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent"))
        ).all()
    assert not unsent


async def test_a_private_channel_invites_its_own_members_not_the_team(teams: TeamsClient) -> None:
    private = "19:private-planning@thread.tacv2"
    members = [LEADER, BO, CECILIE]
    teams.connector.rosters[private] = [user(m) for m in members] + [BOT]
    await teams.send(teams.install(LEADER))
    await teams.set_profile([LEADER["id"]], key=private)
    await teams.send(teams.mention(LEADER, "start 3d", channel=private, kind="private"))
    await teams.drain()

    paged = teams.connector.calls_to("GET", "/pagedmembers")
    assert {c.path for c in paged} == {f"/v3/conversations/{private}/pagedmembers"}
    assert sorted(teams.connector.chats) == sorted(m["id"] for m in members)
    assert any(
        "Ny kompetencerunde" in texts(p.card or {})
        for p in teams.connector.in_conversation(private)
    )


async def test_a_quick_second_tap_on_the_refreshed_card_is_not_stored(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Teams refreshes the card in place: a double tap presses the same spot on the next
    competence's card, within a second, with the same score; it is ignored."""
    await _installed_with_profile(teams)
    await _start(teams)
    moment = [datetime.now(UTC)]
    monkeypatch.setattr(turn, "wall_clock", lambda: moment[0])
    [intro] = teams.connector.in_chat(BO["id"])
    card = (await teams.send(teams.execute(BO, intro, button(intro.card, "Kom i gang"))))["value"]
    moment[0] += timedelta(seconds=5)
    after_first = await teams.send(teams.execute(BO, intro, button(card, "2")))
    moment[0] += timedelta(milliseconds=300)
    after_second = await teams.send(teams.execute(BO, intro, button(after_first["value"], "2")))
    assert after_second["value"] == after_first["value"]  # the card stays as it is
    async with teams.runtime.sessions() as session:
        assert len((await session.scalars(select(Score))).all()) == 1


async def test_a_channel_hint_is_written_as_teams_needs_it(teams: TeamsClient) -> None:
    """In a channel with no profile yet, `start` points to setup, as it must be typed there."""
    await teams.send(teams.install(LEADER))
    await teams.drain()
    await teams.send(teams.mention(LEADER, "start"))
    await teams.drain()
    threads = [p for p in teams.connector.posted if p.conversation.startswith(f"{GENERAL};")]
    hint = texts(threads[-1].card or {})
    assert f"@{BOT['name']} opsæt" in hint
