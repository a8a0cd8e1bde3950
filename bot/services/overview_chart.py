"""A unit overview as one PNG: pooled target against mean per competence (left), and a
teams × competences heatmap of each team's gap to the target (right), on shared rows.

Red is below the target, green at or above it; a team's cell hidden by the rule of
DESIGN.md is grey and hatched, and so is a whole row whose pooled numbers are suppressed.
The figure grows with the numbers of competences and teams instead of shrinking its text,
so it reads with 100 teams and 60 competences. Every text is drawn as written
(`parse_math=False`), on the Agg canvas without pyplot, like the round chart.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from bot.services.overview import Overview
from bot.services.summary import format_number

LABELS = {
    "da": {
        "target": "Mål",
        "mean": "Gennemsnit (alle hold)",
        "gap": "Afstand til mål pr. hold (mål − gennemsnit)",
        "hidden": "skjult: for få svar",
        "below": "hold under målet",
        "above": "hold over målet",
        "scale": "Niveau (0–5)",
    },
    "en": {
        "target": "Target",
        "mean": "Mean (all teams)",
        "gap": "Gap to target per team (target − mean)",
        "hidden": "hidden: too few answers",
        "below": "team below target",
        "above": "team above target",
        "scale": "Level (0–5)",
    },
}
DPI = 110
FONT = 8.5
ROW_IN = 0.3
COLUMN_IN = 0.32
LABEL_IN = 3.6
BARS_IN = 2.6
TOP_IN = 1.2
BOTTOM_IN = 1.7
"""Room under the heatmap for team names written upwards."""
ANNOTATE_UP_TO = 40
"""Teams up to which each cell carries its number; beyond, colour alone."""
HIDDEN = "#d9d9d9"


def render(overview: Overview, language: str, title: str) -> bytes:
    labels = LABELS[language]
    competences = overview.pooled.competences
    teams = overview.teams
    rows, columns = max(len(competences), 1), max(len(teams), 1)
    heat_in = max(columns * COLUMN_IN, 2.5)
    width = LABEL_IN + BARS_IN + 0.3 + heat_in + 0.4
    height = TOP_IN + rows * ROW_IN + BOTTOM_IN
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    bottom = BOTTOM_IN / height
    plot_h = rows * ROW_IN / height
    bars = figure.add_axes((LABEL_IN / width, bottom, BARS_IN / width, plot_h))
    heat = figure.add_axes(((LABEL_IN + BARS_IN + 0.3) / width, bottom, heat_in / width, plot_h))
    figure.text(
        0.5, 1 - 0.15 / height, title, ha="center", va="top",
        fontsize=FONT + 4, fontweight="bold", parse_math=False,
    )  # fmt: skip

    names = [textwrap.shorten(f"{c.id} {c.name}", 52, placeholder="…") for c in competences]
    positions = list(range(len(competences)))
    bars.barh(
        positions,
        [c.mean or 0.0 for c in competences],
        height=0.6,
        color=["#4c78a8" if not c.suppressed else HIDDEN for c in competences],
    )
    bars.scatter(
        [c.target for c in competences], positions, marker="|", s=220, color="#222", zorder=3
    )
    bars.set_xlim(0, 5)
    bars.set_ylim(len(competences) - 0.5, -0.5)
    bars.set_yticks(positions)
    bars.set_yticklabels(names, fontsize=FONT, parse_math=False)
    bars.set_xticks(range(6))
    bars.tick_params(axis="x", labelsize=FONT, top=True, labeltop=True)
    bars.set_xlabel(labels["scale"], fontsize=FONT, parse_math=False)
    bars.grid(axis="x", color="#ddd", linewidth=0.6)
    bars.set_axisbelow(True)

    norm = TwoSlopeNorm(vmin=-2.0, vcenter=0.0, vmax=2.0)
    cmap = colormaps["RdYlGn_r"]
    annotate = len(teams) <= ANNOTATE_UP_TO
    for row, competence in enumerate(competences):
        for column, cell in enumerate(overview.by_team[competence.id]):
            if cell.suppressed or cell.gap is None:
                heat.add_patch(
                    Rectangle(
                        (column - 0.5, row - 0.5), 1, 1,
                        facecolor=HIDDEN, hatch="///", edgecolor="#aaa", linewidth=0.0,
                    )
                )  # fmt: skip
                continue
            colour = cmap(norm(max(-2.0, min(2.0, cell.gap))))
            heat.add_patch(
                Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor=colour, edgecolor="white")
            )
            if annotate:
                heat.text(
                    column, row, format_number(cell.gap, language), ha="center", va="center",
                    fontsize=FONT - 1.5, parse_math=False,
                )  # fmt: skip
    heat.set_xlim(-0.5, len(teams) - 0.5)
    heat.set_ylim(len(competences) - 0.5, -0.5)
    heat.set_yticks(positions)
    heat.set_yticklabels([c.id for c in competences], fontsize=FONT, parse_math=False)
    heat.set_xticks(range(len(teams)))
    heat.set_xticklabels(
        [textwrap.shorten(t.name, 28, placeholder="…") for t in teams],
        rotation=90, fontsize=FONT, parse_math=False,
    )  # fmt: skip
    heat.set_title(labels["gap"], fontsize=FONT + 1, parse_math=False)
    for side in heat.spines.values():
        side.set_visible(False)

    legend = [
        Patch(facecolor="#4c78a8", label=labels["mean"]),
        Patch(facecolor=cmap(norm(1.5)), label=labels["below"]),
        Patch(facecolor=cmap(norm(-1.5)), label=labels["above"]),
        Patch(facecolor=HIDDEN, hatch="///", edgecolor="#aaa", label=labels["hidden"]),
    ]
    marker = bars.scatter([], [], marker="|", s=120, color="#222", label=labels["target"])
    figure.legend(
        handles=[marker, *legend], loc="upper center", ncol=5, fontsize=FONT, frameon=False,
        bbox_to_anchor=(0.5, 1 - 0.45 / height),
    )  # fmt: skip
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
