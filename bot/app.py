"""Composition root: one aiohttp application; each enabled adapter adds its routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy import text

from bot.config import Settings
from bot.metrics import Metrics
from bot.runtime import Runtime, open_runtime

log = logging.getLogger(__name__)
RUNTIME = web.AppKey("runtime", Runtime)


async def healthz(request: web.Request) -> web.Response:
    try:
        async with request.app[RUNTIME].engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check failed: %s", exc)
        return web.json_response({"status": "error", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok"})


def create_app(settings: Settings) -> web.Application:
    """The server; the database is migrated to head while the application starts."""
    metrics = Metrics()
    app = web.Application(middlewares=[metrics.middleware()])

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        async with open_runtime(settings, metrics=metrics) as runtime:
            app[RUNTIME] = runtime
            yield

    app.cleanup_ctx.append(lifetime)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics.handle)
    return app
