"""What a unit's owner sees: the overview, the campaign's deadline form, and the answers to
starting one. Only numbers the overview allows (pooled, and per team where the rule of
DESIGN.md lets them show) ever reach these views."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.i18n import format_datetime, t
from bot.services.overview import Overview
from bot.services.summary import format_number
from bot.views import Button, Field, Form, Message, Section, SummaryCard, Tone
from storage.models import Campaign, Team, Unit

MAX_TEAM_LINES = 25
"""Teams listed by name in a chat message; the rest are counted (the exports list them all)."""
MAX_COMPETENCE_LINES = 30


def _n(value: float | None, language: str) -> str:
    return format_number(value or 0.0, language)


def start_button(unit: Unit, language: str) -> Button:
    return Button(t("unit.button_start", language), "unit-campaign", {"u": unit.key}, "primary")


def chart_title(unit: Unit, campaign: Campaign, language: str) -> str:
    return t("unit.chart_title", language, name=unit.name, id=campaign.id)


def overview_card(
    unit: Unit,
    campaign: Campaign,
    overview: Overview,
    language: str,
    *,
    owner: bool,
    zone: ZoneInfo | None = None,
) -> SummaryCard:
    """The overview as one private card with the campaign's chart (which draws only what
    the overview shows); an owner gets the button for the next campaign."""
    pooled = overview.pooled
    part = pooled.participation
    when = format_datetime(campaign.deadline, language, zone or ZoneInfo("Europe/Copenhagen"))
    teams = len(overview.teams)
    by_id = {c.id: c for c in pooled.competences}
    gaps = tuple(
        t(
            "unit.gap_line",
            language,
            name=f"{c.id} {c.name}",
            target=c.target,
            mean=_n(c.mean, language),
            shown=sum(1 for cell in overview.by_team[c.id] if not cell.suppressed),
            teams=teams,
        )
        for c in (by_id[cid] for cid in pooled.largest_gaps)
    ) or (t("unit.no_gaps", language),)
    previous = overview.previous or {}
    competences = []
    for c in pooled.competences[:MAX_COMPETENCE_LINES]:
        name = f"{c.id} {c.name}"
        if c.suppressed:
            competences.append(t("unit.competence_hidden", language, name=name, n=c.n))
            continue
        change = ""
        if c.id in previous and c.mean is not None:
            change = t("unit.change", language, change=_n(c.mean - previous[c.id], language))
        line = t(
            "unit.competence_line",
            language,
            name=name,
            target=c.target,
            mean=_n(c.mean, language),
            n=c.n,
        )
        competences.append(line + change)
    per_team = [
        t("unit.team_line", language, name=p.name, completed=p.completed, invited=p.invited)
        for p in overview.teams[:MAX_TEAM_LINES]
    ]
    if teams > MAX_TEAM_LINES:
        per_team.append(t("unit.more_teams", language, count=teams - MAX_TEAM_LINES))
    rule = t("unit.rule", language, threshold=pooled.min_respondents)
    return SummaryCard(
        t("unit.overview_title", language, name=unit.name, id=campaign.id, deadline=when),
        t(
            "unit.participation",
            language,
            completed=part.completed,
            invited=part.invited,
            teams=teams,
        ),
        (
            Section(t("unit.gaps_title", language), gaps),
            Section(t("unit.competences_title", language), tuple(competences)),
            Section(t("unit.teams_title", language), tuple(per_team)),
            Section(t("unit.rule_title", language), (rule,)),
        ),
        chart=campaign.chart_token,
        chart_alt=t("unit.chart_alt", language),
        open_chart=t("summary.open_chart", language),
        buttons=(start_button(unit, language),) if owner else (),
    )


def no_campaign(unit: Unit, language: str) -> Message:
    text = t("unit.no_campaign", language, name=unit.name)
    return Message(text, (start_button(unit, language),))


def still_open(unit: Unit, campaign: Campaign, open_rounds: int, language: str) -> Message:
    text = t("unit.still_open", language, name=unit.name, id=campaign.id, count=open_rounds)
    return Message(text, tone="info")


def deadline_form(unit: Unit, language: str) -> Form:
    field = Field(
        "deadline", t("unit.deadline_label", language), "text", value="7d",
        hint=t("unit.deadline_hint", language),
    )  # fmt: skip
    submit = Button(t("unit.button_confirm", language), "unit-start", {"u": unit.key}, "primary")
    return Form(
        f"unit-start:{unit.key}",
        t("unit.form_title", language, name=unit.name),
        t("unit.form_intro", language),
        (field,),
        (submit,),
    )


def started(
    unit: Unit,
    started_teams: Sequence[Team],
    skipped: Sequence[tuple[Team, str]],
    language: str,
) -> Message:
    """How a campaign start went: the teams that began, and each skipped team with why."""
    lines = [t("unit.started", language, name=unit.name, count=len(started_teams))]
    for team, reason in skipped:
        lines.append(t(f"unit.skipped_{reason}", language, team=team.name or team.key))
    tone: Tone = "success" if started_teams else "warning"
    return Message("\n".join(lines), tone=tone)
