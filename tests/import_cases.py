"""Valid session documents to damage on purpose (imports, session files), and the checks an
accepted document must pass: it shows, exports in every format and takes a new idea."""

from __future__ import annotations

import copy
import json
import tempfile
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from atelier import clock, codec, demo, export, model, summary
from atelier.model import Session
from atelier.store import SessionFolder

AT = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=1)))


@cache
def _demo_document() -> dict[str, Any]:
    return codec.to_document(demo.demo_session())


@cache
def _big_document() -> dict[str, Any]:
    """Every kind of record: named majority-judgment ballots on ideas, a run-off, merged
    ideas, actions linked to ideas and clusters, a running timer, 60 ideas."""
    previous = clock._frozen
    clock.freeze(AT)
    try:
        s = model.new_session("big", "Grand atelier", lang="en", question="How?")
        for name in ("Awa", "Bruno", "Chloé", "Djamel"):
            s = model.add_participant(s, name)
        s = model.add_rule(s, "Listen", "with care")
        for n in range(60):
            s = model.add_idea(s, f"Idea {n} — « quoted »", 1 + n % 4)
        s = model.add_cluster(s, "Time")
        s = model.add_cluster(s, "Space")
        for idea in s.ideas[:10]:
            s = model.move_idea(s, idea.id, s.clusters[idea.id % 2].id)
        s = model.merge_ideas(s, 1, 2)
        s = model.delete_idea(s, 3)
        s = model.timer_start(s, "vote")
        s = model.configure_vote(s, method="mj", target="ideas", mode="ballot")
        s = model.start_vote(s)
        main = s.main_round
        assert main is not None
        options = main.options
        for voter in (1, 2, 3):
            marks = {option: (voter + i) % len(main.grades) for i, option in enumerate(options)}
            s = model.cast_ballot(s, main.id, marks, voter)
        s = model.close_round(s, main.id)
        s = model.start_runoff(s, main.id, options[:2])
        s = model.cast_ballot(s, s.rounds[-1].id, {options[0]: 1, options[1]: 0}, 4)
        s = model.close_round(s, s.rounds[-1].id)
        s = model.add_action(s, "Write it down", "Awa", "2026-12-01", "idea:4")
        s = model.add_action(s, "Tell everyone", "", None, f"cluster:{s.clusters[0].id}")
        return codec.to_document(s)
    finally:
        clock.freeze(previous)


def demo_document() -> dict[str, Any]:
    """The demo workshop (a closed paper dot vote) as a session file / JSON export holds it."""
    return copy.deepcopy(_demo_document())


def big_document() -> dict[str, Any]:
    return copy.deepcopy(_big_document())


def usable(session: Session) -> None:
    """What the facilitator does next with an accepted file: read it, export it in every
    format, add an idea (which must get an id no record has ever had)."""
    assert summary.overview_text(session)
    for fmt in export.FORMATS:
        assert export.render(session, fmt)
    used = {i.id for i in session.ideas}
    for vote_round in session.rounds:
        used |= {int(o.split(":")[1]) for o in vote_round.options if o.startswith("idea:")}
    used |= {int(a.link.split(":")[1]) for a in session.actions if (a.link or "")[:5] == "idea:"}
    after = model.add_idea(session, "Une idée de plus")
    new = after.ideas[-1]
    assert new.id not in used and new.text == "Une idée de plus"
    assert codec.to_document(codec.from_document(codec.to_document(after), "again"))


@cache
def _file_document() -> dict[str, Any]:
    """A session file as the store leaves it: undo and redo logs included."""
    previous = clock._frozen
    clock.freeze(AT)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = SessionFolder(Path(tmp))
            session_id = folder.create("Atelier journalisé")
            with folder.open(session_id) as handle:
                handle.apply(model.add_participant, "Awa")
                for text in ("un", "deux", "trois"):
                    handle.apply(model.add_idea, text, 1)
                handle.apply(model.add_cluster, "Thème")
                handle.apply(model.move_idea, 2, 1)
                handle.apply(model.delete_idea, 3)
                handle.apply(model.update_setup, facilitator="Sonia")
                handle.undo()
            data: dict[str, Any] = json.loads(folder.path_for(session_id).read_bytes())
            return data
    finally:
        clock.freeze(previous)


def file_document() -> dict[str, Any]:
    return copy.deepcopy(_file_document())
