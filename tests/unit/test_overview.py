"""A unit's overview, checked against numbers worked out by hand, and the rule that no shown
number can be subtracted from another to reveal fewer than `min_respondents` people."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import RoundCompetence
from bot.services.overview import TeamPart, build, overview_to_dict, shown_teams
from bot.services.summary import summarize_counts


def comp(cid: str, target: int) -> RoundCompetence:
    return RoundCompetence(cid, f"Name {cid}", "M1", "Anvendelse", target)


def counts(*scores: int) -> list[int]:
    levels = [0] * 6
    for score in scores:
        levels[score] += 1
    return levels


TEAMS = (
    TeamPart("a-roads", "slack", "Veje", 1, invited=4, completed=3),
    TeamPart("b-parks", "slack", "Parker", 2, invited=5, completed=4),
    TeamPart("c-waste", "slack", "Affald", 3, invited=2, completed=2),
)
SCORES = {
    (1, "M02"): counts(1, 2, 3),
    (2, "M02"): counts(4, 4, 5, 2),
    (3, "M02"): counts(0, 1),
    (1, "M05"): counts(2, 2),
    (2, "M05"): counts(3, 5),
}


def test_pooled_numbers_are_those_of_all_answers_together() -> None:
    found = build([comp("M02", 3), comp("M05", 2)], TEAMS, SCORES, min_respondents=3)
    m02, m05 = found.pooled.competences
    # 0 1 1 2 2 3 4 4 5: n 9, sum 22, the fifth answer is the median, five are under 3.
    assert (m02.n, m02.mean, m02.median) == (9, 22 / 9, 2.0)
    assert m02.distribution == (1, 2, 2, 1, 2, 1)
    assert m02.gap == 5 / 9
    assert m02.below_target == 5 / 9
    # 2 2 3 5: an even count's median is the mean of the middle two.
    assert (m05.n, m05.mean, m05.median, m05.gap) == (4, 3.0, 2.5, -1.0)
    assert found.pooled.participation.invited == 11
    assert found.pooled.participation.completed == 9
    assert found.pooled.largest_gaps == ("M02",)


def test_a_small_team_is_hidden_and_so_is_the_next_smallest_while_the_rest_would_be_1_or_2() -> (
    None
):
    found = build([comp("M02", 3)], TEAMS, SCORES, min_respondents=3)
    cells = {cell.team: cell for cell in found.by_team["M02"]}
    # c-waste has 2 answers: hidden. Alone, 22 − 6 − 15 = 1 + 0 would show its 2 people's
    # sum, so a-roads (3, the smallest shown) is hidden with it: 5 answers hidden together.
    assert cells["c-waste"].suppressed and cells["c-waste"].mean is None
    assert cells["a-roads"].suppressed and cells["a-roads"].gap is None
    assert not cells["b-parks"].suppressed
    assert (cells["b-parks"].mean, cells["b-parks"].gap) == (3.75, -0.75)
    assert [cell.n for cell in found.by_team["M02"]] == [3, 4, 2]


def test_with_threshold_5_no_team_shows_but_the_pooled_numbers_do() -> None:
    found = build([comp("M02", 3)], TEAMS, SCORES, min_respondents=5)
    assert not found.pooled.competences[0].suppressed
    assert all(cell.suppressed for cell in found.by_team["M02"])


def test_a_suppressed_competence_shows_no_team_either() -> None:
    found = build([comp("M05", 2)], TEAMS, SCORES, min_respondents=5)
    assert found.pooled.competences[0].suppressed
    assert all(cell.suppressed for cell in found.by_team["M05"])


def test_ties_hide_the_later_team_key() -> None:
    assert shown_teams({"x": 3, "y": 3, "z": 1}, 3) == {"x"}
    assert shown_teams({"p": 5, "q": 6, "r": 7, "s": 2}, 5) == {"q", "r"}
    assert shown_teams({"p": 5, "q": 6, "s": 0}, 5) == {"p", "q"}


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 12), min_size=1, max_size=8),
    st.integers(3, 5),
)
def test_no_difference_of_shown_numbers_isolates_fewer_than_the_threshold(
    answers: dict[str, int], threshold: int
) -> None:
    shown = shown_teams(answers, threshold)
    total = sum(answers.values())
    assert all(answers[team] >= threshold for team in shown)
    if total < threshold:  # the pooled numbers are suppressed, and no team can show
        assert not shown
        return
    # The pooled number less any set of shown teams covers the rest: 0 or enough people.
    for size in range(len(shown) + 1):
        for subset in itertools.combinations(sorted(shown), size):
            rest = total - sum(answers[team] for team in subset)
            assert rest == 0 or rest >= threshold


def test_json_has_the_fields_of_the_design_and_the_previous_campaign() -> None:
    before = summarize_counts([comp("M02", 3)], {"M02": counts(1, 1, 1, 2)}, 4, 4, 3)
    found = build([comp("M02", 3)], TEAMS, SCORES, 3, previous=before)
    data = overview_to_dict(found, {"key": "tm", "name": "T"}, {"id": 7})
    assert set(data) == {
        "unit", "campaign", "participation", "teams", "competences", "largest_gaps", "previous"
    }  # fmt: skip
    assert data["teams"][0] == {
        "team": "a-roads", "platform": "slack", "name": "Veje", "round": 1,
        "invited": 4, "completed": 3,
    }  # fmt: skip
    m02 = data["competences"][0]
    assert {"mean", "median", "distribution", "gap", "below_target", "by_team"} <= set(m02)
    assert m02["by_team"][0] == {"team": "a-roads", "n": 3, "suppressed": True}
    assert m02["by_team"][1] == {
        "team": "b-parks", "n": 4, "suppressed": False, "mean": 3.75, "gap": -0.75
    }  # fmt: skip
    assert data["previous"] == [{"id": "M02", "mean": 1.25}]
