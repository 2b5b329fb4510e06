"""Every named operation of the model: what it changes, and what it refuses with which message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pytest

from atelier import i18n, model, voting
from atelier.errors import AtelierError
from atelier.model import (
    Session,
    add_action,
    add_cluster,
    add_idea,
    add_participant,
    add_rule,
    adopt_rules,
    cast_ballot,
    clean_text,
    close_round,
    configure_vote,
    delete_action,
    delete_idea,
    delete_round,
    dissolve_cluster,
    edit_action,
    edit_idea,
    edit_rule,
    group_ideas,
    leave_phase,
    merge_clusters,
    merge_ideas,
    move_cluster,
    move_idea,
    move_rule,
    new_session,
    parse_date,
    remove_participant,
    remove_rule,
    rename_cluster,
    rename_participant,
    reopen_round,
    replace_ballot,
    set_idea_author,
    set_phase,
    set_planned_minutes,
    set_tally,
    set_voters,
    start_runoff,
    start_vote,
    timer_add_minute,
    timer_pause,
    timer_reset,
    timer_start,
    unadopt_rules,
    update_setup,
)

LONG = "x" * 10_000
LONE_SURROGATE = "before\ud800after"


def refuses(message: str, op: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """The call raises AtelierError with exactly this message."""
    with pytest.raises(AtelierError) as info:
        op(*args, **kwargs)
    assert info.value.message == message


def fresh(**options: Any) -> Session:
    return new_session("s-1", "Atelier test", lang="en", **options)


def populated() -> Session:
    """Two participants, two clusters, three ideas (two placed), one rule, one action."""
    s = fresh(rules=[("Listen", "To the end")], clusters=["Mobility", "Housing"])
    s = add_participant(s, "Alice")
    s = add_participant(s, "Bob")
    s = add_idea(s, "More bikes", 1)
    s = add_idea(s, "Cheaper rent", 2)
    s = add_idea(s, "Trams")
    s = move_idea(s, 1, 1)
    s = move_idea(s, 2, 2)
    return add_action(s, "Call the mayor")


# --------------------------------------------------------------------------- the registry

COVERED = {
    "add_note",
    "edit_note",
    "delete_note",
    "update_setup",
    "set_planned_minutes",
    "set_phase",
    "leave_phase",
    "timer_start",
    "timer_pause",
    "timer_add_minute",
    "timer_reset",
    "add_participant",
    "rename_participant",
    "remove_participant",
    "add_rule",
    "edit_rule",
    "remove_rule",
    "move_rule",
    "adopt_rules",
    "unadopt_rules",
    "add_idea",
    "edit_idea",
    "set_idea_author",
    "delete_idea",
    "merge_ideas",
    "move_idea",
    "group_ideas",
    "add_cluster",
    "rename_cluster",
    "move_cluster",
    "dissolve_cluster",
    "merge_clusters",
    "configure_vote",
    "start_vote",
    "start_runoff",
    "delete_round",
    "set_voters",
    "set_tally",
    "cast_ballot",
    "replace_ballot",
    "keep_tie",
    "set_decisions",
    "reset_decisions",
    "close_round",
    "reopen_round",
    "add_action",
    "edit_action",
    "delete_action",
}
NOT_UNDOABLE = {
    "cast_ballot",
    "replace_ballot",
    "set_phase",
    "leave_phase",
    "timer_start",
    "timer_pause",
    "timer_add_minute",
}


def test_every_operation_has_tests_here() -> None:
    """A new operation must get its tests in this file (then be added to COVERED)."""
    assert set(model.OPERATIONS) == COVERED


def test_operations_are_registered_with_a_label_and_undo_flag() -> None:
    for name, op in model.OPERATIONS.items():
        assert op.__name__ == name
        assert isinstance(op.label, str) and op.label  # type: ignore[attr-defined]
        assert op.undoable is (name not in NOT_UNDOABLE)  # type: ignore[attr-defined]
        assert name in model.__all__


def test_untouched_records_are_shared_so_the_store_can_diff_by_identity() -> None:
    s = populated()
    after = add_idea(s, "Car sharing")
    for name in ("participants", "clusters", "rules", "actions", "rounds", "ballots"):
        assert getattr(after, name) is getattr(s, name)
    assert all(a is b for a, b in zip(after.ideas, s.ideas, strict=False))
    edited = edit_idea(after, 2, "Cheaper rents")
    shared = [a is b for a, b in zip(edited.ideas, after.ideas, strict=True)]
    assert shared == [True, False, True, True]


# --------------------------------------------------------------------------- clean_text


def test_clean_text_strips_controls_ansi_and_spaces() -> None:
    raw = "  a\x00b\x1b[31mred\x1b[0m\tc\x07\x1b]0;title\x07 \u0085d\r\ne  "
    assert clean_text(raw, "The idea", max_len=100) == "abred c d e"


def test_clean_text_normalises_to_nfc() -> None:
    assert clean_text("e\u0301te\u0301", "The idea", max_len=10) == "\u00e9t\u00e9"


def test_clean_text_multiline_keeps_line_breaks() -> None:
    text = clean_text(" one  two \r\nthree\rfour\t\x1b[1mfive ", "x", max_len=100, multiline=True)
    assert text == "one two\nthree\nfour five"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "The idea is empty."),
        ("   \t\r\n ", "The idea is empty."),
        ("\x1b[31m\x00\x07", "The idea is empty."),
        (LONG, "The idea is too long (10,000 characters; at most 1,000)."),
        (LONE_SURROGATE, "The idea contains an invalid character (a lone surrogate)."),
        (None, "The idea: text expected."),
        (42, "The idea: text expected."),
    ],
    ids=["empty", "blank", "only-controls", "10000-chars", "surrogate", "none", "int"],
)
def test_clean_text_refusals(value: object, message: str) -> None:
    refuses(message, clean_text, value, "The idea", max_len=1000)


def test_clean_text_counts_after_cleaning() -> None:
    assert clean_text("\x1b[1m" + "y" * 10 + "\x1b[0m", "x", max_len=10) == "y" * 10


def test_refusal_messages_are_translated() -> None:
    i18n.set_language("fr")
    refuses("L’idée est vide.", clean_text, "", "The idea", max_len=10)
    refuses(
        "L’idée dépasse la longueur permise "
        "(10\u00a0000\u00a0caractères\u00a0; au plus 1\u00a0000).",
        clean_text,
        LONG,
        "The idea",
        max_len=1000,
    )
    refuses("Introuvable\u00a0: idée 9.", populated().idea, 9)


# --------------------------------------------------------------------------- every text field

TextOp = Callable[[Session, Any], Session]
TEXT_FIELDS: list[tuple[str, TextOp, str, int]] = [
    ("add_idea", lambda s, t: add_idea(s, t), "The idea", model.IDEA_MAX),
    ("edit_idea", lambda s, t: edit_idea(s, 1, t), "The idea", model.IDEA_MAX),
    ("add_participant", lambda s, t: add_participant(s, t), "The name", model.NAME_MAX),
    ("rename_participant", lambda s, t: rename_participant(s, 1, t), "The name", model.NAME_MAX),
    ("add_rule", lambda s, t: add_rule(s, t), "The rule", model.RULE_TITLE_MAX),
    ("edit_rule", lambda s, t: edit_rule(s, 1, t), "The rule", model.RULE_TITLE_MAX),
    ("add_cluster", lambda s, t: add_cluster(s, t), "The cluster name", model.LABEL_MAX),
    ("rename_cluster", lambda s, t: rename_cluster(s, 1, t), "The cluster name", model.LABEL_MAX),
    ("group_ideas", lambda s, t: group_ideas(s, [3], t), "The cluster name", model.LABEL_MAX),
    ("add_action", lambda s, t: add_action(s, t), "The action", model.ACTION_MAX),
    ("edit_action", lambda s, t: edit_action(s, 1, t), "The action", model.ACTION_MAX),
    ("update_setup", lambda s, t: update_setup(s, title=t), "The title", model.TITLE_MAX),
    ("new_session", lambda s, t: new_session("s-2", t), "The title", model.TITLE_MAX),
    ("configure_vote", lambda s, t: configure_vote(s, grades=[t, "b", "c"]), "The grade", 80),
]
OPTIONAL_TEXT: list[tuple[str, TextOp, str, int]] = [
    ("question", lambda s, t: update_setup(s, question=t), "The question", model.QUESTION_MAX),
    ("facilitator", lambda s, t: update_setup(s, facilitator=t), "The facilitator", 80),
    ("closing", lambda s, t: update_setup(s, closing_message=t), "The closing message", 300),
    ("explanation", lambda s, t: add_rule(s, "R", t), "The explanation", model.RULE_TEXT_MAX),
    ("owner", lambda s, t: add_action(s, "Do", t), "The owner", model.NAME_MAX),
    ("new question", lambda s, t: new_session("s-2", "T", question=t), "The question", 1000),
]


@pytest.mark.parametrize(
    ("name", "op", "what", "limit"), TEXT_FIELDS, ids=[f[0] for f in TEXT_FIELDS]
)
def test_text_fields_refuse_bad_text(name: str, op: TextOp, what: str, limit: int) -> None:
    s = populated()
    refuses(f"{what} is empty.", op, s, "")
    refuses(f"{what} is empty.", op, s, " \t\n\x1b[0m\x00 ")
    refuses(f"{what} is too long (10,000 characters; at most {limit:,}).", op, s, LONG)
    refuses(f"{what} contains an invalid character (a lone surrogate).", op, s, LONE_SURROGATE)
    refuses(f"{what}: text expected.", op, s, 12)
    assert isinstance(op(s, "ok \x1b[31mtext\x1b[0m\x07"), Session)
    assert isinstance(op(s, "y" * limit), Session)


@pytest.mark.parametrize(
    ("name", "op", "what", "limit"), OPTIONAL_TEXT, ids=[f[0] for f in OPTIONAL_TEXT]
)
def test_optional_text_fields(name: str, op: TextOp, what: str, limit: int) -> None:
    s = populated()
    assert isinstance(op(s, ""), Session)
    refuses(f"{what} is too long (10,000 characters; at most {limit:,}).", op, s, LONG)
    refuses(f"{what} contains an invalid character (a lone surrogate).", op, s, LONE_SURROGATE)


# --------------------------------------------------------------------------- new session


def test_new_session(frozen_clock: Any) -> None:
    s = new_session(
        "abc",
        "  Bienveillance\x1b[1m au travail ",
        lang="fr",
        question="Comment ?",
        template="bienveillance",
        rules=[("Écouter", "jusqu’au bout"), ("Parler", "")],
        clusters=["A", "B"],
        minutes={"ideation": 25},
    )
    assert s.title == "Bienveillance au travail"
    assert s.created_at == "2026-11-25T14:30:00+01:00" and s.date == "2026-11-25"
    assert [(r.id, r.title, r.order) for r in s.rules] == [(1, "Écouter", 1), (2, "Parler", 2)]
    assert [(c.id, c.label, c.order) for c in s.clusters] == [(1, "A", 1), (2, "B", 2)]
    assert s.timing("ideation").planned_minutes == 25
    assert s.timing("vote").planned_minutes == model.DEFAULT_MINUTES["vote"]
    assert set(s.phases) == set(model.PHASES)
    assert s.closing_message == model.DEFAULT_CLOSING["fr"]
    assert s.seq == {"rules": 2, "clusters": 2}
    assert new_session("x", "T", lang="de").lang == "fr"
    refuses("A cluster is already called “a”.", new_session, "x", "T", clusters=["A", "a"])


# --------------------------------------------------------------------------- setup


def test_update_setup(frozen_clock: Any) -> None:
    s = fresh()
    s = update_setup(
        s,
        title="New title",
        question="Why?",
        facilitator="Camille",
        date="1/12/2026",
        lang="fr",
        anonymous=1,
        participant_count=" 12 ",
        closing_message="Merci",
    )
    assert (s.title, s.question, s.facilitator, s.date, s.lang) == (
        "New title",
        "Why?",
        "Camille",
        "2026-12-01",
        "fr",
    )
    assert s.anonymous is True and s.participant_count == 12 and s.closing_message == "Merci"
    assert s.voter_count == 12
    assert update_setup(s, date="").date == "2026-11-25"
    refuses("Unknown language: de.", update_setup, s, lang="de")
    refuses("Unknown setting: colour.", update_setup, s, colour="red")
    refuses(
        "The number of participants: a value between 0 and 500 is expected.",
        update_setup,
        s,
        participant_count=-1,
    )
    refuses(
        "The number of participants: a whole number is expected.",
        update_setup,
        s,
        participant_count="twelve",
    )
    refuses(
        "Unknown date “31/02/2026”: write it as 25/11/2026.", update_setup, s, date="31/02/2026"
    )


def test_set_planned_minutes() -> None:
    s = set_planned_minutes(fresh(), "ideation", "30")
    assert s.timing("ideation").planned_minutes == 30
    refuses("Unknown phase: nope.", set_planned_minutes, s, "nope", 3)
    refuses(
        "The planned duration: a value between 0 and 600 is expected.",
        set_planned_minutes,
        s,
        "vote",
        601,
    )
    refuses(
        "The planned duration: a whole number is expected.", set_planned_minutes, s, "vote", 2.5
    )
    refuses(
        "The planned duration: a whole number is expected.", set_planned_minutes, s, "vote", None
    )
    refuses(
        "The planned duration: a whole number is expected.", set_planned_minutes, s, "vote", True
    )


def test_set_phase() -> None:
    s = fresh()
    for phase in model.PHASES:
        s = set_phase(s, phase)
        assert s.phase == phase
    refuses("Unknown phase: ../etc.", set_phase, s, "../etc")


def test_time_spent_counts_from_entering_to_leaving(frozen_clock: Any) -> None:
    s = set_phase(fresh(), "setup")  # opening the session: the clock of its phase starts
    frozen_clock.advance(120)
    s = set_phase(s, "ideation")
    frozen_clock.advance(600)
    assert s.timing("setup").spent() == 120 and s.timing("ideation").spent() == 600
    s = leave_phase(s)  # the session is closed: time stops counting
    assert leave_phase(s) is s
    frozen_clock.advance(3600)
    s = set_phase(s, "ideation")  # opened again
    frozen_clock.advance(60)
    timing = s.timing("ideation")
    assert timing.spent() == 660 and timing.timer_run() == 0 and timing.started_at is None
    # a file from before the phase clock only knows how long the countdown ran
    old = model.PhaseTime(10, spent_seconds=300.0)
    assert old.spent() == 300


# --------------------------------------------------------------------------- timer


def test_timer_start_pause_add_reset(frozen_clock: Any) -> None:
    s = set_planned_minutes(fresh(), "ideation", 10)
    s = timer_start(s, "ideation")
    timing = s.timing("ideation")
    assert (
        timing.running and timing.started_at == timing.running_since == "2026-11-25T14:30:00+01:00"
    )
    assert timer_start(s, "ideation") is s  # already running: nothing to change
    frozen_clock.advance(90)
    assert s.timing("ideation").elapsed() == 90
    assert s.timing("ideation").remaining() == 600 - 90
    s = timer_pause(s, "ideation")
    timing = s.timing("ideation")
    assert not timing.running and timing.timer_seconds == 90 and timing.spent_seconds == 90
    assert timing.stopped_at == "2026-11-25T14:31:30+01:00"
    assert timer_pause(s, "ideation") is s
    frozen_clock.advance(1000)  # paused: time does not count
    assert s.timing("ideation").remaining() == 510
    s = timer_add_minute(s, "ideation")
    assert s.timing("ideation").extra_seconds == 60 and s.timing("ideation").remaining() == 570
    s = timer_start(s, "ideation")
    frozen_clock.advance(30)
    s = timer_reset(s, "ideation")
    timing = s.timing("ideation")
    assert timing.elapsed() == 0 and timing.extra_seconds == 0 and timing.running
    assert timing.timer_run() == 120  # the time the countdown ran is never reset
    assert timing.running_since == s.timing("ideation").running_since  # so undo is safe
    assert timing.started_at == "2026-11-25T14:30:00+01:00"
    frozen_clock.advance(700)
    assert timing.remaining() == -100  # overtime
    for op in (timer_start, timer_pause, timer_add_minute, timer_reset):
        refuses("Unknown phase: lunch.", op, s, "lunch")


# --------------------------------------------------------------------------- participants


def test_add_participant() -> None:
    s = add_participant(fresh(), " Alice\x1b[0m ")
    assert [(p.id, p.name) for p in s.participants] == [(1, "Alice")]
    refuses("“ALICE” is already a participant.", add_participant, s, "ALICE")
    assert s.voter_count == 1


def test_participant_limit() -> None:
    s = fresh()
    for number in range(model.MAX_PARTICIPANTS):
        s = add_participant(s, f"P{number}")
    refuses("At most 500 participants.", add_participant, s, "One more")


def test_rename_participant() -> None:
    s = populated()
    s = rename_participant(s, 1, "Alicia")
    assert s.participant(1).name == "Alicia"
    assert rename_participant(s, 1, "ALICIA").participant(1).name == "ALICIA"
    refuses("“bob” is already a participant.", rename_participant, s, 1, "bob")
    refuses("Not found: participant 99.", rename_participant, s, 99, "Zoé")


def test_remove_participant_keeps_their_ideas_and_ballots() -> None:
    s = start_vote(populated(), mode="ballot")
    s = cast_ballot(s, 1, {"cluster:1": 1}, voter_id=1)
    s = remove_participant(s, 1)
    assert [p.id for p in s.participants] == [2]
    assert s.idea(1).text == "More bikes" and s.idea(1).author_id is None
    assert s.idea(2).author_id == 2
    assert s.ballots == ({"cluster:1": 1},) and s.round(1).voted == ()
    refuses("Not found: participant 1.", remove_participant, s, 1)
    s = merge_ideas(add_idea(s, "Bikes everywhere", 2), 2, 4)
    s = remove_participant(s, 2)
    assert s.idea(2).authors == ()


# --------------------------------------------------------------------------- rules


def test_add_and_edit_rule() -> None:
    s = add_rule(fresh(), "Écouter", "avec attention")
    s = add_rule(s, "Parler")
    assert [(r.id, r.title, r.explanation, r.order) for r in s.rules] == [
        (1, "Écouter", "avec attention", 1),
        (2, "Parler", "", 2),
    ]
    s = edit_rule(s, 2, "Parler avec intention", "pour le groupe")
    assert s.rule(2).explanation == "pour le groupe"
    refuses("Not found: rule 7.", edit_rule, s, 7, "x")


def test_remove_rule_renumbers() -> None:
    s = fresh(rules=[("A", ""), ("B", ""), ("C", "")])
    s = remove_rule(s, 1)
    assert [(r.id, r.order) for r in s.rules] == [(2, 1), (3, 2)]
    refuses("Not found: rule 1.", remove_rule, s, 1)


def test_move_rule() -> None:
    s = fresh(rules=[("A", ""), ("B", ""), ("C", "")])
    s = move_rule(s, 3, -1)
    assert [r.title for r in s.rules] == ["A", "C", "B"]
    assert [r.order for r in s.rules] == [1, 2, 3]
    assert [r.title for r in move_rule(s, 1, 10).rules] == ["C", "B", "A"]  # clamped
    assert [r.title for r in move_rule(s, 2, -10).rules] == ["B", "A", "C"]
    refuses("Not found: rule 9.", move_rule, s, 9, 1)


def test_adopt_and_unadopt_rules(frozen_clock: Any) -> None:
    refuses("There is no rule to adopt.", adopt_rules, fresh())
    s = adopt_rules(fresh(rules=[("A", "")]))
    assert s.rules_adopted_at == "2026-11-25T14:30:00+01:00"
    assert unadopt_rules(s).rules_adopted_at is None


# --------------------------------------------------------------------------- ideas


def test_add_idea(frozen_clock: Any) -> None:
    s = add_idea(populated(), "  Car\tsharing\n now ", author_id=2)
    idea = s.ideas[-1]
    assert (idea.id, idea.text, idea.author_id, idea.cluster_id) == (4, "Car sharing now", 2, None)
    assert idea.created_at == "2026-11-25T14:30:00+01:00"
    assert s.author_name(idea) == "Bob" and s.author_name(s.idea(3)) == ""
    refuses("Not found: participant 7.", add_idea, s, "x", 7)
    hostile = add_idea(s, "[/] [bold]<script>=cmd|' /C calc'!A0").ideas[-1].text
    assert hostile == "[/] [bold]<script>=cmd|' /C calc'!A0"  # data, kept as typed


def test_ids_are_never_reused() -> None:
    s = delete_idea(populated(), 3)
    assert add_idea(s, "Again").ideas[-1].id == 4


def test_edit_idea() -> None:
    s = populated()
    assert edit_idea(s, 1, " More bikes ") is s  # same text: nothing changes
    s = edit_idea(s, 1, "More bike lanes")
    assert s.idea(1).text == "More bike lanes" and s.idea(1).cluster_id == 1
    refuses("Not found: idea 99.", edit_idea, s, 99, "x")


def test_set_idea_author() -> None:
    s = set_idea_author(populated(), 3, 1)
    assert s.idea(3).author_id == 1
    assert set_idea_author(s, 3, None).idea(3).author_id is None
    refuses("Not found: participant 5.", set_idea_author, s, 3, 5)
    refuses("Not found: idea 9.", set_idea_author, s, 9, 1)


def test_delete_idea_unlinks_actions() -> None:
    s = add_action(populated(), "Study", link="idea:3")
    s = delete_idea(s, 3)
    assert [i.id for i in s.ideas] == [1, 2]
    assert s.action(2).link is None
    refuses("Not found: idea 3.", delete_idea, s, 3)


def test_merge_ideas_keeps_every_text() -> None:
    s = add_action(populated(), "Study", link="idea:2")
    s = merge_ideas(s, 3, 2)
    assert [i.id for i in s.ideas] == [1, 3]
    assert s.idea(3).merged == ("Cheaper rent",)
    assert s.action(2).link == "idea:3"
    s = merge_ideas(s, 1, 3)
    assert s.idea(1).merged == ("Trams", "Cheaper rent")
    refuses("An idea cannot be merged with itself.", merge_ideas, s, 1, 1)
    # every author stays credited: Alice wrote #1, Bob #2 (merged into #3, then into #1)
    assert s.idea(1).author_id == 1 and s.idea(1).coauthors == (2,)
    assert s.author_counts() == {1: 1, 2: 1}
    assert s.author_name(s.idea(1)) == "Alice, Bob"
    refuses("Not found: idea 3.", merge_ideas, s, 1, 3)


def test_move_idea() -> None:
    s = populated()
    s = move_idea(s, 3, 2)
    assert [i.id for i in s.ideas_in(2)] == [2, 3]
    assert move_idea(s, 3, 2) is s
    s = move_idea(s, 3, None)
    assert [i.id for i in s.ideas_in(None)] == [3]
    refuses("Not found: cluster 9.", move_idea, s, 3, 9)
    refuses("Not found: idea 9.", move_idea, s, 9, 1)


def test_group_ideas() -> None:
    s = group_ideas(populated(), [1, 3], "Transport")
    assert s.clusters[-1].label == "Transport" and s.clusters[-1].order == 3
    assert s.idea(3).cluster_id == 3 and s.idea(1).cluster_id == 1  # placed idea stays
    s = group_ideas(s, [1], "Bikes", move_placed=True)
    assert s.idea(1).cluster_id == 4
    refuses("Not found: idea 42.", group_ideas, s, [1, 42], "Other")
    refuses("A cluster is already called “Bikes”.", group_ideas, s, [2], "Bikes")


# --------------------------------------------------------------------------- clusters


def test_add_and_rename_cluster() -> None:
    s = add_cluster(populated(), "Culture")
    assert [(c.id, c.label, c.order) for c in s.clusters][-1] == (3, "Culture", 3)
    refuses("A cluster is already called “culture”.", add_cluster, s, "culture")
    s = rename_cluster(s, 3, "CULTURE")  # itself, another case: allowed
    assert s.cluster(3).label == "CULTURE"
    refuses("A cluster is already called “mobility”.", rename_cluster, s, 3, "mobility")
    refuses("Not found: cluster 8.", rename_cluster, s, 8, "x")


def test_move_cluster() -> None:
    s = add_cluster(populated(), "Culture")
    s = move_cluster(s, 3, -2)
    assert [(c.label, c.order) for c in s.clusters] == [
        ("Culture", 1),
        ("Mobility", 2),
        ("Housing", 3),
    ]
    refuses("Not found: cluster 8.", move_cluster, s, 8, 1)


def test_dissolve_cluster_loses_no_idea() -> None:
    s = add_action(populated(), "Plan", link="cluster:1")
    s = dissolve_cluster(s, 1)
    assert [c.id for c in s.clusters] == [2] and s.clusters[0].order == 1
    assert len(s.ideas) == 3 and s.idea(1).cluster_id is None
    assert s.action(2).link is None
    refuses("Not found: cluster 1.", dissolve_cluster, s, 1)


def test_merge_clusters() -> None:
    s = add_action(populated(), "Plan", link="cluster:1")
    s = merge_clusters(s, 1, 2)
    assert [c.id for c in s.clusters] == [2]
    assert [i.id for i in s.ideas_in(2)] == [1, 2]
    assert s.action(2).link == "cluster:2"
    refuses("A cluster cannot be merged with itself.", merge_clusters, s, 2, 2)
    refuses("Not found: cluster 1.", merge_clusters, s, 1, 2)


# --------------------------------------------------------------------------- vote settings


def test_configure_vote() -> None:
    s = configure_vote(fresh(), method="mj", target="ideas", mode="ballot")
    assert (s.vote.method, s.vote.target, s.vote.mode) == ("mj", "ideas", "ballot")
    s = configure_vote(s, dots_per_voter="4", max_per_option=2, grades=[" Top ", "Mid", "Low"])
    assert s.vote.dots_per_voter == 4 and s.vote.max_per_option == 2
    assert s.vote.grades == ("Top", "Mid", "Low")
    assert configure_vote(s, dots_per_voter=None).vote.dots_per_voter is None
    refuses("Unknown vote method: borda.", configure_vote, s, method="borda")
    refuses("Unknown vote target: people.", configure_vote, s, target="people")
    refuses("Unknown vote mode: online.", configure_vote, s, mode="online")
    refuses("Unknown setting: colour.", configure_vote, s, colour="red")
    refuses(
        "The number of dots: a value between 1 and 100 is expected.",
        configure_vote,
        s,
        dots_per_voter=0,
    )
    refuses(
        "The number of dots per option: a value between 1 and 100 is expected.",
        configure_vote,
        s,
        max_per_option=101,
    )
    refuses("Number of grades: 2 is not between 3 and 10.", configure_vote, s, grades=["a", "b"])


def test_configure_vote_on_a_young_session() -> None:
    """Regression: the default cap of 3 dots per option was checked against 1 default dot."""
    s = configure_vote(fresh(), method="mj")
    assert configure_vote(s, dots_per_voter=2).vote.dots_per_voter == 2


# --------------------------------------------------------------------------- vote rounds


def dot_round() -> Session:
    """populated() with its main dot vote on the two clusters started: 2 voters, 1 dot each."""
    return start_vote(populated(), mode="ballot")


def test_start_vote(frozen_clock: Any) -> None:
    refuses(
        "Nothing to vote on: add ideas, or put ideas into clusters, first.", start_vote, fresh()
    )
    s = start_vote(populated())
    r = s.main_round
    assert r is not None and r.id == 1 and r.options == ("cluster:1", "cluster:2")
    assert r.dots_per_voter == voting.default_dots_per_voter(2) and r.max_per_option == 1
    assert r.voters == 2 and r.created_at == "2026-11-25T14:30:00+01:00"
    assert r.grades == voting.default_grades("en")
    assert s.option_label("cluster:1") == "Mobility" and s.option_label("cluster:9") == ""
    refuses("Close the current vote before starting another one.", start_vote, s)
    ideas = start_vote(configure_vote(populated(), target="ideas"))
    assert ideas.main_round is not None
    assert ideas.main_round.options == ("idea:1", "idea:2", "idea:3")


def test_start_runoff() -> None:
    s = dot_round()
    refuses("A run-off needs at least two options of the vote.", start_runoff, s, 1, ["cluster:1"])
    refuses(
        "A run-off needs at least two options of the vote.",
        start_runoff,
        s,
        1,
        ["cluster:1", "cluster:9"],
    )
    refuses("Not found: vote round 5.", start_runoff, s, 5, ["cluster:1", "cluster:2"])
    s = set_tally(s, 1, "cluster:1", [1])
    refuses(
        "Close the current vote before starting another one.",
        start_runoff,
        s,
        1,
        ["cluster:1", "cluster:2"],
    )
    s = close_round(s, 1)
    s = start_runoff(s, 1, ["cluster:2", "cluster:1", "cluster:2"])
    runoff = s.round(2)
    assert runoff.parent_id == 1 and runoff.options == ("cluster:2", "cluster:1")
    assert runoff.tallies == {} and runoff.closed_at is None
    assert s.main_round is s.round(1)


def test_delete_round_removes_runoffs_and_ballots() -> None:
    s = dot_round()
    s = cast_ballot(s, 1, {"cluster:1": 1})
    s = start_runoff(close_round(s, 1), 1, ["cluster:1", "cluster:2"])
    s = cast_ballot(s, 2, {"cluster:2": 1})
    s = delete_round(s, 1)
    assert s.rounds == () and s.ballots == ()
    refuses("Not found: vote round 1.", delete_round, s, 1)
    assert start_vote(s).main_round is not None  # the vote can start again


def test_set_voters() -> None:
    s = set_voters(dot_round(), 1, "5")
    assert s.round(1).voters == 5
    refuses("The number of voters: a whole number is expected.", set_voters, s, 1, "many")
    refuses("The number of voters: a value between 0 and 500 is expected.", set_voters, s, 1, 501)
    s = set_tally(s, 1, "cluster:1", [4])
    with pytest.raises(AtelierError):  # 4 dots cannot come from 3 voters with 1 dot
        set_voters(s, 1, 3)


def test_set_tally_dot() -> None:
    s = set_tally(dot_round(), 1, "cluster:2", [2])
    assert s.round(1).tallies == {"cluster:2": (2,)}
    refuses("A dot tally is one number.", set_tally, s, 1, "cluster:1", [1, 1])
    refuses("Unknown vote option: cluster:9.", set_tally, s, 1, "cluster:9", [1])
    refuses(
        "Mobility: A total of 3 dots is above the limit of 2: "
        "2 voters × at most 1 dots on one option.",
        set_tally,
        s,
        1,
        "cluster:1",
        [3],
    )
    with pytest.raises(AtelierError):  # 2 + 1 dots from 2 voters with 1 dot each
        set_tally(s, 1, "cluster:1", [1])
    with pytest.raises(AtelierError):
        set_tally(s, 1, "cluster:1", [-1])


def test_set_tally_majority_judgment() -> None:
    s = start_vote(configure_vote(populated(), method="mj"))
    s = set_tally(s, 1, "cluster:1", [0, 0, 0, 0, 0, 1, 1])
    assert s.round(1).tallies["cluster:1"] == (0, 0, 0, 0, 0, 1, 1)
    refuses(
        "Housing: The tally has 2 grades but the scale has 7.",
        set_tally,
        s,
        1,
        "cluster:2",
        [1, 1],
    )
    with pytest.raises(AtelierError):  # 3 grades from 2 voters
        set_tally(s, 1, "cluster:2", [1, 1, 1, 0, 0, 0, 0])


def test_cast_ballot(frozen_clock: Any) -> None:
    s = cast_ballot(dot_round(), 1, {"cluster:1": 1}, voter_id=1)
    assert s.round(1).ballots == ({"cluster:1": 1},)  # no voter, no time, no number
    assert s.round(1).voted == (1,)  # who voted is kept apart
    refuses("This participant has already voted.", cast_ballot, s, 1, {"cluster:2": 1}, 1)
    refuses("Unknown vote option: cluster:9.", cast_ballot, s, 1, {"cluster:9": 1})
    refuses("Not found: participant 9.", cast_ballot, s, 1, {"cluster:2": 1}, 9)
    refuses(
        "Option 1: 2 is more than the 1 dots allowed on one option.",
        cast_ballot,
        s,
        1,
        {"cluster:1": 2},
    )
    refuses("Not found: vote round 3.", cast_ballot, s, 3, {})


def test_replace_ballot_swaps_one_equal_ballot_and_keeps_the_box_canonical() -> None:
    s = cast_ballot(dot_round(), 1, {"cluster:2": 1})
    s = cast_ballot(s, 1, {"cluster:1": 1})
    s = replace_ballot(s, 1, {"cluster:2": 1}, {"cluster:1": 1})
    assert s.round(1).ballots == ({"cluster:1": 1}, {"cluster:1": 1})
    refuses("This ballot is no longer in the box.", replace_ballot, s, 1, {"cluster:2": 1}, {})
    refuses(
        "Option 1: 2 is more than the 1 dots allowed on one option.",
        replace_ballot,
        s,
        1,
        {"cluster:1": 1},
        {"cluster:1": 2},
    )
    assert s.round(1).ballots == ({"cluster:1": 1}, {"cluster:1": 1})  # refused: unchanged
    refuses("This vote is closed.", replace_ballot, close_round(s, 1), 1, {"cluster:1": 1}, {})


def test_cast_ballot_anonymous_session_stores_no_name() -> None:
    s = update_setup(populated(), anonymous=True, participant_count=10)
    s = cast_ballot(start_vote(s, mode="ballot"), 1, {"cluster:2": 1}, voter_id=1)
    assert s.ballots == ({"cluster:2": 1},) and s.round(1).voted == ()
    assert s.round(1).voters == 10


def test_cast_ballot_majority_judgment() -> None:
    s = start_vote(configure_vote(populated(), method="mj", mode="ballot"))
    s = cast_ballot(s, 1, {"cluster:1": 6, "cluster:2": None})
    assert s.ballots[0] == {"cluster:1": 6}
    refuses(
        "Option 2: Grade 7 does not exist; grades go from 0 to 6.",
        cast_ballot,
        s,
        1,
        {"cluster:2": 7},
    )


def test_close_and_reopen_round(frozen_clock: Any) -> None:
    s = cast_ballot(dot_round(), 1, {"cluster:1": 1})
    s = close_round(s, 1)
    assert s.round(1).closed_at == "2026-11-25T14:30:00+01:00"
    refuses("This vote is closed.", close_round, s, 1)
    refuses("This vote is closed.", set_tally, s, 1, "cluster:1", [1])
    refuses("This vote is closed.", set_voters, s, 1, 4)
    refuses("This vote is closed.", cast_ballot, s, 1, {"cluster:2": 1})
    s = reopen_round(s, 1)
    assert s.round(1).closed_at is None
    refuses("Not found: vote round 4.", reopen_round, s, 4)
    refuses("Not found: vote round 4.", close_round, s, 4)


# --------------------------------------------------------------------------- actions


def test_add_action() -> None:
    s = add_action(populated(), "Write to the mayor", " Alice ", "25/11/26", "cluster:2")
    action = s.actions[-1]
    assert (action.id, action.what, action.owner, action.due, action.link) == (
        2,
        "Write to the mayor",
        "Alice",
        "2026-11-25",
        "cluster:2",
    )
    for link in ("cluster:9", "idea:x", "foo:1", "cluster", "../1"):
        refuses(f"Unknown link: {link}.", add_action, s, "x", link=link)
    refuses("Unknown date “tomorrow”: write it as 25/11/2026.", add_action, s, "x", due="tomorrow")
    assert add_action(s, "x", due="").actions[-1].due is None


def test_edit_action() -> None:
    s = edit_action(populated(), 1, "Call the mayor twice", "Bob", "2026-12-01", "idea:3")
    action = s.action(1)
    assert (action.what, action.owner, action.due, action.link) == (
        "Call the mayor twice",
        "Bob",
        "2026-12-01",
        "idea:3",
    )
    refuses("Not found: action 9.", edit_action, s, 9, "x")
    refuses("Unknown link: idea:9.", edit_action, s, 1, "x", link="idea:9")


def test_delete_action() -> None:
    s = delete_action(populated(), 1)
    assert s.actions == ()
    refuses("Not found: action 1.", delete_action, s, 1)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("25/11/2026", "2026-11-25"),
        ("25/11/26", "2026-11-25"),
        ("25.11.2026", "2026-11-25"),
        ("5-1-2026", "2026-01-05"),
        (" 2026-11-25 ", "2026-11-25"),
        ("29/02/2028", "2028-02-29"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2026", "29/02/2027", "2026/11/25", "25 nov", "00/00/0000"])
def test_parse_date_refuses(text: str) -> None:
    refuses(f"Unknown date “{text}”: write it as 25/11/2026.", parse_date, text)


def test_parse_date_message_is_short() -> None:
    with pytest.raises(AtelierError) as info:
        parse_date("9" * 1000)
    assert len(info.value.message) < 100


def test_records_are_immutable() -> None:
    s = populated()
    with pytest.raises(AttributeError):
        s.title = "x"  # type: ignore[misc]
    assert {f.name for f in fields(s)} >= {"ideas", "clusters", "rounds"}


# --------------------------------------------------------------------------- report header, parking


def test_setup_takes_the_report_header_fields(frozen_clock: Any) -> None:
    s = model.new_session("x", "Atelier")
    s = model.update_setup(
        s, place="  Salle  du conseil ", start_time="9h30", end_time="12", next_meeting="Bilan"
    )
    assert (s.place, s.start_time, s.end_time, s.next_meeting) == (
        "Salle du conseil",
        "09:30",
        "12:00",
        "Bilan",
    )
    for accepted, stored in (("14:05", "14:05"), ("9.45", "09:45"), ("8 h", "08:00"), ("", "")):
        assert model.update_setup(s, start_time=accepted).start_time == stored
    for refused in ("25:00", "9:75", "midi", "[/]"):
        with pytest.raises(AtelierError, match="14:30"):
            model.update_setup(s, end_time=refused)
    with pytest.raises(AtelierError):
        model.update_setup(s, place="x" * (model.PLACE_MAX + 1))


def test_parking_notes_and_quotes_are_kept_from_any_phase(frozen_clock: Any) -> None:
    s = model.set_phase(model.new_session("x", "Atelier"), "ideation")
    s = model.add_note(s, "Le parking \x1b[31mrouge\x1b[0m est trop petit")
    s = model.add_note(s, "Ligne 1\nLigne 2", "note")
    s = model.add_note(s, "« Enfin ! »", "quote")
    assert [(n.id, n.kind, n.phase) for n in s.notes] == [
        (1, "parking", "ideation"),
        (2, "note", "ideation"),
        (3, "quote", "ideation"),
    ]
    assert s.notes[0].text == "Le parking rouge est trop petit"  # no escape reaches a screen
    assert s.notes[1].text == "Ligne 1\nLigne 2"
    s = model.edit_note(s, 1, "[/] <b>parking</b>")
    assert s.note(1).text == "[/] <b>parking</b>"  # data, kept as typed
    s = model.delete_note(s, 2)
    assert [n.id for n in s.notes] == [1, 3]
    for bad in (
        (model.add_note, ("  ",)),
        (model.add_note, ("x", "secret")),
        (model.edit_note, (9, "x")),
    ):
        with pytest.raises(AtelierError):
            bad[0](s, *bad[1])
    with pytest.raises(AtelierError):
        model.add_note(s, "x" * (model.NOTE_MAX + 1))
