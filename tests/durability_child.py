"""Crash harness for the session store, shared by tests/test_durability.py and bench/durability.py.

Run as a script, this is the *child*: it opens a session (taking over the lock a killed
predecessor left), then applies operations forever (or ``--max-ops``) and prints one JSON
line per operation once ``OpenSession.apply`` has returned — that line is the
acknowledgement. With ``--kill-step STEP --kill-at N`` it kills itself with SIGKILL right
after the N-th occurrence of that I/O step of a save (``atomic_write`` or the journal
append). ``--compact-every N`` sets how many journal lines are written between whole-file
writes (0: every save rewrites the whole file).

Imported, it gives the *parent* side: :func:`run_trial` runs one child and kills it,
:func:`check` reads the file back and lists every acknowledged operation it lacks.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHILD = Path(__file__).resolve()
#: I/O steps of a save: the whole-file write (atomic_write), then the journal append.
ATOMIC_STEPS = ("write", "fsync", "replace", "fsync-dir")
JOURNAL_STEPS = ("append", "append-fsync")
STEPS = ATOMIC_STEPS + JOURNAL_STEPS
#: What the child does, in a loop: every kind leaves a trace that can be checked on disk.
CYCLE = ("cluster", "idea", "idea", "move", "participant", "idea")


# --------------------------------------------------------------------------- the child


def kill_at(step: str, occurrence: int) -> None:
    """Kill this process right after the given occurrence of an I/O step of a save."""
    from atelier import atomicio

    seen = 0

    def hook(name: str) -> None:
        nonlocal seen
        if name == step:
            seen += 1
            if seen == occurrence:
                os.kill(os.getpid(), signal.SIGKILL)

    atomicio.after_step = hook


def ack(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def child(argv: Sequence[str]) -> int:
    from atelier import model
    from atelier.errors import AtelierError
    from atelier.store import SessionFolder

    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("session_id")
    parser.add_argument("prefix")
    parser.add_argument("--kill-step", choices=STEPS)
    parser.add_argument("--kill-at", type=int, default=1)
    parser.add_argument("--max-ops", type=int, default=100_000)
    parser.add_argument("--compact-every", type=int, default=None)
    args = parser.parse_args(argv)
    if args.compact_every is not None:
        from atelier import store

        store.COMPACT_EVERY = args.compact_every
    if args.kill_step:
        kill_at(args.kill_step, args.kill_at)
    try:
        opened = SessionFolder(args.folder).open(args.session_id)
    except AtelierError as error:
        print(f"cannot open: {error}", file=sys.stderr, flush=True)
        return 1
    ack({"kind": "ready"})
    unmoved: list[str] = []
    cluster = ""
    for number in range(args.max_ops):
        kind = CYCLE[number % len(CYCLE)]
        if kind == "move" and not (unmoved and cluster):
            kind = "idea"
        name = f"{args.prefix}-{number}"
        if kind == "cluster":
            opened.apply(model.add_cluster, name)
            cluster = name
            ack({"kind": kind, "label": name})
        elif kind == "idea":
            opened.apply(model.add_idea, name)
            unmoved.append(name)
            ack({"kind": kind, "text": name})
        elif kind == "move":
            text = unmoved.pop()
            idea = next(i for i in opened.session.ideas if i.text == text)
            target = next(c for c in opened.session.clusters if c.label == cluster)
            opened.apply(model.move_idea, idea.id, target.id)
            ack({"kind": kind, "text": text, "label": cluster})
        else:
            opened.apply(model.add_participant, name)
            ack({"kind": kind, "name": name})
    opened.close()
    return 0


# --------------------------------------------------------------------------- the parent


@dataclass
class Trial:
    pid: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)
    opened: bool = False  # the child printed "ready": it took the lock
    returncode: int = 0
    stderr: str = ""

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run_trial(
    path: Path,
    prefix: str,
    *,
    kill_step: str | None = None,
    kill_at: int = 1,
    delay: float | None = None,
    after_ready: bool = True,
    max_ops: int = 100_000,
    compact_every: int | None = None,
    timeout: float = 60.0,
) -> Trial:
    """Run one child on the session file ``path``.

    With ``delay`` the parent sends SIGKILL that many seconds after the child said it is
    ready (or after it was started, if not ``after_ready``: the kill may then land while the
    interpreter starts or the lock is being taken). With ``kill_step`` the child kills
    itself at that I/O step."""
    command = [sys.executable, str(CHILD), str(path.parent), path.stem, prefix]
    command += ["--max-ops", str(max_ops)]
    if kill_step:
        command += ["--kill-step", kill_step, "--kill-at", str(kill_at)]
    if compact_every is not None:
        command += ["--compact-every", str(compact_every)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    trial = Trial(pid=proc.pid)
    ready = threading.Event()
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if '"ready"' in line:
                ready.set()
        ready.set()  # end of output: stop waiting

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if delay is not None:
        if after_ready:
            ready.wait(timeout)
        time.sleep(delay)
        try:
            proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(timeout)
    assert proc.stderr is not None
    trial.stderr = proc.stderr.read()
    proc.stderr.close()
    trial.returncode = proc.returncode
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a line cut by the kill was never acknowledged
            continue
        if record.get("kind") == "ready":
            trial.opened = True
        else:
            trial.acks.append(record)
    return trial


def check(path: Path, acks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every acknowledged operation missing from the file. Raises if the file is unusable."""
    from atelier import codec, store

    session = codec.from_document(store.read_document(path), path.stem)
    ideas = {i.text: i for i in session.ideas}
    clusters = {c.label: c for c in session.clusters}
    people = {p.name for p in session.participants}
    lost = []
    for record in acks:
        kind = record["kind"]
        if kind == "idea":
            present = record["text"] in ideas
        elif kind == "cluster":
            present = record["label"] in clusters
        elif kind == "participant":
            present = record["name"] in people
        else:
            idea, cluster = ideas.get(record["text"]), clusters.get(record["label"])
            present = bool(idea and cluster and idea.cluster_id == cluster.id)
        if not present:
            lost.append(record)
    return lost


if __name__ == "__main__":
    sys.exit(child(sys.argv[1:]))
