"""A session document from outside the running program, checked as strictly as typed input.

Session files and JSON imports can be edited by hand, cut short or forged: before a single
record is built, every field is checked here, and the first problem is refused with a
message naming the record and the field (« ideas #3 : text doit être un texte »).

The checks are mostly *derived*: every field of every record is type-checked from its
dataclass annotation in :mod:`atelier.model` (``str``, ``int``, ``float``, ``bool``,
``X | None``, ``tuple[X, ...]``, ``dict[str, X]``, nested records), so a new field with a
plain annotation is checked without a change here. Every number must lie between 0 and
:data:`NUMBER_LIMIT` and every text must be storable as UTF-8. The tables below add what
annotations cannot say, reusing the model's own limits and validators: text limits
(:data:`TEXTS`), narrower ranges (:data:`RANGES`), closed choices (:data:`CHOICES`), dates,
timestamps (fields named ``*_at`` or ``*_since``) and the references between records.

Id counters (``seq``) are *repaired*, never trusted: a counter missing or below an id the
document uses (records, vote options, action links, the undo log) is raised to it, so a
new record never reuses an id.
"""

from __future__ import annotations

import re
import types
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, fields, is_dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any, NoReturn, Union, get_args, get_origin, get_type_hints

from atelier import model, voting
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model import (
    Action,
    Cluster,
    Decision,
    Idea,
    Note,
    Participant,
    PhaseTime,
    Rule,
    Session,
    VoteRound,
    VoteSettings,
)

#: Deepest nesting a session document can need (table → record → field → value…): deeper
#: documents are refused before anything recurses into them.
MAX_DEPTH = 32
#: Every number in a session lies in 0…NUMBER_LIMIT (ids, counts, seconds, dots).
NUMBER_LIMIT = 10**9
#: Texts no table below limits (ids of templates, option keys…).
TEXT_LIMIT = 10_000

_SURROGATE = re.compile("[\ud800-\udfff]")
#: what model.clean_text would change in a one-line text (controls, runs of spaces, tabs)
_UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f]|  ")
_UNCLEAN_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]|  | \n|\n ")  # line breaks kept
_KEY = re.compile(r"[1-9][0-9]{0,8}\Z")  # a record id as a table key, in canonical form
_OPTION = re.compile(r"(cluster|idea):([1-9][0-9]{0,8})\Z")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls, vars(model))


@cache
def _shape(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    return get_origin(hint), get_args(hint)


# --------------------------------------------------------------------------- the tables

#: (record, field) → (what the model calls it, longest, shortest, multiline)
TEXTS: dict[tuple[type, str], tuple[str, int, int]] = {
    (Session, "title"): (N_("The title"), model.TITLE_MAX, 1),
    (Session, "question"): (N_("The question"), model.QUESTION_MAX, 0),
    (Session, "facilitator"): (N_("The facilitator"), model.NAME_MAX, 0),
    (Session, "closing_message"): (N_("The closing message"), model.MESSAGE_MAX, 0),
    (Session, "template"): (N_("The template"), model.LABEL_MAX, 0),
    (Participant, "name"): (N_("The name"), model.NAME_MAX, 1),
    (Rule, "title"): (N_("The rule"), model.RULE_TITLE_MAX, 1),
    (Rule, "explanation"): (N_("The explanation"), model.RULE_TEXT_MAX, 0),
    (Idea, "text"): (N_("The idea"), model.IDEA_MAX, 1),
    (Idea, "merged"): (N_("The idea"), model.IDEA_MAX, 1),
    (Cluster, "label"): (N_("The cluster name"), model.LABEL_MAX, 1),
    (Action, "what"): (N_("The action"), model.ACTION_MAX, 1),
    (Action, "owner"): (N_("The owner"), model.NAME_MAX, 0),
    (Decision, "text"): (N_("The decision"), model.IDEA_MAX, 1),
    (Session, "place"): (N_("The place"), model.PLACE_MAX, 0),
    (Session, "next_meeting"): (N_("The next meeting"), model.MESSAGE_MAX, 0),
    (Note, "text"): (N_("The note"), model.NOTE_MAX, 1),
    (VoteSettings, "grades"): (N_("The grade"), model.LABEL_MAX, 1),
    (VoteRound, "grades"): (N_("The grade"), model.LABEL_MAX, 1),
}

#: (record, field) → (lowest, highest), narrower than 0…NUMBER_LIMIT.
RANGES: dict[tuple[type, str], tuple[int, int]] = {
    (Session, "participant_count"): (0, model.MAX_PARTICIPANTS),
    (PhaseTime, "planned_minutes"): (0, model.MAX_MINUTES),
    (VoteSettings, "dots_per_voter"): (1, voting.MAX_DOTS_PER_VOTER),
    (VoteSettings, "max_per_option"): (1, voting.MAX_DOTS_PER_VOTER),
    (VoteRound, "dots_per_voter"): (1, voting.MAX_DOTS_PER_VOTER),
    (VoteRound, "max_per_option"): (1, voting.MAX_DOTS_PER_VOTER),
    (VoteRound, "voters"): (0, model.MAX_PARTICIPANTS),
}

#: Numbers that may be below zero, within -NUMBER_LIMIT…NUMBER_LIMIT: a countdown reset
#: while running restarts from a negative time, so that the seconds already run count.
SIGNED: set[tuple[type, str]] = {(PhaseTime, "timer_seconds")}

#: (record, field) → the values it may take.
CHOICES: dict[tuple[type, str], tuple[str, ...]] = {
    (Session, "lang"): ("fr", "en"),
    (Session, "phase"): model.PHASES,
    (VoteSettings, "method"): model.VOTE_METHODS,
    (VoteSettings, "target"): model.VOTE_TARGETS,
    (VoteSettings, "mode"): model.VOTE_MODES,
    (VoteRound, "method"): model.VOTE_METHODS,
    (VoteRound, "mode"): model.VOTE_MODES,
    (Note, "kind"): model.NOTE_KINDS,
    (Note, "phase"): ("", *model.PHASES),
}

#: Calendar dates, stored as ISO (2026-11-25); typed forms (25/11/2026) are normalised.
DATES: set[tuple[type, str]] = {(Session, "date"), (Action, "due")}

#: Texts whose line breaks are kept (a note, a quote).
MULTILINE: set[tuple[type, str]] = {(Note, "text")}

#: Times of day, stored as 14:30 (typed forms such as 9h30 are normalised).
TIMES: set[tuple[type, str]] = {(Session, "start_time"), (Session, "end_time")}


def _is_timestamp(name: str) -> bool:
    return name.endswith(("_at", "_since"))


# --------------------------------------------------------------------------- refusals


def _shown(value: object) -> str:
    """A value quoted in a message: no control character, at most 40 characters."""
    return model.strip_controls(str(value))[:40]


def refuse(where: str, problem: str) -> NoReturn:
    raise AtelierError(_("{where}: {problem}").format(where=where, problem=problem))


def _type_error(where: str, name: str, hint: Any) -> NoReturn:
    origin = get_origin(hint) or hint
    if origin is str:
        refuse(where, _("{field} must be a text.").format(field=name))
    if origin is bool:
        refuse(where, _("{field} must be true or false.").format(field=name))
    if origin is int:
        refuse(where, _("{field} must be a whole number.").format(field=name))
    if origin is float:
        refuse(where, _("{field} must be a number.").format(field=name))
    if origin in (tuple, list):
        refuse(where, _("{field} must be a list.").format(field=name))
    refuse(where, _("{field} must be a JSON object.").format(field=name))


def _out_of_range(where: str, name: str, low: int, high: int) -> NoReturn:
    refuse(
        where,
        _("{field} must be between {low} and {high}.").format(field=name, low=low, high=high),
    )


def _missing(where: str, name: str, what: str, number: object) -> NoReturn:
    refuse(
        where,
        _("{field} refers to {what} {id}, which does not exist.").format(
            field=name, what=_(what), id=_shown(number)
        ),
    )


def _unknown(where: str, name: str, value: object) -> NoReturn:
    refuse(where, _("{field}: unknown value “{value}”.").format(field=name, value=_shown(value)))


# --------------------------------------------------------------------------- types


def check_depth(document: object, limit: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than any session needs, without recursion (so a file of
    100,000 nested lists is refused instead of exhausting the stack)."""
    if not isinstance(document, dict | list):
        return
    stack: list[tuple[dict[Any, Any] | list[Any], int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            raise AtelierError(
                _("The data is nested too deeply (more than {limit} levels).").format(limit=limit)
            )
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))


def _text(value: object, where: str, name: str) -> str:
    if not isinstance(value, str):
        _type_error(where, name, str)
    if len(value) > TEXT_LIMIT:
        _out_of_range(where, f"len({name})", 0, TEXT_LIMIT)
    if _SURROGATE.search(value):
        refuse(
            where, _("{field} contains an invalid character (a lone surrogate).").format(field=name)
        )
    return value


def convert(value: object, hint: Any, where: str, name: str, signed: bool = False) -> Any:
    """``value`` as read from JSON, checked against a type annotation and converted (lists
    become tuples, objects become records)."""
    origin, args = _shape(hint)
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if value is None and len(options) < len(args):
            return None
        for option in options[:-1]:
            try:
                return convert(value, option, where, name, signed)
            except AtelierError:
                continue
        return convert(value, options[-1], where, name, signed)
    if hint is str:
        return _text(value, where, name)
    if hint is bool:
        if not isinstance(value, bool):
            _type_error(where, name, bool)
        return value
    if hint is int or hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            _type_error(where, name, hint)
        if hint is int and not isinstance(value, int):
            _type_error(where, name, int)
        lowest = -NUMBER_LIMIT if signed else 0
        if not lowest <= value <= NUMBER_LIMIT:  # also NaN and infinities (never in range)
            _out_of_range(where, name, lowest, NUMBER_LIMIT)
        return float(value) if hint is float else value
    if origin in (tuple, list):
        if not isinstance(value, list | tuple):
            _type_error(where, name, hint)
        if len(args) == 2 and args[1] is Ellipsis:
            items = [convert(v, args[0], where, f"{name}[{i}]") for i, v in enumerate(value)]
        elif args:
            if len(value) != len(args):
                _type_error(where, name, hint)
            items = [
                convert(v, a, where, f"{name}[{i}]")
                for i, (v, a) in enumerate(zip(value, args, strict=True))
            ]
        else:
            items = list(value)
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            _type_error(where, name, hint)
        key_hint, value_hint = args or (Any, Any)
        return {
            convert(k, key_hint, where, name): convert(v, value_hint, where, f"{name}.{_shown(k)}")
            for k, v in value.items()
        }
    if isinstance(hint, type) and is_dataclass(hint):
        if not isinstance(value, dict):
            _type_error(where, name, hint)
        return hint(**record_values(hint, value, where, f"{name}."))
    return value  # an annotation this checker does not know: kept as read


def record_values(
    cls: type, data: Mapping[str, Any], where: str, prefix: str = "", skip: Iterable[str] = ()
) -> dict[str, Any]:
    """The fields of a ``cls`` record read from ``data``: unknown keys are ignored (a newer
    minor version may add some), a missing field takes its default or is refused."""
    values: dict[str, Any] = {}
    for field, hint, required, default, ruled in _plan(cls):
        if field in skip:
            continue
        name = prefix + field
        if field not in data:
            if required:
                refuse(where, _("{field} is missing.").format(field=name))
            continue
        value = convert(data[field], hint, where, name, (cls, field) in SIGNED)
        values[field] = _field_rules(cls, field, value, default, where, name) if ruled else value
    return values


@cache
def _plan(cls: type) -> tuple[tuple[str, Any, bool, Any, bool], ...]:
    """Per field: name, annotation, required, default, whether a table above names it."""
    return tuple(
        (
            spec.name,
            _hints(cls)[spec.name],
            spec.default is MISSING and spec.default_factory is MISSING,
            spec.default,
            any((cls, spec.name) in table for table in (TEXTS, RANGES, CHOICES, DATES, TIMES))
            or _is_timestamp(spec.name),
        )
        for spec in fields(cls)
    )


def _field_rules(cls: type, field: str, value: Any, default: Any, where: str, name: str) -> Any:
    """The checks of the tables above for one field already type-checked."""
    key = (cls, field)
    if value is None:
        return None
    if key in TEXTS:
        what, longest, shortest = TEXTS[key]
        clean = _cleaner(what, longest, shortest, where, key in MULTILINE)
        return tuple(clean(v) for v in value) if isinstance(value, tuple) else clean(value)
    if key in RANGES and isinstance(value, int | float):
        low, high = RANGES[key]
        if not low <= value <= high:
            _out_of_range(where, name, low, high)
    if key in CHOICES and value not in CHOICES[key]:
        _unknown(where, name, value)
    if key in DATES:
        try:
            day = model.parse_date(value)
        except AtelierError:
            day = None
        if day is None:
            refuse(
                where,
                _("{field} is not a date: “{value}”.").format(field=name, value=_shown(value)),
            )
        return day
    if key in TIMES:
        try:
            return model.parse_time(value)
        except AtelierError:
            refuse(
                where,
                _("{field} is not a time of day: “{value}”.").format(
                    field=name, value=_shown(value)
                ),
            )
    if _is_timestamp(field) and isinstance(value, str) and (value or default != ""):
        check_timestamp(value, where, name)
    return value


def _cleaner(
    what: str, longest: int, shortest: int, where: str, multiline: bool = False
) -> Callable[[str], str]:
    unclean = _UNCLEAN_LINES if multiline else _UNCLEAN

    def clean(text: str) -> str:
        if (  # already clean, as atelier writes it: the common case, kept cheap
            shortest <= len(text) <= longest
            and text == text.strip()
            and not unclean.search(text)
            and unicodedata.is_normalized("NFC", text)
        ):
            return text
        try:
            return model.clean_text(
                text, what, max_len=longest, min_len=shortest, multiline=multiline
            )
        except AtelierError as error:
            refuse(where, error.message)

    return clean


def check_timestamp(value: str, where: str, name: str) -> None:
    """An ISO date and time with its UTC offset, as :func:`atelier.clock.now_iso` writes."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        refuse(
            where,
            _("{field} is not a date and time: “{value}”.").format(field=name, value=_shown(value)),
        )


# --------------------------------------------------------------------------- documents


def table_rows(document: Mapping[str, Any], table: str) -> dict[int, Any]:
    """The rows of one table by id; an absent or empty table has none."""
    rows = document.get(table)
    if rows is None:
        return {}
    if not isinstance(rows, dict):
        refuse(table, _("{field} must be a JSON object.").format(field=table))
    out: dict[int, Any] = {}
    for key, row in rows.items():
        if not isinstance(key, str) or not _KEY.match(key):
            refuse(
                table,
                _("{field}: unknown value “{value}”.").format(field="id", value=_shown(key)),
            )
        out[int(key)] = row
    return out


def record_from_row(
    cls: type, table: str, number: int, row: object, where: str = "", prefix: str = ""
) -> Any:
    """One record of a table, its id taken from the table's key (and checked against the
    id the row repeats)."""
    where = where or f"{table} #{number}"
    if not isinstance(row, dict):
        field = prefix.rstrip(".") or where
        refuse(where, _("{field} must be a JSON object.").format(field=field))
    if "id" in row and row["id"] != number:
        _unknown(where, f"{prefix}id", row["id"])
    return cls(id=number, **record_values(cls, row, where, prefix, skip=("id",)))


def _position(record: Any) -> tuple[int, int]:
    """Records with an ``order`` (rules, clusters) are kept in it; the others by id."""
    return (getattr(record, "order", 0), record.id)


def session_from_document(
    document: Mapping[str, Any],
    session_id: str,
    collections: Mapping[str, type],
    meta_table: str,
    log_tables: Iterable[str] = (),
    kept_log: str = "",
) -> Session:
    """Every record of a (migrated) session document, checked, then the whole session."""
    meta_rows = table_rows(document, meta_table)
    if 1 not in meta_rows:
        refuse(meta_table, _("{field} is missing.").format(field=meta_table))
    meta = meta_rows[1]
    if not isinstance(meta, dict):
        refuse(meta_table, _("{field} must be a JSON object.").format(field=meta_table))
    values = record_values(Session, meta, meta_table, skip=("id", *collections))
    for name, cls in collections.items():
        rows = table_rows(document, name).items()
        records = [record_from_row(cls, name, n, row) for n, row in rows]
        values[name] = tuple(sorted(records, key=_position))
    # a pile of ballots says nothing of who voted when: canonical order, whatever the file's
    values["rounds"] = tuple(
        replace(
            r, ballots=tuple(sorted(r.ballots, key=model.ballot_key)), voted=tuple(sorted(r.voted))
        )
        for r in values["rounds"]
    )
    session = Session(id=session_id, **values)
    logged = {name: set[int]() for name in collections}
    for table in log_tables:
        ids = logged if table == kept_log else {name: set[int]() for name in collections}
        check_log(document, table, collections, meta_table, ids)
    check_session(session, meta_table)
    return with_counters(session, logged)


# --------------------------------------------------------------------------- the whole session


def _option(key: str) -> tuple[str, int] | None:
    match = _OPTION.match(key)
    return (match[1], int(match[2])) if match else None


def check_session(session: Session, meta: str) -> None:
    """The references between records and the vote's own rules."""
    people = {p.id for p in session.participants}
    clusters = {c.id for c in session.clusters}
    ideas = {i.id for i in session.ideas}
    rounds = {r.id: r for r in session.rounds}
    for phase in session.phases:
        if phase not in model.PHASES:
            _unknown(meta, "phases", phase)
    grades = session.vote.grades
    if grades and not voting.MIN_GRADES <= len(grades) <= voting.MAX_GRADES:
        _out_of_range(meta, "len(vote.grades)", voting.MIN_GRADES, voting.MAX_GRADES)
    if len(session.participants) > model.MAX_PARTICIPANTS:
        _out_of_range("participants", "len(participants)", 0, model.MAX_PARTICIPANTS)
    for idea in session.ideas:
        where = f"ideas #{idea.id}"
        if idea.author_id is not None and idea.author_id not in people:
            _missing(where, "author_id", N_("participant"), idea.author_id)
        if idea.cluster_id is not None and idea.cluster_id not in clusters:
            _missing(where, "cluster_id", N_("cluster"), idea.cluster_id)
        for coauthor in idea.coauthors:
            if coauthor not in people:
                _missing(where, "coauthors", N_("participant"), coauthor)
    for action in session.actions:
        if action.link is not None:
            link = _option(action.link)
            if link is None:
                _unknown(f"actions #{action.id}", "link", action.link)
            if link[1] not in (clusters if link[0] == "cluster" else ideas):
                _missing(f"actions #{action.id}", "link", link[0], link[1])
    for vote_round in session.rounds:
        _check_round(vote_round, rounds, people)
    for decision in session.decisions:
        if decision.link is not None and _option(decision.link) is None:
            _unknown(f"decisions #{decision.id}", "link", decision.link)


def _check_round(vote_round: VoteRound, rounds: Mapping[int, VoteRound], people: set[int]) -> None:
    where = f"rounds #{vote_round.id}"
    if not vote_round.options:
        refuse(where, _("{field} is missing.").format(field="options"))
    if len(set(vote_round.options)) != len(vote_round.options):
        refuse(where, _("{field}: an option appears twice.").format(field="options"))
    for option in vote_round.options:
        if _option(option) is None:
            _unknown(where, "options", option)
    if vote_round.max_per_option > vote_round.dots_per_voter:
        _out_of_range(where, "max_per_option", 1, vote_round.dots_per_voter)
    if not voting.MIN_GRADES <= len(vote_round.grades) <= voting.MAX_GRADES:
        _out_of_range(where, "len(grades)", voting.MIN_GRADES, voting.MAX_GRADES)
    if vote_round.parent_id is not None:
        parent = rounds.get(vote_round.parent_id)
        if parent is None:
            _missing(where, "parent_id", N_("vote round"), vote_round.parent_id)
        if parent.id >= vote_round.id:  # a run-off comes after its round (so: no cycle)
            _unknown(where, "parent_id", vote_round.parent_id)
        if any(o not in parent.options for o in vote_round.options):
            refuse(where, _("A run-off needs at least two options of the vote."))
    if vote_round.source_id is not None:
        source = rounds.get(vote_round.source_id)
        if source is None:
            _missing(where, "source_id", N_("vote round"), vote_round.source_id)
        if source.id >= vote_round.id:  # a shortlist comes after the vote it is drawn from
            _unknown(where, "source_id", vote_round.source_id)
    for name, keys in (("labels", vote_round.labels), ("kept_ties", vote_round.kept_ties)):
        for option in keys:
            if option not in vote_round.options:
                _unknown(where, name, option)
    if len(set(vote_round.voted)) != len(vote_round.voted):
        refuse(where, _("This participant has already voted."))
    for voter in vote_round.voted:
        if voter not in people:
            _missing(where, "voted", N_("participant"), voter)
    for number, marks in enumerate(vote_round.ballots):
        _check_ballot(marks, vote_round, f"{where} ballots[{number}]")
    for option in vote_round.tallies:
        if option not in vote_round.options:
            _unknown(where, "tallies", option)
    try:
        for option, counts in vote_round.tallies.items():
            model.check_tally(vote_round, counts, option)  # as the tally screen checks it
        if vote_round.method == "dot":
            voting.validate_dot_totals(
                [t[0] for t in vote_round.tallies.values()],
                vote_round.voters,
                vote_round.dots_per_voter,
            )
    except AtelierError as error:
        refuse(where, error.message)


def _check_ballot(marks: Mapping[str, int], vote_round: VoteRound, where: str) -> None:
    for option in marks:
        if option not in vote_round.options:
            _unknown(where, "marks", option)
    try:
        model.check_ballot(vote_round, dict(marks))  # the rules a ballot is cast with
    except AtelierError as error:
        refuse(where, error.message)


# --------------------------------------------------------------------------- undo log


def check_log(
    document: Mapping[str, Any],
    table: str,
    collections: Mapping[str, type],
    meta_table: str,
    logged: dict[str, set[int]],
) -> None:
    """Undo/redo steps as the store replays them: ``{"label", "at", "changes": [[table,
    key, before, after], …]}``; every record they would restore is checked like a row, and
    its id noted so counters never hand it out again."""
    for number, entry in table_rows(document, table).items():
        where = f"{table} #{number}"
        if not isinstance(entry, dict):
            refuse(where, _("{field} must be a JSON object.").format(field=where))
        convert(entry.get("label"), str, where, "label")
        check_timestamp(convert(entry.get("at"), str, where, "at"), where, "at")
        changes = convert(entry.get("changes"), tuple[Any, ...], where, "changes")
        for i, change in enumerate(changes):
            name = f"changes[{i}]"
            target, key, before, after = convert(change, tuple[str, Any, Any, Any], where, name)
            if target == meta_table:
                if not isinstance(key, str) or not key:
                    _unknown(where, name, key)
                for state in (before, after):
                    _check_meta_leaf(key, state, where, f"{name}.{_shown(key)}")
                continue
            if target not in collections:
                _unknown(where, name, target)
            if isinstance(key, bool) or not isinstance(key, int | str) or not _KEY.match(str(key)):
                _unknown(where, name, key)
            for state in (before, after):
                if state is not None:
                    record_from_row(collections[target], target, int(key), state, where, f"{name}.")
            logged[target].add(int(key))


#: how the store's undo log marks a setting that did not exist before (or after) a change
_ABSENT = {"__missing__": True}


def _check_meta_leaf(dotted: str, value: object, where: str, name: str) -> None:
    """One setting an undo step would restore (``"title"``, ``"phases.vote.planned_minutes"``,
    ``"seq.ideas"``), checked like the same field of the session, so undoing never makes a
    session its own checks would refuse. Keys no field of the session names are left to
    the check of the whole session after the step."""
    if value == _ABSENT:
        return
    owner: type | None = Session
    hint: Any = None
    field: tuple[type, str] | None = None
    for part in dotted.split("."):
        if owner is not None:  # a field of a record
            hint = _hints(owner).get(part)
            if hint is None:
                return
            field = (owner, part)
        else:  # an entry of a dict (phases, seq)
            origin, args = _shape(hint)
            if origin is not dict:
                return
            hint, field = args[1], None
        owner = hint if isinstance(hint, type) and is_dataclass(hint) else None
    value = convert(value, hint, where, name, field in SIGNED)
    if field is not None:
        plan = {f: (default, ruled) for f, _h, _r, default, ruled in _plan(field[0])}
        default, ruled = plan[field[1]]
        if ruled:
            _field_rules(*field, value, default, where, name)


# --------------------------------------------------------------------------- counters


def with_counters(session: Session, logged: Mapping[str, set[int]]) -> Session:
    """The session with each id counter at least the highest id it has ever handed out."""
    used = {name: set(ids) for name, ids in logged.items()}
    for name in used:
        used[name].update(r.id for r in getattr(session, name))
    for option in (
        *(o for r in session.rounds for o in r.options),
        *(a.link for a in session.actions if a.link),
    ):
        parsed = _option(option)
        if parsed is not None:
            used.setdefault(f"{parsed[0]}s", set()).add(parsed[1])
    seq = dict(session.seq)
    for name, ids in used.items():
        if ids and max(ids) > seq.get(name, 0):
            seq[name] = max(ids)
    return session if seq == session.seq else replace(session, seq=seq)
