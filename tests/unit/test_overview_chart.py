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
