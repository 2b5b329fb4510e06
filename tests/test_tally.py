"""Property: the counts, columns and « close to #12 » index kept up to date change by change
equal the same structures built from scratch, whatever the facilitator does (adds, edits,
moves, merges, deletions, clusters dissolved or merged, undo and redo through the store);
and the pruned similarity search finds exactly what the exhaustive one finds."""

from __future__ import annotations

import math
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier import model
from atelier.clustering import (
    SIMILARITY_THRESHOLD,
    SimilarityIndex,
    _analyse,
    _idf,
    _raw_features,
)
from atelier.errors import AtelierError
from atelier.model import Idea
from atelier.store import SessionFolder
from atelier.tally import IdeaTally, changed_span, follow_texts, position_of

WORDS = [
    "télétravail",
    "deux jours",
    "par semaine",
    "réunions",
    "courtes",
    "merci",
    "collègues",
    "plantes vertes",
    "bureaux",
    "formation",
    "accueil",
    "usagers",
    "les",
    "des",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
ids = st.integers(min_value=1, max_value=12)
maybe_id = st.none() | ids


def step(name: str, *args: Any) -> Any:
    return st.tuples(st.just(name), st.tuples(*args))


STEPS = st.one_of(
    step("add_idea", texts, maybe_id),
    step("add_idea", texts, st.none()),
    step("edit_idea", ids, texts),
    step("set_idea_author", ids, maybe_id),
    step("move_idea", ids, maybe_id),
    step("merge_ideas", ids, ids),
    step("delete_idea", ids),
    step("group_ideas", st.lists(ids, max_size=3), texts),
    step("add_cluster", texts),
    step("dissolve_cluster", ids),
    step("merge_clusters", ids, ids),
    step("remove_participant", ids),
    step("undo"),
    step("redo"),
)


def from_scratch(ideas: tuple[Idea, ...]) -> dict[int | None, tuple[Idea, ...]]:
    columns: dict[int | None, list[Idea]] = {}
    for idea in ideas:
        columns.setdefault(idea.cluster_id, []).append(idea)
    return {key: tuple(column) for key, column in columns.items()}


def start() -> model.Session:
    s = model.new_session("tally", "Atelier", lang="fr", clusters=["A", "B"])
    for name in ("Awa", "Bruno", "Chloé"):
        s = model.add_participant(s, name)
    for number, text in enumerate(["merci collègues", "télétravail deux jours", "réunions"]):
        s = model.add_idea(s, text, number or None)
    return model.move_idea(s, 1, 1)


def index_of(ideas: tuple[Idea, ...]) -> SimilarityIndex:
    index = SimilarityIndex("fr")
    for idea in ideas:
        index.add(idea.id, idea.text)
    return index


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEPS, max_size=25))
def test_incremental_structures_equal_the_ones_built_from_scratch(steps: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = SessionFolder(Path(tmp))
        opened = folder.open(folder.save_new(start()))
        tally, index = IdeaTally(), SimilarityIndex("fr")
        indexed: tuple[Idea, ...] = ()
        try:
            for name, args in steps:
                try:
                    if name in ("undo", "redo"):
                        (opened.undo if name == "undo" else opened.redo)()
                    else:
                        opened.apply(getattr(model, name), *args)
                except AtelierError:
                    pass
                session = opened.session
                tally.update(session.ideas)
                assert tally.authors == session.author_counts()
                assert tally.by_cluster == from_scratch(session.ideas)
                for cluster_id, column in from_scratch(session.ideas).items():
                    assert all(
                        a is b for a, b in zip(tally.column(cluster_id), column, strict=True)
                    )
                follow_texts(index, indexed, session.ideas)
                indexed = session.ideas
                fresh = index_of(session.ideas)
                assert index._docs == fresh._docs and index._postings == fresh._postings
                for idea in session.ideas:
                    found = index.similar_to(idea.id, limit=3)
                    fresh.remove(idea.id)
                    assert found == fresh.similar(idea.text, limit=3)
                    fresh.add(idea.id, idea.text)
        finally:
            opened.close()


def test_a_column_the_change_did_not_touch_stays_the_same_tuple() -> None:
    s = start()
    tally = IdeaTally()
    tally.update(s.ideas)
    unclassified, first = tally.column(None), tally.column(1)
    s = model.move_idea(s, 2, 2)
    tally.update(s.ideas)
    assert tally.column(1) is first  # untouched: a list showing it redraws nothing
    assert tally.column(None) is not unclassified
    assert [i.id for i in tally.column(2)] == [2]


def test_ideas_out_of_id_order_are_counted_from_scratch() -> None:
    """Columns are kept in id order: a session whose ideas are not (a hand-edited file)
    is grouped from scratch, in its own order."""
    s = start()
    s = replace(s, ideas=(s.ideas[2], s.ideas[0], s.ideas[1]))
    tally = IdeaTally()
    tally.update(s.ideas)
    assert tally.by_cluster == from_scratch(s.ideas)
    s = model.move_idea(s, 3, None)
    tally.update(s.ideas)
    assert tally.by_cluster == from_scratch(s.ideas)
    assert tally.authors == s.author_counts()


@given(
    old=st.lists(st.integers(0, 9), max_size=12),
    cut=st.integers(0, 12),
    drop=st.integers(0, 3),
    new=st.lists(st.integers(10, 19), max_size=3),
)
def test_changed_span_finds_the_middle_that_changed(
    old: list[int], cut: int, drop: int, new: list[int]
) -> None:
    items = [object() for _ in old]
    cut = min(cut, len(items))
    fresh = [object() for _ in new]
    after = items[:cut] + fresh + items[cut + drop :]
    start_, old_stop, new_stop = changed_span(items, after)
    assert items[:start_] == after[:start_]
    assert items[old_stop:] == after[new_stop:]
    assert after[start_:new_stop] == fresh or len(after[start_:new_stop]) <= len(fresh)
    assert items[:start_] + after[start_:new_stop] + items[old_stop:] == after
    assert position_of(after, after[-1]) == len(after) - 1 if after else True
    assert position_of(after, object()) == -1


# --- the pruned search against the exhaustive one -----------------------------------------


def exhaustive(
    index: SimilarityIndex, text: str, limit: int, threshold: float
) -> list[tuple[int, float]]:
    """Every idea sharing a term with the query scored, as the index did before pruning."""
    query = _raw_features(stem for stem, _surface in _analyse(text, index.lang))
    if not query or limit <= 0:
        return []
    n = len(index._docs) + 1
    postings = index._postings
    query_idf = {t: _idf(len(postings.get(t, ())) + 1, n) for t in query}
    query_norm = math.sqrt(sum((w * query_idf[t]) ** 2 for t, w in query.items()))
    dots: dict[int, float] = {}
    for term, weight in query.items():
        factor = weight * query_idf[term] * query_idf[term]
        for key in postings.get(term, ()):
            dots[key] = dots.get(key, 0.0) + factor * index._docs[key][term]
    results = []
    for key, dot in dots.items():
        norm_sq = 0.0
        for term, weight in index._docs[key].items():
            w = weight * _idf(len(postings[term]) + (1 if term in query else 0), n)
            norm_sq += w * w
        score = dot / (query_norm * math.sqrt(norm_sq))
        if score >= threshold:
            results.append((key, min(score, 1.0)))
    results.sort(key=lambda item: (-item[1], item[0]))
    return results[:limit]


@settings(max_examples=80, deadline=None)
@given(
    corpus=st.lists(texts, min_size=1, max_size=40),
    query=texts,
    limit=st.integers(1, 6),
    threshold=st.sampled_from([0.0, 0.2, SIMILARITY_THRESHOLD, 0.7, 1.0]),
)
def test_pruned_search_finds_what_the_exhaustive_search_finds(
    corpus: list[str], query: str, limit: int, threshold: float
) -> None:
    index = SimilarityIndex("fr")
    for key, text in enumerate(corpus):
        index.add(key, text)
    assert index.similar(query, limit, threshold) == exhaustive(index, query, limit, threshold)
