"""What a dialog decides: a reply to the person who acted, and messages to send later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
class Outgoing:
    """A proactive message for the outbox; `key` makes sending it twice impossible.

    `to` is a channel (team key), a user (user id), or "ref": an update of an earlier message
    whose platform reference is `address` (JSON). `prompt_for` (round id, user id) asks the
    dispatcher to remember where a member's prompt landed, so it can be updated in place.
    """

    to: Literal["channel", "user", "ref"]
    address: str
    view: View
    key: str
    prompt_for: tuple[int, str] | None = None
