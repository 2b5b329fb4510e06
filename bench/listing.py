"""The sessions list and the checks behind it: ``SessionFolder.scan`` of 10 sessions of
2,000 ideas, and opening one (``OpenSession``), each session checked in full.

Since every file a list shows must also open, ``scan`` reads and checks each session whole
(:mod:`atelier.validate`: every field, type, range and reference) the first time, then
remembers it until its bytes change (``store.listing``: in memory and in the user cache
folder, so the next start of atelier does not check it either). Three figures: the first
listing ever (nothing remembered), the next start (the memory read back from its file),
and opening one session. Reference, same run: reading and parsing the same files
(``store.read_document``), the least a listing that checks the files would do.

Run: python bench/listing.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Row, write_session  # noqa: E402

from atelier import i18n, store  # noqa: E402
from atelier.store import ListingMemory, SessionFolder  # noqa: E402

SESSIONS = 10
IDEAS = 2000
TARGET_S = 1.0  # the home screen lists ten big sessions within a second


def run(quick: bool = False) -> list[Row]:
    i18n.set_language("fr")
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ids = [write_session(root, IDEAS, session_id=f"big-{n}", seed=n) for n in range(SESSIONS)]
        memory = root / "cache" / "listing.json"
        scans, warm, reads, opens = [], [], [], []
        for _ in range(runs):
            start = time.perf_counter()
            for path in sorted(root.glob("*.json")):
                store.read_document(path)
            reads.append(time.perf_counter() - start)
            memory.unlink(missing_ok=True)  # the first listing ever: nothing remembered
            folder = SessionFolder(root, listing=ListingMemory(memory))
            start = time.perf_counter()
            listed = folder.scan()
            scans.append(time.perf_counter() - start)
            assert len(listed.sessions) == SESSIONS and not listed.problems
            folder = SessionFolder(root, listing=ListingMemory(memory))  # the next start
            start = time.perf_counter()
            assert folder.scan() == listed
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            with folder.open(ids[0], readonly=True):
                pass
            opens.append(time.perf_counter() - start)
    reference = statistics.median(reads)
    return [
        Row(
            f"List {SESSIONS} sessions × {IDEAS:,} ideas, each checked in full",
            statistics.median(scans),
            "s",
            reference=reference,
            reference_label="read + parse",
            target=TARGET_S,
            runs=runs,
        ),
        Row(
            "  list them at the next start, unchanged (remembered by sizes and CRC-32s)",
            statistics.median(warm),
            "s",
            reference=reference,
            reference_label="read + parse",
            runs=runs,
        ),
        Row(
            f"  open one session of {IDEAS:,} ideas (read-only), checked",
            statistics.median(opens),
            "s",
            reference=reference / SESSIONS,
            reference_label="read + parse",
            runs=runs,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
