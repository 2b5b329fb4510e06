"""A room of 60 phones: every idea queued, responses fast, the facilitator's screen fluid.

The real app runs headless (Pilot, 120×40) on the ideation screen with phones switched on
at 127.0.0.1; 60 phones (127.0.0.2 … 127.0.0.61, one source address each) in a separate
process (phones_clients.py) join and send 10 ideas each, paced under the per-phone rate
limit, polling the state URL as the page script does. Meanwhile a probe task in the app's
loop measures how late a 10 ms sleep wakes up: the longest delay is the longest stall of
the TUI's event loop (key presses wait that long).

Targets: all 600 ideas queued; p95 response < 500 ms; longest loop stall < 250 ms.
References, same run: the p95 of 40 lone requests to the state URL before the room arrives,
and the longest stall of the same probe over 5 s with the app idle (on a loaded machine the
scheduler alone causes stalls: compare the two).

Run: python bench/phones_load.py [--phones 60] [--ideas 10]   (about 15 s, bounded at 90 s)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from atelier import model  # noqa: E402
from atelier.app import create_app  # noqa: E402
from atelier.lan.server import free_port  # noqa: E402
from atelier.store import SessionFolder  # noqa: E402

DEADLINE = 90.0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


async def run(phones: int, ideas: int) -> dict[str, float]:
    folder = SessionFolder(Path(tempfile.mkdtemp(prefix="atelier-phones-")))
    session_id = folder.create("Charge", lang="fr", question="Comment mieux accueillir ?")
    with folder.open(session_id) as handle:
        handle.apply(model.set_phase, "ideation")
    port = free_port("127.0.0.1", 18765)
    app = create_app(folder.root, "fr", open_session=session_id, phones=("127.0.0.1", port))
    stalls: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.phones is None or app.phones.server is None:
            await asyncio.sleep(0.05)
        await pilot.press("escape")  # the ideation screen, its moderation queue visible
        await pilot.pause()
        url = app.phones.url
        reference: list[float] = []
        async with aiohttp.ClientSession() as probe:
            for _i in range(40):
                start = time.perf_counter()
                async with probe.get(url + "state") as response:
                    await response.read()
                reference.append(time.perf_counter() - start)
        running = True

        async def watch(into: list[float]) -> None:
            while running:
                start = time.perf_counter()
                await asyncio.sleep(0.01)
                into.append(time.perf_counter() - start - 0.01)

        idle: list[float] = []  # reference: the same probe, the app idle, same machine load
        watcher = asyncio.create_task(watch(idle))
        await asyncio.sleep(5.0)
        running = False
        await watcher
        running = True
        watcher = asyncio.create_task(watch(stalls))
        started = time.perf_counter()
        clients = await asyncio.create_subprocess_exec(
            sys.executable,
            str(HERE / "phones_clients.py"),
            url,
            str(phones),
            str(ideas),
            stdout=asyncio.subprocess.PIPE,
        )
        out, _err = await asyncio.wait_for(clients.communicate(), DEADLINE)
        elapsed = time.perf_counter() - started
        room = app.phones.room
        await asyncio.sleep(0.3)  # the last redraw of the queue
        running = False
        await watcher
        queued = len(room.pending)
        shown = app.screen.query_one("QueueList").option_count
        on_disk = len(folder.load(session_id).ideas)
    result = json.loads(out)
    times = result["times"]
    return {
        "phones": phones,
        "ideas sent": phones * ideas,
        "queued": queued,
        "shown in the queue": shown,
        "ideas on disk (must be 0)": on_disk,
        "failures": len(result["failures"]),
        "requests": len(times),
        "p50 ms": statistics.median(times) * 1000,
        "p95 ms": p95(times) * 1000,
        "max ms": max(times) * 1000,
        "reference p95 ms (lone requests)": p95(reference) * 1000,
        "p95 / reference": p95(times) / p95(reference),
        "longest loop stall ms": max(stalls) * 1000,
        "reference: longest stall idle, 5 s ms": max(idle) * 1000,
        "stalls over 100 ms": sum(1 for s in stalls if s > 0.1),
        "wall s": elapsed,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--ideas", type=int, default=10)
    args = parser.parse_args()
    figures = asyncio.run(run(args.phones, args.ideas))
    for name, value in figures.items():
        print(f"{name:36} {value:10.1f}" if isinstance(value, float) else f"{name:36} {value:>8}")
    ok = (
        figures["queued"] == args.phones * args.ideas
        and figures["failures"] == 0
        and figures["p95 ms"] < 500
        and figures["longest loop stall ms"] < 250
    )
    print("targets: all queued, p95 < 500 ms, stall < 250 ms:", "pass" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
