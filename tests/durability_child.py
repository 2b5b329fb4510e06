"""Crash harness for the session store, shared by tests/test_durability.py and bench/durability.py.

Run as a script, this is the *child*: it opens a session (the OS lock of a killed
predecessor died with it), then applies operations forever (or ``--max-ops``) and prints one JSON
line per operation once ``OpenSession.apply`` has returned — that line is the
acknowledgement. With ``--kill-step STEP --kill-at N`` it kills itself with SIGKILL right
after the N-th occurrence of that I/O step of a save (``atomic_write`` or the journal
append). ``--compact-every N`` sets how many journal lines are written between whole-file
writes (0: every save rewrites the whole file).

Imported, it gives the *parent* side: :func:`run_trial` runs one child and kills it,
:func:`check` reads the file back and lists every acknowledged operation it lacks.

``--race-worker`` makes the child a *race worker* instead: it imports the store once, then
obeys commands on its standard input (``open``: try to become the session's writer and add
one idea; ``burst``: become the writer and add ideas until killed; ``close``).
:func:`run_races` drives two of them against each other, on fresh sessions and right after
a kill -9 of a third one holding the session: exactly one of them must become the writer,
and no acknowledged idea may be lost.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
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
        from atelier.store import journal

        journal.COMPACT_EVERY = args.compact_every
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
    opened: bool = False  # the child printed "ready": it holds the lock
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


# --------------------------------------------------------------------------- races


def race_worker() -> int:
    """The worker side of :func:`run_races` (commands on stdin, one reply line each)."""
    from atelier import model
    from atelier.store import OpenSession, SessionLocked

    opened: OpenSession | None = None
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "open":
            try:
                opened = OpenSession(Path(args[0]))
            except SessionLocked:
                print("locked", flush=True)
                continue
            print("writer", flush=True)
            opened.apply(model.add_idea, args[1])
            print(f"ack {args[1]}", flush=True)
        elif command == "burst":
            opened = OpenSession(Path(args[0]))
            print("writer", flush=True)
            for number in itertools.count():
                opened.apply(model.add_idea, f"{args[1]}-{number}")
                print(f"ack {args[1]}-{number}", flush=True)
        elif command == "close" and opened is not None:
            opened.close()
            opened = None
            print("closed", flush=True)
    return 0


class Worker:
    """One race worker process, with its replies read on a thread (never a hung test)."""

    def __init__(self, arguments: Sequence[str] = ("--race-worker",)) -> None:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.started = False

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # end of output

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def reply(self, timeout: float = 30.0) -> str:
        if not self.started:  # the first line is "ready", once the imports are done
            self.started = True
            assert self.lines.get(timeout=timeout) == "ready"
        return self.lines.get(timeout=timeout)

    def kill(self) -> list[str]:
        """SIGKILL, wait until the process is gone (its OS lock with it), and return what
        it printed before dying."""
        self.proc.kill()
        self.proc.wait()
        left = []
        while (line := self.lines.get(timeout=30.0)) != "":
            left.append(line)
        return left

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Races:
    races: int = 0
    after_kill: int = 0
    double_writers: int = 0
    no_writer: int = 0
    acknowledged: int = 0
    lost: int = 0
    seconds: float = 0.0


def run_races(folder_path: Path, count: int, seed: int = 1) -> Races:
    """``count`` races of two processes opening one session: every other one on a fresh
    session, the others right after a kill -9 of a third process that held the session
    and was adding ideas. Counts double writers, races nobody won and lost ideas."""
    from atelier.store import SessionFolder

    rng = random.Random(seed)
    folder = SessionFolder(folder_path)
    result = Races()
    started = time.monotonic()
    a, b, holder = Worker(), Worker(), Worker()
    try:
        for number in range(count):
            path = folder.path_for(folder.create(f"Race {number}", lang="en"))
            acked: list[str] = []
            if number % 2:
                holder.send(f"burst {path} k{number}")
                assert holder.reply() == "writer"
                for _ack in range(rng.randint(1, 6)):
                    acked.append(holder.reply().removeprefix("ack "))
                acked += [line.removeprefix("ack ") for line in holder.kill() if line]
                holder = Worker()  # starts while the race runs
                result.after_kill += 1
            a.send(f"open {path} r{number}-a")
            b.send(f"open {path} r{number}-b")
            replies = {a: a.reply(), b: b.reply()}
            writers = [w for w, reply in replies.items() if reply == "writer"]
            if len(writers) > 1:
                result.double_writers += 1
            if not writers:
                result.no_writer += 1
            for writer in writers:
                acked.append(writer.reply().removeprefix("ack "))
                writer.send("close")
                assert writer.reply() == "closed"
            on_disk = {i.text for i in folder.load(path.stem).ideas}
            result.acknowledged += len(acked)
            result.lost += sum(text not in on_disk for text in acked)
            result.races += 1
    finally:
        for worker in (a, b, holder):
            worker.stop()
    result.seconds = time.monotonic() - started
    return result


# --------------------------------------------------------------------------- a full disk


def fill_worker(folder: Path, session_id: str, prefix: str) -> int:
    """Add an idea every few milliseconds, as a facilitator typing on a disk that fills up.

    Prints ``ack TEXT`` once an idea is on disk — when its save succeeded, or when the
    retry (the app's 3-second timer, here after every idea) saved it later — and
    ``unsaved TEXT`` when its save failed (the app then shows « NON ENREGISTRÉ »)."""
    from atelier import model
    from atelier.store import SaveFailed, SessionFolder

    opened = SessionFolder(folder).open(session_id)
    print("ready", flush=True)
    pending: list[str] = []
    for number in itertools.count():
        text = f"{prefix}-{number}"
        try:
            opened.apply(model.add_idea, text)
        except SaveFailed:
            pending.append(text)
            print(f"unsaved {text}", flush=True)
        else:
            assert not opened.dirty
            for done in [*pending, text]:
                print(f"ack {done}", flush=True)
            pending = []
        if pending:
            try:
                opened.retry_save()
            except SaveFailed:
                pass
            else:
                for done in pending:
                    print(f"ack {done}", flush=True)
                pending = []
        time.sleep(0.003)
    return 0


@dataclass
class FullDisk:
    rounds: int = 0
    kills_while_full: int = 0
    kills_after_space_returned: int = 0
    unsaved_while_full: int = 0
    acknowledged: int = 0
    lost: int = 0
    damaged: int = 0
    seconds: float = 0.0


@functools.cache
def can_mount_tmpfs() -> str:
    """'' when a small tmpfs can be mounted here, else the reason it cannot."""
    if not sys.platform.startswith("linux"):
        return "a tmpfs needs Linux"
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root (CI runs as root)"
    import tempfile

    with tempfile.TemporaryDirectory() as probe:  # root in a container may still lack it
        tried = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
            capture_output=True,
            text=True,
            check=False,
        )
        if tried.returncode != 0:
            return f"cannot mount a tmpfs here: {tried.stderr.strip()[:200]}"
        subprocess.run(["umount", probe], check=False)
    return ""


def _fill(path: Path) -> None:
    """Take every free byte of the file system (the last page included)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    if os.write(fd, b"x" * size) < size:
                        break
                except OSError:
                    break
    finally:
        os.close(fd)


def run_full_disk_rounds(root: Path, rounds: int, size_kb: int = 512) -> FullDisk:
    """Each round mounts a ``size_kb`` tmpfs, runs :func:`fill_worker` on a session there,
    fills the disk to the last byte under it, kills it with SIGKILL while full, starts a
    second worker on the still full disk, frees the space, and kills that one too once it
    saved again. After each kill the file must parse and hold every acknowledged idea."""
    result = FullDisk()
    started = time.monotonic()
    mount = root / "tmpfs"
    mount.mkdir(exist_ok=True)
    for number in range(rounds):
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)], check=True
        )
        try:
            _FullDiskRound(mount, number, result).run()
        finally:
            subprocess.run(["umount", "-l", str(mount)], check=False)
    result.seconds = time.monotonic() - started
    return result


class _FullDiskRound:
    def __init__(self, mount: Path, number: int, result: FullDisk) -> None:
        from atelier.store import SessionFolder

        self.folder = SessionFolder(mount / "sessions")
        self.path = self.folder.path_for(self.folder.create(f"Full disk {number}", lang="en"))
        self.filler = mount / "filler"
        self.number = number
        self.result = result
        self.acked: list[str] = []
        self.unsaved = 0

    def run(self) -> None:
        first = self._start("a")
        self._watch(first, lambda: len(self.acked) >= 5, top_up=False)
        self._watch(first, lambda: self.unsaved >= 5, top_up=True)  # full: NOT SAVED
        self._kill(first)
        self.result.kills_while_full += 1

        second = self._start("b")
        self._watch(second, lambda: self.unsaved >= 3, top_up=True)  # still full
        self.filler.unlink()  # space comes back: everything is saved
        goal = len(self.acked) + self.unsaved + 5
        self._watch(second, lambda: len(self.acked) >= goal, top_up=False)
        self._kill(second)
        self.result.kills_after_space_returned += 1
        self.result.acknowledged += len(self.acked)
        self.result.rounds += 1

    def _start(self, who: str) -> Worker:
        worker = Worker(["--fill", str(self.folder.root), self.path.stem, f"{who}{self.number}"])
        worker.reply()  # ready
        self.unsaved = 0
        return worker

    def _watch(self, worker: Worker, until: Callable[[], bool], top_up: bool) -> None:
        deadline = time.monotonic() + 60
        while not until():
            if top_up:
                _fill(self.filler)
            try:
                line = worker.lines.get(timeout=0.02)
            except queue.Empty:
                assert time.monotonic() < deadline, "the worker stopped answering"
                continue
            assert line, "the worker died"
            self._note(line)

    def _note(self, line: str) -> None:
        kind, _space, text = line.partition(" ")
        if kind == "ack":
            self.acked.append(text)
        elif kind == "unsaved":
            self.result.unsaved_while_full += 1
            self.unsaved += 1

    def _kill(self, worker: Worker) -> None:
        """SIGKILL, then what a restart would find: a whole file, every acknowledged idea."""
        for line in worker.kill():
            self._note(line)
        try:
            lost = check(self.path, [{"kind": "idea", "text": t} for t in self.acked])
        except Exception:  # noqa: BLE001 - an unusable file is what is counted
            self.result.damaged += 1
            return
        journal = self.path.with_suffix(".journal")
        if journal.exists() and not journal.read_bytes().endswith(b"\n"):
            if journal.read_bytes():  # a torn last line: the next append would be lost
                self.result.damaged += 1
        self.result.lost += len(lost)


if __name__ == "__main__":
    if sys.argv[1:] == ["--race-worker"]:
        sys.exit(race_worker())
    if sys.argv[1:2] == ["--fill"]:
        sys.exit(fill_worker(Path(sys.argv[2]), sys.argv[3], sys.argv[4]))
    sys.exit(child(sys.argv[1:]))
