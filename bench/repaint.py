"""Keystroke-to-repaint on the ideation and clustering screens, 2,000 ideas vs 10 ideas.

The real app (``create_app(folder, "fr", open_session=id)``) runs headless under Pilot at
120×40 on a synthetic session (synth.py). For each keystroke we measure the time from the
moment the key is handed to the app to the end of the last frame it caused.

How "the end of the repaint" is found, from Textual's source (textual/screen.py, app.py):
a key event is dispatched to the focused widget; whatever the handlers change marks widgets
dirty; when the screen's message queue is idle (``Screen._on_idle``) it resumes its update
timer, which fires at most every 1/60 s (``UPDATE_PERIOD``) and runs
``Screen._on_timer_update`` → layout if needed → ``Compositor.render_update`` (every dirty
widget renders its lines) → ``App._display``, which turns the update into escape sequences
and writes them to the terminal. That last call is the end of a repaint: we wrap
``App._display`` to timestamp every frame. Headless, ``_display`` skips the conversion to
escape sequences, so the wrapper does it (``CompositorUpdate.render_segments``, exactly the
code the real driver runs) — only the final write to a terminal is missing.

We deliberately do not use ``pilot.pause()`` as the end mark: it forces
``_on_timer_update`` itself, which would hide the frame-timer wait a user does see. Instead,
after ``pilot.press`` returns (the key and what it queued are processed), we wait until no
frame has come for 100 ms and the screen has nothing pending; the latency is the time of the
last frame minus the time the key was sent. The capture field's cursor blink (a frame every
0.5 s unrelated to the key) is switched off during the measurement; timers are paused.

Keystrokes (≥ 30 of each, median; the same on a 10-idea session is the reference):
* ideation: a character typed in the capture field; Enter adding an idea (operation,
  fsync'd save, list update, « close to #12 » hint);
* clustering: ↓ in the « Unclassified » column; a digit moving the selected idea to
  cluster 1; S opening the suggestions screen (the figure is its first frame, title and
  « Calcul des suggestions… » shown; the groups themselves are computed in a thread and
  timed by clustering_speed.py — the time until they are listed is given as a note).

Targets (issue 15): every key ≤ 50 ms to the frame showing its result *and* ≤ 1.5× the
same key on the 10-idea session of the same run — a key must not cost more as the
session grows.

Run: python bench/repaint.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rich.cells import cell_len  # noqa: E402
from synth import Row, idea_text, write_session  # noqa: E402
from textual._compositor import CompositorUpdate  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from atelier.app import AtelierApp, create_app  # noqa: E402
from atelier.i18n import _ as translate  # noqa: E402
from atelier.widgets.ideas_view import IdeasView  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_MS = 50.0
TARGET_RATIO = 1.5  # against the same key at 10 ideas
QUIET = 0.1  # no frame for this long after the key: its repaint is over
SIZE = (120, 40)
PHRASE = "Des points d'équipe courts chaque semaine pour se dire ce qui va bien "


_TOKEN = re.compile(
    r"\x1b\[([0-9;?]*)([A-Za-z])"  # CSI: cursor moves, colours
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (hyperlinks): no cells
    r"|([^\x1b\r\n]+)|(\n)|(\r)"
)


class VirtualScreen:
    """The cells a terminal would show after the escape sequences Textual wrote.

    Enough of a terminal for Textual's output: cursor moves (CSI H), colours (SGR, kept
    as the style of each cell) and text, wide characters taking two cells."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[(" ", "")] * width for _ in range(height)]
        self.x = self.y = 0
        self.sgr = ""

    def feed(self, data: str) -> None:
        for match in _TOKEN.finditer(data):
            params, final, text, newline, ret = match.groups()
            if final == "H":
                row, _sep, col = (params or "1;1").partition(";")
                self.y, self.x = int(row or 1) - 1, int(col or 1) - 1
            elif final == "m":
                self.sgr = "" if params in ("", "0") else f"{self.sgr};{params}"
            elif text:
                for char in text:
                    size = cell_len(char)
                    if 0 <= self.y < self.height and 0 <= self.x < self.width:
                        self.rows[self.y][self.x] = (char, self.sgr)
                        if size == 2 and self.x + 1 < self.width:
                            self.rows[self.y][self.x + 1] = ("", self.sgr)
                    self.x += size
            elif newline:
                self.y, self.x = self.y + 1, 0
            elif ret:
                self.x = 0

    def snapshot(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        return tuple(tuple(row) for row in self.rows)


class FrameClock:
    """Timestamps every frame the app renders and keeps its bytes (see the docstring)."""

    def __init__(self, app: AtelierApp, size: tuple[int, int]) -> None:
        self.app = app
        self.frames: list[tuple[float, str]] = []
        self.screen = VirtualScreen(*size)
        self._fed = 0
        original = app._display

        def display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            if renderable is None or app._batch_count:
                original(screen, renderable)
                return
            data = ""
            if app.is_headless and isinstance(renderable, CompositorUpdate):
                data = renderable.render_segments(app.console)  # what a terminal would get
            original(screen, renderable)
            self.frames.append((time.perf_counter(), data))

        app._display = display  # type: ignore[method-assign]

    async def settle(self, pilot: Pilot, since: float, timeout: float = 30.0) -> None:
        """Wait until the screen is quiet: nothing pending and no frame for QUIET s."""
        # Polls cheaply (a flag check every 5 ms): asking every widget whether its queue is
        # empty (pilot._wait_for_screen) posts a callback to each of them, which would slow
        # the very repaint being measured; it is done once, when everything looks quiet.
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
            last = max(self.frames[-1][0] if self.frames else since, since)
            if self._pending() or time.perf_counter() - last < QUIET:
                continue
            count = len(self.frames)
            await pilot._wait_for_screen()
            if len(self.frames) == count and not self._pending():
                return
        raise TimeoutError("the app never became quiet")

    def _pending(self) -> bool:
        screen = self.app.screen
        return bool(
            screen._dirty_widgets
            or screen._layout_required
            or screen._repaint_required
            or screen._scroll_required
        )

    def _replay(self, upto: int) -> None:
        for _at, data in self.frames[self._fed : upto]:
            self.screen.feed(data)
        self._fed = upto

    def first_frame_with(self, since: int, text: str) -> float:
        """Time of the first frame from index ``since`` after which ``text`` is on screen."""
        self._replay(since)
        for index in range(since, len(self.frames)):
            self._replay(index + 1)
            if any(text in "".join(ch for ch, _sgr in row) for row in self.screen.rows):
                return self.frames[index][0]
        raise RuntimeError(f"{text!r} never appeared on screen")

    async def keystroke(self, pilot: Pilot, key: str) -> tuple[float, float]:
        """(to the frame showing the key's final result, to its last frame), in seconds.

        The frames are replayed on a virtual screen after the fact (not while timing):
        the first is the first frame after which the screen already looks as it does
        once everything settled; frames that redraw identical cells do not count."""
        await self.settle(pilot, time.perf_counter())
        count = len(self.frames)
        start = time.perf_counter()
        await pilot.press(key)
        await self.settle(pilot, start)
        self._replay(count)
        states = []
        for index in range(count, len(self.frames)):
            self._replay(index + 1)
            states.append(self.screen.snapshot())
        if not states:
            return 0.0, 0.0  # nothing to repaint
        final = states[-1]
        shown = next(i for i, state in enumerate(states) if state == final)
        return self.frames[count + shown][0] - start, self.frames[-1][0] - start


class KeyRow(Row):
    """A key passes when it is both fast (≤ TARGET_MS) and flat (≤ TARGET_RATIO × 10 ideas)."""

    @property
    def ok(self) -> bool | None:
        return self.value <= TARGET_MS and self.ratio is not None and self.ratio <= TARGET_RATIO

    def cells(self) -> list[str]:
        cells = super().cells()
        cells[4] = f"≤ {TARGET_MS:g} ms, ≤ {TARGET_RATIO:g}×"
        return cells


Timing = tuple[float, float]
Scenario = Callable[[Pilot, FrameClock, int], Awaitable[list[Timing]]]


async def _ready_ideation(pilot: Pilot) -> Input:
    screen = pilot.app.screen
    for _ in range(500):
        if getattr(screen, "index", None) is not None:
            break
        await asyncio.sleep(0.01)
    field = screen.query_one("#idea-input", Input)
    field.cursor_blink = False
    field.focus()
    await pilot.pause()
    return field


async def type_character(pilot: Pilot, clock: FrameClock, count: int) -> list[Timing]:
    await _ready_ideation(pilot)
    keys = [("space" if ch == " " else ch) for ch in PHRASE]
    keys = [k for k in keys if k == "space" or k.isalpha()]
    return [await clock.keystroke(pilot, keys[i % len(keys)]) for i in range(count)]


async def enter_idea(pilot: Pilot, clock: FrameClock, count: int) -> list[Timing]:
    import random

    field = await _ready_ideation(pilot)
    rng = random.Random(11)
    times = []
    for _ in range(count):
        field.value = idea_text(rng, rng.randrange(12))
        times.append(await clock.keystroke(pilot, "enter"))
    return times


async def _ready_board(pilot: Pilot) -> IdeasView:
    screen = pilot.app.screen
    for _ in range(1000):
        panel = screen.current_panel() if hasattr(screen, "current_panel") else None
        if panel is not None and panel.cluster_id is None and panel.ideas.option_count:
            break
        await asyncio.sleep(0.01)
    else:
        raise RuntimeError("the clustering board did not come up")
    await pilot.pause()
    return panel.ideas


async def arrow_down(pilot: Pilot, clock: FrameClock, count: int) -> list[Timing]:
    await _ready_board(pilot)
    return [await clock.keystroke(pilot, "down") for _ in range(count)]


async def move_to_cluster(pilot: Pilot, clock: FrameClock, count: int) -> list[Timing]:
    """Back and forth: a digit moves the selected idea from « Unclassified » to cluster 1,
    then (column changed and idea selected without timing) 0 moves it back, and so on."""
    ideas = await _ready_board(pilot)
    screen = pilot.app.screen
    times = []
    ideas.highlighted = 0
    for number in range(count):
        panel = screen.current_panel()
        idea_id = panel.ideas.selected_id
        times.append(await clock.keystroke(pilot, "1" if number % 2 == 0 else "0"))
        await pilot.press("right" if number % 2 == 0 else "left")
        target = screen.current_panel()
        target.ideas.select_id(idea_id)
        await pilot.pause()
    return times


async def open_suggestions(pilot: Pilot, clock: FrameClock, count: int) -> list[Timing]:
    """S on the board: (to the first frame showing the suggestions screen, to the frame
    listing the groups). Escape goes back once they are listed, untimed."""
    from atelier.screens.suggestions import SuggestionsScreen

    await _ready_board(pilot)
    title = translate("Suggested groups")
    times = []
    for _round in range(count):
        await clock.settle(pilot, time.perf_counter())
        first = len(clock.frames)
        start = time.perf_counter()
        await pilot.press("s")
        screen = pilot.app.screen
        for _wait in range(3000):  # the groups are computed in a thread
            if isinstance(screen, SuggestionsScreen) and screen.proposals:
                break
            await asyncio.sleep(0.005)
            screen = pilot.app.screen
        await clock.settle(pilot, start)
        shown = clock.first_frame_with(first, title)
        times.append((shown - start, clock.frames[-1][0] - start))
        await pilot.press("escape")
    return times


SCENARIOS: list[tuple[str, str, Scenario]] = [
    ("ideation", "type a character", type_character),
    ("ideation", "Enter: add an idea", enter_idea),
    ("clustering", "↓ in a column", arrow_down),
    ("clustering", "digit: move to a cluster", move_to_cluster),
    ("clustering", "S: open suggestions", open_suggestions),
]


async def measure(
    folder: Path, ideas: int, phase: str, scenario: Scenario, count: int
) -> list[Timing]:
    session_id = write_session(
        folder, ideas, 60, phase=phase, session_id=f"repaint-{phase}-{ideas}"
    )
    app = create_app(folder, "fr", open_session=session_id)
    clock = FrameClock(app, SIZE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        times = await scenario(pilot, clock, count)
        await pilot.press("ctrl+q")
    if app.unexpected_errors:
        raise RuntimeError(f"the app failed: {app.unexpected_errors!r}")
    return times


def run(quick: bool = False) -> list[Row]:
    count = 10 if quick else 40
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TERM", "xterm-256color")
    os.environ.setdefault("COLORTERM", "truecolor")
    rows: list[Row] = []
    tmp = tempfile.mkdtemp(dir=OUT, prefix="repaint-")
    try:
        for phase, label, scenario in SCENARIOS:
            big = asyncio.run(measure(Path(tmp) / "big", 2000, phase, scenario, count))
            small = asyncio.run(measure(Path(tmp) / "small", 10, phase, scenario, count))
            shown = [t[0] for t in big]
            last = [t[1] for t in big]
            rows.append(
                KeyRow(
                    f"Keystroke→repaint, {phase}: {label}, 2,000 ideas",
                    statistics.median(shown) * 1000,
                    "ms",
                    reference=statistics.median(t[0] for t in small) * 1000,
                    reference_label="10 ideas",
                    target=TARGET_MS,
                    runs=len(big),
                    note=(
                        f"p90 {statistics.quantiles(shown, n=10)[-1] * 1000:.1f} ms; last frame "
                        f"median {statistics.median(last) * 1000:.1f} ms (10 ideas: "
                        f"{statistics.median(t[1] for t in small) * 1000:.1f} ms)"
                    ),
                )
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()), f"({row.runs} keys; {row.note})")


if __name__ == "__main__":
    main()
