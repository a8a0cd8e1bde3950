"""Prometheus metrics, one registry per application so tests and replicas stay apart.

They show when and how many answers are given, so they are never public: the server's own
port serves them only with a bearer token, or a separate listener (an address the operator
keeps internal) serves them alone.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import cast

from aiohttp import web
from aiohttp.typedefs import Middleware
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "kompetencebot_http_requests",
            "HTTP requests handled",
            ["route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "kompetencebot_http_request_seconds",
            "Time to answer an HTTP request",
            ["route"],
            registry=self.registry,
        )
        self.scores = Counter(
            "kompetencebot_scores_recorded", "Self-scores stored", registry=self.registry
        )
        self.outbox_sent = Counter(
            "kompetencebot_outbox_sent",
            "Outbound messages delivered",
            ["platform"],
            registry=self.registry,
        )

    def middleware(self) -> Middleware:
        @web.middleware
        async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
            route = request.match_info.route.resource
            name = route.canonical if route is not None else "unmatched"
            started = time.perf_counter()
            status = 500
            try:
                response = await handler(request)
                status = response.status
                return response
            except web.HTTPException as exc:
                status = exc.status
                raise
            finally:
                self.requests.labels(name, str(status)).inc()
                self.latency.labels(name).observe(time.perf_counter() - started)

        return cast(Middleware, measure)

    async def handle(self, _request: web.Request) -> web.Response:
        body = generate_latest(self.registry)
        response = web.Response(body=body)
        response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
        return response

    def guarded(self, token: str) -> Handler:
        """The metrics for a request that carries `Authorization: Bearer <token>`."""
        expected = f"Bearer {token}".encode()

        async def handle(request: web.Request) -> web.StreamResponse:
            given = request.headers.get("Authorization", "").encode("utf-8", "replace")
            if not hmac.compare_digest(given, expected):
                raise web.HTTPUnauthorized(headers={"WWW-Authenticate": "Bearer"})
            return await self.handle(request)

        return handle

    def listener(self, host: str, port: int) -> Callable[[web.Application], AsyncIterator[None]]:
        """A listener of its own on `host:port` that serves `/metrics` and nothing else,
        for as long as the application runs (an aiohttp cleanup context)."""

        async def listen(_app: web.Application) -> AsyncIterator[None]:
            apart = web.Application()
            apart.router.add_get("/metrics", self.handle)
            runner = web.AppRunner(apart, access_log=None)
            await runner.setup()
            try:
                await web.TCPSite(runner, host, port).start()
                log.info("metrics at http://%s:%d/metrics", host, port)
                yield
            finally:
                await runner.cleanup()

        return listen
