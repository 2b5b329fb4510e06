"""Counting votes, shared by the summary and the results screen: one round's results,
the final ranking across rounds and run-offs, shortlists and the default decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from atelier import voting
from atelier.model import Session, VoteRound
from atelier.summary.records import Translate

# --------------------------------------------------------------------------- counting votes


@dataclass(frozen=True, slots=True)
class RoundResult:
    """The counted result of one vote round.

    Per-option tuples follow ``options`` (the round's order); ``ranked`` is best first and
    its ``index`` points into ``options``. ``tallies`` count votes per grade WORST first,
    the missing grades already added to the lowest one.
    """

    options: tuple[str, ...]
    ranked: tuple[voting.RankedOption, ...]
    dots: tuple[int, ...]  # dot vote, else ()
    tallies: tuple[tuple[int, ...], ...]  # majority judgment, else ()
    missing: tuple[int, ...]  # grades counted as the lowest because nobody gave them
    voters: int
    ballots: int

    def tied_groups(self) -> tuple[tuple[str, ...], ...]:
        """Option keys sharing a rank, best ranks first: candidates for a run-off."""
        return tuple(
            tuple(self.options[i] for i in group) for group in voting.tied_groups(list(self.ranked))
        )


def round_results(session: Session, vote_round: VoteRound) -> RoundResult:
    """Count a round from its paper tallies or its secret ballots, then rank it.

    Paper tally: an option without a tally counts zero, and for majority judgment each
    option's lowest grade is padded up to the declared voters. Secret ballot: a missing
    mark is 0 dots or the lowest grade. Counting is linear in options × ballots; the
    ranking is voting.rank_dots / voting.rank_mj.
    """
    options = vote_round.options
    ballots = vote_round.ballots if vote_round.mode == "ballot" else ()
    if vote_round.method == "mj":
        tallies, missing = _mj_counts(vote_round, ballots)
        voters = len(ballots) if vote_round.mode == "ballot" else vote_round.voters
        ranked = voting.rank_mj([list(t) for t in tallies]) if options else []
        return RoundResult(options, tuple(ranked), (), tallies, missing, voters, len(ballots))
    if vote_round.mode == "ballot":
        rows = [[b.get(o, 0) for o in options] for b in ballots]
        dots = tuple(voting.dot_totals(rows, len(options)))
        voters = len(ballots)
    else:
        dots = tuple((vote_round.tallies.get(o) or (0,))[0] for o in options)
        voters = vote_round.voters
    ranked = voting.rank_dots(list(dots)) if options else []
    zeros = (0,) * len(options)
    return RoundResult(options, tuple(ranked), dots, (), zeros, voters, len(ballots))


def _mj_counts(
    vote_round: VoteRound, ballots: Sequence[dict[str, int]]
) -> tuple[tuple[tuple[int, ...], ...], tuple[int, ...]]:
    """Votes per grade (worst first) and missing grades per option, missing ones padded."""
    scale = len(vote_round.grades)
    options = vote_round.options
    if vote_round.mode == "ballot":
        rows: list[list[int | None]] = [[b.get(o) for o in options] for b in ballots]
        counted = voting.mj_tallies(rows, scale) if rows else [[0] * scale for _o in options]
        missing = tuple(sum(1 for row in rows if row[i] is None) for i in range(len(options)))
        return tuple(tuple(t) for t in counted), missing
    tallies: list[tuple[int, ...]] = []
    gaps: list[int] = []
    for option in options:
        counts = list(vote_round.tallies.get(option, (0,) * scale))
        gap = max(0, vote_round.voters - sum(counts))
        if counts:
            counts[0] += gap
        tallies.append(tuple(counts))
        gaps.append(gap)
    return tuple(tallies), tuple(gaps)


def final_ranking(
    session: Session, vote_round: VoteRound
) -> tuple[tuple[str, int, bool, str], ...]:
    """A vote's final ranking: (option, place, tied, how), best first.

    Options tied in ``vote_round`` are ordered by the last closed run-off held among
    exactly them (itself carried through its own run-offs), and then hold places
    ``rank``, ``rank + 1``…; a tie the group chose to leave stays shared ("kept"); any
    other tie is "pending". Places follow the sports convention (1, 1, 3)."""
    result = round_results(session, vote_round)
    runoffs = {
        frozenset(r.options): r
        for r in sorted(session.rounds, key=lambda r: r.id)
        if r.parent_id == vote_round.id and r.closed_at
    }
    groups: dict[int, list[str]] = {}
    for ranked in result.ranked:
        groups.setdefault(ranked.rank, []).append(result.options[ranked.index])
    places: list[tuple[str, int, bool, str]] = []
    for rank, keys in groups.items():
        if len(keys) == 1:
            places.append((keys[0], rank, False, ""))
            continue
        runoff = runoffs.get(frozenset(keys))
        if runoff is not None:
            for key, place, tied, how in final_ranking(session, runoff):
                places.append((key, rank + place - 1, tied, how if tied else "runoff"))
        elif set(keys) <= set(vote_round.kept_ties):
            places += [(key, rank, True, "kept") for key in keys]
        else:
            places += [(key, rank, True, "pending") for key in keys]
    return tuple(places)


def overall_ranking(session: Session) -> dict[str, tuple[int, str]]:
    """Option → (place, how) over every vote: the last vote's final ranking first, then
    what earlier votes ranked that it did not cover (a shortlist's left-overs), after."""
    out: dict[str, tuple[int, str]] = {}
    for vote_round in reversed(session.votes):
        rest = [p for p in final_ranking(session, vote_round) if p[0] not in out]
        offset = len(out)
        for key, place, _tied, how in rest:
            better = sum(1 for other in rest if other[1] < place)
            out[key] = (offset + better + 1, how)
    return out


def last_vote(session: Session) -> VoteRound | None:
    """The vote that decides: the latest closed top-level round, else the latest one."""
    votes = session.votes
    closed = [r for r in votes if r.closed_at]
    return (closed or list(votes))[-1] if votes else None


def shortlist(session: Session, round_id: int, count: int) -> tuple[str, ...]:
    """The options of a vote's final ranking placed in the first ``count`` places: an
    option tied at the last place kept is kept too (a shortlist never splits a tie)."""
    vote_round = session.round(round_id)
    return tuple(key for key, place, _t, _h in final_ranking(session, vote_round) if place <= count)


def round_titles(session: Session, _: Translate) -> dict[int, str]:
    """« Main vote » when there is one vote, else « Vote 1 », « Vote 2 »…; run-offs are
    « Run-off 1 »… in the order they were started."""
    titles: dict[int, str] = {}
    votes = runoffs = 0
    alone = len(session.votes) == 1
    for vote_round in sorted(session.rounds, key=lambda r: r.id):
        if vote_round.parent_id is None:
            votes += 1
            titles[vote_round.id] = (
                _("Main vote") if alone else _("Vote {number}").format(number=votes)
            )
        else:
            runoffs += 1
            titles[vote_round.id] = _("Run-off {number}").format(number=runoffs)
    return titles


def default_decisions(session: Session) -> tuple[str, ...]:
    """The winners of the last vote (first place once run-offs are carried through)."""
    vote_round = last_vote(session)
    if vote_round is None:
        return ()
    return tuple(key for key, place, _t, _h in final_ranking(session, vote_round) if place == 1)
