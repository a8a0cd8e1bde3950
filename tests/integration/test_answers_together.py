"""Clicks that arrive together are stored together: each member's answer lands, in the order
that member clicked, and a bad click among them is refused alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain import Action, Envelope, Person
from bot.runtime import Runtime
from bot.turn import together
from bot.views import Button, ChoicePrompt, Message
from storage.models import Score
from tests.support.world import PEOPLE, World, make_profile

MEMBERS = ("ali", "bea", "cai")


@pytest.fixture
async def world(runtime: Runtime) -> World:
    await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3})
    world = World(runtime)
    await world.say("lea", "start 3d")
    for who in MEMBERS:  # each opens their intro, then reads for a while
        ref, intro = world.prompt_of(who)
        assert isinstance(intro, Message)
        await world.click(who, intro.buttons[0], ref)
    return world


def counting(monkeypatch: pytest.MonkeyPatch, runtime: Runtime) -> list[int]:
    """Counts the transactions the answers' group commit opens from here on."""
    opened: list[int] = []
    group = runtime.group_commit(together)
    real = group.transaction

    @asynccontextmanager
    async def transaction() -> AsyncIterator[Any]:
        opened.append(1)
        async with real() as session:
            yield session

    monkeypatch.setattr(group, "transaction", transaction)
    return opened


async def at_once(world: World, clicks: list[tuple[str, Button]]) -> list[Any]:
    """Every click sent before any is answered, as a launch-day storm delivers them."""
    world.now = world.now.replace(minute=world.now.minute + 1)
    return await asyncio.gather(
        *(
            world.turns.handle(
                Action(Person("test", who, PEOPLE[who]), b.action, b.data), Envelope()
            )
            for who, b in clicks
        )
    )


async def stored(world: World) -> dict[tuple[str, str], int]:
    async with world.runtime.sessions() as session:
        rows = await session.execute(select(Score.user_id, Score.competence_id, Score.score))
        return {(user, competence): value for user, competence, value in rows.all()}


async def test_members_answering_at_once_are_stored_in_one_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = counting(monkeypatch, world.runtime)
    clicks = [(w, world.choice_prompt(w).choices[value]) for value, w in enumerate(MEMBERS, 2)]
    replies = await at_once(world, clicks)

    assert await stored(world) == {("ali", "M02"): 2, ("bea", "M02"): 3, ("cai", "M02"): 4}
    assert opened == [1]
    for reply in replies:  # each member sees their own next competence
        assert isinstance(reply.view, ChoicePrompt) and reply.view.progress == "2 af 3"


async def test_one_members_quick_clicks_are_decided_in_the_order_given(world: World) -> None:
    first = world.choice_prompt("ali")
    skip = next(b for b in first.navigation if b.action == "skip")
    # A score for M02, then the skip the same prompt carried; both arrive in one batch.
    replies = await at_once(world, [("ali", first.choices[5]), ("ali", skip)])

    assert await stored(world) == {("ali", "M02"): 5}
    assert (await world.positions())["ali"] == 2  # answered M02, then skipped M05
    assert isinstance(replies[1].view, ChoicePrompt) and replies[1].view.progress == "3 af 3"


async def test_a_forged_click_among_good_ones_is_refused_alone(world: World) -> None:
    forged = Button("x", "score", {**world.choice_prompt("bea").choices[1].data, "s": 9})
    replies = await at_once(
        world,
        [
            ("ali", world.choice_prompt("ali").choices[1]),
            ("bea", forged),
            ("cai", world.choice_prompt("cai").choices[0]),
        ],
    )

    assert await stored(world) == {("ali", "M02"): 1, ("cai", "M02"): 0}
    assert "Vælg et niveau fra 0 til 5" in replies[1].view.text
    assert (await world.positions())["bea"] == 0


async def test_a_click_delivered_twice_in_one_batch_counts_once(world: World) -> None:
    """Slack retries a delivery it thinks was lost; both copies can land in one batch."""
    skip = next(b for b in world.choice_prompt("ali").navigation if b.action == "skip")
    world.now = world.now.replace(minute=world.now.minute + 1)
    click = Action(Person("test", "ali", PEOPLE["ali"]), skip.action, skip.data)
    replies = await asyncio.gather(
        *(world.turns.handle(click, Envelope(event_id="retried-skip")) for _ in range(2))
    )

    assert (await world.positions())["ali"] == 1  # one competence skipped, not two
    assert isinstance(replies[0].view, ChoicePrompt) and replies[0].view.progress == "2 af 3"
