"""A unit's overview: the pooled answers of every member team's round in a campaign.

The pooled numbers are a round summary over the summed counts (`summarize_counts`), so they
are exact in the same way. Per team, the rule of DESIGN.md holds against differencing: a
team's numbers show only with at least `min_respondents` answers, and only while the teams
left hidden have together 0 or at least `min_respondents` answers. Otherwise the smallest
shown team is hidden too (ties: the later team key), until that holds; so no shown number,
taken from another or from the pooled one, isolates fewer than `min_respondents` people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bot.domain import RoundCompetence
from bot.services.summary import SCORES, Summary, summarize_counts, summary_to_dict


@dataclass(frozen=True)
class TeamPart:
    """A member team's round in the campaign."""

    key: str
    platform: str
    name: str
    round_id: int
    invited: int
    completed: int


@dataclass(frozen=True)
class TeamCell:
    """One team's numbers for one competence; mean and gap are None when suppressed."""

    team: str
    n: int
    suppressed: bool
    mean: float | None = None
    gap: float | None = None


@dataclass(frozen=True)
class Overview:
    pooled: Summary
    teams: tuple[TeamPart, ...]
    by_team: Mapping[str, tuple[TeamCell, ...]]
    """Per competence id, the teams in `teams` order."""
    previous: Mapping[str, float] | None
    """The previous campaign's unit means of the same competences, where it showed them."""


def shown_teams(answers: Mapping[str, int], min_respondents: int) -> set[str]:
    """The teams (by key) whose numbers may show, given each team's answer count."""
    shown = {team for team, n in answers.items() if n >= min_respondents}
    hidden = sum(n for team, n in answers.items() if team not in shown)
    while 0 < hidden < min_respondents and shown:
        # min() keeps the first of equals: iterating later keys first hides the later key.
        smallest = min(sorted(shown, reverse=True), key=lambda team: answers[team])
        shown.remove(smallest)
        hidden += answers[smallest]
    return shown


def build(
    competences: Sequence[RoundCompetence],
    teams: Sequence[TeamPart],
    distributions: Mapping[tuple[int, str], Sequence[int]],
    min_respondents: int,
    previous: Summary | None = None,
) -> Overview:
    """The overview from per-round counts (round id, competence id) -> six level counts."""
    pooled_counts = {
        c.id: [
            sum(distributions.get((t.round_id, c.id), (0,) * len(SCORES))[level] for t in teams)
            for level in SCORES
        ]
        for c in competences
    }
    pooled = summarize_counts(
        competences,
        pooled_counts,
        completed=sum(t.completed for t in teams),
        invited=sum(t.invited for t in teams),
        min_respondents=min_respondents,
    )
    by_team = {}
    for competence, summary in zip(competences, pooled.competences, strict=True):
        per_team = {t.key: distributions.get((t.round_id, competence.id), ()) for t in teams}
        answers = {key: sum(counts) for key, counts in per_team.items()}
        shown = shown_teams(answers, min_respondents) if not summary.suppressed else set()
        by_team[competence.id] = tuple(
            _cell(t.key, per_team[t.key], competence.target, t.key in shown) for t in teams
        )
    return Overview(pooled, tuple(teams), by_team, _previous_means(previous))


def _cell(team: str, counts: Sequence[int], target: int, shown: bool) -> TeamCell:
    n = sum(counts)
    if not shown:
        return TeamCell(team, n, suppressed=True)
    mean = Fraction(sum(level * count for level, count in enumerate(counts)), n)
    return TeamCell(team, n, suppressed=False, mean=float(mean), gap=float(target - mean))


def _previous_means(previous: Summary | None) -> dict[str, float] | None:
    if previous is None:
        return None
    return {c.id: c.mean for c in previous.competences if not c.suppressed and c.mean is not None}


def overview_to_dict(
    overview: Overview, unit: Mapping[str, Any], campaign: Mapping[str, Any]
) -> dict[str, Any]:
    """The `unit report --json` object of DESIGN.md."""
    pooled = summary_to_dict(overview.pooled)
    competences = []
    for item in pooled["competences"]:
        item.pop("calibrate", None)
        item["by_team"] = [_cell_to_dict(cell) for cell in overview.by_team[item["id"]]]
        competences.append(item)
    previous = overview.previous
    return {
        "unit": dict(unit),
        "campaign": dict(campaign),
        "participation": pooled["participation"],
        "teams": [
            {
                "team": t.key,
                "platform": t.platform,
                "name": t.name,
                "round": t.round_id,
                "invited": t.invited,
                "completed": t.completed,
            }
            for t in overview.teams
        ],
        "competences": competences,
        "largest_gaps": pooled["largest_gaps"],
        "previous": (
            None
            if previous is None
            else [
                {"id": c["id"], "mean": previous[c["id"]]}
                for c in competences
                if c["id"] in previous
            ]
        ),
    }


def _cell_to_dict(cell: TeamCell) -> dict[str, Any]:
    data: dict[str, Any] = {"team": cell.team, "n": cell.n, "suppressed": cell.suppressed}
    if not cell.suppressed:
        data.update(mean=cell.mean, gap=cell.gap)
    return data
