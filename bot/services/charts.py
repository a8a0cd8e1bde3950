"""The team's profile as one PNG: actual mean against target, per competence.

Built on `matplotlib.figure.Figure` with the Agg canvas and never pyplot, so rendering keeps
no global figure registry, is safe from worker threads and leaks nothing between calls.
Layout is computed in inches so the chart stays readable from 5 to 60 competences: each row
gets room for its wrapped name, and the figure grows instead of the text shrinking.
Every text is drawn as written (`parse_math=False`): names and titles come from users, and a
`$` in them must never be read as matplotlib math.
"""

from __future__ import annotations

import io
import itertools
import textwrap
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from bot.services.summary import CompetenceSummary, Summary, format_number
from catalog.loader import load_catalog

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "target": "Mål",
        "mean": "Gennemsnit",
        "range": "Spredning",
        "suppressed": "for få svar",
        "scale": "Niveau (0–5)",
        "empty": "Ingen kompetencer",
        "unavailable": "Grafen kunne ikke tegnes.\nTallene står i opsummeringen.",
    },
    "en": {
        "target": "Target",
        "mean": "Mean",
        "range": "Range",
        "suppressed": "too few answers",
        "scale": "Level (0–5)",
        "empty": "No competences",
        "unavailable": "The chart could not be drawn.\nThe numbers are in the summary.",
    },
}

WIDTH_IN = 10.0
DPI = 120
WRAP_AT = 45
FONT_SIZE = 9.0
LINE_IN = 0.16
"""Height of one line of label text at FONT_SIZE."""
ROW_PAD_IN = 0.14
TOP_IN = 1.05
"""Room for the title, the legend and the top tick labels."""
BOTTOM_IN = 0.6
LEFT_FRACTION = 0.36
RIGHT_FRACTION = 0.9

MEAN_COLOUR = "#4a7ab5"
RANGE_COLOUR = "#1f1f1f"
TARGET_COLOUR = "#c0392b"
MUTED_COLOUR = "#8a8a8a"
SEPARATOR_COLOUR = "#d0d0d0"


def render_chart(summary: Summary, language: str, title: str) -> bytes:
    """PNG bytes of the summary; the same input always gives the same bytes."""
    try:
        labels = LABELS[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}") from None

    competences = summary.competences
    wrapped = [_wrap(c) for c in competences]
    heights = [max(1, label.count("\n") + 1) * LINE_IN + ROW_PAD_IN for label in wrapped]
    plot_in = max(sum(heights), 0.8)
    height_in = TOP_IN + plot_in + BOTTOM_IN

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes(
        (LEFT_FRACTION, BOTTOM_IN / height_in, RIGHT_FRACTION - LEFT_FRACTION, plot_in / height_in)
    )
    figure.text(
        0.5,
        1 - 0.12 / height_in,
        title,
        ha="center",
        va="top",
        fontsize=FONT_SIZE + 4,
        fontweight="bold",
        parse_math=False,
    )

    # y runs in inches from the top, so a row's position is the running sum of row heights.
    centres: list[float] = []
    offset = 0.0
    for row_height in heights:
        centres.append(offset + row_height / 2)
        offset += row_height
    bar_height = (LINE_IN + ROW_PAD_IN) * 0.62

    breaks = section_breaks(competences)
    for index, (competence, centre) in enumerate(zip(competences, centres, strict=True)):
        if breaks[index]:
            solid = breaks[index] == "dimension"
            axes.axhline(
                centre - heights[index] / 2,
                color=SEPARATOR_COLOUR,
                linewidth=0.8 if solid else 0.6,
                linestyle="-" if solid else ":",
            )
        _draw_row(axes, competence, centre, bar_height, labels, language)

    if not competences:
        axes.text(
            2.5,
            plot_in / 2,
            labels["empty"],
            ha="center",
            va="center",
            color=MUTED_COLOUR,
            parse_math=False,
        )

    axes.set_xlim(0, 5)
    axes.set_ylim(plot_in, 0)
    axes.set_xticks(range(6))
    axes.tick_params(axis="x", labelsize=FONT_SIZE, top=True, labeltop=True)
    axes.set_yticks(centres)
    tick_labels = axes.set_yticklabels(wrapped, fontsize=FONT_SIZE, parse_math=False)
    for tick_label, competence in zip(tick_labels, competences, strict=True):
        if competence.suppressed:
            tick_label.set_color(MUTED_COLOUR)
    axes.tick_params(axis="y", length=0)
    axes.set_xlabel(labels["scale"], fontsize=FONT_SIZE, parse_math=False)
    axes.grid(axis="x", color=SEPARATOR_COLOUR, linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("right", "left"):
        axes.spines[side].set_visible(False)

    figure.legend(
        handles=[
            Patch(facecolor=MEAN_COLOUR, label=labels["mean"]),
            Line2D([], [], color=RANGE_COLOUR, linewidth=1.2, label=labels["range"]),
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markersize=7,
                markerfacecolor=TARGET_COLOUR,
                markeredgecolor="white",
                label=labels["target"],
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - 0.42 / height_in),
        ncol=3,
        frameon=False,
        fontsize=FONT_SIZE,
    )

    return _png(figure)


def render_notice(language: str) -> bytes:
    """A PNG that says the chart could not be drawn: served instead of an error."""
    figure = Figure(figsize=(WIDTH_IN, 1.2), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.text(
        0.5,
        0.5,
        LABELS.get(language, LABELS["da"])["unavailable"],
        ha="center",
        va="center",
        fontsize=FONT_SIZE + 2,
        color=MUTED_COLOUR,
        parse_math=False,
    )
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def section_breaks(competences: Sequence[CompetenceSummary]) -> list[str | None]:
    """Where a row starts a new dimension, or a new area of the source within one (such as
    the data competences after the user competences): the chart's grouping lines."""
    catalog = load_catalog()

    def area(competence: CompetenceSummary) -> str | None:
        known = competence.id in catalog.competences
        return catalog.area(competence.id).name.da if known else None

    breaks: list[str | None] = [None]
    for before, row in itertools.pairwise(competences):
        if row.dimension != before.dimension:
            breaks.append("dimension")
        elif area(row) != area(before):
            breaks.append("area")
        else:
            breaks.append(None)
    return breaks[: len(competences)]


def _wrap(competence: CompetenceSummary) -> str:
    return "\n".join(textwrap.wrap(f"{competence.id}  {competence.name}", WRAP_AT)) or "?"


def _draw_row(
    axes: Axes,
    competence: CompetenceSummary,
    centre: float,
    bar_height: float,
    labels: dict[str, str],
    language: str,
) -> None:
    # the right-hand column: the rounded mean and how many answered, in the team's language
    if competence.suppressed or competence.mean is None:
        axes.text(
            0.08,
            centre,
            labels["suppressed"],
            va="center",
            fontsize=FONT_SIZE,
            fontstyle="italic",
            color=MUTED_COLOUR,
            parse_math=False,
        )
        note = f"n={competence.n}"
    else:
        axes.barh(centre, competence.mean, height=bar_height, color=MEAN_COLOUR)
        if competence.spread is not None:
            low, high = competence.spread
            axes.plot([low, high], [centre, centre], color=RANGE_COLOUR, linewidth=1.2)
            axes.plot(
                [low, high],
                [centre, centre],
                linestyle="none",
                marker="|",
                markersize=6,
                color=RANGE_COLOUR,
            )
        note = f"{format_number(competence.mean, language)}  n={competence.n}"
    axes.plot(
        [competence.target],
        [centre],
        linestyle="none",
        marker="D",
        markersize=7,
        markerfacecolor=TARGET_COLOUR,
        markeredgecolor="white",
        zorder=5,
        clip_on=False,
    )
    axes.annotate(
        note,
        xy=(1.0, centre),
        xycoords=("axes fraction", "data"),
        xytext=(12, 0),
        textcoords="offset points",
        va="center",
        fontsize=FONT_SIZE,
        color=MUTED_COLOUR if competence.suppressed else RANGE_COLOUR,
        parse_math=False,
    )
