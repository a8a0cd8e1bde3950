"""What a channel's sender promises the dispatcher, and how it reports failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.views import View


class DeliveryError(Exception):
    """Base of the failures a sender reports; the dispatcher decides what happens next."""


class RateLimited(DeliveryError):
    """The platform said 429: wait `retry_after` seconds, then try again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after:.1f} s")
        self.retry_after = retry_after


class Transient(DeliveryError):
    """5xx, a timeout, a dropped connection: back off and try again."""


class Permanent(DeliveryError):
    """Will never succeed (deactivated user, blocked bot): stop, and say why."""


@dataclass(frozen=True)
class Step:
    """A further step of a send that succeeded (Slack: the summary's chart upload after the
    summary). It becomes its own outbox row, keyed `<key>/<name>`, written when the step
    before it is recorded: retrying it never repeats the step before it."""

    name: str
    destination: dict[str, Any]


class Sender(Protocol):
    """A channel's outbound half: render a neutral view and deliver it."""

    platform: str

    def lanes(self, destination: dict[str, Any]) -> list[tuple[str, float]]:
        """The rate limits a message to `destination` counts against, as (bucket key,
        messages per second) pairs, e.g. [("slack:T1", 20.0), ("slack:T1:C1", 1.0)]. The
        dispatcher paces each bucket; an empty list means no pacing."""
        ...

    async def send(self, destination: dict[str, Any], view: View) -> dict[str, Any]:
        """Post a new message; return the platform's reference to it.

        `destination["key"]` is the outbox idempotency key. A sender may also offer
        `async find_sent(destination) -> ref | None`, which the dispatcher calls before
        resending a message whose earlier attempt was interrupted mid-send; a sender that
        can tag messages with the key (Slack message metadata, say) should, so no member
        ever gets the same prompt twice.

        A send in several steps offers `steps(destination, view, ref) -> list[Step]`: the
        steps that follow the message just sent (its reference `ref`); the dispatcher queues
        each as a row with the same view, and the sender's `send` sees its destination."""
        ...

    async def update(
        self, ref: dict[str, Any], destination: dict[str, Any], view: View
    ) -> dict[str, Any]:
        """Replace an earlier message in place; return its (possibly new) reference."""
        ...
