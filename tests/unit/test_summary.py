"""The summary math, checked against numbers worked out by hand."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import RoundCompetence
from bot.services.summary import (
    CompetenceSummary,
    Summary,
    format_number,
    summarize,
    summary_to_dict,
)

DIMENSION_NAMES = {"M1": "Anvendelse", "M2": "Teknologiforståelse", "M3": "Formidling"}


def comp(cid: str, target: int = 3, dimension: str = "M1") -> RoundCompetence:
    return RoundCompetence(
        id=cid,
        name=f"Name of {cid}",
        dimension=dimension,
        dimension_name=DIMENSION_NAMES[dimension],
        target=target,
    )


def column(cid: str, values: list[int]) -> dict[str, dict[str, int]]:
    """Scores where user i gave values[i] to one competence."""
    return {f"U{i}": {cid: value} for i, value in enumerate(values)}


def merge(*parts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    merged: dict[str, dict[str, int]] = {}
    for part in parts:
        for user, answers in part.items():
            merged.setdefault(user, {}).update(answers)
    return merged


def by_id(summary: Summary) -> dict[str, CompetenceSummary]:
    return {c.id: c for c in summary.competences}


def test_odd_count_mean_median_distribution_gap() -> None:
    summary = summarize([comp("A", target=3)], column("A", [4, 1, 2]), invited=3, min_respondents=3)
    a = by_id(summary)["A"]
    assert a.n == 3
    assert not a.suppressed
    assert a.mean == 7 / 3  # (4 + 1 + 2) / 3
    assert a.median == 2.0
    assert a.distribution == (0, 1, 1, 0, 1, 0)
    assert a.gap == 2 / 3  # 3 − 7/3, exact: float arithmetic would give 0.6666666666666665
    assert a.below_target == 2 / 3  # 1 and 2 are under 3
    assert a.spread == (1, 4)
    assert a.calibrate is True  # 4 − 1 = 3, exactly at the threshold


def test_even_count_median_is_mean_of_middle_two() -> None:
    summary = summarize(
        [comp("B", target=2)], column("B", [4, 1, 1, 2]), invited=4, min_respondents=3
    )
    b = by_id(summary)["B"]
    assert b.n == 4
    assert b.mean == 2.0
    assert b.median == 1.5  # sorted 1, 1, 2, 4 -> (1 + 2) / 2
    assert b.distribution == (0, 2, 1, 0, 1, 0)
    assert b.gap == 0.0
    assert b.below_target == 0.5  # the two 1s
    assert b.calibrate is True


def test_above_target_gives_negative_gap_and_no_calibration_at_spread_two() -> None:
    summary = summarize([comp("C", target=2)], column("C", [2, 3, 4]), invited=3, min_respondents=3)
    c = by_id(summary)["C"]
    assert c.mean == 3.0
    assert c.median == 3.0
    assert c.gap == -1.0
    assert c.below_target == 0.0
    assert c.spread == (2, 4)
    assert c.calibrate is False  # 4 − 2 = 2


def test_suppression_exactly_at_threshold() -> None:
    competences = [comp("X"), comp("Y")]
    scores = merge(column("X", [1, 2, 3]), column("Y", [1, 2, 3, 4]))
    summary = summarize(competences, scores, invited=4, min_respondents=4)
    x, y = by_id(summary)["X"], by_id(summary)["Y"]

    assert x.n == 3
    assert x.suppressed is True
    for value in (
        x.mean,
        x.median,
        x.distribution,
        x.gap,
        x.below_target,
        x.calibrate,
        x.spread,
        x.change,
    ):
        assert value is None

    assert y.n == 4
    assert y.suppressed is False
    assert y.mean == 2.5


def test_suppressed_entries_carry_no_numbers_in_dict() -> None:
    competences = [comp("X", target=4), comp("Y", target=2)]
    scores = merge(column("X", [5, 0]), column("Y", [1, 2, 3]))
    data = summary_to_dict(summarize(competences, scores, invited=3, min_respondents=3))

    assert data["competences"][0] == {
        "id": "X",
        "name": "Name of X",
        "dimension": "M1",
        "target": 4,
        "n": 2,
        "suppressed": True,
    }
    assert data["competences"][1] == {
        "id": "Y",
        "name": "Name of Y",
        "dimension": "M1",
        "target": 2,
        "n": 3,
        "suppressed": False,
        "mean": 2.0,
        "median": 2.0,
        "distribution": [0, 1, 1, 1, 0, 0],
        "gap": 0.0,
        "below_target": 1 / 3,
        "calibrate": False,
    }
    assert set(data) == {"participation", "competences", "dimensions", "largest_gaps"}
    json.dumps(data)  # plain JSON types only


def test_skipped_competence_reduces_n_and_completed_counts_full_answerers() -> None:
    competences = [comp("X"), comp("Y")]
    scores = {
        "U1": {"X": 1, "Y": 2},
        "U2": {"X": 3, "Y": 3},
        "U3": {"X": 5, "Y": 4},
        "U4": {"Y": 3, "NOT-IN-PROFILE": 5},  # skipped X; the stray id does not count
    }
    summary = summarize(competences, scores, invited=5, min_respondents=3)
    assert by_id(summary)["X"].n == 3
    assert by_id(summary)["Y"].n == 4
    assert summary.participation.invited == 5
    assert summary.participation.completed == 3
    assert summary.participation.rate == 0.6
    assert summary_to_dict(summary)["participation"] == {
        "invited": 5,
        "completed": 3,
        "rate": 0.6,
    }


def test_rate_is_zero_when_nobody_invited() -> None:
    summary = summarize([comp("X")], {}, invited=0, min_respondents=3)
    assert summary.participation.rate == 0.0
    assert summary.participation.completed == 0
    assert by_id(summary)["X"].n == 0
    assert by_id(summary)["X"].suppressed


def test_largest_gaps_tie_broken_by_below_target_negative_and_zero_excluded() -> None:
    competences = [
        comp("Q", target=4),  # 1, 2, 3, 4: mean 2.5, gap 1.5, below 3/4
        comp("S", target=5),  # all 5: gap 0, not a gap
        comp("P", target=4),  # 2, 2, 3, 3: mean 2.5, gap 1.5, below 1
        comp("T", target=1),  # all 3: gap −2
        comp("U", target=3),  # 2, 3, 3, 3: gap 0.25, fourth
        comp("R", target=3),  # all 2: gap 1
    ]
    scores = merge(
        column("Q", [1, 2, 3, 4]),
        column("S", [5, 5, 5, 5]),
        column("P", [2, 2, 3, 3]),
        column("T", [3, 3, 3, 3]),
        column("U", [2, 3, 3, 3]),
        column("R", [2, 2, 2, 2]),
    )
    summary = summarize(competences, scores, invited=4, min_respondents=3)
    assert summary.largest_gaps == ("P", "Q", "R")
    assert summary_to_dict(summary)["largest_gaps"] == ["P", "Q", "R"]


def test_largest_gaps_full_tie_keeps_profile_order_and_skips_suppressed() -> None:
    competences = [comp("B", target=5), comp("A", target=5), comp("Z", target=5)]
    scores = merge(column("B", [1, 1, 1]), column("A", [1, 1, 1]), column("Z", [0, 0]))
    summary = summarize(competences, scores, invited=3, min_respondents=3)
    assert summary.largest_gaps == ("B", "A")


def test_no_positive_gap_means_no_largest_gaps() -> None:
    summary = summarize([comp("A", target=2)], column("A", [2, 3, 4]), 3, 3)
    assert summary.largest_gaps == ()


def test_dimension_rollup_ignores_suppressed_competences() -> None:
    competences = [
        comp("A", target=3, dimension="M1"),  # mean 2
        comp("C", target=4, dimension="M2"),  # mean 3
        comp("B", target=5, dimension="M1"),  # suppressed
        comp("E", target=1, dimension="M3"),  # suppressed: M3 shows nothing
        comp("D", target=2, dimension="M2"),  # mean 4
    ]
    scores = merge(
        column("A", [2, 2, 2]),
        column("C", [3, 3, 3]),
        column("B", [0, 0]),
        column("E", [5]),
        column("D", [4, 4, 4]),
    )
    data = summary_to_dict(summarize(competences, scores, invited=3, min_respondents=3))
    assert data["dimensions"] == [
        {"id": "M1", "name": "Anvendelse", "target": 3.0, "mean": 2.0},
        {"id": "M2", "name": "Teknologiforståelse", "target": 3.0, "mean": 3.5},
        {"id": "M3", "name": "Formidling", "target": None, "mean": None},
    ]


def test_change_against_previous_summary() -> None:
    competences = [comp("A"), comp("B"), comp("C")]
    previous = summarize(competences[:2], merge(column("A", [3, 3, 3]), column("B", [1, 2])), 3, 3)
    current = summarize(
        competences,
        merge(column("A", [3, 3, 4]), column("B", [2, 2, 2]), column("C", [1, 1, 1])),
        3,
        3,
        previous=previous,
    )
    a, b, c = (by_id(current)[cid] for cid in "ABC")
    assert a.change == 1 / 3  # 10/3 − 3, exact: float arithmetic would give 0.3333333333333335
    assert b.change is None  # shown now, suppressed before
    assert c.change is None  # new in this round
    entries = summary_to_dict(current)["competences"]
    assert entries[0]["change"] == 1 / 3
    assert "change" not in entries[1]
    assert "change" not in entries[2]


def test_change_can_be_negative() -> None:
    previous = summarize([comp("A")], column("A", [4, 4, 5]), 3, 3)
    current = summarize([comp("A")], column("A", [2, 3, 4]), 3, 3, previous=previous)
    assert by_id(current)["A"].change == -4 / 3  # 3 − 13/3


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        summarize([comp("A")], column("A", [6]), 1, 3)
    with pytest.raises(ValueError):
        summarize([comp("A")], column("A", [-1]), 1, 3)
    with pytest.raises(ValueError):
        summarize([comp("A")], {}, 1, 2)  # below the anonymity floor
    with pytest.raises(ValueError):
        summarize([comp("A"), comp("A")], {}, 1, 3)
    with pytest.raises(ValueError):
        summarize([comp("A", target=0)], {}, 1, 3)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (2.5, "da", "2,5"),
        (2.5, "en", "2.5"),
        (7 / 3, "da", "2,3"),
        (7 / 3, "en", "2.3"),
        (2.25, "da", "2,3"),  # halves go up, not to even
        (0.05, "en", "0.1"),
        (2.0, "da", "2,0"),
        (5, "en", "5.0"),
        (-1.25, "da", "-1,3"),
        (-0.04, "da", "0,0"),  # never "-0,0"
        (2.96, "en", "3.0"),
    ],
)
def test_format_number(value: float, language: str, expected: str) -> None:
    assert format_number(value, language) == expected


def test_format_number_refuses_unknown_language() -> None:
    with pytest.raises(ValueError):
        format_number(1.0, "sv")


PROFILE = [comp("A", 1), comp("B", 3), comp("C", 5, "M2")]


@settings(database=None, max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=3),
        st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(0, 5)),
        max_size=12,
    )
)
def test_shown_mean_within_range_and_distribution_sums_to_n(
    scores: dict[str, dict[str, int]],
) -> None:
    summary = summarize(PROFILE, scores, invited=len(scores), min_respondents=3)
    for competence in summary.competences:
        answered = [
            answers[competence.id] for answers in scores.values() if competence.id in answers
        ]
        assert competence.n == len(answered)
        if competence.suppressed:
            assert competence.n < 3
            assert competence.mean is None and competence.distribution is None
            continue
        assert competence.mean is not None and competence.distribution is not None
        assert competence.median is not None
        low, high = min(answered), max(answered)
        assert competence.spread == (low, high)
        assert low <= competence.mean <= high
        assert low <= competence.median <= high
        assert sum(competence.distribution) == competence.n
    assert summary.participation.completed <= len(scores)
    assert 0.0 <= summary.participation.rate <= 1.0
