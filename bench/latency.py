"""Durable add-idea latency: OpenSession.apply(model.add_idea, …) until it returns.

That is what the ideation screen waits for on Enter: the operation, the diff, the undo
entry, JSON encoding and one atomic, fsync'd write (temp file, fsync, rename, fsync of the
folder). Sessions of 10, 500 and 2,000 ideas (synth.py) are written to a folder under
bench/out/ — the same disk as a sessions folder, not a tmpfs — and their undo log is first
filled to its 200 steps with edits, as after any real workshop (the log is part of the file).

Reference, measured in the same run, interleaved with the adds: one ``atomic_write`` of
the session file's current bytes to a neighbour file — the cost of durability alone.

Run: python bench/latency.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Row, build_session, idea_text  # noqa: E402

from atelier import model  # noqa: E402
from atelier.atomicio import atomic_write  # noqa: E402
from atelier.store import UNDO_LIMIT, SessionFolder  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SIZES = (10, 500, 2000)
TARGET_MS = {2000: 5.0}


def measure_size(
    folder: SessionFolder, ideas: int, adds: int, seed: int = 7
) -> tuple[list[float], list[float], int]:
    """(add latencies, reference write latencies) in seconds, and the final file size."""
    session = build_session(ideas, 60, phase="ideation", session_id=f"latency-{ideas}")
    folder.save_new(session)
    rng = random.Random(seed)
    adds_s: list[float] = []
    writes_s: list[float] = []
    with folder.open(session.id) as handle:
        # a lived-in file: 200 undo steps, as after any workshop
        for step in range(UNDO_LIMIT):
            idea = handle.session.ideas[step % len(handle.session.ideas)]
            handle.apply(model.edit_idea, idea.id, idea_text(rng, step % 12) + f" ({step})")
        people = [p.id for p in handle.session.participants]
        reference = handle.path.with_name("reference-copy.json")
        for _ in range(adds):
            text, author = idea_text(rng, rng.randrange(12)), rng.choice(people)
            start = time.perf_counter()
            handle.apply(model.add_idea, text, author)
            adds_s.append(time.perf_counter() - start)
            data = handle.path.read_bytes()
            start = time.perf_counter()
            atomic_write(reference, data)
            writes_s.append(time.perf_counter() - start)
        size = handle.path.stat().st_size
    return adds_s, writes_s, size


def run(quick: bool = False) -> list[Row]:
    adds = 50 if quick else 200
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(dir=OUT, prefix="latency-") as tmp:
        folder = SessionFolder(Path(tmp))
        for ideas in SIZES:
            add_s, write_s, size = measure_size(folder, ideas, adds)
            add_ms = statistics.median(add_s) * 1000
            ref_ms = statistics.median(write_s) * 1000
            rows.append(
                Row(
                    f"Durable add-idea, {ideas:,} ideas ({size / 1024:.0f} KiB file)",
                    add_ms,
                    "ms",
                    reference=ref_ms,
                    reference_label="atomic write",
                    target=TARGET_MS.get(ideas),
                    runs=len(add_s),
                    note=f"p90 {statistics.quantiles(add_s, n=10)[-1] * 1000:.2f} ms",
                )
            )
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()), f"({row.runs} adds; {row.note})")


if __name__ == "__main__":
    main()
