"""The one entry point adapters call: load state, let a dialog decide, persist the outcome.

Every handled event commits its state change and its outbound messages (the outbox) in one
transaction. Platform event ids are recorded in the same transaction, so a retried
delivery finds its id and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dialogs import leader, results, scoring, setup
from bot.dialogs.commands import LEADER_VERBS, parse_command
from bot.dialogs.deadlines import DeadlineError, parse_deadline
from bot.dialogs.outcome import Outgoing, Reply
from bot.dialogs.state import Progress
from bot.domain import Action, Command, Event, Member, Person
from bot.i18n import t
from bot.runtime import Runtime
from bot.scheduling.planner import plan
from bot.services import profiles as profile_service
from bot.services import rounds
from bot.services.reports import round_summary
from bot.views import Button, Message, Tone, view_to_dict
from catalog.loader import load_catalog
from catalog.profiles import ProfileEntry, ProfileSpec, template_entries
from storage import repositories as repo
from storage.engine import insert_for
from storage.models import Participant, ProcessedEvent, Round, Team
from storage.outbox import enqueue

log = logging.getLogger(__name__)
SCORING_ACTIONS = frozenset({"score", "back", "skip", "examples", "goto", "continue"})
MAX_REMINDERS = 3


class Directory(Protocol):
    """The platform's member list for a channel: people only, no bots or deactivated users."""

    async def members(self, team_key: str, workspace: str | None) -> Sequence[Member]: ...


@dataclass(frozen=True)
class Context:
    """Delivery facts an adapter knows: its event id (for dedupe) and the clicked message."""

    event_id: str | None = None
    message_ref: dict[str, Any] | None = None


def _ephemeral(text: str, tone: Tone = "info", private: bool = False) -> Reply:
    return Reply(Message(text, tone=tone), private=private)


def outbox_row(platform: str, team: Team, item: Outgoing) -> dict[str, Any]:
    destination: dict[str, Any] = {
        "to": item.to,
        "address": item.address,
        "team_key": team.key,
        "workspace": team.workspace,
    }
    payload: dict[str, Any] = {"view": view_to_dict(item.view)}
    if item.prompt_for:
        payload["prompt_for"] = {"round": item.prompt_for[0], "user": item.prompt_for[1]}
    return {
        "platform": platform,
        "idempotency_key": item.key,
        "destination": destination,
        "payload": payload,
    }


def ref_key(ref: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(ref, sort_keys=True).encode()).hexdigest()[:16]


async def close_and_publish(session: AsyncSession, round_: Round, now: datetime) -> list[Outgoing]:
    """Close the round (once) and queue the channel summary and each member's own results."""
    if not await rounds.close(session, round_.id, now):
        return []
    await session.refresh(round_)
    info = rounds.info(round_)
    summary = await round_summary(session, round_)
    card = results.summary_card(summary, info.language, info.team_name, round_.chart_token)
    outgoing = [Outgoing("channel", round_.team.key, card, f"round:{round_.id}:summary")]
    answers = await rounds.all_answers(session, round_.id)
    for participant in await rounds.participants(session, round_.id):
        mine = answers.get(participant.user_id)
        if not mine:
            continue
        view = results.my_scores(info, Progress(participant.user_id, participant.position, mine))
        key = f"round:{round_.id}:results:{participant.user_id}"
        if participant.prompt_ref:
            outgoing.append(Outgoing("ref", json.dumps(participant.prompt_ref), view, key))
        else:
            outgoing.append(Outgoing("user", participant.user_id, view, key))
    return outgoing


class Conversation:
    """Handles one platform's events; adapters create one with their member directory."""

    def __init__(
        self,
        runtime: Runtime,
        platform: str,
        directory: Directory,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.runtime = runtime
        self.platform = platform
        self.directory = directory
        self.clock = clock

    # -- entry -----------------------------------------------------------------------------

    async def handle(self, event: Event, context: Context | None = None) -> Reply | None:
        context = context or Context()
        if isinstance(event, Command):
            return await self._command(event, context)
        return await self._action(event, context)

    # -- shared helpers --------------------------------------------------------------------

    async def _first_time(self, session: AsyncSession, context: Context) -> bool:
        if not context.event_id:
            return True
        result = await session.execute(
            insert_for(session)(ProcessedEvent)
            .values(platform=self.platform, event_id=context.event_id, processed_at=self.clock())
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        )
        return bool(getattr(result, "rowcount", 1))

    async def _commit(
        self, session: AsyncSession, team: Team, outgoing: Sequence[Outgoing]
    ) -> None:
        await enqueue(session, [outbox_row(self.platform, team, item) for item in outgoing])
        if outgoing:
            self.runtime.wake_dispatchers()

    def _language(self, team: Team | None, person: Person) -> str:
        if team is not None:
            return team.language
        return person.language or self.runtime.settings.language

    @staticmethod
    def _is_leader(team: Team | None, person: Person) -> bool:
        if person.is_admin:
            return True
        return team is not None and any(lead.user_id == person.user_id for lead in team.leaders)

    async def _team(self, session: AsyncSession, key: str, workspace: str | None) -> Team:
        settings = self.runtime.settings
        team = await repo.get_or_create_team(
            session, self.platform, key, language=settings.language, timezone=settings.timezone
        )
        if workspace and not team.workspace:
            team.workspace = workspace
        return team

    # -- commands --------------------------------------------------------------------------

    async def _command(self, event: Command, context: Context) -> Reply | None:
        parsed = parse_command(event.text)
        person = event.person
        if parsed.verb in ("me", "forget"):
            return await (self._me(event) if parsed.verb == "me" else self._forget_ask(event))
        if event.team_key is None:
            lang = person.language or self.runtime.settings.language
            if parsed.verb == "help":
                return Reply(Message(t("help.text", lang)))
            if parsed.verb == "unknown":
                return Reply(Message(t("error.unknown_command", lang, word=parsed.word)))
            return _ephemeral(t("error.channel_only", lang), "warning")
        async with self.runtime.transaction() as session:
            team = await repo.find_team(session, self.platform, event.team_key)
            lang = self._language(team, person)
            if parsed.verb == "help":
                return Reply(Message(t("help.text", lang)))
            if parsed.verb == "unknown":
                return Reply(Message(t("error.unknown_command", lang, word=parsed.word)))
            if parsed.verb == "setup":
                return await self._setup(session, event, team)
            if parsed.verb in LEADER_VERBS and not self._is_leader(team, person):
                return _ephemeral(t("error.not_leader", lang), "error")
            if team is None:
                return _ephemeral(t("error.no_profile", lang), "warning")
            if parsed.verb == "status":
                return await self._status(session, team)
            if parsed.verb == "remind":
                return await self._remind(session, team, context)
            if parsed.verb == "close":
                return await self._close(session, team, context)
            if parsed.verb == "results":
                return await self._results(session, team)
            if parsed.verb == "export":
                return await self._export(session, team)
        return await self._start(event, parsed.args, context)

    async def _setup(self, session: AsyncSession, event: Command, team: Team | None) -> Reply:
        person = event.person
        assert event.team_key is not None
        lang = self._language(team, person)
        if team is not None and team.leaders and not self._is_leader(team, person):
            return _ephemeral(t("error.not_leader", lang), "error")
        team = await self._team(session, event.team_key, event.workspace)
        note = None
        if not team.leaders:
            repo.add_leaders(team, [person.user_id])
            note = t("setup.first_leader", lang)
        has_profile = await repo.latest_profile(session, team.id) is not None
        form = setup.base_form(lang, team.key, has_profile)
        if note:
            form = replace(form, intro=note + "\n\n" + form.intro)
        return Reply(form)

    async def _start(self, event: Command, args: Sequence[str], context: Context) -> Reply:
        person, key = event.person, event.team_key
        assert key is not None
        settings = self.runtime.settings
        async with self.runtime.sessions() as session:
            team = await repo.find_team(session, self.platform, key)
            lang = self._language(team, person)
            profile = await repo.latest_profile(session, team.id) if team else None
            if team is None or profile is None:
                return _ephemeral(t("error.no_profile", lang), "warning")
            if await rounds.current(session, team.id, "open"):
                return _ephemeral(t("start.already_open", lang), "warning")
            try:
                deadline = parse_deadline(
                    args[0] if args else None, self.clock(), ZoneInfo(team.timezone)
                )
            except DeadlineError as exc:
                return _ephemeral(t(exc.key, lang), "error")
        members = list(
            {m.user_id: m for m in await self.directory.members(key, event.workspace)}.values()
        )
        threshold = settings.min_respondents
        if len(members) < threshold:
            return _ephemeral(
                t("start.too_few", lang, count=len(members), threshold=threshold), "warning"
            )
        async with self.runtime.transaction() as session:
            if not await self._first_time(session, context):
                return _ephemeral(t("start.already_open", lang), "warning")
            team = await self._team(session, key, event.workspace)
            if await rounds.current(session, team.id, "open"):
                return _ephemeral(t("start.already_open", lang), "warning")
            profile = await repo.latest_profile(session, team.id)
            assert profile is not None
            round_ = await rounds.create(
                session,
                team,
                profile,
                members,
                deadline=deadline,
                opened_by=person.user_id,
                now=self.clock(),
                min_respondents=threshold,
            )
            plan(session, round_)
            info = rounds.info(round_)
            greetings = scoring.intros(info, [m.name for m in members])
            outgoing = [
                Outgoing(
                    "user",
                    m.user_id,
                    greeting,
                    f"round:{round_.id}:intro:{m.user_id}",
                    prompt_for=(round_.id, m.user_id),
                )
                for m, greeting in zip(members, greetings, strict=True)
            ]
            outgoing.append(
                Outgoing(
                    "channel",
                    key,
                    leader.announcement(info, len(members)),
                    f"round:{round_.id}:opened",
                )
            )
            await self._commit(session, team, outgoing)
        return _ephemeral(t("start.done", lang, invited=len(members)), "success")

    async def _status(self, session: AsyncSession, team: Team) -> Reply:
        round_ = await rounds.current(session, team.id)
        if round_ is None:
            return _ephemeral(t("status.none", team.language))
        return Reply(leader.status(rounds.info(round_), await rounds.counts(session, round_.id)))

    async def _remind(self, session: AsyncSession, team: Team, context: Context) -> Reply:
        round_ = await rounds.current(session, team.id, "open")
        if round_ is None:
            return _ephemeral(t("error.no_open_round", team.language), "warning")
        if not await self._first_time(session, context):
            return _ephemeral(t("remind.sent", team.language, count=0))
        outgoing = remind(round_, await rounds.unfinished(session, round_.id))
        await self._commit(session, team, outgoing)
        return _ephemeral(t("remind.sent", team.language, count=len(outgoing)), "success")

    async def _close(self, session: AsyncSession, team: Team, context: Context) -> Reply:
        round_ = await rounds.current(session, team.id, "open")
        if round_ is None:
            return _ephemeral(t("error.no_open_round", team.language), "warning")
        if not await self._first_time(session, context):
            return _ephemeral(t("close.done", team.language), "success")
        outgoing = await close_and_publish(session, round_, self.clock())
        await self._commit(session, team, outgoing)
        return _ephemeral(t("close.done", team.language), "success")

    async def _results(self, session: AsyncSession, team: Team) -> Reply:
        round_ = await rounds.current(session, team.id, "closed")
        if round_ is None:
            return _ephemeral(t("results.not_yet", team.language))
        summary = await round_summary(session, round_)
        info = rounds.info(round_)
        return Reply(
            results.summary_card(summary, info.language, info.team_name, round_.chart_token)
        )

    async def _export(self, session: AsyncSession, team: Team) -> Reply:
        round_ = await rounds.current(session, team.id, "closed")
        if round_ is None or round_.chart_token is None:
            return _ephemeral(t("results.not_yet", team.language))
        base = self.runtime.settings.public_url or "http://127.0.0.1:3978"
        return Reply(leader.exports(rounds.info(round_), base, round_.chart_token))

    async def _me(self, event: Command) -> Reply:
        person = event.person
        async with self.runtime.sessions() as session:
            team = (
                await repo.find_team(session, self.platform, event.team_key)
                if event.team_key
                else None
            )
            lang = self._language(team, person)
            round_ = await rounds.latest_participation(
                session, self.platform, person.user_id, team.id if team else None
            )
            if round_ is None:
                return _ephemeral(t("mine.none", lang), private=True)
            _, progress = await rounds.progress(session, round_.id, person.user_id)
            assert progress is not None
            return Reply(results.my_scores(rounds.info(round_), progress), private=True)

    async def _forget_ask(self, event: Command) -> Reply:
        lang = event.person.language or self.runtime.settings.language
        async with self.runtime.sessions() as session:
            if event.team_key:
                team = await repo.find_team(session, self.platform, event.team_key)
                lang = self._language(team, event.person)
        buttons = (
            Button(t("button.forget_confirm", lang), "forget-confirm", {"lang": lang}, "danger"),
            Button(t("button.cancel", lang), "forget-cancel", {"lang": lang}),
        )
        return Reply(Message(t("forget.ask", lang), buttons, tone="warning"), private=True)

    # -- actions ---------------------------------------------------------------------------

    async def _action(self, event: Action, context: Context) -> Reply | None:
        if event.name in SCORING_ACTIONS:
            return await self._scoring(event, context)
        if event.name in ("forget-confirm", "forget-cancel"):
            return await self._forget(event, context)
        if event.name.startswith("setup-"):
            return await self._setup_action(event, context)
        lang = event.person.language or self.runtime.settings.language
        return _ephemeral(t("error.unknown_action", lang), "error")

    async def _scoring(self, event: Action, context: Context) -> Reply | None:
        person, data = event.person, event.data
        fallback = person.language or self.runtime.settings.language
        round_id = data.get("r")
        if isinstance(round_id, bool) or not isinstance(round_id, int):
            return _ephemeral(t("error.unknown_round", fallback), "error", private=True)
        async with self.runtime.transaction() as session:
            loaded = await rounds.load_for_answer(session, round_id)
            if loaded is None or loaded[0].team.platform != self.platform:
                return _ephemeral(t("error.unknown_round", fallback), "error", private=True)
            round_, info = loaded
            intended = data.get("u")
            if intended is not None and intended != person.user_id:
                return Reply(
                    scoring.refuse("error.not_your_prompt", info.language).view, private=True
                )
            # A score click is idempotent by itself (an upsert, and a repeated answer leaves the
            # position alone); moves are not, so only they are checked against retries.
            if event.name != "score" and not await self._first_time(session, context):
                return None
            participant, progress = await rounds.progress(session, round_id, person.user_id)
            if event.name == "score":
                step = scoring.score(
                    info, progress, person.user_id, str(data.get("c")), data.get("s")
                )
            else:
                step = scoring.navigate(info, progress, person.user_id, event.name, data.get("p"))
            if isinstance(step, scoring.Refusal):
                return Reply(step.view, private=True)
            assert participant is not None
            now = self.clock()
            if step.stored is not None:
                await rounds.save_score(session, round_id, person.user_id, *step.stored, now)
                self.runtime.metrics.scores.inc()
            rounds.record(participant, step.progress, info, now)
            outgoing: list[Outgoing] = []
            clicked, shown = context.message_ref, participant.prompt_ref
            if clicked is not None and shown is not None and clicked != shown:
                # The prompt moves to the clicked message; the older copy loses its buttons.
                outgoing.append(
                    Outgoing(
                        "ref",
                        json.dumps(shown),
                        Message(t("prompt.moved", info.language)),
                        f"strip:{round_id}:{person.user_id}:{ref_key(shown)}",
                    )
                )
            if clicked is not None:
                participant.prompt_ref = clicked
            await self._commit(session, round_.team, outgoing)
        return Reply(step.view, mode="replace", private=True)

    async def _forget(self, event: Action, context: Context) -> Reply:
        lang = str(event.data.get("lang") or self.runtime.settings.language)
        if event.name == "forget-cancel":
            return Reply(Message(t("forget.cancelled", lang)), mode="replace", private=True)
        async with self.runtime.transaction() as session:
            await self._first_time(session, context)
            deleted = await rounds.forget(session, self.platform, event.person.user_id)
        return Reply(
            Message(t("forget.done", lang, count=deleted), tone="success"),
            mode="replace",
            private=True,
        )

    async def _setup_action(self, event: Action, context: Context) -> Reply:
        person, data = event.person, event.data
        key = data.get("t")
        fields = data.get("fields") or {}
        async with self.runtime.transaction() as session:
            team = await repo.find_team(session, self.platform, str(key)) if key else None
            lang = self._language(team, person)
            if team is None or not self._is_leader(team, person):
                return _ephemeral(t("error.not_leader", lang), "error")
            if event.name == "setup-base":
                return await self._setup_targets(session, team, lang, fields)
            if event.name == "setup-save":
                return await self._setup_save(session, team, lang, data, fields, person)
            if event.name == "setup-wording":
                return await self._setup_wording_form(session, team, lang)
            if event.name == "setup-wording-save":
                return await self._setup_wording_save(session, team, lang, fields, person)
        return _ephemeral(t("error.unknown_action", lang), "error")

    async def _candidates(
        self, session: AsyncSession, team: Team, base: str, language: str
    ) -> tuple[list[setup.Candidate], ProfileSpec | None]:
        catalog = load_catalog()
        if base == setup.CURRENT:
            profile = await repo.latest_profile(session, team.id)
            spec = profile_service.spec_from_profile(profile) if profile else None
        else:
            title, entries = template_entries(base, language)
            prefill = setup.PREFILL[base]
            spec = ProfileSpec(title, language, tuple(replace(e, target=prefill) for e in entries))
        if spec is None:
            return [], None
        candidates = []
        for entry in spec.competences:
            known = catalog.competences.get(entry.id)
            name = entry.name or (known.name(language) if known else entry.id)
            dimension = known.dimension if known else (entry.dimension or "")
            candidates.append(setup.Candidate(entry.id, name, dimension, entry.target or 0))
        return candidates, spec

    async def _setup_targets(
        self, session: AsyncSession, team: Team, lang: str, fields: dict[str, Any]
    ) -> Reply:
        base = str(fields.get("base") or "")
        profile_language = str(fields.get("language") or lang)
        if base not in setup.BASES or profile_language not in ("da", "en"):
            return _ephemeral(t("error.unknown_action", lang), "error")
        candidates, _ = await self._candidates(session, team, base, profile_language)
        if not candidates:
            return _ephemeral(t("error.no_profile", lang), "warning")
        form = setup.targets_form(lang, team.key, base, profile_language, candidates)
        return Reply(form, mode="replace")

    async def _setup_save(
        self,
        session: AsyncSession,
        team: Team,
        lang: str,
        data: dict[str, Any],
        fields: dict[str, Any],
        person: Person,
    ) -> Reply:
        base = str(data.get("base") or "")
        profile_language = str(data.get("lang") or lang)
        if base not in setup.BASES or profile_language not in ("da", "en"):
            return _ephemeral(t("error.unknown_action", lang), "error")
        candidates, spec = await self._candidates(session, team, base, profile_language)
        if spec is None:
            return _ephemeral(t("error.no_profile", lang), "warning")
        targets = setup.read_targets(fields, [c.id for c in candidates])
        if isinstance(targets, str):
            return _ephemeral(t(targets, lang), "error")
        kept = tuple(
            ProfileEntry(e.id, targets[e.id], e.name, e.description, e.examples, e.dimension)
            for e in spec.competences
            if targets[e.id] > 0
        )
        name = spec.name or team.name
        saved = ProfileSpec(name=name, language=profile_language, competences=kept)
        profile = await profile_service.save_profile(
            session, team, saved, created_by=person.user_id
        )
        new_lang = team.language
        buttons = (Button(t("button.adapt_wording", new_lang), "setup-wording", {"t": team.key}),)
        text = t("setup.saved", new_lang, count=len(kept), version=profile.version)
        return Reply(Message(text, buttons, tone="success"), mode="replace")

    async def _setup_wording_form(self, session: AsyncSession, team: Team, lang: str) -> Reply:
        profile = await repo.latest_profile(session, team.id)
        if profile is None:
            return _ephemeral(t("error.no_profile", lang), "warning")
        catalog = load_catalog()
        choices = []
        for row in profile.competences:
            known = catalog.competences.get(row.competence_id)
            fallback = known.name(lang) if known else row.competence_id
            choices.append((row.competence_id, row.name or fallback))
        return Reply(setup.wording_form(lang, team.key, choices), mode="replace")

    async def _setup_wording_save(
        self, session: AsyncSession, team: Team, lang: str, fields: dict[str, Any], person: Person
    ) -> Reply:
        profile = await repo.latest_profile(session, team.id)
        if profile is None:
            return _ephemeral(t("error.no_profile", lang), "warning")
        spec = profile_service.spec_from_profile(profile)
        cid = str(fields.get("competence") or "")
        if cid not in {e.id for e in spec.competences}:
            return _ephemeral(t("error.unknown_competence", lang), "error")
        changes = {
            key: str(fields[key]).strip()
            for key in ("name", "description", "examples")
            if str(fields.get(key) or "").strip()
        }
        entries = tuple(
            ProfileEntry(
                e.id,
                e.target,
                changes.get("name", e.name),
                changes.get("description", e.description),
                changes.get("examples", e.examples),
                e.dimension,
            )
            if e.id == cid
            else e
            for e in spec.competences
        )
        new = ProfileSpec(spec.name, spec.language, entries)
        saved = await profile_service.save_profile(session, team, new, created_by=person.user_id)
        buttons = (Button(t("button.adapt_more", lang), "setup-wording", {"t": team.key}),)
        text = t("setup.wording_saved", lang, id=cid, version=saved.version)
        return Reply(Message(text, buttons, tone="success"), mode="replace")


def remind(
    round_: Round, unfinished: Sequence[Participant], limit: int = MAX_REMINDERS
) -> list[Outgoing]:
    """Nudges for members who have not finished; at most `limit` (never over three) each."""
    info = rounds.info(round_)
    outgoing = []
    for participant in unfinished:
        if participant.reminders_sent >= min(limit, MAX_REMINDERS):
            continue
        participant.reminders_sent += 1
        key = f"round:{round_.id}:remind:{participant.user_id}:{participant.reminders_sent}"
        outgoing.append(
            Outgoing("user", participant.user_id, leader.reminder(info, participant.user_id), key)
        )
    return outgoing
