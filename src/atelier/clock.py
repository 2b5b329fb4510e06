"""The one source of "now" for the core, so tests and snapshots can freeze time."""

from __future__ import annotations

from datetime import date, datetime

_frozen: datetime | None = None


def now() -> datetime:
    """The current local time, with its UTC offset, to the second."""
    if _frozen is not None:
        return _frozen
    return datetime.now().astimezone().replace(microsecond=0)


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


def today() -> date:
    return now().date()


def freeze(at: datetime | None) -> None:
    """Fix the clock at one instant (tests, snapshots); None lets it run again."""
    global _frozen
    _frozen = at


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)
