"""The operation registry, and the helpers that operations of several phases share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import attrgetter, indexOf
from typing import TypeVar

from atelier.errors import AtelierError
from atelier.i18n import _
from atelier.model.phases import PHASES
from atelier.model.records import (
    Session,
    VoteRound,
)

T = TypeVar("T")
_ID = attrgetter("id")


# --------------------------------------------------------------------------- operations

Operation = Callable[..., Session]
OPERATIONS: dict[str, Operation] = {}


def operation(
    label: str, *, undoable: bool = True, sealed: bool = False
) -> Callable[[Operation], Operation]:
    """Register a named operation: its undo label and whether it enters the undo log.

    ``sealed`` (a secret ballot): the store saves it as a whole file, never as a journal
    line or an undo step, and forgets the undo steps of the records it changed, so no
    file holds two states of a ballot box that would tell who added which ballot."""

    def register(fn: Operation) -> Operation:
        fn.label = label  # type: ignore[attr-defined]
        fn.undoable = undoable  # type: ignore[attr-defined]
        fn.sealed = sealed  # type: ignore[attr-defined]
        OPERATIONS[fn.__name__] = fn
        return fn

    return register


def _next_id(session: Session, collection: str) -> tuple[int, dict[str, int]]:
    number = session.seq.get(collection, 0) + 1
    return number, {**session.seq, collection: number}


def _replace_item(items: tuple[T, ...], item_id: int, new: T | None) -> tuple[T, ...]:
    """The tuple with one record replaced (or removed when ``new`` is None); found and
    copied without running Python code per record (2,000 ideas)."""
    try:
        at = indexOf(map(_ID, items), item_id)
    except ValueError:
        return items
    return (*items[:at], *((new,) if new is not None else ()), *items[at + 1 :])


def _renumber(items: Sequence[T]) -> tuple[T, ...]:
    """Give ordered records (rules, clusters) order 1..n, keeping unchanged ones as they are."""
    return tuple(
        item if item.order == pos else replace(item, order=pos)  # type: ignore[attr-defined,type-var]
        for pos, item in enumerate(items, start=1)
    )


def _moved(items: tuple[T, ...], item_id: int, delta: int) -> tuple[T, ...]:
    index = next(
        (i for i, item in enumerate(items) if item.id == item_id),  # type: ignore[attr-defined]
        None,
    )
    if index is None:
        raise AtelierError(_("Not found: {what} {id}.").format(what=_("item"), id=item_id))
    target = max(0, min(len(items) - 1, index + delta))
    order = list(items)
    order.insert(target, order.pop(index))
    return _renumber(order)


def _check_phase(phase: str) -> None:
    if phase not in PHASES:
        raise AtelierError(_("Unknown phase: {phase}.").format(phase=phase))


def _int_in(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise AtelierError(
                _("{what}: a whole number is expected.").format(what=_(what))
            ) from None
    if not low <= value <= high:
        raise AtelierError(
            _("{what}: a value between {low} and {high} is expected.").format(
                what=_(what), low=low, high=high
            )
        )
    return value


def _keep_labels(session: Session, key: str) -> tuple[VoteRound, ...]:
    """Before an option disappears, every round that counted it keeps its label."""
    label = session.option_label(key)
    return tuple(
        replace(r, labels={**r.labels, key: label})
        if key in r.options and label and r.labels.get(key) != label
        else r
        for r in session.rounds
    )


def _check_link(session: Session, link: str | None) -> str | None:
    """An action's link to a cluster or idea that exists, normalised as "kind:id"."""
    if not link:
        return None
    kind, _sep, raw = str(link).partition(":")
    try:
        number = int(raw)
        if kind == "cluster":
            session.cluster(number)
        elif kind == "idea":
            session.idea(number)
        else:
            raise ValueError(kind)
    except (ValueError, AtelierError):
        raise AtelierError(_("Unknown link: {link}.").format(link=link)) from None
    return f"{kind}:{number}"
