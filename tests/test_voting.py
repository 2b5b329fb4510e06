"""Dot voting and majority judgment, checked against the definition of each method.

Majority judgment (Balinski & Laraki, "A theory of measuring, electing, and ranking",
PNAS 104(21), 2007; book "Majority Judgment", MIT Press, 2010): an option's majority
grade is the lower median of its grades; two options are ordered by their "majority
values", the sequences of lower medians obtained by removing the median vote one at a
time, compared lexicographically. ``_majority_value`` below is that definition written
naively (one vote at a time) and serves as the reference for the property tests.

Tallies count votes per grade from the WORST grade (index 0) to the BEST.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from atelier import voting
from atelier.errors import AtelierError
from atelier.i18n import set_language
from atelier.voting import (
    DEFAULT_MAX_PER_OPTION,
    MAX_GRADES,
    MIN_GRADES,
    RankedOption,
    default_dots_per_voter,
    default_grades,
    dot_totals,
    dot_vote_ranking,
    dots_left,
    majority_grade,
    majority_judgment_ranking,
    merit_profile,
    mj_missing_grades,
    mj_tallies,
    rank_dots,
    rank_mj,
    tied_groups,
    validate_dot_ballot,
    validate_dot_tally,
    validate_dot_totals,
    validate_mj_ballot,
    validate_mj_tally,
    validate_vote_settings,
)

# --- the reference: the definition, one vote at a time ---------------------------------


def _majority_value(tally: list[int]) -> tuple[int, ...]:
    """Successive lower medians, removing the median vote one at a time (B&L 2007)."""
    votes = sorted(grade for grade, count in enumerate(tally) for _ in range(count))
    sequence = []
    while votes:
        sequence.append(votes.pop((len(votes) - 1) // 2))
    return tuple(sequence)


def _reference_ranks(tallies: list[list[int]]) -> list[int]:
    """Pad with the lowest grade, then rank = 1 + options with a larger majority value."""
    most = max((sum(t) for t in tallies), default=0)
    values = [_majority_value([t[0] + most - sum(t), *t[1:]]) for t in tallies]
    return [1 + sum(other > mine for other in values) for mine in values]


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    try:
        yield
    finally:
        set_language("en")


def _message(excinfo: pytest.ExceptionInfo[AtelierError]) -> str:
    return str(excinfo.value)


# --- majority grade: lower median ------------------------------------------------------


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        ([0, 0, 0], None),  # nobody voted
        ([0, 1, 0], 1),  # one voter
        ([1, 1, 1], 1),  # odd: 0 1 2 → the middle vote
        ([1, 1], 0),  # even: 0 1 → the LOWER of the two middle votes
        ([0, 1, 1], 1),  # even: 1 2 → 1, not 2
        ([2, 0, 0, 2], 0),  # even: 0 0 3 3 → 0
        ([1, 0, 0, 3], 3),  # even: 0 3 3 3 → second vote is 3
        ([4, 5, 2, 1, 3, 1, 2], 1),  # 18 votes: 9th vote from the worst is grade 1
    ],
)
def test_majority_grade_is_the_lower_median(tally: list[int], expected: int | None) -> None:
    assert majority_grade(tally) == expected


def test_majority_grade_refuses_an_empty_scale() -> None:
    with pytest.raises(AtelierError, match="grade scale is empty"):
        majority_grade([])


# --- published and textbook examples --------------------------------------------------


def test_mieuxvoter_readme_example_needs_many_removals() -> None:
    # Source: MieuxVoter, majority-judgment-library-java, README "Example Usage":
    # 18 judges, 7 grades; proposal A = [4, 5, 2, 1, 3, 1, 2], B = [3, 6, 2, 1, 3, 1, 2];
    # published result: B rank 1, A rank 2.
    # By hand, votes sorted from the worst (positions 1..18):
    #   A: 0×4 (1-4), 1×5 (5-9), 2×2 (10-11), 3 (12), 4×3 (13-15), 5 (16), 6×2 (17-18)
    #   B: 0×3 (1-3), 1×6 (4-9), 2×2 (10-11), 3 (12), 4×3 (13-15), 5 (16), 6×2 (17-18)
    # Both lower medians (9th vote) are grade 1, both gauges are "+" with 9 votes above
    # and 4 (A) or 3 (B) below: the gauge does not split them.
    # Removing the median vote one at a time (18 votes: positions 9, 10, 8, 11, 7, ...):
    #   position: 9  10  8  11  7  12  6  13  5  14  4
    #   A:        1  2   1  2   1  3   1  4   1  4   0
    #   B:        1  2   1  2   1  3   1  4   1  4   1   ← the 11th removal decides: B.
    assert majority_judgment_ranking([[4, 5, 2, 1, 3, 1, 2], [3, 6, 2, 1, 3, 1, 2]]) == [2, 1]


def test_mieuxvoter_few_judgments_example() -> None:
    # Source: MieuxVoter, majority-judgment-library-java, test resources "Few judgments":
    # 3 judges, 3 grades, published ranks [3, 1, 5, 4, 2]. By hand (3 votes: positions 2, 1, 3):
    #   [1,1,1] votes 0 1 2 → sequence 1 0 2
    #   [1,0,2] votes 0 2 2 → sequence 2 0 2   (only majority grade 2: rank 1)
    #   [3,0,0] votes 0 0 0 → sequence 0 0 0
    #   [2,0,1] votes 0 0 2 → sequence 0 0 2
    #   [0,3,0] votes 1 1 1 → sequence 1 1 1
    # Grade 1: 1 1 1 > 1 0 2 (ranks 2, 3); grade 0: 0 0 2 > 0 0 0 (ranks 4, 5).
    tallies = [[1, 1, 1], [1, 0, 2], [3, 0, 0], [2, 0, 1], [0, 3, 0]]
    assert majority_judgment_ranking(tallies) == [3, 1, 5, 4, 2]


def test_condorcet_example_same_grade_split_by_the_gauge() -> None:
    # Source: Wikipedia, "Condorcet winner criterion", majority judgment section:
    # 35 voters grade A excellent, B fair, C poor; 34 grade C excellent, B fair, A poor;
    # 31 grade B excellent, C good, A fair. Grades poor=0, fair=1, good=2, excellent=3.
    #   A = [34, 31, 0, 35]: 50th vote of 100 is fair (34 < 50 <= 65); 35 above, 34 below
    #   B = [0, 69, 0, 31]:  fair; 31 above, 0 below
    #   C = [35, 0, 31, 34]: good (35 < 50 <= 66) → C wins, as the article says.
    # A and B share "fair"; the gauge compares the largest group among A's 35 above,
    # A's 34 below, B's 31 above and B's 0 below: A's 35 above wins, so A before B
    # (although B is the Condorcet winner).
    # Check by removals (100 votes: positions 50, 51, 49, 52, …, the k-th step up is the
    # removal 2k, the k-th step down the removal 2k + 1): A's block of "fair" (positions
    # 35-65) ends upward at position 66, removal 32, before it ends downward at position
    # 34, removal 33; B's block (1-69) lasts until removal 40: at removal 32 A has
    # excellent (3) where B still has fair (1).
    ranking = majority_judgment_ranking([[34, 31, 0, 35], [0, 69, 0, 31], [35, 0, 31, 34]])
    assert ranking == [2, 3, 1]
    gauges = {option.index: option.gauge for option in rank_mj([[34, 31, 0, 35], [0, 69, 0, 31]])}
    assert gauges == {0: "+", 1: "+"}


def test_gauge_below_the_median_larger_group_loses() -> None:
    # 5 voters, grades 0..4. X = votes 0 0 2 2 2, Y = votes 0 2 2 2 2.
    # Both majority grades are 2 (3rd vote); nobody above; 2 below X, 1 below Y.
    # The larger group below is X's 2: X is worse. By removals (positions 3, 2, 4, 1, 5):
    #   X: 2 0 2 0 2        Y: 2 2 2 0 2   → second removal decides: Y first.
    assert majority_judgment_ranking([[2, 0, 3, 0, 0], [1, 0, 4, 0, 0]]) == [2, 1]
    assert [(o.index, o.gauge) for o in rank_mj([[2, 0, 3, 0, 0], [1, 0, 4, 0, 0]])] == [
        (1, "-"),
        (0, "-"),
    ]


def test_gauge_above_beats_gauge_below() -> None:
    # 4 voters, grades 0..3. P = votes 1 1 1 3 (one above, none below: gauge "+"),
    # Q = votes 0 1 1 1 (one below, none above: gauge "-"). Both majority grades are 1.
    # Removals (4 votes: positions 2, 3, 1, 4): P: 1 1 1 3; Q: 1 1 0 1 → P first.
    assert majority_judgment_ranking([[0, 3, 0, 1], [1, 3, 0, 0]]) == [1, 2]


def test_equal_gauges_need_several_removals() -> None:
    # 5 voters, grades 0..3. A = votes 1 1 2 3 3, B = votes 0 1 2 3 3.
    # Majority grade 2 for both; 2 above and 2 below for both: identical gauges.
    # Removals (5 votes: positions 3, 2, 4, 1, 5):
    #   A: 2 1 3 1 3
    #   B: 2 1 3 0 3   ← the 4th removal decides: A first.
    assert majority_judgment_ranking([[0, 2, 1, 2], [1, 1, 1, 2]]) == [1, 2]


def test_identical_merit_profiles_share_a_rank_and_the_next_rank_skips() -> None:
    tallies = [[1, 2, 3], [0, 0, 6], [1, 2, 3], [6, 0, 0]]
    assert majority_judgment_ranking(tallies) == [2, 1, 2, 4]
    assert tied_groups(rank_mj(tallies)) == [[0, 2]]


def test_all_equal_profiles_tie_at_rank_one() -> None:
    assert majority_judgment_ranking([[2, 1, 0]] * 4) == [1, 1, 1, 1]
    assert tied_groups(rank_mj([[2, 1, 0]] * 4)) == [[0, 1, 2, 3]]


def test_zero_ballots_all_options_tie() -> None:
    assert majority_judgment_ranking([[0, 0, 0], [0, 0, 0], [0, 0, 0]]) == [1, 1, 1]
    assert [(o.majority_grade, o.gauge) for o in rank_mj([[0, 0, 0], [0, 0, 0]])] == [
        (None, None),
        (None, None),
    ]


def test_one_option_and_no_option() -> None:
    assert majority_judgment_ranking([[0, 3, 1]]) == [1]
    assert majority_judgment_ranking([]) == []
    assert dot_vote_ranking([7]) == [1]
    assert dot_vote_ranking([]) == []
    assert rank_mj([]) == []
    assert rank_dots([]) == []


def test_missing_grades_count_as_the_lowest_grade() -> None:
    # A got one "excellent" only, B three "good" (3 voters, grades 0..2).
    # A is padded to [2, 0, 1]: votes 0 0 2, majority grade 0; B's is 1: B first.
    # Without padding A's lone vote would have made it win.
    assert majority_judgment_ranking([[0, 0, 1], [0, 3, 0]]) == [2, 1]
    assert [o.majority_grade for o in rank_mj([[0, 0, 1], [0, 3, 0]])] == [1, 0]


def test_padding_matches_explicit_lowest_grades() -> None:
    assert majority_judgment_ranking([[0, 1, 2], [1, 1, 0]]) == majority_judgment_ranking(
        [[0, 1, 2], [2, 1, 0]]
    )


# --- dot voting -----------------------------------------------------------------------


def test_dot_vote_ranking_shares_ranks() -> None:
    assert dot_vote_ranking([3, 5, 3, 0]) == [2, 1, 2, 4]
    assert dot_vote_ranking([0, 0]) == [1, 1]


def test_rank_dots_explains_each_option() -> None:
    assert rank_dots([3, 5, 3, 0]) == [
        RankedOption(1, 1, False, 5, None, None),
        RankedOption(0, 2, True, 3, None, None),
        RankedOption(2, 2, True, 3, None, None),
        RankedOption(3, 4, False, 0, None, None),
    ]
    assert tied_groups(rank_dots([3, 5, 3, 0])) == [[0, 2]]
    assert tied_groups(rank_dots([1, 2, 3])) == []


def test_rank_mj_explains_each_option() -> None:
    # 3 voters, grades 0..2: [0,1,2] → votes 1 2 2, grade 2, nobody above, 1 below: "-";
    # [1,1,1] → grade 1, 1 above, 1 below: "="; [0,2,1] → grade 1, 1 above, 0 below: "+".
    assert rank_mj([[0, 1, 2], [1, 1, 1], [0, 2, 1]]) == [
        RankedOption(0, 1, False, None, 2, "-"),
        RankedOption(2, 2, False, None, 1, "+"),
        RankedOption(1, 3, False, None, 1, "="),
    ]


def test_ranked_option_is_frozen() -> None:
    option = RankedOption(0, 1, False, 3, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        option.rank = 2  # type: ignore[misc]


def test_tied_groups_in_rank_order() -> None:
    ranked = rank_dots([1, 4, 1, 4, 0, 0])
    assert tied_groups(ranked) == [[1, 3], [0, 2], [4, 5]]


# --- refused input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tallies", "fragment"),
    [
        ("abc", "Expected a list with one entry per option, got str."),
        ((1, 2), "Expected a list with one entry per option, got tuple."),
        ([[1, 2], [1]], "Option 2 has 1 grades but option 1 has 2"),
        ([[], []], "The grade scale is empty"),
        ([[1, -1]], "Option 1: -1 is negative; it must be 0 or more."),
        ([[1, 1], [True, 0]], "Option 2: True is not a whole number."),
        ([[2.0, 1]], "Option 1: 2.0 is not a whole number."),
        ([[1, "3"]], "Option 1: '3' is not a whole number."),
        ([(1, 2)], "Option 1: Expected a list of counts, got tuple."),
    ],
)
def test_majority_judgment_refuses_bad_tallies(tallies: object, fragment: str) -> None:
    with pytest.raises(AtelierError) as excinfo:
        majority_judgment_ranking(tallies)  # type: ignore[arg-type]
    assert fragment in _message(excinfo)
    with pytest.raises(AtelierError):
        rank_mj(tallies)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dots", "fragment"),
    [
        ({"a": 1}, "got dict"),
        ([1, -2], "Option 2: -2 is negative"),
        ([1, False], "Option 2: False is not a whole number."),
        ([1.5], "Option 1: 1.5 is not a whole number."),
        ([2.0], "Option 1: 2.0 is not a whole number."),
    ],
)
def test_dot_vote_refuses_bad_counts(dots: object, fragment: str) -> None:
    with pytest.raises(AtelierError) as excinfo:
        dot_vote_ranking(dots)  # type: ignore[arg-type]
    assert fragment in _message(excinfo)


def test_messages_are_translated(french: None) -> None:
    with pytest.raises(AtelierError) as excinfo:
        majority_judgment_ranking([[1, 2.0]])
    assert _message(excinfo) == "Option 1\u00a0: 2.0 n’est pas un nombre entier."
    with pytest.raises(AtelierError) as excinfo:
        validate_vote_settings(5, 2, 3, 7)
    assert _message(excinfo) == (
        "Maximum de gommettes par option\u00a0: "
        "3 dépasse les 2 gommettes dont dispose chaque votant."
    )


def test_language_is_restored_after_the_french_test() -> None:
    with pytest.raises(AtelierError, match="is not a whole number"):
        dot_vote_ranking([None])  # type: ignore[list-item]


# --- settings and paper tallies -------------------------------------------------------


def test_constants() -> None:
    assert (DEFAULT_MAX_PER_OPTION, MIN_GRADES, MAX_GRADES) == (3, 3, 10)


@pytest.mark.parametrize(
    ("options", "expected"),
    [(0, 1), (1, 1), (5, 1), (6, 2), (8, 2), (9, 3), (30, 10), (31, 10), (300, 10)],
)
def test_default_dots_per_voter(options: int, expected: int) -> None:
    assert default_dots_per_voter(options) == expected


def test_default_grades_best_first() -> None:
    assert default_grades("fr") == (
        "Excellent",
        "Très bien",
        "Bien",
        "Assez bien",
        "Passable",
        "Insuffisant",
        "À rejeter",
    )
    assert default_grades("en") == (
        "Excellent",
        "Very good",
        "Good",
        "Fairly good",
        "Passable",
        "Insufficient",
        "To reject",
    )
    assert default_grades("fr_FR.UTF-8") == default_grades("fr")
    assert default_grades("de") == default_grades("en")
    assert MIN_GRADES <= len(default_grades("fr")) <= MAX_GRADES


@pytest.mark.parametrize(
    "settings",
    [(5, 1, 1, 3), (5, 100, 100, 10), (0, 3, 3, 7), (12, 4, 3, 5)],
)
def test_vote_settings_accepted_at_the_limits(settings: tuple[int, int, int, int]) -> None:
    validate_vote_settings(*settings)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ((5, 0, 1, 7), "Dots per voter: 0 is not between 1 and 100."),
        ((5, 101, 3, 7), "Dots per voter: 101 is not between 1 and 100."),
        ((5, 3, 0, 7), "Maximum dots per option: 0 is below the minimum of 1."),
        ((5, 3, 4, 7), "Maximum dots per option: 4 is more than the 3 dots each voter has."),
        ((5, 3, 3, 2), "Number of grades: 2 is not between 3 and 10."),
        ((5, 3, 3, 11), "Number of grades: 11 is not between 3 and 10."),
        ((-1, 3, 3, 7), "Number of options: -1 is negative; it must be 0 or more."),
        ((5, 3.0, 3, 7), "Dots per voter: 3.0 is not a whole number."),
    ],
)
def test_vote_settings_refused(settings: tuple[int, int, int, int], message: str) -> None:
    with pytest.raises(AtelierError) as excinfo:
        validate_vote_settings(*settings)
    assert _message(excinfo) == message


def test_dot_tally_limits() -> None:
    validate_dot_tally(0, 10, 5, 3)
    validate_dot_tally(30, 10, 5, 3, "Idea A")
    with pytest.raises(AtelierError) as excinfo:
        validate_dot_tally(31, 10, 5, 3, "Idea A")
    assert _message(excinfo) == (
        "Idea A: A total of 31 dots is above the limit of 30: "
        "10 voters × at most 3 dots on one option."
    )
    with pytest.raises(AtelierError, match="^Idea B: -1 is negative"):
        validate_dot_tally(-1, 10, 5, 3, "Idea B")
    with pytest.raises(AtelierError, match="above the limit of 0"):
        validate_dot_tally(1, 0, 5, 3)
    with pytest.raises(AtelierError, match="^Number of voters: True is not a whole number"):
        validate_dot_tally(1, True, 5, 3)


def test_dot_totals_limits() -> None:
    validate_dot_totals([10, 0, 5], 3, 5)
    validate_dot_totals([], 0, 5)
    with pytest.raises(AtelierError) as excinfo:
        validate_dot_totals([10, 1, 5], 3, 5)
    assert _message(excinfo) == (
        "The options received 16 dots in all, more than the limit of 15: 3 voters × 5 dots."
    )
    with pytest.raises(AtelierError, match="^Option 3: -5 is negative"):
        validate_dot_totals([1, 1, -5], 3, 5)


def test_mj_tally_limits() -> None:
    validate_mj_tally([0, 0, 0], 0, 3)
    validate_mj_tally([1, 2, 3, 4], 10, 4, "Idea A")
    with pytest.raises(AtelierError) as excinfo:
        validate_mj_tally([1, 2, 3, 5], 10, 4, "Idea A")
    assert _message(excinfo) == "Idea A: The tally counts 11 grades, more than the 10 voters."
    with pytest.raises(AtelierError) as excinfo:
        validate_mj_tally([1, 2, 3], 10, 4, "Idea A")
    assert _message(excinfo) == "Idea A: The tally has 3 grades but the scale has 4."
    with pytest.raises(AtelierError, match="^-1 is negative"):
        validate_mj_tally([1, -1, 3, 0], 10, 4)


def test_mj_missing_grades() -> None:
    assert mj_missing_grades([1, 2, 3], 10) == 4
    assert mj_missing_grades([1, 2, 3], 6) == 0
    assert mj_missing_grades([1, 2, 3], 5) == 0  # too many is validate_mj_tally's business
    assert mj_missing_grades([0, 0, 0], 0) == 0


# --- secret ballots -------------------------------------------------------------------


def test_dot_ballot_limits() -> None:
    validate_dot_ballot([3, 2, 0], 5, 3)
    validate_dot_ballot([0, 0, 0], 5, 3)
    with pytest.raises(AtelierError) as excinfo:
        validate_dot_ballot([4, 0, 0], 5, 3)
    assert _message(excinfo) == "Option 1: 4 is more than the 3 dots allowed on one option."
    with pytest.raises(AtelierError) as excinfo:
        validate_dot_ballot([3, 3, 0], 5, 3)
    assert _message(excinfo) == "This ballot places 6 dots but each voter has 5."
    with pytest.raises(AtelierError, match="^Option 2: -1 is negative"):
        validate_dot_ballot([1, -1], 5, 3)


def test_dots_left() -> None:
    assert dots_left([1, 2, 0], 5) == 2
    assert dots_left([], 5) == 5
    assert dots_left([3, 3], 5) == -1


def test_mj_ballot_limits() -> None:
    validate_mj_ballot([0, 6, None], 7)
    validate_mj_ballot([], 7)
    with pytest.raises(AtelierError) as excinfo:
        validate_mj_ballot([0, 7], 7)
    assert _message(excinfo) == "Option 2: Grade 7 does not exist; grades go from 0 to 6."
    with pytest.raises(AtelierError, match="^Option 1: Grade -1 does not exist"):
        validate_mj_ballot([-1], 7)
    with pytest.raises(AtelierError, match="^Option 1: True is not a whole number"):
        validate_mj_ballot([True], 7)


def test_dot_totals_from_ballots() -> None:
    assert dot_totals([[1, 2, 0], [0, 1, 3]], 3) == [1, 3, 3]
    assert dot_totals([], 2) == [0, 0]
    with pytest.raises(AtelierError) as excinfo:
        dot_totals([[1, 2, 0], [0, 1]], 3)
    assert _message(excinfo) == "Ballot 2 has 2 entries but there are 3 options."
    with pytest.raises(AtelierError, match="^Ballot 1, option 2: -1 is negative"):
        dot_totals([[1, -1]], 2)
    with pytest.raises(AtelierError, match="^Expected a list of ballots, got str"):
        dot_totals("ballots", 2)  # type: ignore[arg-type]


def test_mj_tallies_from_ballots() -> None:
    # None (not graded) counts as the lowest grade.
    assert mj_tallies([[2, None], [0, 1], [2, 2]], 3) == [[1, 0, 2], [1, 1, 1]]
    assert mj_tallies([], 7) == []
    with pytest.raises(AtelierError, match="^Ballot 2, option 1: Grade 3 does not exist"):
        mj_tallies([[2, None], [3, 1]], 3)
    with pytest.raises(AtelierError, match="^Ballot 2 has 1 entries but there are 2 options"):
        mj_tallies([[2, None], [1]], 3)


def test_merit_profile() -> None:
    assert merit_profile([1, 1, 2]) == [0.25, 0.25, 0.5]
    assert merit_profile([0, 0, 0]) == [0.0, 0.0, 0.0]
    with pytest.raises(AtelierError, match="^-1 is negative"):
        merit_profile([1, -1])


def test_voting_module_stays_ui_free() -> None:
    tree = ast.parse(Path(voting.__file__).read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    }
    assert not imported & {"textual", "rich"}
    stdlib = {"__future__", "bisect", "collections", "dataclasses", "functools", "itertools"}
    assert imported <= stdlib | {"typing", "atelier"}


# --- properties -----------------------------------------------------------------------

_tallies = st.integers(1, 5).flatmap(
    lambda grades: st.lists(
        st.lists(st.integers(0, 6), min_size=grades, max_size=grades), min_size=1, max_size=6
    )
)


@given(_tallies)
def test_fast_tie_break_matches_the_definition(tallies: list[list[int]]) -> None:
    assert majority_judgment_ranking(tallies) == _reference_ranks(tallies)


@given(
    st.integers(1, 4).flatmap(
        lambda grades: st.lists(
            st.lists(st.integers(0, 60), min_size=grades, max_size=grades),
            min_size=2,
            max_size=3,
        )
    )
)
def test_fast_tie_break_matches_the_definition_with_more_voters(
    tallies: list[list[int]],
) -> None:
    assert majority_judgment_ranking(tallies) == _reference_ranks(tallies)


@given(_tallies, st.data())
def test_mj_ranking_does_not_depend_on_the_order_of_options(
    tallies: list[list[int]], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(tallies))))
    ranks = majority_judgment_ranking(tallies)
    assert majority_judgment_ranking([tallies[i] for i in order]) == [ranks[i] for i in order]


@given(_tallies, st.data())
def test_raising_one_grade_never_worsens_the_rank(
    tallies: list[list[int]], data: st.DataObject
) -> None:
    option = data.draw(st.integers(0, len(tallies) - 1))
    raisable = [g for g in range(len(tallies[0]) - 1) if tallies[option][g] > 0]
    assume(raisable)
    grade = data.draw(st.sampled_from(raisable))
    raised = [list(tally) for tally in tallies]
    raised[option][grade] -= 1
    raised[option][grade + 1] += 1
    assert majority_judgment_ranking(raised)[option] <= majority_judgment_ranking(tallies)[option]


@given(_tallies)
def test_the_gauge_decides_when_it_can(tallies: list[list[int]]) -> None:
    """Same majority grade: the larger of the four groups decides (B&L majority gauge)."""
    padded = _reference_padding(tallies)
    ranks = majority_judgment_ranking(tallies)
    for i, first in enumerate(padded):
        for j, second in enumerate(padded):
            if majority_grade(first) != majority_grade(second) or majority_grade(first) is None:
                continue
            if _gauge_value(first) > _gauge_value(second):
                assert ranks[i] < ranks[j]


@given(_tallies)
def test_rank_mj_is_sorted_and_consistent(tallies: list[list[int]]) -> None:
    ranks = majority_judgment_ranking(tallies)
    ranked = rank_mj(tallies)
    assert [(o.rank, o.index) for o in ranked] == sorted((r, i) for i, r in enumerate(ranks))
    for option in ranked:
        assert option.tied == (ranks.count(option.rank) > 1)
        assert option.score is None
    assert sorted(i for group in tied_groups(ranked) for i in group) == sorted(
        o.index for o in ranked if o.tied
    )


@given(st.lists(st.integers(0, 50), max_size=10))
def test_dot_ranking_matches_sorting_by_dots(dots: list[int]) -> None:
    ranks = dot_vote_ranking(dots)
    for i, mine in enumerate(dots):
        assert ranks[i] == 1 + sum(other > mine for other in dots)
    ranked = rank_dots(dots)
    assert [o.score for o in ranked] == sorted(dots, reverse=True)
    assert [o.index for o in ranked] == sorted(range(len(dots)), key=lambda i: (-dots[i], i))


def _reference_padding(tallies: list[list[int]]) -> list[list[int]]:
    most = max(sum(t) for t in tallies)
    return [[t[0] + most - sum(t), *t[1:]] for t in tallies]


def _gauge_value(tally: list[int]) -> int:
    """+p when the group above the median is the larger, else -q (majority gauge)."""
    grade = majority_grade(tally)
    assert grade is not None
    above, below = sum(tally[grade + 1 :]), sum(tally[:grade])
    return above if above > below else -below


def test_huge_electorates_are_ranked_without_counting_votes_one_by_one() -> None:
    # Near-identical profiles of two billion votes that differ only far from the median:
    # a vote-by-vote removal would take billions of steps.
    billion = 10**9
    same = [billion, 5, billion + 3, 7]
    assert majority_judgment_ranking([same, same, [billion, 6, billion + 2, 7]]) == [1, 1, 3]
