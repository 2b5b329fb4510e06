"""Shared fixtures: a frozen clock, a sessions folder, English messages by default."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from atelier import clock, i18n
from atelier.store import SessionFolder

# What the sessions list showed is remembered in the user's cache folder (store.listing):
# tests, and the atelier processes they start, never read or write the real one.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="atelier-tests-cache-")

FROZEN_AT = datetime(2026, 11, 25, 14, 30, tzinfo=timezone(timedelta(hours=1)))


class FrozenClock:
    """The core's clock stopped at one instant; ``advance`` moves it forward."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        clock.freeze(at)

    def advance(self, seconds: float) -> datetime:
        self.at += timedelta(seconds=seconds)
        clock.freeze(self.at)
        return self.at


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    """25/11/2026 14:30 (+01:00) until the test ends."""
    yield FrozenClock(FROZEN_AT)
    clock.freeze(None)


@pytest.fixture
def folder(tmp_path: Path) -> SessionFolder:
    """An empty sessions folder inside the test's temp dir (made here: SessionFolder itself
    creates its folder only when a session is written)."""
    (tmp_path / "sessions").mkdir()
    return SessionFolder(tmp_path / "sessions")


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Messages are asserted in English unless a test switches; restore after each test."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")
