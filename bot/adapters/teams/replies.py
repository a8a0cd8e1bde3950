"""Where a dialog's reply goes in Teams, which has no ephemeral messages.

- Personal data (`private`) and any ephemeral answer to a click go to the person's 1:1
  chat: a click has no thread to answer in, and a channel is never the place for them.
- Other ephemeral replies answer where the command was typed (the channel thread, or the
  personal chat).
- `replace` refreshes the clicked card: in the invoke response for Action.Execute, by
  updating the message for Action.Submit. A private view never replaces a channel's card.
- An Action.Execute click always gets an invoke response: the refreshed card, or a short
  notice shown to the clicker alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.adapters.teams import cards
from bot.adapters.teams.translate import Origin
from bot.dialogs.outcome import Destination, Outgoing, Reply
from bot.i18n import t
from bot.views import Form

How = Literal["typed", "execute", "submit"]


@dataclass(frozen=True)
class Delivery:
    """The invoke response body (Action.Execute only) and the messages for the outbox; or,
    when the outbox cannot be written, a text to reply with in the turn itself."""

    invoke: dict[str, Any] | None
    messages: tuple[Outgoing, ...] = ()
    in_turn: str | None = None


def destination(where: Origin, to: Any, address: str) -> Destination:
    """Teams needs the service URL and the bot's account to post anywhere."""
    via = {"service_url": where.service_url, "bot": {"id": where.bot.id, "name": where.bot.name}}
    return Destination(to, address, where.team_key, where.tenant, via=via)


def reply_key(where: Origin, index: int) -> str:
    return f"teams:reply:{where.event_id}:{index}"


def route(reply: Reply | None, where: Origin, how: How, public_url: str, language: str) -> Delivery:
    if reply is None:
        # A retried click that was handled already: the card stays as it is.
        return Delivery(cards.notice("") if how == "execute" else None)
    clicked = how != "typed"
    if reply.mode == "replace" and clicked and (where.personal or not reply.private):
        if how == "execute":
            return Delivery(cards.refreshed(reply.view, public_url))
        if where.clicked is not None:
            ref = destination(where, "ref", Destination.ref(where.clicked).address)
            return Delivery(None, (Outgoing(ref, reply.view, reply_key(where, 0)),))
    # A form is the leader's to fill in: in a channel anyone could press its buttons.
    private = reply.private or clicked or isinstance(reply.view, Form)
    if where.personal or not private:
        target = destination(where, "conversation", where.conversation)
        message = Outgoing(target, reply.view, reply_key(where, 0))
        return Delivery(
            cards.notice(cards.summary(reply.view)) if how == "execute" else None, (message,)
        )
    note = t("teams.answered_privately", language)
    target = destination(where, "user", where.person.user_id)
    message = Outgoing(target, reply.view, reply_key(where, 0))
    return Delivery(cards.notice(note) if how == "execute" else None, (message,))
