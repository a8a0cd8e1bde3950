"""The unit chart: drawn for a large unit, with names taken literally."""

from __future__ import annotations

import io

from matplotlib.image import imread

from bot.domain import RoundCompetence
from bot.services.overview import TeamPart, build
from bot.services.overview_chart import render


def test_a_hundred_teams_and_sixty_competences_grow_the_figure_with_literal_names() -> None:
    competences = [
        RoundCompetence(f"L{i}", f"Navn $x_{i}$ med {i}", "M1", "M1", 3) for i in range(60)
    ]
    teams = [TeamPart(f"t{i:03}", "slack", f"Hold ${i}", i, 5, 5) for i in range(100)]
    counts = {
        (t.round_id, c.id): [0, 1, 1, 1, t.round_id % 3, 0] for t in teams for c in competences
    }
    png = render(build(competences, teams, counts, 3), "en", "Unit $big$")
    height, width, _ = imread(io.BytesIO(png)).shape
    assert width > 100 * 0.3 * 110 and height > 60 * 0.3 * 110


def test_hidden_cells_leave_no_trace_in_the_chart() -> None:
    """Two campaigns alike in everything the overview shows (the pooled counts, the parks
    team's cell) but not in how the two hidden teams answered draw the same image; a team
    shown in one of them draws a different one."""
    competences = [RoundCompetence("M02", "Fagsystemer", "M1", "M1", 3)]
    teams = [
        TeamPart("parks", "slack", "Parker", 1, 4, 4),
        TeamPart("roads", "slack", "Veje", 2, 3, 3),
        TeamPart("waste", "slack", "Affald", 3, 2, 2),
    ]
    parks = [0, 0, 1, 0, 2, 1]

    def chart(roads: list[int], waste: list[int]) -> bytes:
        counts = {(1, "M02"): parks, (2, "M02"): roads, (3, "M02"): waste}
        return render(build(competences, teams, counts, 3), "da", "Teknik")

    # Roads 1 2 3 and waste 0 1, or roads 0 1 3 and waste 1 2: both pool to 0 1 1 2 2 3.
    hidden = chart([0, 1, 1, 1, 0, 0], [1, 1, 0, 0, 0, 0])
    assert hidden == chart([1, 1, 0, 1, 0, 0], [0, 1, 1, 0, 0, 0])
    # A third answer from waste shows both teams: another picture.
    assert hidden != chart([0, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0])
