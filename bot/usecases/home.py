"""A person's own page (Slack's App Home): the rounds waiting for them, and how the teams
they lead are doing — counts only, as in `status`: a leader sees how many, never who."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import format_datetime, t
from bot.runtime import Runtime
from bot.usecases.summaries import counts
from bot.views import Button
from storage import rounds, teams

MAX_ITEMS = 20


@dataclass(frozen=True)
class Waiting:
    """An open round the person has not finished, with a button that continues it."""

    line: str
    resume: Button


@dataclass(frozen=True)
class Home:
    waiting: tuple[Waiting, ...]
    leading: tuple[str, ...]


async def overview(runtime: Runtime, platform: str, user_id: str) -> Home:
    async with runtime.sessions() as session:
        open_rounds = await rounds.waiting_for(session, platform, user_id, MAX_ITEMS)
        led = await teams.led_by(session, platform, user_id, MAX_ITEMS)
        latest = {team.id: await rounds.latest(session, team.id) for team in led}
        participation = await counts(session, [r.id for r in latest.values() if r is not None])
    waiting = []
    for round_, answered in open_rounds:
        lang, zone = round_.language, ZoneInfo(round_.team.timezone)
        line = t(
            "slack.home.waiting_line",
            lang,
            team=round_.team.name or round_.team.key,
            answered=answered,
            total=len(round_.snapshot["competences"]),
            deadline=format_datetime(round_.deadline, lang, zone),
        )
        resume = Button(
            t("button.continue", lang), "continue", {"r": round_.id, "u": user_id}, "primary"
        )
        waiting.append(Waiting(line, resume))
    leading = []
    for team in led:
        lang, zone = team.language, ZoneInfo(team.timezone)
        newest = latest[team.id]
        if newest is None:
            status = t("slack.home.no_rounds", lang)
        else:
            part = participation[newest.id]
            if newest.status == "open":
                when = format_datetime(newest.deadline, lang, zone)
                status = t(
                    "slack.home.round_open",
                    lang,
                    completed=part.completed,
                    invited=part.invited,
                    deadline=when,
                )
            else:
                closed = format_datetime(newest.closed_at or newest.deadline, lang, zone)
                status = t(
                    "slack.home.round_closed",
                    lang,
                    completed=part.completed,
                    invited=part.invited,
                    closed=closed,
                )
        leading.append(t("slack.home.team_line", lang, team=team.name or team.key) + "\n" + status)
    return Home(tuple(waiting), tuple(leading))


async def prompt_ref(runtime: Runtime, round_id: object, user_id: str) -> dict[str, Any] | None:
    """Where the member's prompt is, so "continue" from their page updates it in place."""
    if isinstance(round_id, bool) or not isinstance(round_id, int):
        return None
    async with runtime.sessions() as session:
        return await rounds.prompt_ref(session, round_id, user_id)
