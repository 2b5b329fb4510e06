"""Kill a writer with SIGKILL at random moments and right after each I/O step: the file must
always parse and hold every acknowledged operation; the next open takes the dead lock over.

A handful of trials here; bench/durability.py runs more than a thousand."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import durability_child as harness
import pytest

from atelier import codec, model, store
from atelier.store import SessionFolder


def lock_owner(path: Path) -> int | None:
    """The pid in the lock's note (left behind by a killed holder), None if there is none."""
    owner = store.SessionLock(path).owner()
    return None if owner is None else owner.pid


def temp_files(folder: SessionFolder) -> list[str]:
    return sorted(p.name for p in folder.root.glob(".*.tmp"))


@pytest.mark.parametrize("occurrence", [1, 4])
def test_kill_right_after_each_io_step(folder: SessionFolder, occurrence: int) -> None:
    """Whole-file saves first (compaction after every change), then journal appends."""
    session_id = folder.create("Durability", lang="en")
    path = folder.path_for(session_id)
    acked: list[dict[str, object]] = []
    for number, step in enumerate(harness.STEPS):
        prefix = f"s{number}"
        whole_file = step in harness.ATOMIC_STEPS
        trial = harness.run_trial(
            path,
            prefix,
            kill_step=step,
            kill_at=occurrence,
            max_ops=20,
            compact_every=0 if whole_file else None,
        )
        assert trial.opened, trial.stderr  # it took over the lock the previous child left
        assert trial.killed, (trial.returncode, trial.stderr)
        # one save per operation: killed while saving operation number `occurrence`
        assert len(trial.acks) == occurrence - 1
        acked += trial.acks
        assert harness.check(path, acked) == []

        session = codec.from_document(store.read_document(path), session_id)
        ideas = {i.text: i for i in session.ideas}
        clusters = {c.label: c for c in session.clusters}
        if occurrence == 1:  # in flight: the first cluster of this child
            in_flight = f"{prefix}-0" in clusters
        else:  # in flight: moving idea 2 into cluster 0
            idea, cluster = ideas[f"{prefix}-2"], clusters[f"{prefix}-0"]
            in_flight = idea.cluster_id == cluster.id
        # a journal line written to the file survives the process, fsync'd or not
        assert in_flight is (step in ("replace", "fsync-dir", *harness.JOURNAL_STEPS)), step

        assert lock_owner(path) == trial.pid  # the dead child's note is still there…
        assert not store.SessionLock(path).busy()  # …but its OS lock died with it
        stale = [f".{path.name}.{trial.pid}.tmp"] if step in ("write", "fsync") else []
        assert temp_files(folder) == stale
        assert folder.clean_temp_files() == len(stale)

    with folder.open(session_id) as opened:  # the lock is free: the parent takes it
        assert lock_owner(path) == os.getpid()
        assert harness.check(path, acked) == []
        assert codec.to_document(opened.session) == codec.to_document(
            codec.from_document(store.read_document(path), session_id)
        )
    assert lock_owner(path) is None
    assert not store.journal_path(path).exists()  # folded into the file on close


def test_a_line_cut_short_is_ignored_and_dropped(folder: SessionFolder) -> None:
    """A crash in the middle of an append leaves a partial line: never acknowledged."""
    session_id = folder.create("Journal", lang="en")
    path = folder.path_for(session_id)
    opened = folder.open(session_id)
    opened.apply(model.add_idea, "kept")
    journal = store.journal_path(path).read_bytes()
    assert journal.count(b"\n") == 1
    opened.lock.release()  # as if the process died: no fold, and the OS frees the lock
    seq = json.loads(journal)["seq"]
    with store.journal_path(path).open("ab") as handle:
        handle.write(b'{"seq":%d,"do":[["put","ideas","9",{"te' % (seq + 1))
    assert [i.text for i in folder.load(session_id).ideas] == ["kept"]
    with folder.open(session_id) as opened:  # folds the journal, drops the cut line
        assert not store.journal_path(path).exists()
        opened.apply(model.add_idea, "after")
    assert [i.text for i in folder.load(session_id).ideas] == ["kept", "after"]


def test_kill_at_random_moments(folder: SessionFolder) -> None:
    rng = random.Random(20261125)
    other = folder.create("Bystander", lang="en")
    session_id = folder.create("Durability", lang="en")
    path = folder.path_for(session_id)
    acked: list[dict[str, object]] = []
    trials = [
        {"delay": rng.uniform(0.0, 0.15), "after_ready": True},
        {"delay": rng.uniform(0.0, 0.15), "after_ready": True},
        {"delay": rng.uniform(0.02, 0.2), "after_ready": False},  # maybe while starting
    ]
    for number, options in enumerate(trials):
        trial = harness.run_trial(path, f"r{number}", **options)  # type: ignore[arg-type]
        assert trial.killed, (trial.returncode, trial.stderr)
        assert trial.stderr == ""
        acked += trial.acks
        assert harness.check(path, acked) == []
    scan = folder.scan()  # the folder is fine: no problem, no stale temp file
    assert scan.problems == [] and {s.id for s in scan.sessions} == {other, session_id}
    assert temp_files(folder) == []
    with folder.open(session_id) as opened:
        assert len(opened.session.ideas) >= sum(a["kind"] == "idea" for a in acked)
    assert acked, "the children should have acknowledged some operations"
