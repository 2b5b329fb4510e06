"""Speed of atelier.clustering.suggest_groups on synthetic sessions of 500 and 2,000 ideas.

The ideas are built (seeded, so always the same) from the vocabulary of the labelled
fixtures: each one mixes the words of two ideas of one theme, so themes and near-duplicates
look like a real room's. Targets on the 2-core reference machine: 500 ideas < 0.5 s,
2,000 ideas < 3 s.

Each size is timed several times and the median printed, "cold" (the stem cache emptied
before each run, as for the first suggestion of a session) and "warm". As a reference
measured in the same run, the script also times a trivial baseline, splitting every idea
into words once, so that the figure can be read as a ratio on any machine.

Run: python bench/clustering_speed.py
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from pathlib import Path

from atelier import clustering

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
TARGETS = {500: 0.5, 2000: 3.0}
RUNS = 5
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def synthetic(lang: str, n: int, seed: int = 2017) -> list[str]:
    rows = json.loads((FIXTURES / f"ideas_{lang}.json").read_text(encoding="utf-8"))
    by_theme: dict[str, list[list[str]]] = {}
    for row in rows:
        by_theme.setdefault(row["theme"], []).append(row["text"].split())
    themes = sorted(by_theme)
    rng = random.Random(seed)
    ideas = []
    for _ in range(n):
        pool = by_theme[rng.choice(themes)]
        first, second = rng.sample(pool, 2)
        cut_a = rng.randint(2, max(2, len(first)))
        cut_b = rng.randint(0, max(0, len(second) - 2))
        words = first[:cut_a] + second[cut_b:]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), rng.choice(rng.choice(pool)))
        ideas.append(" ".join(words))
    return ideas


def baseline(texts: list[str]) -> None:
    for text in texts:
        WORD.findall(text.casefold())


def median_time(func, texts: list[str], cold: bool) -> float:
    times = []
    for _ in range(RUNS):
        if cold:
            clustering._stem.cache_clear()
            clustering._content_stem.cache_clear()
        start = time.perf_counter()
        func(texts)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"median of {RUNS} runs; ratio = time / target (must stay < 1)")
    for lang in ("fr", "en"):
        for n, target in TARGETS.items():
            texts = synthetic(lang, n)

            def suggest(items: list[str], lang: str = lang) -> None:
                clustering.suggest_groups(items, lang)

            def explain(items: list[str], lang: str = lang) -> None:
                clustering.explain_groups(items, lang)

            base = median_time(baseline, texts, cold=False)
            cold = median_time(suggest, texts, cold=True)
            warm = median_time(suggest, texts, cold=False)
            labelled = median_time(explain, texts, cold=False)
            groups = clustering.suggest_groups(texts, lang)
            print(
                f"{lang} {n:5} ideas: suggest_groups cold {cold:.3f} s "
                f"({cold / target:.2f} of {target} s), warm {warm:.3f} s "
                f"({warm / target:.2f}); explain_groups warm {labelled:.3f} s "
                f"({labelled / target:.2f}); baseline (split words) {base * 1000:.1f} ms, "
                f"cold = {cold / base:.0f}× baseline; {len(groups)} groups, "
                f"{sum(map(len, groups))} ideas grouped"
            )
    # Capture: one "close to #12" query against 2,000 indexed ideas.
    texts = synthetic("fr", 2000)
    index = clustering.SimilarityIndex("fr")
    start = time.perf_counter()
    for key, text in enumerate(texts):
        index.add(key, text)
    build = time.perf_counter() - start
    queries = synthetic("fr", 50, seed=5)
    start = time.perf_counter()
    for text in queries:
        index.similar(text)
    per_query = (time.perf_counter() - start) / len(queries)
    print(
        f"SimilarityIndex fr: 2,000 adds {build:.3f} s, one similar() query "
        f"{per_query * 1000:.1f} ms (mean of {len(queries)} queries)"
    )
    long_text = " ".join(synthetic("fr", 200, seed=9))[:5000]
    start = time.perf_counter()
    clustering.suggest_groups(texts[:499] + [long_text], "fr")
    print(f"500 ideas including one of 5,000 characters: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
