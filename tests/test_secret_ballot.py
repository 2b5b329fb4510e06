"""Secret ballots are secret on disk (issue 11, item 10).

Every byte atelier writes during a secret round in a named session — session file,
journal, undo and redo tables, temp files (what ``atomic_write`` is given), the JSON
export, backups — is inspected: no ballot may carry a voter or a time, the ballots are in
a canonical order (not the voting order), and no file, nor the files side by side in the
folder at any moment, holds two different states of one ballot box (whose difference
would say who added which ballot).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from atelier import atomicio, codec, export, model
from atelier.store import SessionFolder

VOTERS = ("Awa", "Bruno", "Chloé", "Dominique", "Élise")
# who votes, in this order, and for what: neither the voters' ids nor the marks are sorted
CASTS = ((3, "cluster:3"), (1, "cluster:1"), (5, "cluster:2"), (2, "cluster:1"), (4, "cluster:3"))


def boxes(data: Any) -> list[tuple[tuple[int, ...], tuple[str, ...]]]:
    """Every ballot box in a JSON value: (voted, ballots as canonical JSON)."""
    found: list[tuple[tuple[int, ...], tuple[str, ...]]] = []
    if isinstance(data, dict):
        if "ballots" in data and "voted" in data:
            ballots = tuple(json.dumps(b, sort_keys=True) for b in data["ballots"])
            found.append((tuple(data["voted"]), ballots))
        for value in data.values():
            found += boxes(value)
    elif isinstance(data, list):
        for value in data:
            found += boxes(value)
    return found


def parsed(blob: bytes) -> list[Any]:
    """A whole JSON document, or the lines of a journal."""
    text = blob.decode("utf-8")
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_unlinkable(blobs: list[bytes], where: str) -> None:
    """Blobs that can be read together: one state of the box at most, and a clean one."""
    states = set()
    for blob in blobs:
        assert b"voter_id" not in blob and b"cast_at" not in blob, where
        for data in parsed(blob):
            for voted, ballots in boxes(data):
                assert list(voted) == sorted(voted), where
                assert list(ballots) == sorted(ballots, key=_canonical), where
                if ballots or voted:
                    states.add((voted, ballots))
    assert len(states) <= 1, f"{where}: {len(states)} states of the ballot box side by side"


def _canonical(text: str) -> tuple[tuple[str, int], ...]:
    return model.ballot_key(json.loads(text))


def folder_blobs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_no_file_links_a_secret_ballot_to_its_voter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = SessionFolder(tmp_path)
    session_id = folder.create("Secret", lang="fr")
    written: list[tuple[str, bytes]] = []
    real_write, real_append = atomicio.atomic_write, atomicio.append_line

    def spy_write(path: Path, data: bytes, **options: object) -> None:
        # the temp file holds exactly these bytes
        written.append((Path(path).name, data))
        real_write(path, data, **options)  # type: ignore[arg-type]

    def spy_append(path: Path, data: bytes) -> None:
        written.append((Path(path).name, data))
        real_append(path, data)

    for module in ("journal", "lock"):  # the session file and journal; the owner's note
        monkeypatch.setattr(f"atelier.store.{module}.atomic_write", spy_write)
    monkeypatch.setattr("atelier.store.journal.append_line", spy_append)
    with folder.open(session_id) as opened:
        for name in VOTERS:
            opened.apply(model.add_participant, name)
        for label in ("Accueil", "Horaires", "Locaux"):
            opened.apply(model.add_cluster, label)
            opened.apply(model.add_idea, f"idée {label}")
            opened.apply(
                model.move_idea, opened.session.ideas[-1].id, opened.session.clusters[-1].id
            )
        opened.apply(model.start_vote, mode="ballot")
        round_id = opened.session.rounds[-1].id
        for step, (voter, option) in enumerate(CASTS):
            opened.apply(model.cast_ballot, round_id, {option: 1}, voter)
            assert not opened.storage.journal.exists()  # folded into the file at once
            check_unlinkable(list(folder_blobs(tmp_path).values()), f"after ballot {step + 1}")
            if step == 1:  # edits between ballots: they enter the journal and undo log
                opened.apply(model.add_idea, "une idée de plus")
                opened.apply(model.close_round, round_id)
                opened.apply(model.reopen_round, round_id)
                check_unlinkable(list(folder_blobs(tmp_path).values()), "after an edit")
        box = opened.session.round(round_id)
        assert box.voted == (1, 2, 3, 4, 5)
        assert list(box.ballots) == sorted(box.ballots, key=model.ballot_key)
        assert list(box.ballots) != [{option: 1} for _voter, option in CASTS]  # not the order
        opened.apply(model.close_round, round_id)
        (tmp_path / "export.json").write_bytes(export.render(opened.session, "json"))
        opened.apply(model.delete_round, round_id)  # cancelling leaves the box unlinkable
        check_unlinkable(list(folder_blobs(tmp_path).values()), "after cancelling")
        assert opened.undo() and opened.redo() and opened.undo()
        check_unlinkable(list(folder_blobs(tmp_path).values()), "after undo and redo")
    check_unlinkable(list(folder_blobs(tmp_path).values()), "after closing")
    for name, blob in written:
        check_unlinkable([blob], name)
    assert any(b"ballots" in blob for _name, blob in written)  # the spy saw the box


def test_a_secret_ballot_is_not_an_undo_step_and_forgets_stale_ones(tmp_path: Path) -> None:
    folder = SessionFolder(tmp_path)
    session_id = folder.create("Secret", lang="fr")
    with folder.open(session_id) as opened:
        opened.apply(model.add_participant, "Awa")
        opened.apply(model.add_cluster, "Accueil")
        opened.apply(model.add_idea, "idée")
        opened.apply(model.move_idea, 1, 1)
        opened.apply(model.add_cluster, "Horaires")
        opened.apply(model.add_idea, "autre")
        opened.apply(model.move_idea, 2, 2)
        opened.apply(model.start_vote, mode="ballot")
        labels = [step.label for step in opened.undo_steps()]
        assert "start the vote" in labels and "add a participant" in labels
        opened.apply(model.cast_ballot, 1, {"cluster:1": 1}, 1)
        # the start of the vote held the round, and undoing the voter's arrival would leave
        # the box naming nobody: both are forgotten; the ballot itself is no undo step
        labels_after = [step.label for step in opened.undo_steps()]
        assert labels_after == [
            label for label in labels if label not in ("start the vote", "add a participant")
        ]
        assert opened.undo() is not None  # an earlier edit: the ballot stays in the box
        assert opened.session.round(1).ballots == ({"cluster:1": 1},)
    session = folder.load(session_id)
    assert session.round(1).voted == (1,) and session.round(1).ballots == ({"cluster:1": 1},)


def test_schema_1_files_migrate_without_linking_ballots(tmp_path: Path) -> None:
    """A file from the previous schema: ballots with voter ids and times become a sorted
    box and a sorted set of voters; the undo log, which held them side by side, goes."""
    folder = SessionFolder(tmp_path)
    session_id = folder.create("Ancien", lang="fr")
    path = folder.path_for(session_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["atelier"]["1"]["schema_version"] = 1
    document["participants"] = {"1": {"id": 1, "name": "Awa"}, "2": {"id": 2, "name": "Bruno"}}
    document["clusters"] = {
        "1": {"id": 1, "label": "Accueil", "order": 1},
        "2": {"id": 2, "label": "Horaires", "order": 2},
    }
    document["ideas"] = {
        "1": {"id": 1, "text": "a", "created_at": "2026-11-25T14:00:00+01:00", "cluster_id": 1},
        "2": {"id": 2, "text": "b", "created_at": "2026-11-25T14:00:00+01:00", "cluster_id": 2},
    }
    round_row = {
        "id": 1,
        "method": "dot",
        "mode": "ballot",
        "options": ["cluster:1", "cluster:2"],
        "dots_per_voter": 1,
        "max_per_option": 1,
        "grades": ["A", "B", "C"],
        "voters": 2,
        "tallies": {},
        "parent_id": None,
        "created_at": "2026-11-25T14:00:00+01:00",
        "closed_at": "2026-11-25T14:10:00+01:00",
    }
    document["rounds"] = {"1": round_row}
    document["ballots"] = {
        "1": {"id": 1, "round_id": 1, "marks": {"cluster:2": 1}, "cast_at": "t1", "voter_id": 2},
        "2": {"id": 2, "round_id": 1, "marks": {"cluster:1": 1}, "cast_at": "t2", "voter_id": 1},
    }
    document["undo"] = {"1": {"label": "x", "at": "t", "changes": [["ballots", 1, None, {}]]}}
    document["meta"]["1"]["seq"] = {"ballots": 2, "rounds": 1, "clusters": 2, "ideas": 2}
    path.write_text(json.dumps(document), encoding="utf-8")
    with folder.open(session_id) as opened:
        assert opened.migrated and opened.undo_steps() == []
        vote_round = opened.session.round(1)
        assert vote_round.voted == (1, 2)
        assert vote_round.ballots == ({"cluster:1": 1}, {"cluster:2": 1})
        assert vote_round.labels == {"cluster:1": "Accueil", "cluster:2": "Horaires"}
    raw = path.read_bytes()
    assert b"voter_id" not in raw and b"cast_at" not in raw
    assert codec.document_version(json.loads(raw)) == codec.SCHEMA_VERSION
    assert path.with_name(f"{session_id}.schema1.bak").exists()  # the backup, as always
