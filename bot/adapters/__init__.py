"""Channel adapters: each translates its platform's events in and renders views out.

An adapter is a package with a `channel(settings)` function returning a `Channel`: its HTTP
routes, and a `start` hook that receives the runtime once the server is up and returns the
sender the outbox dispatcher uses for that platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp.web import Application, RouteDef

from bot.delivery.senders import Sender
from bot.runtime import Runtime


@dataclass
class Channel:
    name: str
    routes: list[RouteDef]
    start: Callable[[Application, Runtime], Awaitable[Sender | None]]
    stop: Callable[[], Awaitable[None]] | None = None
    notes: list[str] = field(default_factory=list)
