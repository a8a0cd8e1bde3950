"""A platform-free world for round tests: a member directory, a recording platform, and a
conversation with a controllable clock."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.dialogs.outcome import Reply
from bot.domain import Action, Command, Envelope, Member, Person
from bot.runtime import Runtime
from bot.services.profiles import save_profile
from bot.turn import Turns
from bot.usecases.seats import dispatcher as make_dispatcher
from bot.views import Button, ChoicePrompt, Message, View
from catalog.profiles import parse_profile
from storage import teams as repo
from storage.models import Participant, Score

TEAM = "C-team"
PEOPLE = {"lea": "Lea Leder", "ali": "Ali", "bea": "Bea", "cai": "Cai"}
LEADER = Person("test", "lea", "Lea Leder")


class Directory:
    def __init__(self, members: Sequence[str] = tuple(PEOPLE)) -> None:
        self.ids = list(members)

    async def members(self, team_key: str, workspace: str | None) -> list[Member]:
        return [Member(i, PEOPLE.get(i, i)) for i in self.ids]


class Recorder:
    """A platform that keeps every message, addressable by reference like a real one."""

    platform = "test"

    def __init__(self) -> None:
        self.messages: dict[int, tuple[dict[str, Any], View]] = {}

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        return []

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        ref = len(self.messages) + 1
        self.messages[ref] = (destination, view)
        return {"m": ref}

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        self.messages[ref["m"]] = (self.messages[ref["m"]][0], view)
        return ref

    def to(self, address: str) -> list[tuple[int, View]]:
        return [(ref, v) for ref, (d, v) in self.messages.items() if d["address"] == address]


class World:
    def __init__(self, runtime: Runtime, directory: Directory | None = None) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
        self.runtime = runtime
        self.turns = Turns(runtime, "test", directory or Directory(), lambda: self.now)
        self.recorder = Recorder()
        self.dispatcher = make_dispatcher(runtime, {"test": self.recorder})

    async def say(self, who: str, text: str, **context: Any) -> Reply:
        person = LEADER if who == "lea" else Person("test", who, PEOPLE.get(who, who))
        reply = await self.turns.handle(Command(person, text, TEAM), Envelope(**context))
        await self.dispatcher.drain()
        assert reply is not None
        return reply

    async def click(self, who: str, button: Button, ref: int | None = None, **ctx: Any) -> Reply:
        # A person reads before they tap again: well past the double-tap second.
        self.now += timedelta(seconds=3)
        person = Person("test", who, PEOPLE.get(who, who))
        context = Envelope(clicked={"m": ref} if ref else None, **ctx)
        reply = await self.turns.handle(Action(person, button.action, button.data), context)
        await self.dispatcher.drain()
        assert reply is not None
        if reply.mode == "replace" and ref is not None:
            self.recorder.messages[ref] = (self.recorder.messages[ref][0], reply.view)
        return reply

    def prompt_of(self, who: str) -> tuple[int, View]:
        return self.recorder.to(who)[0]

    def choice_prompt(self, who: str) -> ChoicePrompt:
        """The competence `who`'s private prompt shows now."""
        view = self.recorder.messages[self.prompt_of(who)[0]][1]
        assert isinstance(view, ChoicePrompt), view
        return view

    async def positions(self, who: Collection[str] | None = None) -> dict[str, int]:
        """Where each member (or each of `who`) stands in the list, as stored."""
        query = select(Participant.user_id, Participant.position)
        if who is not None:
            query = query.where(Participant.user_id.in_(list(who)))
        async with self.runtime.sessions() as session:
            return dict((await session.execute(query)).all())

    async def answer_all(self, who: str, scores: Sequence[int | None]) -> None:
        """Start from the intro message and answer (None = skip) in order."""
        ref, view = self.prompt_of(who)
        assert isinstance(view, Message)
        await self.click(who, view.buttons[0], ref)
        for value in scores:
            view = self.recorder.messages[ref][1]
            assert isinstance(view, ChoicePrompt), view
            if value is None:
                skip = next(b for b in view.navigation if b.action == "skip")
                await self.click(who, skip, ref)
            else:
                await self.click(who, view.choices[value], ref)


async def make_profile(runtime: Runtime, targets: dict[str, int]) -> None:
    async with runtime.transaction() as session:
        team = await repo.get_or_create(
            session, "test", TEAM, language="da", timezone="Europe/Copenhagen"
        )
        team.name = "Vejteamet"
        repo.add_leaders(team, ["lea"])
        competences = [{"id": cid, "target": target} for cid, target in targets.items()]
        await save_profile(session, team, parse_profile({"competences": competences}))


async def count_scores(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Score)) or 0)
