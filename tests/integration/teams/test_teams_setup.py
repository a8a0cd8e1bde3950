"""The leader's setup cards in a channel, and where personal answers to channel commands go."""

from __future__ import annotations

from storage import teams as repo
from storage.models import Team
from tests.integration.teams.teams_harness import (
    GENERAL,
    LEADER,
    MEMBERS,
    TeamsClient,
    button,
    texts,
)

BO = MEMBERS[1]


def _inputs(card: dict) -> dict[str, dict]:
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def _with(action: dict, values: dict[str, str]) -> dict:
    """What Teams sends for a click: the action's data merged with the card's input values."""
    return {**action, "data": {**action["data"], **values}}


async def test_a_leader_sets_targets_on_cards_refreshed_in_place(teams: TeamsClient) -> None:
    await teams.send(teams.install(LEADER))
    await teams.send(teams.mention(LEADER, "opsæt"))
    await teams.drain()
    # The form goes to the leader's private chat: in the channel anyone could press it.
    assert not [p for p in teams.connector.posted if p.conversation.startswith(f"{GENERAL};")]
    [form] = [p for p in teams.connector.in_chat(LEADER["id"]) if "Input." in str(p.card)]
    assert form.card is not None
    base = _inputs(form.card)
    assert base["base"]["type"] == "Input.ChoiceSet"

    chosen = {"base": "materialegaard", "language": "da"}
    answer = await teams.send(
        teams.execute(LEADER, form, _with(button(form.card, "Næste"), chosen))
    )
    targets = answer["value"]
    fields = _inputs(targets)
    assert len(fields) == 22 and fields["M02"]["value"] == "3"
    headings = [e["text"] for e in targets["body"] if e.get("separator")]
    assert headings[0].startswith("M1 ")

    # All at 0 is refused inside the form: the same inputs, as the leader left them, and why.
    zeros = {cid: "0" for cid in fields}
    answer = await teams.send(teams.execute(LEADER, form, _with(button(targets, "Gem"), zeros)))
    refused = answer["value"]
    assert "Mindst én kompetence skal have et mål over 0" in texts(refused)
    assert {e["value"] for e in _inputs(refused).values()} == {"0"}
    assert len(_inputs(refused)) == 22
    async with teams.runtime.sessions() as session:
        team = await repo.find(session, "teams", GENERAL)
        assert isinstance(team, Team) and await repo.latest_profile(session, team.id) is None

    values = {cid: "2" for cid in fields}
    answer = await teams.send(teams.execute(LEADER, form, _with(button(refused, "Gem"), values)))
    assert "Målprofilen er gemt" in texts(answer["value"])
    async with teams.runtime.sessions() as session:
        team = await repo.find(session, "teams", GENERAL)
        assert isinstance(team, Team)
        profile = await repo.latest_profile(session, team.id)
    assert profile is not None
    assert {row.target for row in profile.competences} == {2}
    assert len(profile.competences) == 22


async def test_personal_answers_to_channel_commands_go_to_the_private_chat(
    teams: TeamsClient,
) -> None:
    await teams.send(teams.install(LEADER))
    await teams.send(teams.mention(BO, "mine"))
    await teams.drain()
    assert not [p for p in teams.connector.posted if p.conversation.startswith(f"{GENERAL};")]
    [answer] = teams.connector.in_chat(BO["id"])
    assert "ikke været med i nogen runde" in texts(answer.card or {})
