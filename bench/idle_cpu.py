"""CPU used while idle: the ideation screen of a 2,000-idea session, timer running.

The app runs as the facilitator runs it — ``python -m atelier --dir FOLDER open ID`` —
in a real pseudo-terminal of 120×40 (startup.PtyApp), because idle cost is mostly output:
the countdown redraws every second and the capture field's cursor blinks twice a second,
and only a real driver turns those frames into escape sequences and writes them (headless
skips that part). This script plays the terminal: it reads and discards all output.

Once the screen is up and settled, F4 starts the timer (checked on screen: ▶); the CPU
time of the whole process (all threads: user + system, from /proc/PID/stat) is then read
at the start and at the end of a 60 s window (--quick: 10 s) and given as a percentage
of one core over the wall time.

Reference, same run, same method: the bare Textual app with Header and Footer, idle.

Run: python bench/idle_cpu.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import BARE_APP, PtyApp, child_env, compile_sources  # noqa: E402
from synth import Row, write_session  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_PERCENT = 2.0
F4 = b"\x1bOS"  # what an xterm sends for F4
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def idle_percent(app: PtyApp, seconds: float) -> float:
    start_cpu, start = cpu_seconds(app.pid), time.perf_counter()
    app.drain_for(seconds)
    return 100 * (cpu_seconds(app.pid) - start_cpu) / (time.perf_counter() - start)


def measure_atelier(folder: Path, session_id: str, env: dict[str, str], seconds: float) -> float:
    argv = [sys.executable, "-m", "atelier", "--dir", str(folder), "--lang", "fr"]
    app = PtyApp([*argv, "open", session_id], env)
    try:
        app.drain_for(8.0)  # start-up, first paint, similarity index of 2,000 ideas
        if "#2000" not in app.text():  # the last idea, in the list
            raise RuntimeError(f"the session did not open:\n{app.tail()}")
        mark = len(app.output)
        app.send(F4)
        app.drain_for(2.0)
        if "▶" not in app.output[mark:].decode("utf-8", "replace"):
            raise RuntimeError(f"the timer did not start:\n{app.tail()}")
        return idle_percent(app, seconds)
    finally:
        app.stop()


def measure_bare(env: dict[str, str], seconds: float) -> float:
    app = PtyApp([sys.executable, "-c", BARE_APP], env)
    try:
        app.wait_quiet()
        return idle_percent(app, seconds)
    finally:
        app.stop()


def run(quick: bool = False) -> list[Row]:
    seconds = 10.0 if quick else 60.0
    OUT.mkdir(parents=True, exist_ok=True)
    compile_sources()
    tmp = Path(tempfile.mkdtemp(dir=OUT, prefix="idle-"))
    try:
        session_id = write_session(tmp, 2000, 60, phase="ideation", session_id="idle-2000")
        config = tmp / "config"
        config.mkdir()
        env = child_env(config)
        atelier = measure_atelier(tmp, session_id, env, seconds)
        bare = measure_bare(env, seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        Row(
            f"Idle CPU, ideation, 2,000 ideas, timer running ({seconds:.0f} s)",
            atelier,
            "%",
            reference=bare,
            reference_label="bare Textual app",
            target=TARGET_PERCENT,
            runs=1,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
