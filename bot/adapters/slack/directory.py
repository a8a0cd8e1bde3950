"""Who is in a channel, and who is a person: `conversations.members` plus a cached `users.list`.

A 5,000-member channel costs about 25 + 25 calls at 200 a page, never one `users.info` per
member. The user list is kept per workspace for ten minutes; it also tells which people are
workspace admins or owners, who count as leaders on Slack.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.errors import FAILURES, error_code
from bot.adapters.slack.translate import PLATFORM
from bot.delivery.senders import Permanent
from bot.domain import Member, Person

log = logging.getLogger(__name__)
PAGE = 200
USERS_TTL = 600.0
FEW_UNKNOWN = 20
SLACKBOT = "USLACKBOT"


class NotInChannel(Exception):
    """The bot cannot see the channel's members: it has to be invited first."""


class SlackBusy(Exception):
    """Slack rate-limited the member listing; the leader should try again shortly."""


def _raise_busy(exc: SlackApiError) -> None:
    if exc.response.status_code == 429:
        raise SlackBusy() from exc


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    human: bool
    admin: bool
    first_name: str = ""
    """For greetings ("Hej Anna!"): a display name is often a handle or the full name."""


def slack_user(raw: dict[str, Any]) -> SlackUser:
    """People only: bots, app users, deactivated accounts and Slackbot are not `human`."""
    profile = raw.get("profile") or {}
    user_id = str(raw.get("id") or "")
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or raw.get("real_name")
        or raw.get("name")
        or user_id
    )
    machine = raw.get("is_bot") or raw.get("is_app_user") or user_id == SLACKBOT
    return SlackUser(
        id=user_id,
        name=str(name),
        human=not (machine or raw.get("deleted")),
        admin=bool(raw.get("is_admin") or raw.get("is_owner") or raw.get("is_primary_owner")),
        first_name=str(profile.get("first_name") or ""),
    )


class SlackDirectory:
    """The Conversation's Directory for Slack, and the source of each actor's admin flag."""

    def __init__(self, clients: SlackClients, ttl: float = USERS_TTL) -> None:
        self.clients = clients
        self.ttl = ttl
        self._users: dict[str, dict[str, SlackUser]] = {}
        self._loaded: dict[str, float] = {}
        self._unknown: dict[tuple[str, str], float] = {}
        """Users Slack did not find (another organisation's, through Slack Connect): not
        asked again within the ttl, so their clicks cost no Web API call each."""
        self._locks: dict[str, asyncio.Lock] = {}

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]:
        client = await self.clients.for_workspace(workspace)
        ids = await self._channel_members(client, team_key)
        users = await self._known(client, workspace or "", ids)
        people = [users[i] for i in ids if i in users and users[i].human]
        return [Member(user.id, user.name, user.first_name) for user in people]

    async def person(self, workspace: str | None, user_id: str, fallback_name: str = "") -> Person:
        """The actor, admin flag included; one `users.info` the first time we meet them."""
        key = workspace or ""
        user = self._users.get(key, {}).get(user_id)
        missed = self._unknown.get((key, user_id))
        if user is None and (missed is None or time.monotonic() - missed > self.ttl):
            try:
                client = await self.clients.for_workspace(workspace)
                user = await self._info(client, key, user_id)
            except (*FAILURES, SlackBusy, Permanent) as exc:
                log.warning("could not look up Slack user %s: %s", user_id, exc)
        if user is None:
            return Person(PLATFORM, user_id, fallback_name)
        return Person(PLATFORM, user_id, user.name, is_admin=user.admin)

    async def _channel_members(self, client: AsyncWebClient, channel: str) -> list[str]:
        ids: list[str] = []
        cursor = None
        try:
            while True:
                page = await client.conversations_members(
                    channel=channel, limit=PAGE, cursor=cursor
                )
                ids.extend(str(i) for i in page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return list(dict.fromkeys(ids))
        except SlackApiError as exc:
            _raise_busy(exc)
            if error_code(exc) in ("not_in_channel", "channel_not_found"):
                raise NotInChannel(channel) from exc
            raise

    async def _known(
        self, client: AsyncWebClient, key: str, ids: Iterable[str]
    ) -> dict[str, SlackUser]:
        """The cached user list, reloaded when stale; a few newcomers are looked up singly."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            loaded = self._loaded.get(key)
            if loaded is None or time.monotonic() - loaded > self.ttl:
                await self._load(client, key)
            unknown = [i for i in ids if i not in self._users[key]]
            if len(unknown) > FEW_UNKNOWN:
                await self._load(client, key)
            else:
                for user_id in unknown:
                    await self._info(client, key, user_id)
            return self._users[key]

    async def _load(self, client: AsyncWebClient, key: str) -> None:
        users: dict[str, SlackUser] = {}
        cursor = None
        try:
            while True:
                page = await client.users_list(limit=PAGE, cursor=cursor)
                for raw in page.get("members") or []:
                    user = slack_user(raw)
                    users[user.id] = user
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except SlackApiError as exc:
            _raise_busy(exc)
            raise
        self._users[key] = users
        self._loaded[key] = time.monotonic()

    async def _info(self, client: AsyncWebClient, key: str, user_id: str) -> SlackUser | None:
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as exc:
            _raise_busy(exc)
            if error_code(exc) == "user_not_found":
                self._unknown[(key, user_id)] = time.monotonic()
                return None
            raise
        user = slack_user(response.get("user") or {})
        self._users.setdefault(key, {})[user.id] = user
        return user
