"""Counting votes: dot voting and majority judgment (Balinski & Laraki).

UI-free on purpose: screens, reports and tests all rank through this module, so it
imports nothing but the standard library, the error type and the translations.

Conventions shared by every function:

* grades are indices on a scale ordered from the WORST grade (0) to the BEST one;
* a tally is the number of votes each grade received for one option;
* a rank is 1 for the best option; tied options share a rank and the next rank
  skips (1, 1, 3), so a rank always says how many options did strictly better;
* a missing grade (a voter who did not grade an option) counts as the lowest grade.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cmp_to_key
from itertools import accumulate, pairwise
from typing import NoReturn

from atelier.errors import AtelierError
from atelier.i18n import _, normalise_language

DEFAULT_MAX_PER_OPTION = 3
MIN_GRADES = 3
MAX_GRADES = 10
MAX_DOTS_PER_VOTER = 100
MAX_DEFAULT_DOTS = 10

_GRADES_FR = (
    "Excellent",
    "Très bien",
    "Bien",
    "Assez bien",
    "Passable",
    "Insuffisant",
    "À rejeter",
)
_GRADES_EN = (
    "Excellent",
    "Very good",
    "Good",
    "Fairly good",
    "Passable",
    "Insufficient",
    "To reject",
)


@dataclass(frozen=True)
class RankedOption:
    """One option's place in a result, with what a screen needs to explain it.

    ``index`` is the option's position in the input; ``score`` is its dots (dot vote);
    ``majority_grade`` (lower-median grade, worst=0) and ``gauge`` ("+", "-", "=")
    explain a majority-judgment rank.
    """

    index: int
    rank: int
    tied: bool
    score: int | None
    majority_grade: int | None
    gauge: str | None


# --- refusing bad input ---------------------------------------------------------------


def _fail(problem: str, label: str = "") -> NoReturn:
    """Raise the one error type, naming what was wrong (the option, when known)."""
    if label:
        problem = _("{label}: {problem}").format(label=label, problem=problem)
    raise AtelierError(problem)


def _option_label(position: int) -> str:
    """Options are numbered from 1 for people, from 0 in lists."""
    return _("Option {number}").format(number=position + 1)


def _ballot_label(ballot: int, position: int) -> str:
    """Where a bad mark sits on a pile of secret ballots."""
    return _("Ballot {ballot}, option {number}").format(ballot=ballot + 1, number=position + 1)


def _whole(value: object, label: str = "") -> int:
    """Only true integers count: True or 2.0 hide a bug upstream, so they are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(_("{value} is not a whole number.").format(value=repr(value)), label)
    return value


def _count(value: object, label: str = "") -> int:
    """A number of votes, dots or voters: a whole number of at least 0."""
    number = _whole(value, label)
    if number < 0:
        _fail(_("{value} is negative; it must be 0 or more.").format(value=number), label)
    return number


def _at_least(value: object, minimum: int, label: str) -> int:
    """A whole number with a lower bound (a grade scale needs at least one grade)."""
    number = _whole(value, label)
    if number < minimum:
        _fail(
            _("{value} is below the minimum of {minimum}.").format(value=number, minimum=minimum),
            label,
        )
    return number


def _between(value: object, minimum: int, maximum: int, label: str) -> int:
    """A whole number inside a closed range, the range named in the message."""
    number = _whole(value, label)
    if not minimum <= number <= maximum:
        _fail(
            _("{value} is not between {minimum} and {maximum}.").format(
                value=number, minimum=minimum, maximum=maximum
            ),
            label,
        )
    return number


def _kind(value: object) -> str:
    """The Python type of a wrong input, which tells a developer where it came from."""
    return type(value).__name__


def _per_option(value: object, label: str = "") -> list[object]:
    """A list with one entry per option (dots, tallies, marks, grades)."""
    if not isinstance(value, list):
        _fail(
            _("Expected a list with one entry per option, got {kind}.").format(kind=_kind(value)),
            label,
        )
    return value


def _counts(value: object, label: str = "") -> list[int]:
    """A list of non-negative whole numbers: dots per option or votes per grade."""
    if not isinstance(value, list):
        _fail(_("Expected a list of counts, got {kind}.").format(kind=_kind(value)), label)
    return [_count(item, label) for item in value]


def _ballots(value: object) -> list[object]:
    """The pile of secret ballots, one list per voter."""
    if not isinstance(value, list):
        _fail(_("Expected a list of ballots, got {kind}.").format(kind=_kind(value)))
    return value


def _tallies(tallies: object) -> list[list[int]]:
    """Checked tallies sharing one non-empty grade scale."""
    rows = [_counts(tally, _option_label(i)) for i, tally in enumerate(_per_option(tallies))]
    if rows and not rows[0]:
        _fail(_("The grade scale is empty: a tally needs at least one grade."))
    for i, row in enumerate(rows):
        if len(row) != len(rows[0]):
            _fail(
                _(
                    "Option {number} has {count} grades but option 1 has {expected}: "
                    "all tallies must use the same grade scale."
                ).format(number=i + 1, count=len(row), expected=len(rows[0]))
            )
    return rows


def _padded(rows: list[list[int]]) -> list[list[int]]:
    """Give every option as many votes as the most graded one: a missing grade is the lowest."""
    most = max((sum(row) for row in rows), default=0)
    return [[row[0] + most - sum(row), *row[1:]] for row in rows]


# --- majority judgment ----------------------------------------------------------------


def _lower_median(counts: list[int], total: int) -> int:
    """The grade of the ceil(total/2)-th vote from the worst: the lower median."""
    position = (total + 1) // 2
    seen = 0
    for grade, count in enumerate(counts):
        seen += count
        if seen >= position:
            return grade
    raise ValueError("no votes")  # callers check total > 0


def _removal_step(position: int, median: int, upward_first: bool) -> int:
    """At which removal (0 = first) the vote at sorted ``position`` is the median removed.

    Removing the lower median one vote at a time eats a block that grows around the
    median position, one side then the other: with an even number of votes the next
    vote above goes first (k, k+1, k-1, k+2, …), with an odd number the one below
    (k, k-1, k+1, k-2, …). The order depends only on the number of votes.
    """
    distance = position - median
    if distance == 0:
        return 0
    above_step, below_step = 2 * distance - 1, -2 * distance
    if not upward_first:
        above_step, below_step = 2 * distance, -2 * distance - 1
    return above_step if distance > 0 else below_step


def _compare_merit(first: list[int], second: list[int]) -> int:
    """Balinski–Laraki majority ranking of two tallies with the same number of votes.

    The official tie-break compares, lexicographically, the sequences of lower medians
    obtained by removing the median vote one at a time. With equal numbers of votes both
    sequences read the sorted votes in the same order (see ``_removal_step``), so the
    first difference between the sequences is the sorted position where the two options'
    votes differ that is removed earliest. The sorted votes are runs of equal grades, so
    checking each run boundary is enough: the cost grows with the grades, not the voters.
    Returns 1 when ``first`` is better, -1 when worse, 0 for identical merit profiles.
    """
    total = sum(first)
    reach_one, reach_two = list(accumulate(first)), list(accumulate(second))
    median, upward_first = (total + 1) // 2, total % 2 == 0
    earliest: tuple[int, int] | None = None  # (removal step, sorted position)
    bounds = sorted({0, *reach_one, *reach_two})
    for low, high in pairwise(bounds):
        # Positions low+1..high hold one grade per option; bisect finds which.
        if bisect_left(reach_one, high) != bisect_left(reach_two, high):
            position = min(max(low + 1, median), high)
            step = _removal_step(position, median, upward_first)
            if earliest is None or step < earliest[0]:
                earliest = (step, position)
    if earliest is None:
        return 0
    return 1 if bisect_left(reach_one, earliest[1]) > bisect_left(reach_two, earliest[1]) else -1


def _ranks_by(count: int, compare: Callable[[int, int], int]) -> list[int]:
    """Ranks 1, 1, 3… from a comparison of two options where a positive result means better."""

    def better_first(i: int, j: int) -> int:
        return compare(j, i)

    order = sorted(range(count), key=cmp_to_key(better_first))
    ranks = [0] * count
    for position, option in enumerate(order):
        if position and compare(order[position - 1], option) == 0:
            ranks[option] = ranks[order[position - 1]]
        else:
            ranks[option] = position + 1
    return ranks


def _mj_ranks(padded: list[list[int]]) -> list[int]:
    """Ranks of tallies already checked and padded to the same number of votes."""
    return _ranks_by(len(padded), lambda i, j: _compare_merit(padded[i], padded[j]))


def majority_judgment_ranking(tallies: list[list[int]]) -> list[int]:
    """Rank options by majority judgment; tallies count votes per grade, worst grade first.

    Options with fewer votes are padded with the lowest grade; ties on the majority grade
    are broken by the official Balinski–Laraki procedure (see ``_compare_merit``). Its
    first stage is the majority gauge (the larger group above the median wins, the larger
    group below loses), so the gauge needs no separate step: the tests check they agree.
    """
    return _mj_ranks(_padded(_tallies(tallies)))


def majority_grade(tally: list[int]) -> int | None:
    """Index (worst=0) of the lower-median grade, None when nobody voted."""
    counts = _counts(tally)
    if not counts:
        _fail(_("The grade scale is empty: a tally needs at least one grade."))
    return _median_or_none(counts)


def _median_or_none(counts: list[int]) -> int | None:
    """The lower median of a checked tally, None when nobody voted."""
    total = sum(counts)
    return _lower_median(counts, total) if total else None


def _gauge(counts: list[int]) -> str | None:
    """Which side of the median is larger: '+' above, '-' below, '=' equal."""
    grade = _median_or_none(counts)
    if grade is None:
        return None
    below, above = sum(counts[:grade]), sum(counts[grade + 1 :])
    return "+" if above > below else "-" if below > above else "="


def merit_profile(tally: list[int]) -> list[float]:
    """Share of each grade (worst first), the bar a report draws; zeros when nobody voted."""
    counts = _counts(tally)
    total = sum(counts)
    return [count / total if total else 0.0 for count in counts]


# --- dot voting -----------------------------------------------------------------------


def _dots(dots: object) -> list[int]:
    """Dots per option, each a count named by its option number when refused."""
    return [_count(value, _option_label(i)) for i, value in enumerate(_per_option(dots))]


def dot_vote_ranking(dots: list[int]) -> list[int]:
    """Rank options by their number of dots: more dots, better rank."""
    counts = _dots(dots)
    return _ranks_by(len(counts), lambda i, j: (counts[i] > counts[j]) - (counts[i] < counts[j]))


def default_dots_per_voter(option_count: int) -> int:
    """A third of the options, so that choices stay scarce: at least 1, at most 10."""
    count = _whole(option_count, _("Number of options"))
    return max(1, min(MAX_DEFAULT_DOTS, count // 3))


def default_grades(lang: str) -> tuple[str, ...]:
    """The usual seven grades of majority judgment, BEST first (data, not msgids)."""
    return _GRADES_FR if normalise_language(lang) == "fr" else _GRADES_EN


# --- explained results ----------------------------------------------------------------


def _ranked(
    ranks: list[int], score: list[int | None], grade: list[int | None], gauge: list[str | None]
) -> list[RankedOption]:
    """Options sorted by rank then input position, so screens and reports agree."""
    shared = Counter(ranks)
    return [
        RankedOption(i, ranks[i], shared[ranks[i]] > 1, score[i], grade[i], gauge[i])
        for i in sorted(range(len(ranks)), key=lambda i: (ranks[i], i))
    ]


def rank_dots(dots: list[int]) -> list[RankedOption]:
    """Dot-vote result, best first, each option with its dots as score."""
    counts = _dots(dots)
    scores: list[int | None] = list(counts)
    return _ranked(dot_vote_ranking(counts), scores, [None] * len(counts), [None] * len(counts))


def rank_mj(tallies: list[list[int]]) -> list[RankedOption]:
    """Majority-judgment result, best first, with majority grade and gauge (after padding)."""
    padded = _padded(_tallies(tallies))
    grades = [_median_or_none(row) for row in padded]
    gauges = [_gauge(row) for row in padded]
    return _ranked(_mj_ranks(padded), [None] * len(padded), grades, gauges)


def tied_groups(ranked: list[RankedOption]) -> list[list[int]]:
    """Indices of options sharing a rank (groups of 2 or more), to offer a run-off."""
    groups: dict[int, list[int]] = {}
    for option in ranked:
        groups.setdefault(option.rank, []).append(option.index)
    return [sorted(group) for _rank, group in sorted(groups.items()) if len(group) > 1]


# --- validation before storing --------------------------------------------------------


def validate_vote_settings(
    option_count: int, dots_per_voter: int, max_per_option: int, grade_count: int
) -> None:
    """Refuse settings no vote could respect, before a session stores them."""
    _count(option_count, _("Number of options"))
    dots = _between(dots_per_voter, 1, MAX_DOTS_PER_VOTER, _("Dots per voter"))
    per_option = _at_least(max_per_option, 1, _("Maximum dots per option"))
    if per_option > dots:
        _fail(
            _("{value} is more than the {dots} dots each voter has.").format(
                value=per_option, dots=dots
            ),
            _("Maximum dots per option"),
        )
    _between(grade_count, MIN_GRADES, MAX_GRADES, _("Number of grades"))


def validate_dot_tally(
    dots: int, voters: int, dots_per_voter: int, max_per_option: int, label: str = ""
) -> None:
    """One option's total from a paper dot vote: each voter adds at most max_per_option."""
    count = _count(dots, label)
    people = _count(voters, _("Number of voters"))
    per_option = min(
        _count(max_per_option, _("Maximum dots per option")),
        _count(dots_per_voter, _("Dots per voter")),
    )
    limit = people * per_option
    if count > limit:
        _fail(
            _(
                "A total of {dots} dots is above the limit of {limit}: "
                "{voters} voters × at most {per_option} dots on one option."
            ).format(dots=count, limit=limit, voters=people, per_option=per_option),
            label,
        )


def validate_dot_totals(totals: list[int], voters: int, dots_per_voter: int) -> None:
    """All options together cannot hold more dots than the voters were given."""
    counts = _dots(totals)
    people = _count(voters, _("Number of voters"))
    dots = _count(dots_per_voter, _("Dots per voter"))
    limit = people * dots
    if sum(counts) > limit:
        _fail(
            _(
                "The options received {total} dots in all, more than the limit of {limit}: "
                "{voters} voters × {dots_per_voter} dots."
            ).format(total=sum(counts), limit=limit, voters=people, dots_per_voter=dots)
        )


def validate_mj_tally(counts: list[int], voters: int, grade_count: int, label: str = "") -> None:
    """One option's tally from a paper vote: one count per grade, no more grades than voters."""
    row = _counts(counts, label)
    people = _count(voters, _("Number of voters"))
    scale = _at_least(grade_count, 1, _("Number of grades"))
    if len(row) != scale:
        _fail(
            _("The tally has {count} grades but the scale has {expected}.").format(
                count=len(row), expected=scale
            ),
            label,
        )
    if sum(row) > people:
        _fail(
            _("The tally counts {total} grades, more than the {voters} voters.").format(
                total=sum(row), voters=people
            ),
            label,
        )


def mj_missing_grades(counts: list[int], voters: int) -> int:
    """Voters who gave this option no grade: they count as the lowest grade."""
    row = _counts(counts)
    return max(0, _count(voters, _("Number of voters")) - sum(row))


def dots_left(marks: list[int], dots_per_voter: int) -> int:
    """Dots a voter can still place; negative when the ballot uses too many."""
    return _count(dots_per_voter, _("Dots per voter")) - sum(_dots(marks))


def validate_dot_ballot(marks: list[int], dots_per_voter: int, max_per_option: int) -> None:
    """One secret dot ballot: a few dots per option, no more than the voter has."""
    counts = _dots(marks)
    dots = _count(dots_per_voter, _("Dots per voter"))
    per_option = _count(max_per_option, _("Maximum dots per option"))
    for i, count in enumerate(counts):
        if count > per_option:
            _fail(
                _("{value} is more than the {maximum} dots allowed on one option.").format(
                    value=count, maximum=per_option
                ),
                _option_label(i),
            )
    if sum(counts) > dots:
        _fail(
            _("This ballot places {total} dots but each voter has {maximum}.").format(
                total=sum(counts), maximum=dots
            )
        )


def _grade(value: object, grade_count: int, label: str) -> int | None:
    """A grade index on a ballot, or None for 'not graded'."""
    if value is None:
        return None
    grade = _whole(value, label)
    if not 0 <= grade < grade_count:
        _fail(
            _("Grade {value} does not exist; grades go from 0 to {maximum}.").format(
                value=grade, maximum=grade_count - 1
            ),
            label,
        )
    return grade


def validate_mj_ballot(grades: list[int | None], grade_count: int) -> None:
    """One secret majority-judgment ballot: a grade (or None, the lowest) per option."""
    count = _at_least(grade_count, 1, _("Number of grades"))
    for i, value in enumerate(_per_option(grades)):
        _grade(value, count, _option_label(i))


# --- aggregating secret ballots -------------------------------------------------------


def _ballot_row(ballot: object, number: int, option_count: int) -> list[object]:
    """One ballot, checked to have one entry per option."""
    row = _per_option(ballot, _("Ballot {number}").format(number=number + 1))
    if len(row) != option_count:
        _fail(
            _("Ballot {number} has {count} entries but there are {expected} options.").format(
                number=number + 1, count=len(row), expected=option_count
            )
        )
    return row


def dot_totals(ballots: list[list[int]], option_count: int) -> list[int]:
    """Dots per option summed over the secret ballots."""
    options = _count(option_count, _("Number of options"))
    totals = [0] * options
    for b, ballot in enumerate(_ballots(ballots)):
        for i, mark in enumerate(_ballot_row(ballot, b, options)):
            totals[i] += _count(mark, _ballot_label(b, i))
    return totals


def mj_tallies(ballots: list[list[int | None]], grade_count: int) -> list[list[int]]:
    """Votes per grade and option from secret ballots; None (not graded) is the lowest grade.

    The number of options is read from the first ballot: no ballots, no tallies.
    """
    count = _at_least(grade_count, 1, _("Number of grades"))
    rows = _ballots(ballots)
    options = len(_per_option(rows[0], _("Ballot {number}").format(number=1))) if rows else 0
    tallies = [[0] * count for _option in range(options)]
    for b, ballot in enumerate(rows):
        for i, value in enumerate(_ballot_row(ballot, b, options)):
            grade = _grade(value, count, _ballot_label(b, i))
            tallies[i][0 if grade is None else grade] += 1
    return tallies
