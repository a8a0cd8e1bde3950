"""The round summary: the catalog's step 5, the team's actual profile held against its target.

Pure arithmetic over plain values so the channel message, the chart, the exports and
`report --json` all show the same numbers. Every aggregate is computed exactly with
`Fraction` and turned into a float once, at the end, so nothing drifts between views.
Anonymity lives here too: a competence answered by fewer than `min_respondents` members
carries no numbers at all, so no later layer can leak them by accident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from bot.domain import RoundCompetence

SCORES = range(6)
"""The catalog's scale 0..5."""

ANONYMITY_FLOOR = 3
"""DESIGN.md: `min_respondents` is never below 3."""

MAX_LARGEST_GAPS = 3
CALIBRATION_SPREAD = 3
"""max − min at or above this means the team reads the scale differently: talk it through."""


@dataclass(frozen=True)
class Participation:
    invited: int
    completed: int
    rate: float
    """completed / invited as a fraction 0–1; 0 when nobody was invited."""


@dataclass(frozen=True)
class CompetenceSummary:
    """Aggregates for one competence; every number is None when `suppressed`."""

    id: str
    name: str
    dimension: str
    target: int
    n: int
    suppressed: bool
    mean: float | None = None
    median: float | None = None
    distribution: tuple[int, int, int, int, int, int] | None = None
    gap: float | None = None
    """target − mean; positive means the team is below its target."""
    below_target: float | None = None
    calibrate: bool | None = None
    spread: tuple[int, int] | None = None
    change: float | None = None
    """mean − the previous round's mean, when both rounds show this competence."""


@dataclass(frozen=True)
class DimensionSummary:
    """Mean target and mean of means over the dimension's shown competences."""

    id: str
    name: str
    target: float | None
    mean: float | None


@dataclass(frozen=True)
class Summary:
    participation: Participation
    competences: tuple[CompetenceSummary, ...]
    dimensions: tuple[DimensionSummary, ...]
    largest_gaps: tuple[str, ...]
    min_respondents: int


@dataclass(frozen=True)
class _Exact:
    """The exact values behind one shown competence, kept for ranking and roll-ups."""

    mean: Fraction
    gap: Fraction
    below_target: Fraction


Distribution = tuple[int, int, int, int, int, int]


def tally(
    competences: Sequence[RoundCompetence], scores: Mapping[str, Mapping[str, int]]
) -> tuple[dict[str, Distribution], int]:
    """Count raw scores (user id -> competence id -> 0..5) per competence and level, and the
    members who scored every competence. Skipped competences are simply absent from a
    member's map; ids outside the profile are ignored."""
    ids = {c.id for c in competences}
    counts: dict[str, list[int]] = {cid: [0] * len(SCORES) for cid in ids}
    completed = 0
    for answers in scores.values():
        answered = 0
        for cid, score in answers.items():
            if cid not in ids:
                continue
            if score not in SCORES:
                raise ValueError(f"score {score!r} for {cid} is outside 0..5")
            counts[cid][score] += 1
            answered += 1
        if answered == len(ids):
            completed += 1
    return {cid: _distribution(c) for cid, c in counts.items()}, completed


def _distribution(counts: Sequence[int]) -> Distribution:
    if len(counts) != len(SCORES) or any(c < 0 for c in counts):
        raise ValueError("a distribution has six non-negative counts, for levels 0..5")
    return (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])


def summarize(
    competences: Sequence[RoundCompetence],
    scores: Mapping[str, Mapping[str, int]],
    invited: int,
    min_respondents: int,
    previous: Summary | None = None,
) -> Summary:
    """Aggregate a round's raw scores into its summary (see `summarize_counts`)."""
    distributions, completed = tally(competences, scores)
    return summarize_counts(
        competences, distributions, completed, invited, min_respondents, previous
    )


def summarize_counts(
    competences: Sequence[RoundCompetence],
    distributions: Mapping[str, Sequence[int]],
    completed: int,
    invited: int,
    min_respondents: int,
    previous: Summary | None = None,
) -> Summary:
    """The summary from per-level counts, which the database can compute for any team size.

    Raises ValueError for a duplicate competence id, a target outside 1..5 or a threshold
    below the anonymity floor, since each would mean a bug upstream.
    """
    if min_respondents < ANONYMITY_FLOOR:
        raise ValueError(f"min_respondents must be at least {ANONYMITY_FLOOR}")
    if invited < 0:
        raise ValueError("invited must not be negative")
    ids = [c.id for c in competences]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate competence id in the profile")
    for competence in competences:
        if not 1 <= competence.target <= 5:
            raise ValueError(f"target of {competence.id} must be 1..5")

    previous_means = _previous_means(previous)
    summaries: list[CompetenceSummary] = []
    exact: dict[str, _Exact] = {}
    for competence in competences:
        counts = _distribution(distributions.get(competence.id, (0,) * len(SCORES)))
        n = sum(counts)
        if n < min_respondents:
            summaries.append(_suppressed(competence, n))
            continue
        summary, exact_values = _shown(competence, counts, previous_means.get(competence.id))
        summaries.append(summary)
        exact[competence.id] = exact_values

    rate = Fraction(completed, invited) if invited else Fraction(0)
    return Summary(
        participation=Participation(invited=invited, completed=completed, rate=float(rate)),
        competences=tuple(summaries),
        dimensions=_dimensions(competences, exact),
        largest_gaps=_largest_gaps(competences, exact),
        min_respondents=min_respondents,
    )


def _suppressed(competence: RoundCompetence, n: int) -> CompetenceSummary:
    return CompetenceSummary(
        id=competence.id,
        name=competence.name,
        dimension=competence.dimension,
        target=competence.target,
        n=n,
        suppressed=True,
    )


def _nth(counts: Distribution, index: int) -> int:
    """The score at position `index` (0-based) of the sorted answers."""
    seen = 0
    for level, count in enumerate(counts):
        seen += count
        if index < seen:
            return level
    raise IndexError(index)


def _shown(
    competence: RoundCompetence, counts: Distribution, previous_mean: Fraction | None
) -> tuple[CompetenceSummary, _Exact]:
    n = sum(counts)
    mean = Fraction(sum(level * count for level, count in enumerate(counts)), n)
    middle = n // 2
    median = (
        Fraction(_nth(counts, middle))
        if n % 2
        else Fraction(_nth(counts, middle - 1) + _nth(counts, middle), 2)
    )
    gap = competence.target - mean
    below = Fraction(sum(counts[: competence.target]), n)
    present = [level for level, count in enumerate(counts) if count]
    low, high = present[0], present[-1]
    summary = CompetenceSummary(
        id=competence.id,
        name=competence.name,
        dimension=competence.dimension,
        target=competence.target,
        n=n,
        suppressed=False,
        mean=float(mean),
        median=float(median),
        distribution=counts,
        gap=float(gap),
        below_target=float(below),
        calibrate=high - low >= CALIBRATION_SPREAD,
        spread=(low, high),
        change=None if previous_mean is None else float(mean - previous_mean),
    )
    return summary, _Exact(mean=mean, gap=gap, below_target=below)


def _previous_means(previous: Summary | None) -> dict[str, Fraction]:
    """The previous round's exact means.

    A shown mean is k/n, and the float nearest to it recovers k/n exactly via
    limit_denominator(n), so the change is exact rather than a difference of two roundings.
    """
    if previous is None:
        return {}
    return {
        c.id: Fraction(c.mean).limit_denominator(c.n)
        for c in previous.competences
        if not c.suppressed and c.mean is not None and c.n > 0
    }


def _dimensions(
    competences: Sequence[RoundCompetence], exact: Mapping[str, _Exact]
) -> tuple[DimensionSummary, ...]:
    names: dict[str, str] = {}
    targets: dict[str, list[int]] = {}
    means: dict[str, list[Fraction]] = {}
    for competence in competences:
        names.setdefault(competence.dimension, competence.dimension_name)
        targets.setdefault(competence.dimension, [])
        means.setdefault(competence.dimension, [])
        shown = exact.get(competence.id)
        if shown is not None:
            targets[competence.dimension].append(competence.target)
            means[competence.dimension].append(shown.mean)
    return tuple(
        DimensionSummary(
            id=dimension,
            name=name,
            target=_mean_or_none(targets[dimension]),
            mean=_mean_or_none(means[dimension]),
        )
        for dimension, name in names.items()
    )


def _mean_or_none(values: Iterable[int | Fraction]) -> float | None:
    items = list(values)
    if not items:
        return None
    return float(sum(items, Fraction(0)) / len(items))


def _largest_gaps(
    competences: Sequence[RoundCompetence], exact: Mapping[str, _Exact]
) -> tuple[str, ...]:
    """Highest positive gaps first; ties go to the larger share below target, then profile order."""
    ranked = sorted(
        (
            (-shown.gap, -shown.below_target, position, competence.id)
            for position, competence in enumerate(competences)
            if (shown := exact.get(competence.id)) is not None and shown.gap > 0
        ),
    )
    return tuple(cid for *_, cid in ranked[:MAX_LARGEST_GAPS])


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The `report --json` shapes of DESIGN.md (without `round`, which the caller knows).

    Suppressed competences carry only their identity, target and n: no number that could
    hint at individual answers.
    """
    return {
        "participation": {
            "invited": summary.participation.invited,
            "completed": summary.participation.completed,
            "rate": summary.participation.rate,
        },
        "competences": [_competence_to_dict(c) for c in summary.competences],
        "dimensions": [
            {"id": d.id, "name": d.name, "target": d.target, "mean": d.mean}
            for d in summary.dimensions
        ],
        "largest_gaps": list(summary.largest_gaps),
    }


def _competence_to_dict(competence: CompetenceSummary) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": competence.id,
        "name": competence.name,
        "dimension": competence.dimension,
        "target": competence.target,
        "n": competence.n,
        "suppressed": competence.suppressed,
    }
    if competence.suppressed:
        return data
    data.update(
        mean=competence.mean,
        median=competence.median,
        distribution=list(competence.distribution or ()),
        gap=competence.gap,
        below_target=competence.below_target,
        calibrate=competence.calibrate,
    )
    if competence.change is not None:
        data["change"] = competence.change
    return data


_DECIMAL_SEPARATORS = {"da": ",", "en": "."}


def format_number(value: float, language: str) -> str:
    """One decimal, halves rounded away from zero as people expect ("2,25" -> "2,3")."""
    try:
        separator = _DECIMAL_SEPARATORS[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}") from None
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,0"
    return f"{rounded:.1f}".replace(".", separator)
