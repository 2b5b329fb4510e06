"""The summary screen's report: time to show it in Textual's Markdown widget.

    python bench/summary_screen.py

For 20, 300 and 2,000 ideas, the time from mounting a Markdown widget fed with the report to
the first idle frame (headless, 120×40), with the screen's compact Markdown (lists as
hard-broken paragraphs) and, as the reference measured in the same run, the Markdown file
itself (one widget per list item). Target: under 1 s at 2,000 ideas.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from atelier import model
from atelier.export.markdown import render_report
from atelier.summary import build_summary, summary_report


class ReportApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Markdown(self.text)


async def shown_in(text: str) -> float:
    start = time.perf_counter()
    async with ReportApp(text).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    return time.perf_counter() - start


def report(ideas: int, compact: bool) -> str:
    session = model.new_session("bench", "Atelier")
    for number in range(ideas):
        session = model.add_idea(session, f"Idée {number} : une phrase de longueur habituelle")
    return render_report(summary_report(build_summary(session)), compact=compact).decode()


async def main() -> None:
    print("ideas  compact (s)  file Markdown (s)  ratio")
    for ideas, runs in ((20, 3), (300, 3), (2000, 1)):
        compact = statistics.median([await shown_in(report(ideas, True)) for _r in range(runs)])
        full = statistics.median([await shown_in(report(ideas, False)) for _r in range(runs)])
        print(f"{ideas:>5}  {compact:11.2f}  {full:17.2f}  {full / compact:5.1f}")


if __name__ == "__main__":
    asyncio.run(main())
