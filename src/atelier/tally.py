"""Counts and groups over a session's ideas, kept up to date from one state to the next.

An operation returns a new session that shares every record it did not change, so what
changed is found by identity with scans that run in C (no Python code per idea), and the
counts follow the few ideas that changed: a key costs the same with 10 ideas or 2,000.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import compress, count, repeat
from operator import attrgetter, is_, is_not
from typing import Protocol, TypeVar

from atelier.model.records import Idea

T = TypeVar("T")

_id = attrgetter("id")


def changed_span(old: Sequence[T], new: Sequence[T]) -> tuple[int, int, int]:
    """``(start, old_stop, new_stop)``: ``old[start:old_stop]`` became
    ``new[start:new_stop]``, the items before and after being the same objects in both."""
    common = min(len(old), len(new))
    start = next(compress(count(), map(is_not, old, new)), common)
    tail = next(compress(count(), map(is_not, reversed(old), reversed(new))), common)
    tail = min(tail, common - start)
    return start, len(old) - tail, len(new) - tail


def position_of(items: Sequence[T], item: T) -> int:
    """Where ``item`` itself (not an equal record) is in ``items``; -1 when it is not."""
    return next(compress(count(), map(is_, items, repeat(item))), -1)


class IdeaTally:
    """Ideas per author and per cluster, for the ideas last given to :meth:`update`.

    ``authors`` counts as :meth:`Session.author_counts` does (merged ideas credit each of
    their authors; None: no author). ``by_cluster`` holds each cluster's ideas in session
    order (None: unclassified) as tuples: a column the change did not touch is the very
    same tuple as before, so a list showing it can tell at once that nothing changed.
    """

    #: a change touching more ideas than this is counted again from scratch
    REBUILD_OVER = 64

    def __init__(self) -> None:
        self.ideas: tuple[Idea, ...] = ()
        self.authors: Counter[int | None] = Counter()
        self.by_cluster: dict[int | None, tuple[Idea, ...]] = {}
        self._by_id_order = True  # ideas in increasing id order (a column is sorted too)

    def column(self, cluster_id: int | None) -> tuple[Idea, ...]:
        return self.by_cluster.get(cluster_id, ())

    def update(self, ideas: tuple[Idea, ...]) -> None:
        """Follow the session's ideas to ``ideas`` (usually one added, moved or edited)."""
        old = self.ideas
        if ideas is old:
            return
        start, old_stop, new_stop = changed_span(old, ideas)
        removed, added = old[start:old_stop], ideas[start:new_stop]
        in_order = self._by_id_order and _increasing(ideas, start, new_stop)
        if not in_order or len(removed) + len(added) > self.REBUILD_OVER:
            self._rebuild(ideas)
            return
        columns: dict[int | None, list[Idea]] = {}
        for idea in removed:
            column = self._edit(columns, idea.cluster_id)
            at = position_of(column, idea)
            if at < 0:  # not where it was counted: never expected, count again
                self._rebuild(ideas)
                return
            del column[at]
        for idea in added:
            column = self._edit(columns, idea.cluster_id)
            column.insert(bisect_left(column, idea.id, key=_id), idea)
        for cluster_id, column in columns.items():
            if column:
                self.by_cluster[cluster_id] = tuple(column)
            else:
                self.by_cluster.pop(cluster_id, None)
        for idea in removed:
            self.authors.subtract(idea.authors or (None,))
        for idea in added:
            self.authors.update(idea.authors or (None,))
        self.authors = +self.authors  # no zero counts left behind (as counted from scratch)
        self.ideas = ideas

    def _edit(self, columns: dict[int | None, list[Idea]], cluster_id: int | None) -> list[Idea]:
        if cluster_id not in columns:
            columns[cluster_id] = list(self.by_cluster.get(cluster_id, ()))
        return columns[cluster_id]

    def _rebuild(self, ideas: tuple[Idea, ...]) -> None:
        self.ideas = ideas
        self.authors = Counter()
        groups: dict[int | None, list[Idea]] = {}
        for idea in ideas:
            self.authors.update(idea.authors or (None,))
            groups.setdefault(idea.cluster_id, []).append(idea)
        self.by_cluster = {key: tuple(column) for key, column in groups.items()}
        self._by_id_order = _increasing(ideas, 0, len(ideas))


def _increasing(ideas: Sequence[Idea], start: int, stop: int) -> bool:
    """Whether the ids of ``ideas[start:stop]`` increase, and fit between their neighbours
    (the rest being in order already, the whole stays in order)."""
    low, high = max(0, start - 1), min(len(ideas), stop + 1)
    ids = [idea.id for idea in ideas[low:high]]
    return all(a < b for a, b in zip(ids, ids[1:], strict=False))


class TextIndex(Protocol):
    """An index of idea texts by idea id (e.g. :class:`atelier.clustering.SimilarityIndex`)."""

    def add(self, key: int, text: str) -> None: ...

    def remove(self, key: int) -> None: ...


def follow_texts(index: TextIndex, old: Sequence[Idea], new: Sequence[Idea]) -> None:
    """Bring an index of the texts of ``old`` to those of ``new``, whatever the change (an
    idea added, edited, merged, deleted, an undo): only an idea whose text is new or
    changed is analysed again, and the ideas gone are forgotten."""
    start, old_stop, new_stop = changed_span(old, new)
    gone = {idea.id: idea for idea in old[start:old_stop]}
    for idea in new[start:new_stop]:
        before = gone.pop(idea.id, None)
        if before is None or before.text != idea.text:
            index.add(idea.id, idea.text)
    for key in gone:
        index.remove(key)
