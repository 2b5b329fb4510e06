"""Property: whatever a facilitator does, the file on disk holds exactly the session in memory,
undo of everything then redo of everything gives it back, and the undo log survives restarts."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier import clock, codec, model, store
from atelier.errors import AtelierError
from atelier.store import OpenSession, SessionFolder

START = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=1)))
#: Fields of a phase timing that only non-undoable operations (the timer) change.
TIMER_FIELDS = (
    "extra_seconds",
    "timer_seconds",
    "spent_seconds",
    "running_since",
    "started_at",
    "stopped_at",
    "present_seconds",
    "entered_at",
)
#: a timer reset can be undone: after undoing everything the countdown is the one from
#: before the first reset, which the property does not model.
COUNTDOWN_FIELDS = ("extra_seconds", "timer_seconds")


def countdown_free(document: dict[str, Any]) -> dict[str, Any]:
    copy = json.loads(json.dumps(document))
    for timing in copy[codec.META_TABLE]["1"]["phases"].values():
        for name in COUNTDOWN_FIELDS:
            timing.pop(name, None)
    return copy


ids = st.integers(min_value=1, max_value=5)
maybe_id = st.none() | ids
rounds = st.integers(min_value=1, max_value=2)
counts = st.lists(st.integers(0, 2), min_size=1, max_size=1) | st.lists(
    st.integers(0, 1), min_size=7, max_size=7
)
texts = (
    st.sampled_from(["Vélos", "Logement", "Culture", "Parcs", "Écoute", "Alice", "Bob", "[/]"])
    | st.sampled_from(
        [
            "plus de VÉLOS",
            "[bold]x[/bold]",
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
            "\x1b[31mred\x1b[0m",
            "a\x00b",
            "  spaced   out  ",
            "",
            "x" * 1001,
            "ok\ud800",
            "🎉 émoji",
            "ligne\nsuivante",
        ]
    )
    | st.text(max_size=12)
)
phases = st.sampled_from([*model.PHASES, "nope"])
options = st.sampled_from(["cluster:1", "cluster:2", "cluster:3", "idea:1", "idea:2", "idea:4"])
marks = st.dictionaries(options, st.integers(0, 2), max_size=2)
links = st.none() | options | st.just("foo:1")


def step(name: str, *args: Any, **kwargs: Any) -> Any:
    return st.tuples(st.just(name), st.tuples(*args), st.fixed_dictionaries(kwargs))


STEPS = st.one_of(
    # ideas
    step("add_idea", texts, maybe_id),
    step("add_idea", st.sampled_from(["idea A", "idea B", "idea C"])),
    step("edit_idea", ids, texts),
    step("delete_idea", ids),
    step("move_idea", ids, maybe_id),
    step("merge_ideas", ids, ids),
    step("set_idea_author", ids, maybe_id),
    step("group_ideas", st.lists(ids, max_size=3), texts, move_placed=st.booleans()),
    # clusters
    step("add_cluster", texts),
    step("add_cluster", st.sampled_from(["Mobility", "Housing", "Culture"])),
    step("rename_cluster", ids, texts),
    step("merge_clusters", ids, ids),
    step("dissolve_cluster", ids),
    step("move_cluster", ids, st.integers(-3, 3)),
    # participants and rules
    step("add_participant", texts),
    step("rename_participant", ids, texts),
    step("remove_participant", ids),
    step("add_rule", texts, texts),
    step("edit_rule", ids, texts, texts),
    step("remove_rule", ids),
    step("move_rule", ids, st.integers(-3, 3)),
    step("adopt_rules"),
    step("unadopt_rules"),
    # actions
    step(
        "add_action", texts, texts, st.sampled_from([None, "", "25/11/2026", "31/02/2026"]), links
    ),
    step("edit_action", ids, texts, texts, st.none(), links),
    step("delete_action", ids),
    # setup
    step("update_setup", title=texts),
    step("update_setup", question=texts, anonymous=st.booleans()),
    step("update_setup", participant_count=st.integers(-1, 30), lang=st.sampled_from(["fr", "en"])),
    step("set_planned_minutes", phases, st.integers(-1, 700)),
    # vote
    step(
        "configure_vote",
        method=st.sampled_from(["dot", "mj"]),
        target=st.sampled_from(["clusters", "ideas"]),
    ),
    step("configure_vote", dots_per_voter=st.none() | st.integers(0, 5)),
    step("start_vote"),
    step("set_voters", rounds, st.integers(0, 12)),
    step("set_tally", rounds, options, counts),
    step("cast_ballot", rounds, marks, maybe_id),
    step("configure_vote", mode=st.sampled_from(["tally", "ballot"])),
    step("keep_tie", rounds, st.lists(options, min_size=1, max_size=2)),
    step("close_round", rounds),
    step("reopen_round", rounds),
    step("start_runoff", rounds, st.lists(options, max_size=3)),
    step("delete_round", rounds),
    # time and phase: not undoable
    step("set_phase", phases),
    step("timer_start", phases),
    step("timer_pause", phases),
    step("timer_add_minute", phases),
    step("timer_reset", phases),
    step("tick", st.integers(1, 600)),
    # the facilitator's own moves
    step("undo"),
    step("redo"),
    step("restart"),
)


def seeded(start: str) -> model.Session:
    """An empty session, or one with something in every collection (so that most steps find
    their ids), or one whose vote has started."""
    if start == "empty":
        return model.new_session("seeded", "Atelier", lang="en")
    s = model.new_session(
        "seeded", "Atelier", lang="en", rules=[("Listen", ""), ("Speak", "")], clusters=["A", "B"]
    )
    s = model.add_participant(model.add_participant(s, "Alice"), "Bob")
    for number, author in ((1, 1), (2, 2), (3, None), (4, None)):
        s = model.add_idea(s, f"idea {number}", author)
    s = model.move_idea(model.move_idea(s, 1, 1), 2, 2)
    s = model.add_action(s, "Call the mayor", link="cluster:1")
    return model.start_vote(s) if start == "voting" else s


def doc(opened: OpenSession) -> dict[str, Any]:
    return codec.to_document(opened.session)


def on_disk(opened: OpenSession) -> dict[str, Any]:
    path = opened.path
    return codec.to_document(codec.from_document(store.read_document(path), path.stem))


def without_undo(initial: dict[str, Any], final: dict[str, Any]) -> dict[str, Any]:
    """What undoing every edit must give: the initial session with the phase and the timers
    as they are now (time is not an edit, so undo leaves it alone)."""
    expected = codec.to_document(codec.from_document(initial, "x"))
    meta, now = expected[codec.META_TABLE]["1"], final[codec.META_TABLE]["1"]
    meta["phase"] = now["phase"]
    for phase, timing in meta["phases"].items():
        for name in TIMER_FIELDS:
            timing[name] = now["phases"][phase][name]
    return expected


def run(folder: SessionFolder, session_id: str, steps: list[Any]) -> OpenSession:
    """Play the steps; a refused operation must change nothing at all."""
    opened = folder.open(session_id)
    for name, args, kwargs in steps:
        if name == "tick":
            clock.freeze(clock.now() + timedelta(seconds=args[0]))
        elif name == "undo":
            opened.undo()
        elif name == "redo":
            opened.redo()
        elif name == "restart":
            assert on_disk(opened) == doc(opened)
            opened.close()
            opened = folder.open(session_id)
        else:
            before, log = doc(opened), opened.undo_steps()
            try:
                opened.apply(model.OPERATIONS[name], *args, **kwargs)
            except AtelierError:
                assert doc(opened) == before and opened.undo_steps() == log
                assert not opened.dirty
    return opened


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.sampled_from(["empty", "seeded", "voting"]), st.lists(STEPS, max_size=30))
def test_any_sequence_survives_restart_undo_and_redo(start: str, steps: list[Any]) -> None:
    clock.freeze(START)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = SessionFolder(Path(tmp))
            session_id = folder.save_new(seeded(start))
            with folder.open(session_id) as first:
                initial = doc(first)

            opened = run(folder, session_id, steps)
            final = doc(opened)
            assert on_disk(opened) == final
            opened.close()

            with folder.open(session_id) as reopened:
                assert doc(reopened) == final
                count = len(reopened.undo_steps())
                assert count <= len(steps)
                undone = []
                for _step in range(count):
                    assert reopened.undo() is not None
                    undone.append(doc(reopened))
                assert reopened.undo() is None
                if not reopened.session.ballots:  # a secret ballot is never undone
                    assert countdown_free(doc(reopened)) == countdown_free(
                        without_undo(initial, final)
                    )
                for _step in range(count):
                    assert reopened.redo() is not None
                assert doc(reopened) == final == on_disk(reopened)

            with folder.open(session_id) as again:  # the log survived another restart
                assert len(again.undo_steps()) == count
                if count:
                    again.undo()
                    assert doc(again) == undone[0] == on_disk(again)
    finally:
        clock.freeze(None)
