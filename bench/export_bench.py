"""Export of a 2,000-idea, 60-participant session to every format, in memory.

``atelier.export.render`` is timed for md, html, odt, csv and json (the summary is built
by each call, as when one format is exported), five runs; the figure is the median of the
total over the five formats, with each format's median as information. Writing the files
(write_new, one fsync each) is not included: it is the same few milliseconds whatever the
format.

Reference, same run: ``json.dumps`` of the session document (codec.to_document), the
cheapest possible serialisation of the same data.

Run: python bench/export_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import Row, build_session  # noqa: E402

from atelier import codec, i18n  # noqa: E402
from atelier.export import FORMATS, render  # noqa: E402

RUNS = 5
TARGET_S = 1.0


def run(quick: bool = False) -> list[Row]:
    i18n.set_language("fr")
    session = build_session(2000, 60, phase="summary")
    per_format: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    totals: list[float] = []
    references: list[float] = []
    sizes: dict[str, int] = {}
    for _ in range(RUNS):
        start = time.perf_counter()
        json.dumps(codec.to_document(session), ensure_ascii=False).encode()
        references.append(time.perf_counter() - start)
        total = 0.0
        for fmt in FORMATS:
            start = time.perf_counter()
            data = render(session, fmt)
            elapsed = time.perf_counter() - start
            per_format[fmt].append(elapsed)
            sizes[fmt] = len(data)
            total += elapsed
        totals.append(total)
    reference = statistics.median(references)
    rows = [
        Row(
            "Export 2,000 ideas × 60 people, all 5 formats",
            statistics.median(totals),
            "s",
            reference=reference,
            reference_label="json.dumps",
            target=TARGET_S,
            runs=RUNS,
        )
    ]
    for fmt in FORMATS:
        rows.append(
            Row(
                f"  export {fmt} ({sizes[fmt] / 1024:.0f} KiB)",
                statistics.median(per_format[fmt]),
                "s",
                reference=reference,
                reference_label="json.dumps",
                runs=RUNS,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for row in run(args.quick):
        print(" | ".join(row.cells()))


if __name__ == "__main__":
    main()
