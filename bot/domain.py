"""Neutral types that cross between adapters and dialogs: people, events, members.

Adapters translate platform payloads into these; nothing here knows Slack or Teams.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
