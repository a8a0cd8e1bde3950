"""A local stand-in for Slack's Web API, response URLs, file uploads and Socket Mode.

It listens on a random port, records every call (method, arguments, token, time), keeps
just enough state to answer like Slack (users, channels, messages, views, files), and can be
told to fail a method: 429 with Retry-After, a 5xx, or an `ok: false` error code.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

TEAM_ID = "T0KOMP"
BOT_USER = "UBOTKOMP"
JSON_ARGS = ("blocks", "view", "files", "attachments", "metadata")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None


class FakeSlack:
    """`url` is the base; point SLACK_API_URL at `api_url`."""

    def __init__(self, team_id: str = TEAM_ID) -> None:
        self.team_id = team_id
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.socket_acks: list[dict[str, Any]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self._hooks: dict[str, tuple[str, str]] = {}
        self._counter = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- set-up ----------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        bot: bool = False,
        app_user: bool = False,
        deleted: bool = False,
        admin: bool = False,
        owner: bool = False,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "deleted": deleted,
            "is_bot": bot,
            "is_app_user": app_user,
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "profile": {
                "real_name": name,
                "display_name": name,
                "first_name": (name.split() or [""])[0],
            },
        }

    def add_channel(
        self, channel_id: str, name: str, members: list[str], *, private: bool = False
    ) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_private": private,
            "is_member": private,
            "is_archived": False,
            "members": list(members),
        }

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` fail this way (`response_url` for hooks)."""
        failure = Failure(status, error, retry_after)
        self.failures.setdefault(method, []).extend([failure] * times)

    def response_url(self, message: tuple[str, str] | None = None) -> str:
        """A fresh response URL; with `message` (channel, ts) it can replace that message."""
        url = f"{self.url}/response/{next(self._counter)}"
        if message is not None:
            self._hooks[url] = message
        return url

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # -- inspection ------------------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait until `condition` holds; callers bound the wait with `asyncio.timeout`."""
        async with self._changed:
            await self._changed.wait_for(condition)

    # -- lifetime --------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/response/{token}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for socket in self.sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- Socket Mode -----------------------------------------------------------------------

    async def socket_send(self, envelope_type: str, payload: dict[str, Any]) -> str:
        """Deliver an envelope to the connected app; returns its id (see `socket_acks`)."""
        envelope_id = f"env-{next(self._counter)}"
        message = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
        }
        for socket in self.sockets:
            await socket.send_str(json.dumps(message))
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.sockets.append(socket)
        await self._notify()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                await self._notify()
        self.sockets.remove(socket)
        return socket

    # -- HTTP ------------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _record(self, method: str, args: dict[str, Any], token: str | None) -> None:
        self.calls.append(Call(method, args, token))
        await self._notify()

    def _failure(self, method: str) -> web.Response | None:
        queued = self.failures.get(method)
        if not queued:
            return None
        failure = queued.pop(0)
        headers = {}
        if failure.retry_after is not None:
            headers["Retry-After"] = str(int(failure.retry_after))
        if failure.status == 429:
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers=headers
            )
        if failure.status >= 500:
            return web.Response(status=failure.status, text="upstream trouble")
        return web.json_response({"ok": False, "error": failure.error or "fatal_error"})

    @staticmethod
    async def _arguments(request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if raw and request.content_type == "application/json":
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode()))
        for key in JSON_ARGS:
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._arguments(request)
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ") or args.get("token")
        await self._record(method, args, token)
        failed = self._failure(method)
        if failed is not None:
            return failed
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        result = handler(args)
        ok = "error" not in result
        return web.json_response({"ok": ok, **result})

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        await self._record("upload", {"file_id": file_id}, None)
        return web.Response(text="OK - 200", content_type="text/plain")

    async def _response(self, request: web.Request) -> web.Response:
        args = json.loads(await request.read() or b"{}")
        args["url"] = url = str(request.url)
        await self._record("response_url", args, None)
        failed = self._failure("response_url")
        if failed is not None:
            return failed
        if args.get("replace_original") and url in self._hooks:
            key = self._hooks[url]
            self.messages[key] = {"metadata": self.messages.get(key, {}).get("metadata"), **args}
        return web.Response(text="ok")

    # -- methods ---------------------------------------------------------------------------

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._counter):06d}"

    @staticmethod
    def _page(items: list[Any], args: dict[str, Any]) -> tuple[list[Any], str]:
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        end = start + limit
        return items[start:end], (str(end) if end < len(items) else "")

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://kompetence.example/",
            "team": "Kompetence",
            "team_id": self.team_id,
            "user": "kompetencebot",
            "user_id": BOT_USER,
            "bot_id": "BKOMP",
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.url.replace("http://", "ws://") + "/socket"}

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return {"error": "channel_not_found"}
        page, cursor = self._page(channel["members"], args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return {"error": "channel_not_found"}
        return {"channel": {k: v for k, v in channel.items() if k != "members"}}

    def _conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return {"error": "channel_not_found"}
        channel["is_member"] = True
        return {"channel": {k: v for k, v in channel.items() if k != "members"}}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        page, cursor = self._page(list(self.users.values()), args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        return {"user": user} if user else {"error": "user_not_found"}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        if channel.startswith("U"):
            user = self.users.get(channel)
            if user is None:
                return {"error": "user_not_found"}
            if user["deleted"]:
                return {"error": "account_inactive"}
            if user["is_bot"]:
                return {"error": "cannot_dm_bot"}
            channel = "D" + channel[1:]
        elif channel not in self.channels:
            return {"error": "channel_not_found"}
        ts = self._ts()
        self.messages[(channel, ts)] = args
        return {"channel": channel, "ts": ts, "message": {"text": args.get("text"), "ts": ts}}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users"))
        if user not in self.users:
            return {"error": "user_not_found"}
        return {"channel": {"id": "D" + user[1:]}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        found = sorted((ts, m) for (c, ts), m in self.messages.items() if c == channel)
        newest = [
            {"ts": ts, "text": m.get("text"), "metadata": m.get("metadata")}
            for ts, m in reversed(found)
        ]
        return {"messages": newest[: int(args.get("limit") or 100)]}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (str(args.get("channel")), str(args.get("ts")))
        if key not in self.messages:
            return {"error": "message_not_found"}
        self.messages[key] = {"metadata": self.messages[key].get("metadata"), **args}
        return {"channel": key[0], "ts": key[1]}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._ts()}

    def _view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = dict(args.get("view") or {})
        view.setdefault("id", args.get("view_id") or f"V{next(self._counter):06d}")
        return {"view": view}

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"error": "invalid_trigger_id"}
        return self._view(args)

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._view(args)

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._view(args)

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._counter):06d}"
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or []
        missing = [f["id"] for f in files if f["id"] not in self.uploads]
        if missing:
            return {"error": "file_not_found"}
        return {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("code") != "good-code":
            return {"error": "invalid_code"}
        return {
            "app_id": "AKOMP",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": "xoxb-installed",
            "bot_user_id": BOT_USER,
            "team": {"id": "T0OTHER", "name": "Other workspace"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
