"""Quality of atelier.clustering on the labelled fixtures (tests/fixtures/ideas_*.json).

Thresholds are chosen on a tuning half and reported on the held-out half. The split is
deterministic: an idea goes to the tuning half when the id of its "root" (the idea it
duplicates, else itself) is even, so a duplicate and its original are always together.

* Suggested groups: adjusted Rand index (ARI) against the themes; ideas left alone count as
  groups of one. 0 is what random grouping gets, 1 is a perfect match.
* Similar ideas: replayed as at capture time, in id order; each new idea is compared with
  the ideas already captured and up to 3 hints above the threshold count as predicted
  duplicates. Precision and recall against the pairs marked ``duplicate_of``.

Run: python bench/clustering_quality.py
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from atelier import clustering

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
LANGS = ("fr", "en")
GROUP_GRID = [round(0.01 * k, 2) for k in range(41)]  # 0.00 … 0.40
SIMILAR_GRID = [round(0.20 + 0.025 * k, 3) for k in range(29)]  # 0.20 … 0.90
HINTS = 3  # the ideation screen shows up to 3 hints


def load(lang: str) -> list[dict]:
    return json.loads((FIXTURES / f"ideas_{lang}.json").read_text(encoding="utf-8"))


def split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    tune = [r for r in rows if (r["duplicate_of"] or r["id"]) % 2 == 0]
    held = [r for r in rows if (r["duplicate_of"] or r["id"]) % 2 == 1]
    return tune, held


def _comb2(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand_index(truth: list[str], predicted: list[int]) -> float:
    pairs = Counter(zip(truth, predicted, strict=True))
    sum_cells = sum(_comb2(c) for c in pairs.values())
    sum_truth = sum(_comb2(c) for c in Counter(truth).values())
    sum_pred = sum(_comb2(c) for c in Counter(predicted).values())
    total = _comb2(len(truth))
    expected = sum_truth * sum_pred / total
    maximum = (sum_truth + sum_pred) / 2
    if maximum == expected:
        return 1.0
    return (sum_cells - expected) / (maximum - expected)


def group_ari(rows: list[dict], lang: str, threshold: float) -> tuple[float, int, int]:
    """(ARI, number of groups, ideas grouped)."""
    texts = [r["text"] for r in rows]
    groups = clustering._suggest_groups(texts, lang, 12, threshold)
    labels = list(range(len(rows), 2 * len(rows)))  # singletons: a label of their own
    for g, members in enumerate(groups):
        for i in members:
            labels[i] = g
    ari = adjusted_rand_index([r["theme"] for r in rows], labels)
    return ari, len(groups), sum(len(g) for g in groups)


def duplicate_counts(rows: list[dict], lang: str, threshold: float) -> tuple[int, int, int]:
    """(true positives, predicted pairs, true pairs), replaying capture in id order."""
    truth = {frozenset((r["id"], r["duplicate_of"])) for r in rows if r["duplicate_of"] is not None}
    index = clustering.SimilarityIndex(lang)
    predicted = set()
    for row in sorted(rows, key=lambda r: r["id"]):
        for key, _score in index.similar(row["text"], limit=HINTS, threshold=threshold):
            predicted.add(frozenset((row["id"], key)))
        index.add(row["id"], row["text"])
    return len(predicted & truth), len(predicted), len(truth)


def precision_recall(counts: list[tuple[int, int, int]]) -> tuple[float, float, int, int, int]:
    tp = sum(c[0] for c in counts)
    pred = sum(c[1] for c in counts)
    true = sum(c[2] for c in counts)
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    return precision, recall, tp, pred, true


def f_beta(precision: float, recall: float, beta: float = 0.5) -> float:
    if precision + recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def pick(scores: list[tuple[float, float]]) -> tuple[float, float]:
    """(best score, threshold): the middle of the first run of grid points sharing the best
    score, so that a flat optimum does not pick its edge."""
    best = max(score for score, _t in scores)
    start = next(k for k, (score, _t) in enumerate(scores) if math.isclose(score, best))
    end = start
    while end + 1 < len(scores) and math.isclose(scores[end + 1][0], best):
        end += 1
    return best, scores[(start + end) // 2][1]


def settings(tuned: float, default: float) -> list[tuple[float, str]]:
    """Report the tuned threshold, and the module default too when it differs."""
    if math.isclose(tuned, default):
        return [(tuned, "tuned = default")]
    return [(tuned, "tuned"), (default, "module default")]


def main() -> None:
    data = {lang: split(load(lang)) for lang in LANGS}
    for lang in LANGS:
        tune, held = data[lang]
        themes = Counter(r["theme"] for r in tune + held)
        dups = sum(r["duplicate_of"] is not None for r in tune + held)
        print(
            f"{lang}: {len(tune) + len(held)} ideas, {len(themes)} themes "
            f"(min {min(themes.values())} ideas), {dups} near-duplicates; "
            f"tuning half {len(tune)}, held-out half {len(held)}"
        )

    # Suggested groups: the threshold with the best mean ARI over both languages (tuning half).
    def mean_ari(half: int, threshold: float) -> float:
        return sum(group_ari(data[lang][half], lang, threshold)[0] for lang in LANGS) / 2

    scores = [(mean_ari(0, t), t) for t in GROUP_GRID]
    _best_ari, best_group = pick(scores)
    print()
    print(
        f"Suggested groups (max_size 12): threshold tuned = {best_group:.2f} "
        f"(module default GROUP_THRESHOLD = {clustering.GROUP_THRESHOLD:.2f})"
    )
    print(
        "  tuning ARI by threshold: "
        + ", ".join(f"{t:.2f}→{s:.2f}" for s, t in scores if round(t * 100) % 4 == 0)
    )
    for threshold, name in settings(best_group, clustering.GROUP_THRESHOLD):
        for lang in LANGS:
            for half, part in ((0, "tuning"), (1, "held-out")):
                ari, n_groups, grouped = group_ari(data[lang][half], lang, threshold)
                size = len(data[lang][half])
                print(
                    f"  [{name} {threshold:.2f}] {lang} {part:8}: ARI {ari:.3f} "
                    f"({n_groups} groups, {grouped}/{size} ideas grouped)"
                )

    # Similar ideas: best F0.5 (precision weighs more: a wrong hint costs trust).
    def counts(half: int, threshold: float) -> list[tuple[int, int, int]]:
        return [duplicate_counts(data[lang][half], lang, threshold) for lang in LANGS]

    candidates = []
    for t in SIMILAR_GRID:
        p, r, *_ = precision_recall(counts(0, t))
        candidates.append((f_beta(p, r), t, p, r))
    _best_f, best_similar = pick([(f, t) for f, t, _p, _r in candidates])
    print()
    print(
        f"Similar ideas (up to {HINTS} hints, capture order): threshold tuned = "
        f"{best_similar:.3f} (module default SIMILARITY_THRESHOLD = "
        f"{clustering.SIMILARITY_THRESHOLD:.3f})"
    )
    print(
        "  tuning P/R by threshold: "
        + ", ".join(f"{t:.2f}→{p:.2f}/{r:.2f}" for _f, t, p, r in candidates[::2])
    )
    for threshold, name in settings(best_similar, clustering.SIMILARITY_THRESHOLD):
        for half, part in ((0, "tuning"), (1, "held-out")):
            per_lang = counts(half, threshold)
            for lang, c in zip(LANGS, per_lang, strict=True):
                p, r, tp, pred, true = precision_recall([c])
                print(
                    f"  [{name} {threshold:.3f}] {lang} {part:8}: precision {p:.2f} "
                    f"({tp}/{pred}), recall {r:.2f} ({tp}/{true})"
                )
            p, r, tp, pred, true = precision_recall(per_lang)
            print(
                f"  [{name} {threshold:.3f}] both {part:8}: precision {p:.2f} "
                f"({tp}/{pred}), recall {r:.2f} ({tp}/{true})"
            )
    if not math.isclose(best_group, clustering.GROUP_THRESHOLD) or not math.isclose(
        best_similar, clustering.SIMILARITY_THRESHOLD
    ):
        print("\nNote: the module defaults differ from the thresholds tuned here.")


if __name__ == "__main__":
    main()
