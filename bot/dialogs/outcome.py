"""What a use case decides: a reply to the person who acted, and messages to send later."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.views import View

ReplyMode = Literal["ephemeral", "replace"]


@dataclass(frozen=True)
class Reply:
    """The answer to the actor: `ephemeral` where they typed; `replace` the message clicked.

    `private` marks personal data: a channel that cannot show an ephemeral message must
    deliver it in the person's private chat instead.
    """

    view: View
    mode: ReplyMode = "ephemeral"
    private: bool = False


@dataclass(frozen=True)
class Destination:
    """Where an outbound message goes.

    `to` is a team's channel (`address` = team key), a person's private chat (user id), an
    earlier message to update in place ("ref": `address` is the platform's reference as
    JSON), or the conversation an event came from ("conversation": its platform id).
    `visible_to` shows a channel message to one person only (the playground's ephemerals);
    `via` holds platform facts needed to reach it (Teams: its service URL and bot account).
    """

    to: Literal["channel", "user", "ref", "conversation"]
    address: str
    team_key: str | None = None
    workspace: str | None = None
    visible_to: str | None = None
    via: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def ref(cls, reference: Mapping[str, Any]) -> Destination:
        return cls("ref", json.dumps(dict(reference), sort_keys=True))

    def within(self, team_key: str | None, workspace: str | None) -> Destination:
        """The same destination, naming the team it belongs to where it does not yet."""
        return replace(
            self, team_key=self.team_key or team_key, workspace=self.workspace or workspace
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "to": self.to,
            "address": self.address,
            "team_key": self.team_key,
            "workspace": self.workspace,
        }
        if self.visible_to is not None:
            data["visible_to"] = self.visible_to
        return {**data, **self.via}


@dataclass(frozen=True)
class Outgoing:
    """A proactive message for the outbox; `key` makes sending it twice impossible.

    `seat` (round id, user id) names the member a round message is for: a message that can
    never be delivered marks that member unreachable, and a `first_prompt` that lands is
    remembered so later clicks update it in place.
    """

    destination: Destination
    view: View
    key: str
    seat: tuple[int, str] | None = None
    first_prompt: bool = False


@dataclass(frozen=True)
class Outcome:
    """A use case's whole decision: the reply (None: nothing to show) and what to send."""

    reply: Reply | None
    outgoing: tuple[Outgoing, ...] = ()
