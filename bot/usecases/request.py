"""What a use case is given: the event, who asks (team, role, language), and the session of
the turn's one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.dialogs.outcome import Outcome, Reply
from bot.domain import Action, Command, Envelope, Event, Member, Person
from bot.i18n import t
from bot.metrics import Metrics
from bot.views import Message, Tone
from storage.models import Team


@dataclass(frozen=True)
class Request:
    session: AsyncSession
    settings: Settings
    metrics: Metrics
    platform: str
    event: Event
    envelope: Envelope
    team: Team | None
    language: str
    is_leader: bool
    now: datetime
    args: tuple[str, ...] = ()
    members: Sequence[Member] = ()
    rosters: Mapping[str, Sequence[Member]] = field(default_factory=dict)
    """Members of other channels a route asked for (by team key), read before the transaction."""

    @property
    def person(self) -> Person:
        return self.event.person

    @property
    def data(self) -> dict[str, object]:
        return self.event.data if isinstance(self.event, Action) else {}

    @property
    def command(self) -> Command | None:
        return self.event if isinstance(self.event, Command) else None


UseCase = Callable[[Request], Awaitable[Outcome]]
GroupUseCase = Callable[[Sequence[Request]], Awaitable[list[Outcome]]]
"""Several events' requests, all in one session, decided in order."""


def note(
    key: str, language: str, tone: Tone = "info", *, private: bool = False, **values: object
) -> Reply:
    """A short message to the asker alone."""
    return Reply(Message(t(key, language, **values), tone=tone), private=private)


def answer(reply: Reply | None) -> Outcome:
    return Outcome(reply)
