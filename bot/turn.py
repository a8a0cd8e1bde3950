"""The one entry adapters call: one event, one straight path.

adapter (translate) → turn: route the event, resolve team, role and language, claim the
event id, run the use case, emit its messages and the adapter's reply messages — all in ONE
transaction — then wake the dispatchers. A retried delivery finds its id claimed and changes
nothing; a failure anywhere leaves neither state nor messages behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import usecases
from bot.adapters.contract import Directory, ReplyMessages
from bot.delivery.outbox import emit
from bot.dialogs.outcome import Outcome, Reply
from bot.domain import Action, Envelope, Event, Member
from bot.group_commit import GroupCommit
from bot.runtime import Runtime
from bot.usecases.request import GroupUseCase, Request, note
from storage import events, health, teams


class NotSaved(Exception):
    """The database refused the turn's write (read-only, full): nothing of it is stored,
    and the person may simply try again; adapters answer with `error.not_saved`."""


def wall_clock() -> datetime:
    """The time a turn happens; tests that send events faster than people replace it."""
    return datetime.now(UTC)


class Turns:
    """Handles one platform's events; each adapter makes one with its member directory."""

    def __init__(
        self,
        runtime: Runtime,
        platform: str,
        directory: Directory,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.runtime = runtime
        self.platform = platform
        self.directory = directory
        self.clock = clock

    async def handle(
        self,
        event: Event,
        envelope: Envelope | None = None,
        *,
        reply_messages: ReplyMessages | None = None,
    ) -> Reply | None:
        envelope = envelope or Envelope()
        try:
            reply, emitted = await self._turn(event, envelope, reply_messages)
        except Exception as exc:
            if not health.refuses_writes(exc):
                raise
            self.runtime.writes_ok.refused(exc)
            raise NotSaved() from exc
        if emitted:
            self.runtime.wake_dispatchers()
        return reply

    async def _turn(
        self, event: Event, envelope: Envelope, reply_messages: ReplyMessages | None
    ) -> Decided:
        route, args = usecases.match(event)
        now = (self.clock or wall_clock)()
        if route.together is not None:
            writer: GroupCommit[Queued, Decided] = self.runtime.group_commit(together)
            return await writer.submit(Queued(self, event, envelope, route, reply_messages, now))
        members: Sequence[Member] = ()
        early: Outcome | None = None
        if route.gathers_members and event.team_key is not None:
            async with self.runtime.sessions() as session:
                request = await self._request(session, event, envelope, route, now, args)
                early = self._refusal(request, route) or await self._checked(request, route)
            if early is None:
                members = await self.directory.members(event.team_key, event.workspace)
        rosters: dict[str, Sequence[Member]] = {}
        if route.rosters is not None:
            async with self.runtime.sessions() as session:
                wanted = await route.rosters(
                    await self._request(session, event, envelope, route, now, args)
                )
            for key, workspace in wanted:
                rosters[key] = await self.directory.members(key, workspace)
        async with self.runtime.transaction() as session:
            request = await self._request(session, event, envelope, route, now, args, members)
            request = replace(request, rosters=rosters)
            outcome = early or (await screen([(request, route)]))[0]
            if outcome is None:
                assert route.run is not None
                outcome = await route.run(request)
            emitted = await self._emit(request, outcome, reply_messages)
        return outcome.reply, emitted

    async def _emit(
        self, request: Request, outcome: Outcome, reply_messages: ReplyMessages | None
    ) -> bool:
        """Queue the outcome's messages and the adapter's reply messages; True if any."""
        messages = [
            *outcome.outgoing,
            *(reply_messages(outcome.reply) if reply_messages else ()),
        ]
        team, event = request.team, request.event
        await emit(
            request.session,
            self.platform,
            messages,
            team_key=team.key if team else event.team_key,
            workspace=team.workspace if team else event.workspace,
        )
        return bool(messages)

    async def _checked(self, request: Request, route: usecases.Route) -> Outcome | None:
        return await route.check(request) if route.check is not None else None

    async def _request(
        self,
        session: AsyncSession,
        event: Event,
        envelope: Envelope,
        route: usecases.Route,
        now: datetime,
        args: tuple[str, ...] = (),
        members: Sequence[Member] = (),
    ) -> Request:
        person = event.person
        key = event.team_key
        if route.team_from == "button" and isinstance(event, Action):
            key = str(event.data.get("t") or "") or None
        elif route.team_from == "none":
            key = None
        team = await teams.find(session, self.platform, key) if key else None
        language = team.language if team else (person.language or self.runtime.settings.language)
        leads = team is not None and any(lead.user_id == person.user_id for lead in team.leaders)
        return Request(
            session=session,
            settings=self.runtime.settings,
            metrics=self.runtime.metrics,
            platform=self.platform,
            event=event,
            envelope=envelope,
            team=team,
            language=language,
            is_leader=person.is_admin or leads,
            now=now,
            args=args,
            members=members,
        )

    @staticmethod
    def _refusal(request: Request, route: usecases.Route) -> Outcome | None:
        """Where, who and what the route needs, checked before it runs."""
        lang, team = request.language, request.team
        if route.channel_only and request.event.team_key is None:
            return Outcome(note("error.channel_only", lang, "warning"))
        if route.needs_team and team is None:
            # A channel never set up: the next step is `opsæt`, whoever asks.
            return Outcome(note("error.no_profile", lang, "warning"))
        founding = route.role == "founder" and (team is None or not team.leaders)
        if route.role != "anyone" and not request.is_leader and not founding:
            return Outcome(note("error.not_leader", lang, "error"))
        return None


async def screen(pairs: Sequence[tuple[Request, usecases.Route]]) -> list[Outcome | None]:
    """Each event's refusal, or the answer to a retried delivery; None: its route may run.
    The event ids are claimed in one statement per platform; of two deliveries of one id in
    one batch, the first runs and the second is the retry."""
    outcomes = [Turns._refusal(request, route) for request, route in pairs]
    claiming: dict[str, list[int]] = {}
    for index, ((request, route), outcome) in enumerate(zip(pairs, outcomes, strict=True)):
        if outcome is None and route.dedupe and request.envelope.event_id is not None:
            claiming.setdefault(request.platform, []).append(index)
    for platform, indexes in claiming.items():
        first = pairs[indexes[0]][0]
        ids = [pairs[i][0].envelope.event_id or "" for i in indexes]
        claimed = await events.claim_all(first.session, platform, ids, first.now)
        for index in indexes:
            request, route = pairs[index]
            if request.envelope.event_id in claimed:
                claimed.discard(request.envelope.event_id)
            else:
                outcomes[index] = Outcome(route.repeated(request.language))
    return outcomes


@dataclass(frozen=True)
class Queued:
    """An event waiting for the group commit, with the moment it arrived."""

    turns: Turns
    event: Event
    envelope: Envelope
    route: usecases.Route
    reply_messages: ReplyMessages | None
    now: datetime


Decided = tuple[Reply | None, bool]
"""A queued event's reply, and whether its turn queued messages to send."""


async def together(session: AsyncSession, batch: Sequence[Queued]) -> list[Decided]:
    """One group commit's batch, the same turn as `handle`'s for each event: its request,
    refusal and retry check; then each group use case once over its events, in arrival
    order; then every event's messages. Returns each reply and whether it queued messages."""
    requests = [await q.turns._request(session, q.event, q.envelope, q.route, q.now) for q in batch]
    outcomes = await screen([(r, q.route) for q, r in zip(batch, requests, strict=True)])
    waiting: dict[GroupUseCase, list[int]] = {}
    for index, (queued, outcome) in enumerate(zip(batch, outcomes, strict=True)):
        if outcome is None and queued.route.together is not None:
            waiting.setdefault(queued.route.together, []).append(index)
    decided: dict[int, Outcome] = {}
    for run, indexes in waiting.items():
        decided.update(zip(indexes, await run([requests[i] for i in indexes]), strict=True))
    results = []
    for index, (queued, request) in enumerate(zip(batch, requests, strict=True)):
        outcome = outcomes[index] or decided[index]
        emitted = await queued.turns._emit(request, outcome, queued.reply_messages)
        results.append((outcome.reply, emitted))
    return results
