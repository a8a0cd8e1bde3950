"""Leader views: status without names, reminders, the launch announcement, exports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain import Counts, RoundInfo
from bot.i18n import format_datetime, t
from bot.views import Button, Fact, Link, Message


def _deadline(round_: RoundInfo) -> str:
    return format_datetime(round_.deadline, round_.language, ZoneInfo(round_.timezone))


def status(round_: RoundInfo, counts: Counts) -> Message:
    """Progress in numbers only, one fact per count: the leader never learns who answered
    what, or who has not."""
    lang = round_.language
    key = "status.open" if round_.is_open else "status.closed"
    text = t(key, lang, team=round_.team_name)
    if counts.unreachable:
        text += "\n" + t("status.unreachable", lang, count=counts.unreachable)
    facts = (
        ("invited", counts.invited),
        ("completed", counts.completed),
        ("in_progress", counts.in_progress),
        ("not_started", counts.not_started),
        ("unreachable_count", counts.unreachable),
        ("deadline", _deadline(round_)),
    )
    return Message(text, facts=tuple(Fact(t(f"status.{k}", lang), str(v)) for k, v in facts))


def announcement(round_: RoundInfo, invited: int) -> Message:
    return Message(
        t(
            "start.announcement",
            round_.language,
            team=round_.team_name,
            invited=invited,
            count=len(round_.items),
            deadline=_deadline(round_),
            threshold=round_.min_respondents,
        )
    )


def reminder(round_: RoundInfo, user_id: str) -> Message:
    """A short nudge with a "continue" button and no score buttons of its own."""
    lang = round_.language
    return Message(
        t("remind.nudge", lang, team=round_.team_name, deadline=_deadline(round_)),
        (
            Button(
                t("button.continue", lang), "continue", {"r": round_.id, "u": user_id}, "primary"
            ),
        ),
    )


def exports(round_: RoundInfo, base_url: str, chart_token: str, export_token: str) -> Message:
    """The chart at its shared link; the files behind the leader's own expiring link."""
    lang = round_.language
    root = base_url.rstrip("/")
    files = f"{root}/exports/{export_token}"
    links = (
        ("chart", f"{root}/files/{chart_token}/chart.png"),
        ("csv", f"{files}/summary.csv"),
        ("xlsx", f"{files}/summary.xlsx"),
        ("profile", f"{files}/profile.yaml"),
    )
    return Message(
        t("export.links", lang, team=round_.team_name),
        links=tuple(Link(t(f"export.{key}", lang), url) for key, url in links),
    )
