"""What the dialogs know: a round as frozen at launch, and one member's progress in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Item:
    """A competence of a round, in the team's language and wording."""

    id: str
    name: str
    description: str
    dimension: str
    dimension_name: str
    target: int
    examples: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(
            id=data["id"],
            name=data["name"],
            description=data.get("description") or "",
            dimension=data["dimension"],
            dimension_name=data["dimension_name"],
            target=int(data["target"]),
            examples=data.get("examples"),
        )


@dataclass(frozen=True)
class RoundInfo:
    id: int
    status: str
    deadline: datetime
    language: str
    timezone: str
    team_name: str
    items: tuple[Item, ...]
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

    def is_complete(self, round_: RoundInfo) -> bool:
        return all(item.id in self.answers for item in round_.items)

    def unanswered(self, round_: RoundInfo) -> list[int]:
        return [i for i, item in enumerate(round_.items) if item.id not in self.answers]
