"""Operations of setup and rules: a new session, its settings, timers, participants
and the charter of rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from atelier import clock
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model.ideas import add_cluster
from atelier.model.phases import DEFAULT_MINUTES, PHASES
from atelier.model.records import (
    DEFAULT_CLOSING,
    MAX_MINUTES,
    MAX_PARTICIPANTS,
    MESSAGE_MAX,
    NAME_MAX,
    PLACE_MAX,
    QUESTION_MAX,
    RULE_TEXT_MAX,
    RULE_TITLE_MAX,
    TITLE_MAX,
    Participant,
    PhaseTime,
    Rule,
    Session,
    VoteSettings,
)
from atelier.model.registry import (
    _check_phase,
    _int_in,
    _moved,
    _next_id,
    _renumber,
    _replace_item,
    operation,
)
from atelier.model.text import (
    clean_text,
    parse_date,
    parse_time,
)
from atelier.model.votes import configure_vote


def new_session(
    session_id: str,
    title: str,
    *,
    lang: str = "fr",
    question: str = "",
    template: str = "",
    rules: Sequence[tuple[str, str]] = (),
    clusters: Sequence[str] = (),
    minutes: dict[str, int] | None = None,
    vote: VoteSettings | None = None,
    closing_message: str | None = None,
) -> Session:
    """A fresh session, validated, with its charter and any clusters prepared in advance."""
    now = clock.now_iso()
    lang = lang if lang in ("fr", "en") else "fr"
    session = Session(
        id=session_id,
        title=clean_text(title, N_("The title"), max_len=TITLE_MAX),
        question=clean_text(question, N_("The question"), max_len=QUESTION_MAX, min_len=0),
        created_at=now,
        date=clock.today().isoformat(),
        lang=lang,
        template=template,
        closing_message=clean_text(
            DEFAULT_CLOSING[lang] if closing_message is None else closing_message,
            N_("The closing message"),
            max_len=MESSAGE_MAX,
            min_len=0,
        ),
        phases={p: PhaseTime((minutes or {}).get(p, DEFAULT_MINUTES[p])) for p in PHASES},
    )
    if vote is not None:  # from a template file: checked like settings typed in setup
        names: tuple[str, ...] = VoteSettings.__slots__  # type: ignore[attr-defined]
        session = configure_vote(session, **{name: getattr(vote, name) for name in names})
    for rule_title, explanation in rules:
        session = add_rule(session, rule_title, explanation)
    for label in clusters:
        session = add_cluster(session, label)
    return session


# ---- setup


@operation(N_("edit the setup"))
def update_setup(session: Session, **fields: Any) -> Session:
    """Change any of title, question, facilitator, place, date, start_time, end_time,
    next_meeting, lang, anonymous, participant_count, closing_message (the setup fields)."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            changes[name] = clean_text(value, N_("The title"), max_len=TITLE_MAX)
        elif name == "question":
            changes[name] = clean_text(value, N_("The question"), max_len=QUESTION_MAX, min_len=0)
        elif name == "facilitator":
            changes[name] = clean_text(value, N_("The facilitator"), max_len=NAME_MAX, min_len=0)
        elif name == "closing_message":
            changes[name] = clean_text(
                value, N_("The closing message"), max_len=MESSAGE_MAX, min_len=0
            )
        elif name == "place":
            changes[name] = clean_text(value, N_("The place"), max_len=PLACE_MAX, min_len=0)
        elif name == "next_meeting":
            changes[name] = clean_text(
                value, N_("The next meeting"), max_len=MESSAGE_MAX, min_len=0
            )
        elif name in ("start_time", "end_time"):
            changes[name] = parse_time(value)
        elif name == "date":
            changes[name] = parse_date(value) or clock.today().isoformat()
        elif name == "lang":
            if value not in ("fr", "en"):
                raise AtelierError(_("Unknown language: {lang}.").format(lang=value))
            changes[name] = value
        elif name == "anonymous":
            changes[name] = bool(value)
        elif name == "participant_count":
            changes[name] = _int_in(value, N_("The number of participants"), 0, MAX_PARTICIPANTS)
        else:
            raise AtelierError(_("Unknown setting: {name}.").format(name=name))
    return replace(session, **changes)


@operation(N_("change a planned duration"))
def set_planned_minutes(session: Session, phase: str, minutes: object) -> Session:
    _check_phase(phase)
    value = _int_in(minutes, N_("The planned duration"), 0, MAX_MINUTES)
    timing = replace(session.timing(phase), planned_minutes=value)
    return replace(session, phases={**session.phases, phase: timing})


@operation(N_("change phase"), undoable=False)
def set_phase(session: Session, phase: str) -> Session:
    """Go to a phase: the time spent in the one left is recorded, the new one's starts.
    Setting the phase already current (opening the session) starts its clock afresh: the
    end of an interval cut by a crash is unknown, so it is not counted."""
    _check_phase(phase)
    now = clock.now_iso()
    phases = dict(session.phases)
    if phase != session.phase:
        left = session.timing(session.phase)
        phases[session.phase] = replace(left, present_seconds=left.present(now), entered_at=None)
    phases[phase] = replace(session.timing(phase), entered_at=now)
    return replace(session, phase=phase, phases=phases)


@operation(N_("leave the session"), undoable=False)
def leave_phase(session: Session) -> Session:
    """The session is closed: the time spent in its phase stops counting."""
    timing = session.timing(session.phase)
    if timing.entered_at is None:
        return session
    left = replace(timing, present_seconds=timing.present(clock.now_iso()), entered_at=None)
    return _set_timing(session, session.phase, left)


# ---- timer (not undoable: time is not an edit; a reset is, it wipes the countdown)


def _set_timing(session: Session, phase: str, timing: PhaseTime) -> Session:
    return replace(session, phases={**session.phases, phase: timing})


@operation(N_("start the timer"), undoable=False)
def timer_start(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    if timing.running:
        return session
    now = clock.now_iso()
    return _set_timing(
        session, phase, replace(timing, running_since=now, started_at=timing.started_at or now)
    )


@operation(N_("pause the timer"), undoable=False)
def timer_pause(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    if not timing.running:
        return session
    now = clock.now_iso()
    paused = replace(
        timing,
        timer_seconds=timing.elapsed(now),
        spent_seconds=timing.timer_run(now),
        running_since=None,
        stopped_at=now,
    )
    return _set_timing(session, phase, paused)


@operation(N_("add a minute"), undoable=False)
def timer_add_minute(session: Session, phase: str) -> Session:
    _check_phase(phase)
    timing = session.timing(phase)
    return _set_timing(session, phase, replace(timing, extra_seconds=timing.extra_seconds + 60))


@operation(N_("reset the timer"))
def timer_reset(session: Session, phase: str) -> Session:
    """Restart the countdown; the time already spent stays recorded. Only the countdown's
    own fields change (a running timer keeps its start, its elapsed base goes below zero),
    so ctrl+z brings the countdown back without stopping or starting the timer."""
    _check_phase(phase)
    timing = session.timing(phase)
    base = timing.timer_seconds - timing.elapsed(clock.now_iso())
    return _set_timing(session, phase, replace(timing, extra_seconds=0, timer_seconds=base))


# ---- participants


@operation(N_("add a participant"))
def add_participant(session: Session, name: str) -> Session:
    clean = clean_text(name, N_("The name"), max_len=NAME_MAX)
    if any(p.name.casefold() == clean.casefold() for p in session.participants):
        raise AtelierError(_("“{name}” is already a participant.").format(name=clean))
    if len(session.participants) >= MAX_PARTICIPANTS:
        raise AtelierError(_("At most {limit} participants.").format(limit=MAX_PARTICIPANTS))
    number, seq = _next_id(session, "participants")
    person = Participant(number, clean)
    return replace(session, participants=(*session.participants, person), seq=seq)


@operation(N_("rename a participant"))
def rename_participant(session: Session, participant_id: int, name: str) -> Session:
    person = session.participant(participant_id)
    clean = clean_text(name, N_("The name"), max_len=NAME_MAX)
    if any(
        p.name.casefold() == clean.casefold() and p.id != participant_id
        for p in session.participants
    ):
        raise AtelierError(_("“{name}” is already a participant.").format(name=clean))
    return replace(
        session,
        participants=_replace_item(session.participants, person.id, replace(person, name=clean)),
    )


@operation(N_("remove a participant"))
def remove_participant(session: Session, participant_id: int) -> Session:
    """Their ideas stay, without author: an idea is never lost with its author."""
    session.participant(participant_id)
    ideas = tuple(
        replace(
            i,
            author_id=None if i.author_id == participant_id else i.author_id,
            coauthors=tuple(a for a in i.coauthors if a != participant_id),
        )
        if participant_id in i.authors
        else i
        for i in session.ideas
    )
    rounds = tuple(
        replace(r, voted=tuple(v for v in r.voted if v != participant_id))
        if participant_id in r.voted
        else r
        for r in session.rounds
    )
    return replace(
        session,
        participants=_replace_item(session.participants, participant_id, None),
        ideas=ideas,
        rounds=rounds,
    )


# ---- rules


@operation(N_("add a rule"))
def add_rule(session: Session, title: str, explanation: str = "") -> Session:
    rule_title = clean_text(title, N_("The rule"), max_len=RULE_TITLE_MAX)
    text = clean_text(explanation, N_("The explanation"), max_len=RULE_TEXT_MAX, min_len=0)
    number, seq = _next_id(session, "rules")
    rule = Rule(number, rule_title, text, len(session.rules) + 1)
    return replace(session, rules=(*session.rules, rule), seq=seq)


@operation(N_("edit a rule"))
def edit_rule(session: Session, rule_id: int, title: str, explanation: str = "") -> Session:
    rule = session.rule(rule_id)
    new = replace(
        rule,
        title=clean_text(title, N_("The rule"), max_len=RULE_TITLE_MAX),
        explanation=clean_text(
            explanation, N_("The explanation"), max_len=RULE_TEXT_MAX, min_len=0
        ),
    )
    return replace(session, rules=_replace_item(session.rules, rule_id, new))


@operation(N_("remove a rule"))
def remove_rule(session: Session, rule_id: int) -> Session:
    session.rule(rule_id)
    return replace(session, rules=_renumber(_replace_item(session.rules, rule_id, None)))


@operation(N_("move a rule"))
def move_rule(session: Session, rule_id: int, delta: int) -> Session:
    session.rule(rule_id)
    return replace(session, rules=_moved(session.rules, rule_id, delta))


@operation(N_("adopt the rules"))
def adopt_rules(session: Session) -> Session:
    if not session.rules:
        raise AtelierError(_("There is no rule to adopt."))
    return replace(session, rules_adopted_at=clock.now_iso())


@operation(N_("withdraw the adoption of the rules"))
def unadopt_rules(session: Session) -> Session:
    return replace(session, rules_adopted_at=None)
