"""A unit's campaign through the channel-neutral turn, on both databases: the owner starts it
from `oversigt`, a team with an open round is skipped and named, members of three teams
answer, the rounds close, and the owner alone gets the overview privately."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery.outbox import emit
from bot.dialogs.results import card_text
from bot.domain import Action, Command, Envelope, Member, Person
from bot.runtime import Runtime
from bot.usecases import campaigns
from bot.usecases.leader import close_and_publish
from bot.views import Form, Message, SummaryCard
from catalog.profiles import ProfileError, parse_profile
from catalog.units import UnitSpec
from storage import rounds, units
from storage import teams as repo
from tests.support.world import TEAM, World, make_profile

ROSTERS = {
    "T-roads": ("r1", "r2", "r3"),
    "T-parks": ("p1", "p2", "p3", "p4"),
    "T-waste": ("w1", "w2", "w3"),
    TEAM: ("lea", "ali", "bea", "cai"),
}
HR = Person("test", "hr", "Hanne HR")


class Directory:
    async def members(self, team_key: str, workspace: str | None) -> list[Member]:
        return [Member(user_id, user_id.upper()) for user_id in ROSTERS.get(team_key, ())]


def spec(key: str = "teknik", teams: tuple[str, ...] = tuple(ROSTERS)) -> UnitSpec:
    profile = parse_profile({"name": "Teknik", "competences": [
        {"id": "M02", "target": 3}, {"id": "M05", "target": 2},
    ]})  # fmt: skip
    return UnitSpec(
        key, "Teknik og Miljø", "da", (("test", "hr"),), profile, tuple(("test", t) for t in teams)
    )


@pytest.fixture
async def world(runtime: Runtime) -> World:
    await make_profile(runtime, {"M02": 4})
    async with runtime.transaction() as session:
        await campaigns.import_unit(session, spec(), runtime.settings)
    return World(runtime, Directory())  # type: ignore[arg-type]


async def owner_says(world: World, text: str, who: Person = HR) -> Message:
    reply = await world.turns.handle(Command(who, text), Envelope())
    assert reply is not None and isinstance(reply.view, Message) and reply.private
    return reply.view


async def test_a_campaign_from_oversigt_to_the_owners_overview(world: World) -> None:
    # Another leader's round is open in one member team: it is skipped, and named.
    assert "startet" in (await world.say("lea", "start 3d")).view.text  # type: ignore[union-attr]
    first = await owner_says(world, "oversigt")
    assert "ikke haft en kampagne" in first.text
    form = await world.turns.handle(Action(HR, first.buttons[0].action, first.buttons[0].data))
    assert form is not None and isinstance(form.view, Form)
    submit = form.view.submit[0]
    data = {**submit.data, "fields": {"deadline": "2d"}}
    started = await world.turns.handle(Action(HR, submit.action, data), Envelope())
    await world.dispatcher.drain()
    assert started is not None and isinstance(started.view, Message)
    text = started.view.text
    assert "startet i 3 hold" in text
    assert "Vejteamet er sprunget over: holdet har allerede en åben runde" in text
    # Two of T-waste's three answer M02; w3 never answers.
    await world.answer_all("r1", [1, 2])
    await world.answer_all("r2", [2, 2])
    await world.answer_all("r3", [3, 3])
    for user, scores in {"p1": [4, 1], "p2": [4, 2], "p3": [5, 3], "p4": [2, 2]}.items():
        await world.answer_all(user, scores)
    await world.answer_all("w1", [0, 2])
    await world.answer_all("w2", [1, None])

    assert "stadig åbne" in (await owner_says(world, "overview")).text
    async with world.runtime.sessions() as session:
        unit = await units.find(session, "teknik")
        assert unit is not None
        campaign = await units.latest_campaign(session, unit.id)
        assert campaign is not None
        open_rounds = await units.rounds(session, campaign.id)
    assert len(open_rounds) == 3
    for round_ in open_rounds:
        async with world.runtime.transaction() as session:
            loaded = await rounds.get(session, round_.id)
            assert loaded is not None
            outgoing = await close_and_publish(session, loaded, world.now + timedelta(days=2))
            await emit(session, "test", outgoing, team_key=loaded.team.key)
        await world.dispatcher.drain()

    received = [v for _, v in world.recorder.to("hr") if isinstance(v, SummaryCard)]
    assert len(received) == 1, "the overview reaches the owner once, when the last round closes"
    assert received[0].chart == campaign.chart_token and received[0].buttons
    overview = card_text(received[0])
    async with world.runtime.sessions() as session:
        unit = await units.find(session, "teknik")
        assert unit is not None
        report = await campaigns.overview_json(session, unit, campaign)
    m02, m05 = report["competences"]
    # M02: 1 2 3 | 4 4 5 2 | 0 1 -> n 9, sum 22; roads (3) hidden with waste (2), parks shown.
    assert (m02["n"], m02["mean"], m02["median"]) == (9, 22 / 9, 2.0)
    assert [c["suppressed"] for c in m02["by_team"]] == [False, True, True]  # parks, roads, waste
    assert m02["by_team"][0] == {"team": "T-parks", "n": 4, "suppressed": False,
                                 "mean": 3.75, "gap": -0.75}  # fmt: skip
    assert (m05["n"], m05["mean"]) == (8, 17 / 8)
    assert report["participation"] == {"invited": 10, "completed": 8, "rate": 0.8}
    assert "M02 Anvende fagsystemer & administrative systemer, tekstbehandling etc.: mål 3, " \
           "gennemsnit 2,4 (n=9)" in overview  # fmt: skip
    assert "8 af 10 har svaret på alt, i 3 hold." in overview
    assert "3,8" not in overview, "a team's own mean is for the export, not the chat"
    # The pooled numbers reach nobody else; a member asking for the overview is refused.
    assert not [v for _, v in world.recorder.to("p1") if isinstance(v, SummaryCard)]
    assert (
        "kun for enhedens ejere" in (await owner_says(world, "oversigt", Person("test", "p1"))).text
    )


async def test_refusals_write_nothing_and_reimport_adds_a_profile_version(
    runtime: Runtime,
) -> None:
    async with runtime.transaction() as session:
        await campaigns.import_unit(session, spec("teknik", ("T-roads",)), runtime.settings)
    with pytest.raises(ProfileError, match=r"teams\[1\]: test team T-roads already belongs to"):
        async with runtime.transaction() as session:
            await campaigns.import_unit(
                session, spec("kultur", ("T-new", "T-roads")), runtime.settings
            )
    async with runtime.sessions() as session:
        assert [u.key for u in await units.all_units(session)] == ["teknik"]
        assert await repo.find(session, "test", "T-new") is None
    async with runtime.transaction() as session:
        await campaigns.import_unit(session, spec("teknik", ("T-roads",)), runtime.settings)
    async with runtime.sessions() as session:
        team = await repo.find(session, "test", "T-roads")
        assert team is not None
        profile = await repo.latest_profile(session, team.id)
        assert profile is not None and profile.version == 2
        assert [(c.competence_id, c.target) for c in profile.competences] == [
            ("M02", 3),
            ("M05", 2),
        ]
