"""Bot Connector clients are built once per service URL, not on every turn and send: a
whole round (install, start, invitations to everyone, answers) builds at most one for the
turns and one for the sends, where botbuilder alone builds two per activity. The outbox's
concurrent sends share the one client without a failure or a warning."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from botframework.connector.aio import ConnectorClient

from tests.integration.teams.teams_harness import (
    LEADER,
    MEMBERS,
    TEAM_ID,
    TeamsClient,
    button,
    user,
)


async def test_a_round_builds_its_connector_clients_once(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    many = [user({"id": f"29:m{n}", "name": f"Medlem {n}"}) for n in range(40)]
    teams.connector.rosters[TEAM_ID] += many
    built: list[str] = []
    real = ConnectorClient.__init__

    def counted(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(str(kwargs.get("base_url")))
        real(self, *args, **kwargs)

    monkeypatch.setattr(ConnectorClient, "__init__", counted)
    await teams.send(teams.install(LEADER))
    await teams.set_profile([])
    await teams.send(teams.mention(LEADER, "start 3d"))
    await teams.drain()
    member = MEMBERS[1]
    [intro] = teams.connector.in_chat(member["id"])
    await teams.send(teams.submit(member, intro, button(intro.card, "Kom i gang")))
    await teams.drain()
    prompt = teams.connector.in_chat(member["id"])[0]
    for score in ("4", "3"):
        await teams.send(teams.execute(member, prompt, button(prompt.card, score)))

    for person in [*MEMBERS, *many]:  # everyone's invitation, sent concurrently
        assert teams.connector.in_chat(person["id"]), person
    assert len(built) <= 2 and set(built) == {teams.connector.url}
    assert not caplog.records
