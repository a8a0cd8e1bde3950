"""Results: the team's aggregated summary card and each member's private scores."""

from __future__ import annotations

from bot.domain import Progress, RoundInfo
from bot.i18n import t
from bot.services.summary import CompetenceSummary, Summary, format_number
from bot.views import Button, Fact, Message, Section, SummaryCard, Table
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
    gaps_section = Section(t("summary.gaps_title", language), gaps or (fallback,))

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
        sections=(gaps_section,),
        chart=chart,
        chart_alt=t("summary.chart_alt", language),
        details=tuple(sections),
        details_title=t("summary.details_title", language),
        legend=tuple(Fact(c.id, c.name) for c in summary.competences) if chart else (),
        legend_title=t("summary.legend_title", language),
        open_chart=t("summary.open_chart", language),
    )


def card_text(card: SummaryCard) -> str:
    """The card as plain text, for the command line and plain-text fallbacks."""
    parts = [card.title, "", card.intro]
    for section in (*card.sections, *card.details):
        parts += ["", section.title, *(f"- {line}" for line in section.lines)]
    return "\n".join(parts)


def my_scores(round_: RoundInfo, progress: Progress, summary: Summary | None = None) -> Message:
    """A member's own scores against the targets, shown to that member only, as rows: with
    the team's mean where the round has closed and it is shown, largest personal gap first.
    A competence the member has not reached yet is marked apart from one passed over. While
    the round is open, "continue" takes the member back to the questions left and "change an
    answer" to the overview of their answers."""
    lang = round_.language
    team = {c.id: c for c in summary.competences} if summary is not None else {}
    marks: set[str] = set()
    rows = []
    for index, item in enumerate(round_.items):
        answer = progress.answers.get(item.id)
        if answer is not None:
            score = str(answer)
        else:
            score = (
                "mine.not_yet" if round_.is_open and index >= progress.position else "mine.skipped"
            )
            marks.add(score)
            score = t(f"{score}_mark", lang)
        cells = [f"{item.id} {item.name}", score, str(item.target)]
        if summary is not None:
            shown = team.get(item.id)
            if shown is None or shown.mean is None:
                marks.add("mine.hidden")
                cells.append(t("mine.hidden_mark", lang))
            else:
                cells.append(format_number(shown.mean, lang))
        gap = item.target - answer if answer is not None else None
        rows.append((-(gap if gap is not None else -99), index, tuple(cells)))
    head_key = "mine.title_open" if round_.is_open else "mine.title_closed"
    head = t(head_key, lang, team=round_.team_name)
    if not progress.answers and not round_.is_open:
        return Message(head + "\n" + t("mine.nothing", lang))
    columns = ["mine.competence", "mine.score", "mine.target"]
    if summary is not None:
        columns.append("mine.team_mean")
    notes = tuple(
        t(key, lang, threshold=round_.min_respondents)
        for key in ("mine.skipped", "mine.not_yet", "mine.hidden")
        if key in marks
    )
    table = Table(tuple(t(c, lang) for c in columns), tuple(r for *_, r in sorted(rows)), notes)
    buttons: list[Button] = []
    data = {"r": round_.id, "u": progress.user_id}
    if round_.is_open and progress.unanswered(round_):
        buttons.append(Button(t("button.continue", lang), "continue", data, "primary"))
    if round_.is_open and progress.answers:
        buttons.append(Button(t("button.review", lang), "review", data))
    return Message(head, tuple(buttons), table=table)
