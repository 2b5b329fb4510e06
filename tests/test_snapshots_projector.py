"""SVG snapshots of projector mode at 80×24 and 160×45 (fixed data, frozen clock, French).

Update with ``pytest tests/test_snapshots_projector.py --snapshot-update`` and look at the
report before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from atelier import clock, i18n, model
from atelier.app import AtelierApp, create_app
from atelier.store import SessionFolder
from atelier.templates import default_rules

AT = datetime(2026, 11, 25, 14, 30, tzinfo=timezone(timedelta(hours=1)))
QUESTION = "Le contexte financier contraint\u00a0: comment faire différemment\u00a0?"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]


@pytest.fixture(autouse=True)
def _stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No user config; the clock stopped at 25/11/2026 14:30; the language restored after."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    previous = i18n.get_language()
    clock.freeze(AT)
    yield
    clock.freeze(None)
    i18n.set_language(previous)


def workshop(root: Path, phase: str, **setup: Any) -> AtelierApp:
    """The app on a fixed French session at ``phase`` (its id never appears on screen)."""
    folder = SessionFolder(root / "sessions")
    rules = [(title["fr"], text["fr"]) for title, text in default_rules()]
    session_id = folder.create(
        "Contexte financier", lang="fr", question=QUESTION, rules=rules, clusters=["Achats"]
    )
    with folder.open(session_id) as handle:
        if setup:
            handle.apply(model.update_setup, **setup)
        for text in ("Mutualiser les achats", "Réduire les impressions", "Covoiturage"):
            handle.apply(model.add_idea, text)
        handle.apply(model.set_phase, phase)
        if phase == "ideation":
            handle.apply(model.timer_start, phase)
    return create_app(root / "sessions", "fr", open_session=session_id)


@pytest.mark.parametrize("size", SIZES)
def test_question_and_timer(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(workshop(tmp_path, "ideation"), press=["f3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_one_rule(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(workshop(tmp_path, "rules"), press=["f3", "right"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_closing_screen(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(workshop(tmp_path, "summary"), press=["f3"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_rules_recall(snap_compare: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    app = workshop(tmp_path, "ideation")
    assert snap_compare(app, press=["f2"], terminal_size=size)
