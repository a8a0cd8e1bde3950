"""Results: the team's aggregated summary card and each member's private scores."""

from __future__ import annotations

from bot.domain import Progress, RoundInfo
from bot.i18n import t
from bot.services.summary import CompetenceSummary, Summary, format_number
from bot.views import Message, Section, SummaryCard
from catalog.loader import load_catalog

MAX_LINES = 12


def _name(competence: CompetenceSummary) -> str:
    return f"{competence.id} {competence.name}"


def _percent(value: float, language: str) -> str:
    return format_number(value * 100, language).removesuffix(",0").removesuffix(".0")


def summary_card(
    summary: Summary, language: str, team_name: str, chart: str | None = None
) -> SummaryCard:
    """Exactly the aggregates the exports carry; nothing below the anonymity threshold."""

    def n(value: float | None) -> str:
        return format_number(value or 0.0, language)

    part = summary.participation
    by_id = {c.id: c for c in summary.competences}
    sections: list[Section] = []

    gaps = tuple(
        t(
            "summary.gap_line",
            language,
            name=_name(c),
            target=c.target,
            mean=n(c.mean),
            gap=n(c.gap),
        )
        for c in (by_id[cid] for cid in summary.largest_gaps)
        if c.mean is not None and c.gap is not None
    )
    if any(not c.suppressed for c in summary.competences):
        fallback = t("summary.no_gaps", language)
    else:
        fallback = t("summary.none_shown", language, threshold=summary.min_respondents)
    sections.append(Section(t("summary.gaps_title", language), gaps or (fallback,)))

    calibrate = [c for c in summary.competences if c.calibrate and c.spread]
    if calibrate:
        hints = [
            t("summary.calibrate_line", language, name=_name(c), low=c.spread[0], high=c.spread[1])
            for c in calibrate[:MAX_LINES]
            if c.spread is not None
        ]
        quote = load_catalog().method.calibration(language)
        hints.append(t("summary.calibrate_quote", language, quote=quote))
        sections.append(Section(t("summary.calibrate_title", language), tuple(hints)))

    dimensions = tuple(
        t(
            "summary.dimension_line",
            language,
            name=f"{d.id} {d.name}",
            target=n(d.target),
            mean=n(d.mean),
        )
        for d in summary.dimensions
        if d.target is not None and d.mean is not None
    )
    if dimensions:
        sections.append(Section(t("summary.dimensions_title", language), dimensions))

    changes = [c for c in summary.competences if c.change is not None]
    if changes:
        changes.sort(key=lambda c: -abs(c.change or 0))
        moves = tuple(
            t(
                "summary.change_line",
                language,
                name=_name(c),
                change=("+" if (c.change or 0) > 0 else "") + n(c.change or 0),
            )
            for c in changes[:MAX_LINES]
        )
        sections.append(Section(t("summary.change_title", language), moves))

    hidden = [c for c in summary.competences if c.suppressed]
    if hidden:
        sections.append(
            Section(
                t("summary.suppressed_title", language),
                (
                    t(
                        "summary.suppressed_line",
                        language,
                        count=len(hidden),
                        threshold=summary.min_respondents,
                    ),
                ),
            )
        )

    intro = t(
        "summary.intro",
        language,
        team=team_name,
        completed=part.completed,
        invited=part.invited,
        rate=_percent(part.rate, language),
    )
    return SummaryCard(
        title=t("summary.title", language, team=team_name),
        intro=intro,
        sections=tuple(sections),
        chart=chart,
        chart_alt=t("summary.chart_alt", language),
    )


def card_text(card: SummaryCard) -> str:
    """The card as plain text, for the command line and plain-text fallbacks."""
    parts = [card.title, "", card.intro]
    for section in card.sections:
        parts += ["", section.title, *(f"- {line}" for line in section.lines)]
    return "\n".join(parts)


def my_scores(round_: RoundInfo, progress: Progress, summary: Summary | None = None) -> Message:
    """A member's own scores against the targets, shown to that member only: with the team's
    mean where the round has closed and it is shown, largest personal gap first. A competence
    the member has not reached yet is "not answered yet", one passed over "skipped"."""
    lang = round_.language
    team = {c.id: c for c in summary.competences} if summary is not None else {}
    rows = []
    for index, item in enumerate(round_.items):
        answer = progress.answers.get(item.id)
        values: dict[str, object] = {"name": f"{item.id} {item.name}", "target": item.target}
        if answer is not None:
            key, values["score"] = "mine.line", answer
        elif round_.is_open and index >= progress.position:
            key = "mine.line_not_yet"
        else:
            key = "mine.line_skipped"
        line = t(key, lang, **values)
        shown = team.get(item.id)
        if shown is not None and shown.mean is not None:
            line += t("mine.team_mean", lang, mean=format_number(shown.mean, lang))
        gap = item.target - answer if answer is not None else None
        rows.append((-(gap if gap is not None else -99), index, line))
    head_key = "mine.title_open" if round_.is_open else "mine.title_closed"
    head = t(head_key, lang, team=round_.team_name)
    if not progress.answers and not round_.is_open:
        return Message(head + "\n" + t("mine.nothing", lang))
    lines = [line for *_, line in sorted(rows)]
    return Message(head + "\n" + "\n".join(lines))
