"""What a channel implements, in one place. A new channel is one package in `bot/adapters/`
with a `channel(settings) -> Channel` function; nothing else in the bot changes.

Inbound, an adapter translates its platform's requests into neutral events (`bot.domain`:
`Command`, `Action`, with an `Envelope` holding the platform's event id and the clicked
message's reference) and calls `Turns.handle`, which returns the `Reply` to the actor:

- `mode="ephemeral"`: show it where the person typed, to them alone (Slack: an ephemeral
  message; Teams: the thread or, for `private` replies and clicks, their 1:1 chat; the
  playground: a channel message only they see);
- `mode="replace"`: replace the clicked message (the next prompt in place of the last);
- `private`: personal data; a channel that cannot show an ephemeral message must deliver it
  in the person's private chat, never in the channel;
- `None`: nothing to show (a retried click that was handled already).

An adapter that answers through the outbox (no synchronous reply channel) passes
`reply_messages`, which turns the reply into messages that commit with the state change.

Outbound, `start` returns the channel's `Sender` (bot.delivery.senders): it renders neutral
views and delivers outbox rows, naming its rate-limit lanes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp.web import Application, RouteDef

from bot.delivery.senders import Sender
from bot.dialogs.outcome import Outgoing, Reply
from bot.domain import Member
from bot.runtime import Runtime


class Directory(Protocol):
    """The platform's member list for a channel: people only, no bots or deactivated users."""

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]: ...


ReplyMessages = Callable[[Reply | None], Sequence[Outgoing]]
"""How an adapter that answers through the outbox (Teams, the playground) turns a reply into
messages; they commit with the state change that caused them."""


@dataclass
class Channel:
    """An enabled channel: its HTTP routes, and hooks run when the server starts and stops."""

    name: str
    routes: list[RouteDef]
    start: Callable[[Application, Runtime], Awaitable[Sender | None]]
    stop: Callable[[], Awaitable[None]] | None = None
    notes: list[str] = field(default_factory=list)
