"""The one benchmark command: every measured figure, with its reference, ratio and target.

    python bench/run_all.py            # everything (about 10 minutes)
    python bench/run_all.py --quick    # fewer runs, shorter idle window (about 4 minutes)
    python bench/run_all.py --only latency,repaint
    python bench/run_all.py --durability   # also the SIGKILL durability trials (long)

Prints a table — figure, median, reference, ratio, target, pass/FAIL — and writes it as
Markdown, with the date, the machine and the load average, to bench/out/results.md (to
paste into the README or docs/bench.md). Each figure is a median of several runs; its
reference is measured in the same run, so the ratio holds on any machine. Not part of the
test suite: speed belongs here, never in timed tests. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import Row  # noqa: E402

OUT = HERE / "out"
HEADER = ["Figure", "Median", "Reference", "Ratio", "Target", ""]
#: name → module with run(quick) -> list[Row]; in the order they run.
MODULES = {
    "startup": "startup",
    "latency": "latency",
    "repaint": "repaint",
    "export": "export_bench",
    "listing": "listing",
    "memory": "memory",
    "idle": "idle_cpu",
    "clustering": None,  # bench/clustering_speed.py, run as it is
}
CLUSTERING_LINE = re.compile(
    r"^(?P<lang>fr|en)\s+(?P<n>\d+) ideas: suggest_groups cold (?P<cold>[\d.]+) s .*?"
    r"warm (?P<warm>[\d.]+) s .*?baseline \(split words\) (?P<base>[\d.]+) ms"
)


def clustering_rows(quick: bool) -> list[Row]:
    """bench/clustering_speed.py (a colleague's script) as it is; its lines become rows."""
    from clustering_speed import TARGETS

    done = subprocess.run(
        [sys.executable, str(HERE / "clustering_speed.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    rows = []
    for line in done.stdout.splitlines():
        match = CLUSTERING_LINE.match(line)
        if not match or match["lang"] != "fr":
            continue
        n = int(match["n"])
        rows.append(
            Row(
                f"Clustering suggestions (suggest_groups, cold), {n:,} ideas, fr",
                float(match["cold"]),
                "s",
                reference=float(match["base"]) / 1000,
                reference_label="split words",
                target=TARGETS.get(n),
                runs=5,
            )
        )
    if not rows:
        rows.append(Row("Clustering suggestions: no figure (see the log)", 0.0, "s"))
    return rows


def durability_rows() -> list[Row]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / "durability.py")], capture_output=True, text=True, check=False
    )
    print(done.stdout, end="", flush=True)
    return [
        Row(
            "Durability trials (bench/durability.py): "
            + ("pass" if done.returncode == 0 else "FAIL"),
            time.perf_counter() - started,
            "s",
            note=done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
        )
    ]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs (nproc)"
        + (f", {cpu}" if cpu else "")
        + f"; Python {platform.python_version()}, Textual {textual.__version__}"
    )


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def markdown(rows: list[Row], header_lines: list[str]) -> str:
    lines = [*header_lines, "", "| " + " | ".join(HEADER[:-1]) + " | Result |"]
    lines.append("|" + "---|" * len(HEADER))
    for row in rows:
        cells = [c.replace("|", "\\|") for c in row.cells()]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row.figure.strip()}: {row.note}" for row in rows if row.note]
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


def table(rows: list[Row]) -> str:
    cells = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(HEADER))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 s idle window")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(MODULES))
    parser.add_argument("--durability", action="store_true", help="also bench/durability.py")
    args = parser.parse_args()
    wanted = [n for n in args.only.split(",") if n] or list(MODULES)
    unknown = set(wanted) - set(MODULES)
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    started = datetime.datetime.now().astimezone()
    load_before = load()
    rows: list[Row] = []
    for name in wanted:
        print(f"== {name}", flush=True)
        begin = time.perf_counter()
        module = MODULES[name]
        found = (
            clustering_rows(args.quick)
            if module is None
            else importlib.import_module(module).run(args.quick)
        )
        for row in found:
            print(
                "   " + " | ".join(row.cells()) + (f"   [{row.note}]" if row.note else ""),
                flush=True,
            )
        print(f"   ({time.perf_counter() - begin:.0f} s)", flush=True)
        rows += found
    if args.durability:
        print("== durability", flush=True)
        rows += durability_rows()
    header = [
        f"Benchmark of {started:%Y-%m-%d %H:%M %z}"
        + (" (--quick)" if args.quick else "")
        + f" — `python bench/run_all.py{' --quick' if args.quick else ''}`",
        "",
        f"Machine: {machine()}. Load average before / after: {load_before} / {load()}.",
    ]
    print()
    print(table(rows))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(markdown(rows, header), encoding="utf-8")
    print(f"\nMarkdown table: {OUT / 'results.md'}")
    return 1 if any(row.ok is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
