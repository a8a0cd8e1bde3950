"""Bot Connector clients are built once per service URL, not on every turn and send: a
whole round (install, start, invitations to everyone, answers) builds at most one for the
turns and one for the sends, where botbuilder alone builds two per activity."""

from __future__ import annotations

from typing import Any

import pytest
from botframework.connector.aio import ConnectorClient

from tests.integration.teams.teams_harness import LEADER, MEMBERS, TeamsClient, button


async def test_a_round_builds_its_connector_clients_once(
    teams: TeamsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
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

    sent = len(teams.connector.posted)
    assert sent >= len(MEMBERS)  # the announcement and everyone's invitation
    assert len(built) <= 2 and set(built) == {teams.connector.url}
