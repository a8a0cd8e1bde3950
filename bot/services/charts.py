"""The team's profile as one PNG: actual mean against target, per competence.

Built on `matplotlib.figure.Figure` with the Agg canvas and never pyplot, so rendering keeps
no global figure registry, is safe from worker threads and leaks nothing between calls.
Layout is computed in inches so the chart stays readable from 5 to 60 competences: the figure
grows instead of the text shrinking. It must read on a phone, where Teams and Slack show it
340 px wide: the figure is narrow and its text large (no text under 10 px there), and the
rows are labelled by competence id only; the message around the chart names them.
It is drawn on a light rounded panel with a transparent margin, so in a dark theme it reads
as a card rather than a bare white block.
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
from matplotlib.patches import FancyBboxPatch, Patch

from bot.services.summary import CompetenceSummary, Summary, format_number
from bot.views import clip
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

WIDTH_IN = 5.0
DPI = 200
PHONE_PX = 340
"""The width a phone shows the chart at; FONT_SIZE keeps every text at least 10 px there."""
FONT_SIZE = 12.0
TITLE_WRAP = 40
ID_CHARS = 8
"""A row label's length: catalog ids fit; a long local id is cut."""
ROW_IN = 0.34
TITLE_LINE_IN = 0.28
LEGEND_IN = 0.45
TOP_IN = 0.5
"""Room under the title and legend for the top tick labels."""
BOTTOM_IN = 0.75
LEFT_IN = 0.95
RIGHT_IN = 1.1
MARGIN_IN = 0.06
"""The transparent margin around the panel."""
RADIUS_IN = 0.14

PANEL_COLOUR = "#f6f7f9"
PANEL_EDGE = "#cfd6df"

MEAN_COLOUR = "#4a7ab5"
RANGE_COLOUR = "#1f1f1f"
TARGET_COLOUR = "#c0392b"
MUTED_COLOUR = "#666666"
SEPARATOR_COLOUR = "#d0d0d0"


def render_chart(summary: Summary, language: str, title: str) -> bytes:
    """PNG bytes of the summary; the same input always gives the same bytes."""
    return _png(chart_figure(summary, language, title))


def chart_figure(summary: Summary, language: str, title: str) -> Figure:
    """The chart as a figure, before it becomes a PNG."""
    try:
        labels = LABELS[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}") from None

    competences = summary.competences
    heights = [ROW_IN] * len(competences)
    plot_in = max(sum(heights), 0.8)
    title_lines = textwrap.wrap(title, TITLE_WRAP) or [""]
    head_in = 0.15 + TITLE_LINE_IN * len(title_lines) + LEGEND_IN
    height_in = head_in + TOP_IN + plot_in + BOTTOM_IN

    figure = _panel(height_in)
    axes = figure.add_axes(
        (
            LEFT_IN / WIDTH_IN,
            BOTTOM_IN / height_in,
            (WIDTH_IN - LEFT_IN - RIGHT_IN) / WIDTH_IN,
            plot_in / height_in,
        )
    )
    axes.patch.set_alpha(0)
    figure.text(
        0.5,
        1 - 0.15 / height_in,
        "\n".join(title_lines),
        ha="center",
        va="top",
        fontsize=FONT_SIZE + 2,
        fontweight="bold",
        parse_math=False,
    )

    # y runs in inches from the top, so a row's position is the running sum of row heights.
    centres: list[float] = []
    offset = 0.0
    for row_height in heights:
        centres.append(offset + row_height / 2)
        offset += row_height
    bar_height = ROW_IN * 0.6

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
    ids = [_label(c) for c in competences]
    tick_labels = axes.set_yticklabels(ids, fontsize=FONT_SIZE, parse_math=False)
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
                markersize=9,
                markerfacecolor=TARGET_COLOUR,
                markeredgecolor="white",
                label=labels["target"],
            ),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - (head_in - LEGEND_IN) / height_in),
        ncol=3,
        frameon=False,
        fontsize=FONT_SIZE,
        handlelength=1.2,
        columnspacing=1.2,
    )
    return figure


def _panel(height_in: float) -> Figure:
    """A transparent figure with the light rounded panel everything is drawn on."""
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.patch.set_alpha(0)
    figure.add_artist(
        FancyBboxPatch(
            (MARGIN_IN, MARGIN_IN),
            WIDTH_IN - 2 * MARGIN_IN,
            height_in - 2 * MARGIN_IN,
            boxstyle=f"round,pad=0,rounding_size={RADIUS_IN}",
            transform=figure.dpi_scale_trans,
            facecolor=PANEL_COLOUR,
            edgecolor=PANEL_EDGE,
            linewidth=1.0,
            zorder=-10,
        )
    )
    return figure


def render_notice(language: str) -> bytes:
    """A PNG that says the chart could not be drawn: served instead of an error."""
    figure = _panel(1.4)
    figure.text(
        0.5,
        0.5,
        LABELS.get(language, LABELS["da"])["unavailable"],
        ha="center",
        va="center",
        fontsize=FONT_SIZE,
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


def _label(competence: CompetenceSummary) -> str:
    """The row's label: the competence id (the card's legend gives its name)."""
    return clip(competence.id, ID_CHARS) or "?"


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
        note = f"{format_number(competence.mean, language)} n={competence.n}"
    axes.plot(
        [competence.target],
        [centre],
        linestyle="none",
        marker="D",
        markersize=9,
        markerfacecolor=TARGET_COLOUR,
        markeredgecolor="white",
        zorder=5,
        clip_on=False,
    )
    axes.annotate(
        note,
        xy=(1.0, centre),
        xycoords=("axes fraction", "data"),
        xytext=(11, 0),
        textcoords="offset points",
        va="center",
        fontsize=FONT_SIZE,
        color=MUTED_COLOUR if competence.suppressed else RANGE_COLOUR,
        parse_math=False,
    )
