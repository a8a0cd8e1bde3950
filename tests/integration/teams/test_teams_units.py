"""A unit's campaign in Teams, end to end through Teams-shaped activities and the fake Bot
Connector: three teams install the app, the unit is imported as `kompetencebot unit import`
does it, its owner starts the campaign from `oversigt` in the personal chat, members answer
on their cards, the deadline jobs close the rounds, and the owner alone gets the overview in
the 1:1 chat, once, with the chart as an Image; its numbers are `unit report --json`'s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.teams.teams_harness import PUBLIC_URL, TeamsClient, button, texts, user
from tests.support import campaign as plan

OWNER = {"id": "29:hanne", "name": "Hanne HR"}


def team_key(team: str) -> str:
    """A team's General channel, whose conversation id is the team id."""
    return f"19:{team}@thread.tacv2"


def person(short: str) -> dict[str, str]:
    return {"id": f"29:{short}", "name": f"Kollega {short}"}


async def install_teams(teams: TeamsClient) -> None:
    """Each team adds the app: the bot joins its General channel and can read its roster."""
    for team, (name, people) in plan.TEAMS.items():
        key = team_key(team)
        teams.connector.rosters[key] = [user(person(p)) for p in people]
        activity = teams.install(person(people[0]), channel=key)
        data = activity["channelData"]
        data["teamsTeamId"] = data["team"]["id"] = key
        data["team"]["name"] = name
        await teams.send(activity)
    await teams.drain()


def with_fields(action: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """What Teams sends for an Execute button: its data plus the card's input values."""
    return {**action, "data": {**action["data"], **values}}


async def answer(teams: TeamsClient, short: str, scores: tuple[int, ...]) -> None:
    member = person(short)
    [intro] = teams.connector.in_chat(member["id"])
    card = await teams.send(teams.execute(member, intro, button(intro.card, "Kom i gang")))
    for score in scores:
        card = await teams.send(teams.execute(member, intro, button(card["value"], str(score))))


async def test_a_campaign_from_import_to_the_owners_overview_with_its_chart(
    teams: TeamsClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connector, settings = teams.connector, teams.runtime.settings
    await install_teams(teams)
    await plan.import_unit(settings, tmp_path, "teams", OWNER["id"], team_key)

    # The owner starts the campaign from `oversigt` in the personal chat.
    chat = f"a:chat-{OWNER['id']}"
    await teams.send(teams.personal(OWNER, "oversigt"))
    await teams.drain()
    [first] = connector.in_conversation(chat)
    assert first.card is not None and "ikke haft en kampagne" in texts(first.card)
    await teams.send(teams.execute(OWNER, first, button(first.card, "Start en kampagne")))
    await teams.drain()
    form = connector.in_conversation(chat)[-1]
    assert form.card is not None
    start = with_fields(button(form.card, "Start kampagnen"), {"deadline": "2d"})
    started = await teams.send(teams.execute(OWNER, form, start))
    assert "startet i 3 hold" in texts(started["value"])
    await teams.drain()

    for short, scores in plan.SCORES.items():
        await answer(teams, short, scores)
    await plan.close_at_deadlines(teams.runtime, teams.drain)

    overviews = [p for p in connector.posted if plan.TITLE in texts(p.card or {})]
    assert [p.conversation for p in overviews] == [chat], "to the owner's 1:1 chat, once"
    card = overviews[0].card
    assert card is not None
    token = (await plan.campaign(teams.runtime)).chart_token
    [image] = [e for e in card["body"] if e["type"] == "Image"]
    assert image["url"] == f"{PUBLIC_URL}/files/{token}/chart.png"
    served = await teams.client.get(f"/files/{token}/chart.png")
    assert served.status == 200 and (await served.read()).startswith(b"\x89PNG")
    assert button(card, "Start en kampagne"), "the owner can start the next campaign from it"

    shown = texts(card)
    plan.check(await plan.unit_report(settings, capsys), shown)

    # `oversigt` shows it again, with the same chart.
    await teams.send(teams.personal(OWNER, "oversigt"))
    await teams.drain()
    again = connector.in_conversation(chat)[-1].card
    assert again is not None and texts(again) == shown
