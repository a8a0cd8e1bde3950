"""`hjælp` and `metode` answer anyone, in a channel or a private chat."""

from __future__ import annotations

from bot.domain import Command, Envelope, Person
from bot.runtime import Runtime
from bot.views import Message
from catalog.loader import load_catalog
from tests.support.world import TEAM, World

METHOD = load_catalog().method


async def test_method_and_help_in_the_channel_and_in_private(runtime: Runtime) -> None:
    world = World(runtime)
    method = (await world.say("ali", "metode")).view
    assert isinstance(method, Message)
    assert METHOD.steps[0].text("da") in method.text and METHOD.calibration("da") in method.text
    helped = (await world.say("bea", "hjælp")).view
    assert isinstance(helped, Message) and METHOD.steps[4].summary("da") in helped.text

    person = Person("test", "cai", "Cai", language="en")
    private = await world.turns.handle(Command(person, "method", None), Envelope())
    assert private is not None and isinstance(private.view, Message)
    assert METHOD.purpose("en") in private.view.text
    assert world.recorder.to(TEAM) == []  # answers to the asker; nothing is posted
