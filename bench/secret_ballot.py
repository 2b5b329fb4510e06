"""Cost of a secret ballot, which is saved as a whole file (never a journal line).

A secret ballot must not sit in the journal beside an older state of its ballot box, so
the store rewrites the whole session file for it (temp file, fsync, replace). This prints
the time per ballot against the reference measured in the same run: an ordinary edit
(adding an idea), saved as one journal line, on the same session — with 20 ideas and with
2,000 ideas, the size a long workshop reaches.

Run: python bench/secret_ballot.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from atelier import model
from atelier.store import SessionFolder

ROUNDS = 50


def measure(ideas: int) -> tuple[float, float]:
    """(seconds per journalled edit, seconds per secret ballot)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = SessionFolder(Path(tmp))
        session_id = folder.create("Bench", lang="fr")
        with folder.open(session_id) as opened:
            opened.apply(model.add_cluster, "A")
            opened.apply(model.add_cluster, "B")
            with opened.storage.batch():
                for number in range(ideas):
                    opened.apply(model.add_idea, f"idée numéro {number}, d'une longueur ordinaire")
            opened.apply(model.move_idea, 1, 1)
            opened.apply(model.move_idea, 2, 2)
            opened.apply(model.update_setup, anonymous=True, participant_count=ROUNDS)
            start = time.perf_counter()
            for number in range(ROUNDS):
                opened.apply(model.add_idea, f"référence {number}")
            edit = (time.perf_counter() - start) / ROUNDS
            opened.apply(model.start_vote, ["cluster:1", "cluster:2"], mode="ballot")
            round_id = opened.session.rounds[-1].id
            start = time.perf_counter()
            for _number in range(ROUNDS):
                opened.apply(model.cast_ballot, round_id, {"cluster:1": 1})
            ballot = (time.perf_counter() - start) / ROUNDS
    return edit, ballot


def main() -> None:
    for ideas in (20, 2000):
        edit, ballot = measure(ideas)
        print(
            f"{ideas:>5} ideas: edit (journal line) {edit * 1000:.1f} ms · "
            f"secret ballot (whole file) {ballot * 1000:.1f} ms · ratio {ballot / edit:.1f}"
        )


if __name__ == "__main__":
    main()
