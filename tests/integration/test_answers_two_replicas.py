"""Two replicas, each with its own answer writer, on one database: a member's clicks that
reach both at once are decided one after the other, as if one replica had taken them all,
and a retried delivery that reaches the other replica counts once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.domain import Action, Envelope, Person
from bot.runtime import Runtime, open_runtime
from bot.turn import Turns
from bot.views import Button, Message
from storage import rounds
from storage.engine import is_sqlite
from tests.support.world import PEOPLE, Directory, World, make_profile

MEMBERS = ("ali", "bea", "cai")


@pytest.fixture
async def world(runtime: Runtime) -> World:
    await make_profile(runtime, {"M02": 4, "M05": 3, "M13": 3, "M19": 2})
    world = World(runtime)
    await world.say("lea", "start 3d")
    for who in MEMBERS:
        ref, intro = world.prompt_of(who)
        assert isinstance(intro, Message)
        await world.click(who, intro.buttons[0], ref)
    world.now = world.now.replace(minute=world.now.minute + 1)  # read for a while
    return world


@pytest.fixture
async def other(settings: Settings, world: World) -> AsyncIterator[Turns]:
    """The second replica: its own engine, connection pool and answer writer."""
    async with open_runtime(settings, migrate=False) as runtime:
        yield Turns(runtime, "test", Directory(), lambda: world.now)


def skip_of(world: World, who: str) -> Button:
    return next(b for b in world.choice_prompt(who).navigation if b.action == "skip")


async def on_both(world: World, other: Turns, event_ids: tuple[str, str]) -> None:
    """Every member's skip, sent to both replicas at the same moment."""
    sends = []
    for who in MEMBERS:
        skip = skip_of(world, who)
        click = Action(Person("test", who, PEOPLE[who]), skip.action, skip.data)
        for turns, event_id in zip((world.turns, other), event_ids, strict=True):
            sends.append(turns.handle(click, Envelope(event_id=f"{who}-{event_id}")))
    await asyncio.gather(*sends)


def read_at_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither replica reads the seats before the other is about to read them too: the worst
    case, made certain. SQLite needs no help: its transactions hold the write lock from BEGIN."""
    if is_sqlite(world.runtime.settings.database_url):
        return
    both = asyncio.Barrier(2)
    read = rounds.seats

    async def seats(*args: Any, **kwargs: Any) -> Any:
        await both.wait()
        return await read(*args, **kwargs)

    monkeypatch.setattr(rounds, "seats", seats)


async def test_clicks_on_two_replicas_at_once_are_decided_in_turn(
    world: World, other: Turns, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two skips from two copies of the prompt: whichever replica goes first, the second
    skip starts where the first left the member (read at the same time, one would be lost)."""
    read_at_once(world, monkeypatch)
    await on_both(world, other, ("on-a", "on-b"))

    assert await world.positions(MEMBERS) == dict.fromkeys(MEMBERS, 2)


async def test_a_retry_that_reaches_the_other_replica_counts_once(
    world: World, other: Turns
) -> None:
    await on_both(world, other, ("same", "same"))

    assert await world.positions(MEMBERS) == dict.fromkeys(MEMBERS, 1)


async def test_a_double_tap_split_over_the_replicas_counts_once(world: World, other: Turns) -> None:
    """The second tap of a double tap lands on the prompt the first brought up, within the
    second, at the other replica: it sees where the first left the member, and is ignored."""
    first = world.prompt_of("ali")[0]
    await world.click("ali", skip_of(world, "ali"), first)
    second = skip_of(world, "ali")  # the skip on the prompt the first tap brought up
    assert second.data["c"] == "M05"
    ali = Person("test", "ali", PEOPLE["ali"])
    await other.handle(Action(ali, second.action, second.data), Envelope(event_id="tap-2"))

    assert (await world.positions(MEMBERS))["ali"] == 1
