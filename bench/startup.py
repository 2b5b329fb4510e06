"""Start-up until the home screen is painted and idle: atelier vs a bare Textual app.

Each app runs in a fresh interpreter (so its imports count) inside a real pseudo-terminal
of 120×40 — the real Linux driver, real escape sequences, nothing simulated — and this
script reads everything it writes. The figure is the time from just before the process is
spawned to the last byte of output before one second of silence: at that moment the
screen is painted and the app has nothing more to show (it is idle; an app still working
towards its first screen would still be writing). The app is then quit with ctrl+q.

* atelier: ``python -m atelier --dir FOLDER --lang fr`` (the real command line) on a
  folder holding the bundled demo session; a second figure adds a 2,000-idea session to
  the folder (the home screen reads every session). Both have the same target.
* reference: a bare Textual app with Header and Footer (``BARE_APP`` below), measured the
  same way, alternately with atelier in the same run.

The sessions list remembers what it showed of each file (``store.listing``, in the user's
cache folder, here a temp folder): the warm-up run fills it, as any earlier start on the
same folder would. The first start ever on a folder checks every session in full: a row
of its own (2,000-idea folder, memory emptied before each run) shows what that costs.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1, so nothing would ever be cached and
every run would compile atelier from source. An installed atelier has its bytecode, so
``src/`` is compiled first (compileall) and the children run without that variable; one
warm-up run of each app, not counted, fills any other cache.

Run: python bench/startup.py [--quick]
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Row, write_session  # noqa: E402

from atelier.demo import write_demo  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SRC = Path(__file__).resolve().parent.parent / "src"
TARGET_RATIO = 1.2  # issue 15
QUIET = 1.0  # seconds without output: painted and idle
SIZE = (120, 40)

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Footer()

Bare().run()
"""


def child_env(config_home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TEXTUAL") and key != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        LANG="fr_FR.UTF-8",
        XDG_CONFIG_HOME=str(config_home),  # no user config, no user templates
        # what the sessions list remembers (store.listing): filled by the warm-up run, as
        # by any earlier start of atelier on the same folder
        XDG_CACHE_HOME=str(config_home.parent / "cache"),
        COLUMNS=str(SIZE[0]),
        LINES=str(SIZE[1]),
    )
    return env


class PtyApp:
    """A terminal app running in a pseudo-terminal; its output is read and kept timed."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = SIZE):
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.last_output = self.started
        self.first_output: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def read(self, timeout: float) -> bool:
        """Read what is available within ``timeout`` s; False when nothing came."""
        ready, _w, _x = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the child closed the terminal
            return False
        if not data:
            return False
        now = time.perf_counter()
        self.first_output = self.first_output or now
        self.last_output = now
        self.output += data
        return True

    def wait_quiet(self, quiet: float = QUIET, timeout: float = 60.0) -> float:
        """Read until ``quiet`` s pass without output; returns the time of the last byte."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.tail()}")
            if not self.read(0.05) and self.first_output is not None:
                if time.perf_counter() - self.last_output >= quiet:
                    return self.last_output
        raise TimeoutError(f"the app never went quiet:\n{self.tail()}")

    def drain_for(self, seconds: float) -> None:
        """Keep reading (a terminal always does) for ``seconds``."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self.read(min(left, 0.2))

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def stop(self) -> None:
        """ctrl+q, then SIGKILL if the app did not quit within 10 s."""
        try:
            self.send(b"\x11")
            end = time.perf_counter() + 10
            while self.process.poll() is None and time.perf_counter() < end:
                self.read(0.05)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            os.close(self.master)

    def text(self) -> str:
        return self.output.decode("utf-8", "replace")

    def tail(self) -> str:
        return self.text()[-2000:]


def prepare(root: Path, big: bool) -> tuple[Path, Path]:
    """A sessions folder (demo, plus a 2,000-idea session when ``big``) and a config home."""
    folder = root / ("big" if big else "demo")
    write_demo(folder)
    if big:
        write_session(folder, 2000, 60, phase="clustering")
    config = root / "config"
    config.mkdir(exist_ok=True)
    return folder, config


def compile_sources() -> None:
    compileall.compile_dir(str(SRC), quiet=1, force=False)


def one_run(argv: list[str], env: dict[str, str], expect: str) -> float:
    app = PtyApp(argv, env)
    try:
        painted = app.wait_quiet()
        if expect not in app.text():
            raise RuntimeError(f"{expect!r} never appeared on the screen:\n{app.tail()}")
        return painted - app.started
    finally:
        app.stop()


def run(quick: bool = False) -> list[Row]:
    runs = 3 if quick else 9
    OUT.mkdir(parents=True, exist_ok=True)
    compile_sources()
    root = Path(tempfile.mkdtemp(dir=OUT, prefix="startup-"))
    try:
        demo, config = prepare(root, big=False)
        big, _config = prepare(root, big=True)
        env = child_env(config)
        python = sys.executable
        commands = {
            "bare": ([python, "-c", BARE_APP], "Bare"),
            "atelier": ([python, "-m", "atelier", "--dir", str(demo), "--lang", "fr"], "atelier"),
            "atelier+2000": (
                [python, "-m", "atelier", "--dir", str(big), "--lang", "fr"],
                "atelier",
            ),
        }
        commands["first+2000"] = commands["atelier+2000"]
        # the first starts remember in a cache folder of their own, emptied before each
        first_env = {**env, "XDG_CACHE_HOME": str(root / "first-cache")}
        times: dict[str, list[float]] = {name: [] for name in commands}
        for argv, expect in commands.values():  # warm-up: caches, not counted
            one_run(argv, env, expect)
        for _ in range(runs):
            for name, (argv, expect) in commands.items():  # alternating
                if name.startswith("first"):
                    shutil.rmtree(first_env["XDG_CACHE_HOME"], ignore_errors=True)
                    times[name].append(one_run(argv, first_env, expect))
                else:
                    times[name].append(one_run(argv, env, expect))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    bare = statistics.median(times["bare"])

    def row(figure: str, name: str, target: float | None, note: str = "") -> Row:
        return Row(
            figure,
            statistics.median(times[name]),
            "s",
            reference=bare,
            reference_label="bare Textual app",
            target=target,
            target_on="ratio",
            runs=runs,
            note=note + ", ".join(f"{t:.3f}" for t in times[name]),
        )

    return [
        row(
            "Start-up to painted & idle home screen (demo folder)",
            "atelier",
            TARGET_RATIO,
            "pty 120×40; ",
        ),
        row("  same, folder also holding a 2,000-idea session", "atelier+2000", TARGET_RATIO),
        row(
            "  same, first start ever on that folder (every session checked in full)",
            "first+2000",
            None,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()), f"({row.runs} runs: {row.note})")


if __name__ == "__main__":
    main()
