"""Composition root: one aiohttp application; each enabled adapter adds its routes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot import artifacts
from bot.adapters.contract import Channel
from bot.config import Settings
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.senders import Sender
from bot.metrics import Metrics
from bot.request_limits import MAX_BODY, bounded_body
from bot.runtime import RUNTIME, open_runtime
from bot.scheduling.leader import LeaderLock
from bot.scheduling.service import Scheduler
from bot.usecases import seats
from catalog.loader import load_catalog
from storage import health

log = logging.getLogger(__name__)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)


async def healthz(request: web.Request) -> web.Response:
    """200 only when the database takes a write: reaching it is not enough for a click."""
    runtime = request.app[RUNTIME]
    try:
        await health.probe(runtime.engine)
    except Exception as exc:
        runtime.writes_ok.refused(exc)  # logged once per change, not on every probe
        return web.json_response({"status": "error", "database": health.state(exc)}, status=503)
    runtime.writes_ok.accepted()
    return web.json_response({"status": "ok"})


def channels(settings: Settings) -> list[Channel]:
    """The adapters this configuration enables."""
    enabled: list[Channel] = []
    if settings.playground_enabled:
        from bot.adapters import web as playground

        enabled.append(playground.channel(settings))
    if settings.slack_enabled or settings.slack_app_token:
        from bot.adapters import slack

        enabled.append(slack.channel(settings))
    if settings.teams_endpoint:
        from bot.adapters import teams

        enabled.append(teams.channel(settings))
    return enabled


async def _settle_heap(_app: web.Application) -> None:
    """For a server process, once it has started. Garbage collection took a third of the
    CPU of a click storm: what is loaded by now (libraries, catalog, schema) lives as long
    as the process, and frozen, the full passes no longer walk it (pauses of 0.1-0.2 s
    each); a larger first generation lets a request's short-lived objects die young
    instead of being promoted. Process-wide, so not for apps made in tests."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def create_app(
    settings: Settings, *, dispatch: bool = True, schedule: bool = True
) -> web.Application:
    """The server; the database is migrated to head while the application starts.

    `dispatch=False` and `schedule=False` leave the outbox and the scheduled jobs to the
    caller (tests drive them by hand for deterministic runs).
    """
    metrics = Metrics()
    app = web.Application(
        middlewares=[metrics.middleware(), bounded_body], client_max_size=MAX_BODY
    )
    enabled = channels(settings)

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        load_catalog()  # read now (about 0.4 s of YAML), not on the first member's click
        async with open_runtime(settings, metrics=metrics) as runtime:
            app[RUNTIME] = runtime
            senders: dict[str, Sender] = {}
            for channel in enabled:
                sender = await channel.start(app, runtime)
                if sender is not None:
                    senders[channel.name] = sender
                for note in channel.notes:
                    log.info("%s", note)
            dispatcher = seats.dispatcher(runtime, senders)
            app[DISPATCHER] = dispatcher
            scheduler = Scheduler(runtime)
            lock = LeaderLock(runtime.engine, scheduler.start, scheduler.stop)
            tasks = [asyncio.create_task(dispatcher.run())] if dispatch else []
            if schedule:
                tasks.append(asyncio.create_task(lock.run()))
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await scheduler.stop()

    async def stop_channels(_app: web.Application) -> None:
        for channel in enabled:
            if channel.stop is not None:
                await channel.stop()

    if settings.metrics_listen is not None:
        app.cleanup_ctx.append(metrics.listener(*settings.metrics_listen))
    app.cleanup_ctx.append(lifetime)
    app.on_shutdown.append(stop_channels)
    app.router.add_get("/healthz", healthz)
    if settings.metrics_token:
        app.router.add_get("/metrics", metrics.guarded(settings.metrics_token))
    app.router.add_routes(artifacts.ROUTES)
    for channel in enabled:
        app.router.add_routes(channel.routes)
    return app


def server_app(settings: Settings) -> web.Application:
    """The application as a server process runs it (`kompetencebot serve`, benchmarks)."""
    app = create_app(settings)
    app.on_startup.append(_settle_heap)  # after the application's own start-up
    return app
