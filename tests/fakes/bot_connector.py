"""A local Bot Connector: the part of the Bot Framework REST API that Kompetencebot calls.

It listens on a random loopback port (point an activity's `serviceUrl` at `url`), records
every call, keeps the activities it was sent, pages rosters, and can be told to refuse: a
member in `blocked` gets 403 like a user who blocked the bot, and `fail()` scripts answers
such as 429 with Retry-After for the next matching calls.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BODY = web.RequestKey("body", dict)
BLOCKED = {"error": {"code": "ConversationBlockedByUser", "message": "User blocked the bot."}}


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class Posted:
    """An activity the bot posted; `content` is its latest version after updates."""

    conversation: str
    id: str
    content: dict[str, Any]
    updates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.content.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return dict(attachment["content"])
        return None


@dataclass
class Failure:
    method: str
    fragment: str
    status: int
    headers: dict[str, str]
    times: int


class FakeBotConnector:
    def __init__(self, *, page_size: int = 2) -> None:
        self.page_size = page_size
        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.rosters: dict[str, list[dict[str, Any]]] = {}
        self.blocked: set[str] = set()
        self.chats: dict[str, str] = {}
        self.failures: list[Failure] = []
        self.url = ""
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    # -- control -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._send)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/pagedmembers", self._paged)
        app.router.add_get("/v3/conversations/{cid}/members", self._unpaged)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def fail(
        self, method: str, fragment: str, status: int, *, times: int = 1, retry_after: int = 0
    ) -> None:
        """Answer the next `times` calls whose path contains `fragment` with `status`."""
        headers = {"Retry-After": str(retry_after)} if status == 429 else {}
        self.failures.append(Failure(method, fragment, status, headers, times))

    # -- what happened -----------------------------------------------------------------------

    def calls_to(self, method: str, fragment: str = "") -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    def in_conversation(self, conversation: str) -> list[Posted]:
        return [p for p in self.posted if p.conversation == conversation]

    def in_chat(self, user_id: str) -> list[Posted]:
        chat = self.chats.get(user_id)
        return self.in_conversation(chat) if chat else []

    # -- the API -----------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.calls.append(Call(request.method, request.path, dict(request.query), body))
        for failure in self.failures:
            if failure.times and (failure.method, True) == (
                request.method,
                failure.fragment in request.path,
            ):
                failure.times -= 1
                error = {"error": {"code": "Scripted", "message": str(failure.status)}}
                return web.json_response(error, status=failure.status, headers=failure.headers)
        request[BODY] = body if isinstance(body, dict) else {}
        return await handler(request)

    def _next_id(self) -> str:
        return f"activity-{next(self._ids)}"

    async def _create(self, request: web.Request) -> web.Response:
        body = request[BODY]
        tenant = body.get("tenantID") or body.get("tenantId")
        tenant = tenant or (body.get("channelData") or {}).get("tenant", {}).get("id")
        members = body.get("members") or []
        if not tenant or len(members) != 1 or body.get("isGroup"):
            return web.json_response({"error": {"code": "BadArgument"}}, status=400)
        user_id = members[0]["id"]
        if user_id in self.blocked:
            return web.json_response(BLOCKED, status=403)
        chat = self.chats.setdefault(user_id, f"a:chat-{user_id}")
        return web.json_response({"id": chat, "serviceUrl": self.url})

    def _blocked_chat(self, conversation: str) -> bool:
        return any(self.chats.get(user) == conversation for user in self.blocked)

    async def _send(self, request: web.Request) -> web.Response:
        conversation = request.match_info["cid"]
        if self._blocked_chat(conversation):
            return web.json_response(BLOCKED, status=403)
        posted = Posted(conversation, self._next_id(), request[BODY])
        self.posted.append(posted)
        return web.json_response({"id": posted.id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        conversation, activity_id = request.match_info["cid"], request.match_info["aid"]
        for posted in self.posted:
            if posted.conversation == conversation and posted.id == activity_id:
                posted.updates.append(posted.content)
                posted.content = request[BODY]
                return web.json_response({"id": activity_id})
        return web.json_response({"error": {"code": "NotFound"}}, status=404)

    async def _paged(self, request: web.Request) -> web.Response:
        roster = self.rosters.get(request.match_info["cid"], [])
        start = int(request.query.get("continuationToken") or 0)
        size = min(self.page_size, int(request.query.get("pageSize") or self.page_size))
        page: dict[str, Any] = {"members": roster[start : start + size]}
        if start + size < len(roster):
            page["continuationToken"] = str(start + size)
        return web.json_response(page)

    async def _unpaged(self, request: web.Request) -> web.Response:
        return web.json_response({"error": {"code": "Retired"}}, status=410)
