"""Neutral types shared by adapters, use cases, dialogs and services.

Adapters translate platform payloads into people and events; a round, frozen at launch, and a
member's progress in it are what dialogs decide on. Nothing here knows Slack or Teams.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LARGEST_ID = 2**31 - 1
"""The largest integer a database id column holds (PostgreSQL `integer`)."""


@dataclass(frozen=True)
class Person:
    """Who acted. `is_admin` is a platform-level admin (Slack owners/admins count as leaders)."""

    platform: str
    user_id: str
    name: str = ""
    is_admin: bool = False
    language: str | None = None


@dataclass(frozen=True)
class Member:
    """A human member of a team's channel, as the platform's directory lists them."""

    user_id: str
    name: str = ""
    first_name: str = ""
    """The given name where the platform knows it: greetings use it, else `name`."""


@dataclass(frozen=True)
class Command:
    """A typed command (`start 3d`, `status`); `team_key` is None in a private chat."""

    person: Person
    text: str
    team_key: str | None = None
    workspace: str | None = None


@dataclass(frozen=True)
class Action:
    """A button press or form submission; `data` is what the button carried."""

    person: Person
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    team_key: str | None = None
    workspace: str | None = None


Event = Command | Action


@dataclass(frozen=True)
class Envelope:
    """How an event arrived: the platform's id for it (a retry carries the same one) and the
    message that was clicked, as the platform's reference to it."""

    event_id: str | None = None
    clicked: dict[str, Any] | None = None


@dataclass(frozen=True)
class RoundCompetence:
    """One competence of a round's frozen profile, in the round's language and wording."""

    id: str
    name: str
    dimension: str
    dimension_name: str
    target: int
    description: str = ""
    examples: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoundCompetence:
        return cls(
            id=data["id"],
            name=data["name"],
            dimension=data["dimension"],
            dimension_name=data["dimension_name"],
            target=int(data["target"]),
            description=data.get("description") or "",
            examples=data.get("examples"),
        )


@dataclass(frozen=True)
class RoundInfo:
    """A round as its dialogs see it: frozen competences, deadline, language, threshold."""

    id: int
    status: str
    deadline: datetime
    language: str
    timezone: str
    team_name: str
    items: tuple[RoundCompetence, ...]
    min_respondents: int = 3

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def index_of(self, competence_id: str) -> int | None:
        for index, item in enumerate(self.items):
            if item.id == competence_id:
                return index
        return None


@dataclass(frozen=True)
class Progress:
    """Where a member is (`position` indexes `items`; len(items) means "at the end")."""

    user_id: str
    position: int = 0
    answers: dict[str, int] = field(default_factory=dict)
    moved_at: datetime | None = None
    """When the last click moved the member to the prompt they are on (None: it did not)."""
    moved_score: int | None = None
    """The score that click gave; None when it was a navigation."""

    def is_complete(self, round_: RoundInfo) -> bool:
        return all(item.id in self.answers for item in round_.items)

    def unanswered(self, round_: RoundInfo) -> list[int]:
        return [i for i, item in enumerate(round_.items) if item.id not in self.answers]


@dataclass(frozen=True)
class Counts:
    """A round's participation in numbers only; "completed" means every competence scored."""

    invited: int
    completed: int
    in_progress: int
    unreachable: int

    @property
    def not_started(self) -> int:
        return self.invited - self.completed - self.in_progress


def plausible(data: Any) -> bool:
    """Only numbers a button of ours can carry, however deep: no 2**70, no 1e999.

    Button data comes back from the platform as the user's client sent it; an id no column
    can hold would otherwise fail deep in the database instead of being refused politely."""
    if isinstance(data, dict):
        return all(plausible(item) for item in data.values())
    if isinstance(data, list):
        return all(plausible(item) for item in data)
    if isinstance(data, bool):
        return True
    if isinstance(data, int):
        return abs(data) <= LARGEST_ID
    if isinstance(data, float):
        return math.isfinite(data)
    return True
