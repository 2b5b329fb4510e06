"""Durability of the session store under SIGKILL, over many trials.

Each trial starts a child (tests/durability_child.py) that opens one session file — the OS lock
of the previous, killed child died with it — and applies operations in a loop, printing
each one once ``OpenSession.apply`` has returned (acknowledged). The child is then killed:

* half of the trials at a random moment: SIGKILL from the parent after a random delay,
  counted from the child's "ready" line or, for one trial in five, from its start (so the
  kill may land while Python starts or while the lock file is being written); the child
  saves journal lines and rewrites the whole file every 100 (or, one trial in two, every 5)
  changes;
* the other half right after an I/O step of a save, in turn: the whole-file write
  (write, fsync, replace, fsync-dir — the child then rewrites the whole file at every
  change) or the journal append (append, append-fsync), at a random occurrence: the child
  kills itself from ``atomicio.after_step``.

After every kill the file must parse and hold every operation acknowledged so far, by this
child and all the earlier ones on the same file. Every other trial the parent itself opens
the session (the dead child's lock is free) and closes it. A fresh session is started when the
file holds about 600 acknowledged operations, to keep trials comparable.

``--races N`` then runs N races of two processes opening one session (half on fresh
sessions, half right after a kill -9 of a third process holding it): exactly one writer
each time, no acknowledged idea lost. ``--full-disk N`` (root, Linux) runs N rounds on a
small tmpfs filled to the last byte under a process adding ideas, killed with SIGKILL while
the disk is full and again after space came back. ``--trials 0`` skips the kill trials.

Run: python bench/durability.py [--trials 1000] [--seed 1] [--races 600] [--full-disk 50]
"unparseable files", "acknowledged operations lost", "double writers" and "lost" must be 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import durability_child as harness  # noqa: E402

from atelier.errors import AtelierError  # noqa: E402
from atelier.store import SessionFolder  # noqa: E402

ROTATE_AFTER = 600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the sessions")
    parser.add_argument("--races", type=int, default=0, help="two-process races to run")
    parser.add_argument("--full-disk", type=int, default=0, help="full-disk rounds to run")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    status = 0
    if args.trials:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            status |= run(SessionFolder(Path(tmp)), args.trials, rng)
    if args.races:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            status |= races(Path(tmp), args.races, args.seed)
    if args.full_disk:
        with tempfile.TemporaryDirectory() as tmp:
            status |= full_disk(Path(tmp), args.full_disk)
    return status


def races(root: Path, count: int, seed: int) -> int:
    result = harness.run_races(root, count, seed)
    print()
    print(f"races of two processes:          {result.races}")
    print(f"  right after a kill -9 of the holder: {result.after_kill}")
    print(f"double writers:                  {result.double_writers}")
    print(f"races nobody won:                {result.no_writer}")
    print(f"acknowledged ideas:              {result.acknowledged}")
    print(f"acknowledged ideas lost:         {result.lost}")
    print(f"time:                            {result.seconds:.0f} s")
    return 1 if result.double_writers or result.no_writer or result.lost else 0


def full_disk(root: Path, rounds: int) -> int:
    reason = harness.can_mount_tmpfs()
    if reason:
        print(f"full-disk rounds skipped: {reason}")
        return 0
    result = harness.run_full_disk_rounds(root, rounds)
    print()
    print(f"full-disk rounds (512 kB tmpfs): {result.rounds}")
    print(
        f"  kill -9 while full / after space came back: "
        f"{result.kills_while_full} / {result.kills_after_space_returned}"
    )
    print(f"changes refused while full (NOT SAVED): {result.unsaved_while_full}")
    print(f"acknowledged ideas:              {result.acknowledged}")
    print(f"acknowledged ideas lost:         {result.lost}")
    print(f"unusable files or torn journals: {result.damaged}")
    print(f"time:                            {result.seconds:.0f} s")
    return 1 if result.lost or result.damaged else 0


def run(folder: SessionFolder, trials: int, rng: random.Random) -> int:
    started = time.monotonic()
    kinds: Counter[str] = Counter()
    unparseable = lost = failed = parent_open_failed = 0
    per_trial: list[int] = []
    session_id = folder.create("Durability bench", lang="en")
    acked: list[dict[str, object]] = []
    for number in range(trials):
        if len(acked) > ROTATE_AFTER:
            session_id = folder.create("Durability bench", lang="en")
            acked = []
        path = folder.path_for(session_id)
        prefix = f"t{number}"
        if number % 2 == 0:
            after_ready = number % 10 != 0
            delay = rng.uniform(0.0, 0.25) if after_ready else rng.uniform(0.0, 0.3)
            kind = "random delay" + ("" if after_ready else " from start")
            # journal lines with a whole-file write every 5 or every 100 changes
            compact_every = 5 if number % 4 == 0 else None
            trial = harness.run_trial(
                path, prefix, delay=delay, after_ready=after_ready, compact_every=compact_every
            )
        else:
            step = harness.STEPS[(number // 2) % len(harness.STEPS)]
            kind = f"after {step}"
            whole_file = step in harness.ATOMIC_STEPS
            trial = harness.run_trial(
                path,
                prefix,
                kill_step=step,
                kill_at=rng.randint(1, 30),
                max_ops=40,
                compact_every=0 if whole_file else None,  # every save writes the whole file
            )
        kinds[kind] += 1
        if not trial.killed and trial.returncode != 0:
            failed += 1  # e.g. the previous child's lock was not freed
            print(f"trial {number}: child failed: {trial.stderr.strip()[-300:]}", flush=True)
        per_trial.append(len(trial.acks))
        acked += trial.acks
        try:
            missing = harness.check(path, acked)
        except AtelierError as error:
            unparseable += 1
            print(f"trial {number} ({kind}): unusable file: {error}", flush=True)
            session_id, acked = folder.create("Durability bench", lang="en"), []
            continue
        if missing:
            lost += len(missing)
            print(f"trial {number} ({kind}): lost {missing[:3]}", flush=True)
        folder.clean_temp_files()  # as the next scan would
        if number % 2 == 1:
            try:
                with folder.open(session_id):
                    pass
            except AtelierError as error:
                parent_open_failed += 1
                print(f"trial {number}: parent could not open: {error}", flush=True)
        if (number + 1) % 100 == 0:
            print(f"… {number + 1} trials, {time.monotonic() - started:.0f} s", flush=True)
    leftovers = len(list(folder.root.glob(".*.tmp")))
    print()
    print(f"trials:                          {trials}")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind + ':':31}{count}")
    print(f"unparseable files:               {unparseable}")
    print(f"acknowledged operations lost:    {lost}")
    print(f"acknowledged operations:         {sum(per_trial)}")
    print(f"median acknowledged per trial:   {statistics.median(per_trial):g}")
    print(f"children that failed (lock still held…): {failed}")
    print(f"parent unable to take the lock:  {parent_open_failed}")
    print(f"temp files left after cleaning:  {leftovers}")
    print(f"time:                            {time.monotonic() - started:.0f} s")
    return 1 if unparseable or lost or failed or parent_open_failed else 0


if __name__ == "__main__":
    sys.exit(main())
