"""Operations of the vote and its results: settings, rounds, tallies, secret ballots,
run-offs and the decisions retained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from atelier import clock, voting
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model.records import (
    IDEA_MAX,
    LABEL_MAX,
    MAX_PARTICIPANTS,
    VOTE_METHODS,
    VOTE_MODES,
    VOTE_TARGETS,
    Decision,
    Session,
    VoteRound,
    VoteSettings,
    grades_for,
    vote_options_for,
)
from atelier.model.registry import (
    _check_link,
    _int_in,
    _next_id,
    _replace_item,
    operation,
)
from atelier.model.text import (
    clean_text,
)

# ---- vote


@operation(N_("change the vote settings"))
def configure_vote(session: Session, **fields: Any) -> Session:
    """Change method, target, mode, dots_per_voter, max_per_option or grades."""
    settings = session.vote
    for name, value in fields.items():
        if name == "method" and value not in VOTE_METHODS:
            raise AtelierError(_("Unknown vote method: {value}.").format(value=value))
        if name == "target" and value not in VOTE_TARGETS:
            raise AtelierError(_("Unknown vote target: {value}.").format(value=value))
        if name == "mode" and value not in VOTE_MODES:
            raise AtelierError(_("Unknown vote mode: {value}.").format(value=value))
        if name == "grades":
            value = tuple(clean_text(g, N_("The grade"), max_len=LABEL_MAX) for g in value)
        if name == "dots_per_voter" and value is not None:
            value = _int_in(value, N_("The number of dots"), 1, 100)
        if name == "max_per_option":
            value = _int_in(value, N_("The number of dots per option"), 1, 100)
        if name not in VoteSettings.__slots__:  # type: ignore[attr-defined]
            raise AtelierError(_("Unknown setting: {name}.").format(name=name))
        settings = replace(settings, **{name: value})
    options = len(session.vote_options()) or 1
    dots = settings.dots_per_voter or voting.default_dots_per_voter(options)
    voting.validate_vote_settings(
        options,
        dots,
        min(settings.max_per_option, dots),  # capped to the dots when the vote starts
        len(settings.grades) or voting.MIN_GRADES,
    )
    return replace(session, vote=settings)


def _vote_options(session: Session, options: Sequence[str] | None, target: str) -> tuple[str, ...]:
    """The options a new vote covers: those given (checked to exist), else the target's."""
    if options is None:
        return vote_options_for(session, target)
    chosen = tuple(dict.fromkeys(str(o) for o in options))
    for option in chosen:
        if _check_link(session, option) != option:
            raise AtelierError(_("Unknown vote option: {option}.").format(option=option))
    return chosen


@operation(N_("start the vote"))
def start_vote(
    session: Session,
    options: Sequence[str] | None = None,
    *,
    method: str | None = None,
    mode: str | None = None,
    source_id: int | None = None,
) -> Session:
    """Start a new vote beside the earlier ones, with its own method, mode and options.

    Without ``options`` the vote covers what the settings designate (clusters with ideas,
    or every idea); ``source_id`` notes the round a shortlist comes from. Method and mode
    default to the session's settings. One round is collected at a time."""
    if any(not r.closed_at for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    settings = session.vote
    method = settings.method if method is None else method
    mode = settings.mode if mode is None else mode
    if method not in VOTE_METHODS:
        raise AtelierError(_("Unknown vote method: {value}.").format(value=method))
    if mode not in VOTE_MODES:
        raise AtelierError(_("Unknown vote mode: {value}.").format(value=mode))
    if source_id is not None:
        session.round(source_id)
    chosen = _vote_options(session, options, settings.target)
    if not chosen:
        raise AtelierError(_("Nothing to vote on: add ideas, or put ideas into clusters, first."))
    if options is not None and len(chosen) < 2:
        raise AtelierError(_("A vote needs at least two options."))
    # the settings' dots fit the full list; a shortlist gets its own third
    dots = settings.dots_per_voter if options is None else None
    dots = dots or voting.default_dots_per_voter(len(chosen))
    number, seq = _next_id(session, "rounds")
    vote_round = VoteRound(
        id=number,
        method=method,
        mode=mode,
        options=chosen,
        dots_per_voter=dots,
        max_per_option=min(settings.max_per_option, dots),
        grades=grades_for(session),
        voters=session.voter_count,
        created_at=clock.now_iso(),
        source_id=source_id,
    )
    return replace(session, rounds=(*session.rounds, vote_round), seq=seq)


@operation(N_("start a run-off"))
def start_runoff(session: Session, round_id: int, options: Sequence[str]) -> Session:
    """A new round among tied options, same method, dots reset to fit the fewer options."""
    parent = session.round(round_id)
    chosen = tuple(dict.fromkeys(options))
    if len(chosen) < 2 or any(o not in parent.options for o in chosen):
        raise AtelierError(_("A run-off needs at least two options of the vote."))
    if any(not r.closed_at for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    dots = voting.default_dots_per_voter(len(chosen))
    number, seq = _next_id(session, "rounds")
    runoff = replace(
        parent,
        id=number,
        options=chosen,
        dots_per_voter=dots,
        max_per_option=min(parent.max_per_option, dots),
        tallies={},
        parent_id=parent.id,
        created_at=clock.now_iso(),
        closed_at=None,
        ballots=(),
        voted=(),
        labels={},
        kept_ties=(),
        source_id=None,
    )
    # the tie is being settled by this run-off, no longer « left tied »
    kept = tuple(o for o in parent.kept_ties if o not in chosen)
    rounds = _replace_item(session.rounds, parent.id, replace(parent, kept_ties=kept))
    return replace(session, rounds=(*rounds, runoff), seq=seq)


@operation(N_("cancel a vote round"))
def delete_round(session: Session, round_id: int) -> Session:
    """Discard a round, its run-offs and their ballots (to vote again from scratch)."""
    doomed = {round_id}
    session.round(round_id)
    for r in session.rounds:
        if r.parent_id in doomed:
            doomed.add(r.id)
    return replace(session, rounds=tuple(r for r in session.rounds if r.id not in doomed))


@operation(N_("leave a tie as it is"))
def keep_tie(session: Session, round_id: int, options: Sequence[str], keep: bool = True) -> Session:
    """The group decides that tied options stay tied (``keep=False`` withdraws it)."""
    vote_round = session.round(round_id)
    chosen = set(options)
    if not chosen or not chosen <= set(vote_round.options):
        raise AtelierError(_("Unknown vote option: {option}.").format(option=", ".join(chosen)))
    kept = set(vote_round.kept_ties) | chosen if keep else set(vote_round.kept_ties) - chosen
    ordered = tuple(o for o in vote_round.options if o in kept)
    new = replace(vote_round, kept_ties=ordered)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def _open_round(session: Session, round_id: int) -> VoteRound:
    vote_round = session.round(round_id)
    if vote_round.closed_at:
        raise AtelierError(_("This vote is closed."))
    return vote_round


@operation(N_("set the number of voters"))
def set_voters(session: Session, round_id: int, voters: object) -> Session:
    vote_round = _open_round(session, round_id)
    count = _int_in(voters, N_("The number of voters"), 0, MAX_PARTICIPANTS)
    new = replace(vote_round, voters=count)
    _check_tallies(new)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def _check_tallies(vote_round: VoteRound) -> None:
    if vote_round.method == "dot":
        voting.validate_dot_totals(
            [t[0] for t in vote_round.tallies.values()],
            vote_round.voters,
            vote_round.dots_per_voter,
        )
        for _key, counts in vote_round.tallies.items():
            voting.validate_dot_tally(
                counts[0], vote_round.voters, vote_round.dots_per_voter, vote_round.max_per_option
            )
    else:
        for counts in vote_round.tallies.values():
            voting.validate_mj_tally(list(counts), vote_round.voters, len(vote_round.grades))


def check_tally(vote_round: VoteRound, counts: Sequence[int], label: str) -> tuple[int, ...]:
    """One option's paper tally, checked against the round's rules (``label`` names it)."""
    values = tuple(counts)
    if vote_round.method == "dot":
        if len(values) != 1:
            raise AtelierError(_("A dot tally is one number."))
        voting.validate_dot_tally(
            values[0],
            vote_round.voters,
            vote_round.dots_per_voter,
            vote_round.max_per_option,
            label,
        )
    else:
        voting.validate_mj_tally(list(values), vote_round.voters, len(vote_round.grades), label)
    return values


@operation(N_("enter a tally"))
def set_tally(session: Session, round_id: int, option: str, counts: Sequence[int]) -> Session:
    """Paper vote: dots for one option ([n]) or counts per grade, worst → best."""
    vote_round = _open_round(session, round_id)
    if option not in vote_round.options:
        raise AtelierError(_("Unknown vote option: {option}.").format(option=option))
    values = check_tally(vote_round, counts, session.option_label(option))
    new = replace(vote_round, tallies={**vote_round.tallies, option: values})
    _check_tallies(new)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


def current_round(session: Session) -> VoteRound | None:
    """The round being collected: the latest open one, else the latest one (closed)."""
    open_rounds = [r for r in session.rounds if not r.closed_at]
    return max(open_rounds or session.rounds, key=lambda r: r.id, default=None)


def ballot_key(marks: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The canonical order of a pile of ballots: by content, never by arrival."""
    return tuple(sorted(marks.items()))


def check_ballot(vote_round: VoteRound, marks: dict[str, int]) -> dict[str, int]:
    """One ballot's marks, checked and in the round's option order (nothing of the voter's
    order of clicks survives)."""
    if not isinstance(marks, dict):
        raise AtelierError(_("A ballot is a mark per option."))
    unknown = [o for o in marks if o not in vote_round.options]
    if unknown:
        raise AtelierError(_("Unknown vote option: {option}.").format(option=unknown[0]))
    values = [marks.get(o) for o in vote_round.options]
    if vote_round.method == "dot":
        voting.validate_dot_ballot(
            [v or 0 for v in values], vote_round.dots_per_voter, vote_round.max_per_option
        )
        return {o: v for o, v in zip(vote_round.options, values, strict=True) if v}
    voting.validate_mj_ballot(values, len(vote_round.grades))
    return {o: v for o, v in zip(vote_round.options, values, strict=True) if v is not None}


@operation(N_("cast a ballot"), undoable=False, sealed=True)
def cast_ballot(
    session: Session, round_id: int, marks: dict[str, int], voter_id: int | None = None
) -> Session:
    """Secret ballot: one voter's dots or grades, put into the round's box.

    The ballot is stored without voter, time or number, in a canonical order; in a named
    session the voter joins the round's sorted set of those who voted, so they cannot vote
    twice. Sealed: the store writes it as a whole file, outside the journal and undo log.
    """
    vote_round = _open_round(session, round_id)
    if vote_round.mode != "ballot":
        raise AtelierError(_("This vote is collected on paper: enter its tallies."))
    ballot = check_ballot(vote_round, marks)
    voted = vote_round.voted
    if session.anonymous:
        voter_id = None
    if voter_id is not None:
        session.participant(voter_id)
        if voter_id in voted:
            raise AtelierError(_("This participant has already voted."))
        voted = tuple(sorted((*voted, voter_id)))
    ballots = tuple(sorted((*vote_round.ballots, ballot), key=ballot_key))
    new = replace(vote_round, ballots=ballots, voted=voted)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


@operation(N_("change a ballot"), undoable=False, sealed=True)
def replace_ballot(
    session: Session, round_id: int, previous: dict[str, int], marks: dict[str, int]
) -> Session:
    """A voter changes their secret ballot while the vote is open (a phone that votes
    again): one ballot equal to ``previous`` leaves the box, the new one goes in. Ballots
    that are equal cannot be told apart, so which one leaves says nothing about anyone."""
    vote_round = _open_round(session, round_id)
    old = check_ballot(vote_round, previous)
    new = check_ballot(vote_round, marks)
    ballots = list(vote_round.ballots)
    if old not in ballots:
        raise AtelierError(_("This ballot is no longer in the box."))
    ballots.remove(old)
    box = tuple(sorted((*ballots, new), key=ballot_key))
    changed = replace(vote_round, ballots=box)
    return replace(session, rounds=_replace_item(session.rounds, round_id, changed))


def _labels_of(session: Session, vote_round: VoteRound) -> dict[str, str]:
    """The labels of a round's options as they read now, kept with the round."""
    labels = dict(vote_round.labels)
    for option in vote_round.options:
        label = session.option_label(option)
        if label:
            labels[option] = label
    return labels


@operation(N_("close the vote"))
def close_round(session: Session, round_id: int) -> Session:
    """Close a round; the labels of its options are kept with it, so its result stays
    readable if a cluster is later dissolved or merged."""
    vote_round = _open_round(session, round_id)
    new = replace(vote_round, closed_at=clock.now_iso(), labels=_labels_of(session, vote_round))
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


@operation(N_("reopen the vote"))
def reopen_round(session: Session, round_id: int) -> Session:
    vote_round = session.round(round_id)
    if any(not r.closed_at and r.id != round_id for r in session.rounds):
        raise AtelierError(_("Close the current vote before starting another one."))
    new = replace(vote_round, closed_at=None)
    return replace(session, rounds=_replace_item(session.rounds, round_id, new))


# ---- decisions


def _decision_text(session: Session, text: object, link: str | None) -> tuple[str, str | None]:
    if link:
        key = str(link)
        label = session.option_label(key)
        if not label:
            raise AtelierError(_("Unknown link: {link}.").format(link=key))
        return clean_text(label, N_("The decision"), max_len=IDEA_MAX), key
    return clean_text(text, N_("The decision"), max_len=IDEA_MAX), None


@operation(N_("edit the decisions"))
def set_decisions(session: Session, items: Sequence[tuple[str, str | None]]) -> Session:
    """Replace « Decisions / priorities retained » by ``items``: (text, option key or None)
    in order. An option keeps its label as text, so it stays readable if it disappears."""
    records: list[Decision] = []
    seq = session.seq
    for order, (text, link) in enumerate(items, start=1):
        clean, key = _decision_text(session, text, link)
        number = seq.get("decisions", 0) + 1
        seq = {**seq, "decisions": number}
        records.append(Decision(number, clean, order, key))
    if len(records) > MAX_PARTICIPANTS:
        raise AtelierError(_("At most {limit} decisions.").format(limit=MAX_PARTICIPANTS))
    return replace(session, decisions=tuple(records), decisions_set=True, seq=seq)


@operation(N_("restore the default decisions"))
def reset_decisions(session: Session) -> Session:
    """Back to the default: the winners of the last vote."""
    return replace(session, decisions=(), decisions_set=False)
