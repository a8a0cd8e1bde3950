"""What any client may ask of the server: at most 1 MB of body, all of it within 10 s.

aiohttp bounds a body's size when a handler reads it, but gives a body forever to arrive,
so one client trickling a byte at a time held a connection and a handler open for good.
The middleware reads every body up front under a deadline (handlers then read it from
memory), and closes the connection of a client that misses it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import cast

from aiohttp import web
from aiohttp.typedefs import Middleware

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

MAX_BODY = 1_000_000
BODY_TIMEOUT = 10.0


@web.middleware
async def _bounded(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.body_exists:
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                await request.read()
        except TimeoutError:
            log.info("%s %s: the body took over %.0f s", request.method, request.path, BODY_TIMEOUT)
            return await _hang_up(request)
    return await handler(request)


async def _hang_up(request: web.Request) -> web.StreamResponse:
    """Send 408 and close at once: aiohttp would otherwise keep reading ("lingering") the
    rest of the body for another 10 s before closing."""
    response = web.Response(status=408, text="the request body took too long")
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


bounded_body = cast(Middleware, _bounded)
