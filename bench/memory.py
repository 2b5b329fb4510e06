"""Peak memory with a 2,000-idea session: the ideation screen, then the clustering board.

A fresh interpreter runs the real app headless (``run_test``, 120×40) on a synthetic
2,000-idea, 60-participant session (synth.py): it opens on the ideation screen, waits
until the similarity index is built, reads its peak resident set size (``VmHWM`` in
/proc/self/status: on Linux ``ru_maxrss`` is kept across fork and exec, so it would
report the parent's size too), then goes to the clustering board (F8) and reads it
again once the board is up. The peak of the whole run is the figure.

Reference, same run and same method: the bare Textual app with Header and Footer.
Headless skips the terminal writer thread and its buffers only: a few hundred KiB.
Both run with bytecode compiled, as installed (see startup.py).

Run: python bench/memory.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import compile_sources  # noqa: E402
from synth import Row, write_session  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_MIB = 120.0

PEAK = """
def peak_mib():
    # VmHWM: peak RSS of this process's own memory; ru_maxrss would also count the parent
    # (Linux keeps it across fork and exec, so a big parent inflates a small child)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

ATELIER = """
import asyncio, json, resource, sys
from pathlib import Path

def peak():
    return peak_mib()

async def main(folder, session_id):
    from atelier.app import create_app
    app = create_app(Path(folder), "fr", open_session=session_id)
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(1000):
            if getattr(app.screen, "index", None) is not None:
                break
            await asyncio.sleep(0.01)
        await pilot.pause()
        out["ideation"] = peak()
        await pilot.press("f8")
        for _ in range(1000):
            panels = list(app.screen.query("ClusterPanel"))
            shown = sum(p.ideas.option_count for p in panels)
            if len(panels) > 1 and shown == len(app.session.ideas):
                break
            await asyncio.sleep(0.01)
        await pilot.pause()
        out["clustering"] = peak()
        out["screen"] = type(app.screen).__name__
        await pilot.press("ctrl+q")
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""

BARE = """
import asyncio, json, resource
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()

async def main():
    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print(json.dumps({"peak": peak_mib()}))

asyncio.run(main())
"""


def _child(code: str, *args: str) -> dict[str, float]:
    env = {  # with bytecode, as installed (see startup.py)
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TEXTUAL") and k != "PYTHONDONTWRITEBYTECODE"
    }
    done = subprocess.run(
        [sys.executable, "-c", PEAK + code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[Row]:
    runs = 1 if quick else 3
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=OUT, prefix="memory-"))
    try:
        session_id = write_session(tmp, 2000, 60, phase="ideation", session_id="memory-2000")
        compile_sources()
        _child(BARE)  # warm-up: fills any bytecode cache, not counted
        ideation, clustering, bare = [], [], []
        for _ in range(runs):
            shutil.copy(tmp / f"{session_id}.json", tmp / "pristine.json.bak")
            result = _child(ATELIER, str(tmp), session_id)
            shutil.copy(tmp / "pristine.json.bak", tmp / f"{session_id}.json")  # phase reset
            if result.get("screen") != "ClusteringScreen":
                raise RuntimeError(f"the clustering board was not reached: {result}")
            ideation.append(result["ideation"])
            clustering.append(result["clustering"])
            bare.append(_child(BARE)["peak"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    reference = statistics.median(bare)
    return [
        Row(
            "Peak RSS, 2,000 ideas: ideation then clustering",
            statistics.median(clustering),
            "MiB",
            reference=reference,
            reference_label="bare Textual app",
            target=TARGET_MIB,
            runs=runs,
        ),
        Row(
            "  peak RSS on the ideation screen only",
            statistics.median(ideation),
            "MiB",
            reference=reference,
            reference_label="bare Textual app",
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
